// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet-t-pam: login programs that use PAM in ways `nonet session` does
 * not, for the tests (built by `make test-libs`, never installed).
 *
 *   nonet-t-pam MODE SERVICE USER CONFDIR CMD [ARG...]
 *
 * MODE:
 *   threads  a second thread calls pam_start_confdir + pam_open_session;
 *            the main thread (the first) forks CMD: a threaded login
 *            program that starts the session from the wrong thread
 *   twice    pam_open_session twice on one handle, CMD, one close
 *   two      two handles in one process, each opened, CMD, both closed
 *
 * CMD runs as USER while the sessions are open.  Prints one line per PAM
 * call ("open=RC", "close=RC", RC a PAM return code), then "cmd=STATUS".
 * Exits 0 once the steps ran, 2 on a usage or system error.
 */
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <security/pam_appl.h>

struct opts {
	const char *service, *user, *confdir;
	char **cmd;
};

/* No prompts; messages go to stderr. */
static int converse(int num, const struct pam_message **msg,
		    struct pam_response **resp, void *data)
{
	(void)data;
	for (int i = 0; i < num; i++) {
		if (msg[i]->msg_style != PAM_ERROR_MSG &&
		    msg[i]->msg_style != PAM_TEXT_INFO)
			return PAM_CONV_ERR;
		fprintf(stderr, "%s\n", msg[i]->msg);
	}
	*resp = NULL;
	return PAM_SUCCESS;
}

static const struct pam_conv conv = { converse, NULL };

static pam_handle_t *start(const struct opts *o)
{
	pam_handle_t *pamh = NULL;

	if (pam_start_confdir(o->service, o->user, &conv, o->confdir,
			      &pamh) != PAM_SUCCESS) {
		fprintf(stderr, "nonet-t-pam: pam_start_confdir failed\n");
		exit(2);
	}
	return pamh;
}

static int open_session(pam_handle_t *pamh)
{
	int ret = pam_open_session(pamh, 0);

	printf("open=%d\n", ret);
	fflush(stdout);
	return ret;
}

static void close_session(pam_handle_t *pamh)
{
	printf("close=%d\n", pam_close_session(pamh, 0));
	fflush(stdout);
}

/* Forks CMD as the user and waits for it; prints its status. */
static void run_cmd(const struct opts *o)
{
	struct passwd *pw = getpwnam(o->user);
	int status = 0;
	pid_t pid;

	if (!pw) {
		fprintf(stderr, "nonet-t-pam: no user %s\n", o->user);
		exit(2);
	}
	pid = fork();
	if (pid < 0) {
		perror("nonet-t-pam: fork");
		exit(2);
	}
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
		    setuid(pw->pw_uid) < 0)
			_exit(126);
		execvp(o->cmd[0], o->cmd);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("nonet-t-pam: waitpid");
		exit(2);
	}
	printf("cmd=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	fflush(stdout);
}

/* What the opener thread does and gives back to the main thread. */
struct opening {
	const struct opts *o;
	pam_handle_t *pamh;
	int ret;
};

static void *opener(void *data)
{
	struct opening *op = data;

	op->pamh = start(op->o);
	op->ret = open_session(op->pamh);
	return NULL;
}

/*
 * The session is opened while the process has two threads (this and the
 * opener), then the command is forked from this one: the wrong thread.
 */
static void threaded(const struct opts *o)
{
	struct opening op = { .o = o };
	pthread_t thread;

	if (pthread_create(&thread, NULL, opener, &op) != 0 ||
	    pthread_join(thread, NULL) != 0) {
		fprintf(stderr, "nonet-t-pam: cannot run the opener thread\n");
		exit(2);
	}
	if (op.ret == PAM_SUCCESS)
		run_cmd(o);
	close_session(op.pamh);
	pam_end(op.pamh, PAM_SUCCESS);
}

int main(int argc, char **argv)
{
	struct opts o;
	pam_handle_t *a, *b;

	if (argc < 6) {
		fprintf(stderr, "usage: nonet-t-pam threads|twice|two SERVICE "
				"USER CONFDIR CMD [ARG...]\n");
		return 2;
	}
	o = (struct opts){ argv[2], argv[3], argv[4], argv + 5 };
	if (strcmp(argv[1], "threads") == 0) {
		threaded(&o);
	} else if (strcmp(argv[1], "twice") == 0) {
		a = start(&o);
		if (open_session(a) == PAM_SUCCESS &&
		    open_session(a) == PAM_SUCCESS)
			run_cmd(&o);
		close_session(a);
		pam_end(a, PAM_SUCCESS);
	} else if (strcmp(argv[1], "two") == 0) {
		a = start(&o);
		b = start(&o);
		if (open_session(a) == PAM_SUCCESS &&
		    open_session(b) == PAM_SUCCESS)
			run_cmd(&o);
		close_session(b);
		close_session(a);
		pam_end(b, PAM_SUCCESS);
		pam_end(a, PAM_SUCCESS);
	} else {
		fprintf(stderr, "nonet-t-pam: unknown mode %s\n", argv[1]);
		return 2;
	}
	return 0;
}
