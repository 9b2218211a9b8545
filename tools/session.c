// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet session: open a real PAM session for a user and run a command in
 * it, as a login program would, so an admin can see what a login gets.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <security/pam_appl.h>

#include "session.h"
#include "show.h"
#include "show_targets.h"
#include "tool.h"

/* No authentication happens here: prompts fail, messages go to stderr. */
static int converse(int num, const struct pam_message **msg,
		    struct pam_response **resp, void *data)
{
	(void)data;
	for (int i = 0; i < num; i++) {
		switch (msg[i]->msg_style) {
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO: fprintf(stderr, "%s\n", msg[i]->msg); break;
		default: return PAM_CONV_ERR;
		}
	}
	*resp = NULL;
	return PAM_SUCCESS;
}

static int start(const struct session_opts *o, pam_handle_t **pamh)
{
	static const struct pam_conv conv = {converse, NULL};
	int ret;

	if (o->confdir)
		ret = pam_start_confdir(o->service, o->user, &conv, o->confdir,
					pamh);
	else
		ret = pam_start(o->service, o->user, &conv, pamh);
	if (ret != PAM_SUCCESS) {
		tool_error("cannot start PAM for service %s: %s", o->service,
			   pam_strerror(*pamh, ret));
		return -1;
	}
	if ((o->rhost && pam_set_item(*pamh, PAM_RHOST, o->rhost)) ||
	    (o->tty && pam_set_item(*pamh, PAM_TTY, o->tty))) {
		tool_error("cannot set PAM items");
		return -1;
	}
	return 0;
}

/* The session's environment: a login's basics, then what PAM set. */
static int session_environ(pam_handle_t *pamh, const struct passwd *pw)
{
	const char *term = getenv("TERM");
	char *saved_term = term ? strdup(term) : NULL;
	char **env = pam_getenvlist(pamh);
	int ret = 0;

	clearenv();
	if (setenv("HOME", pw->pw_dir, 1) || setenv("USER", pw->pw_name, 1) ||
	    setenv("LOGNAME", pw->pw_name, 1) ||
	    setenv("SHELL", *pw->pw_shell ? pw->pw_shell : "/bin/sh", 1) ||
	    setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1) ||
	    (saved_term && setenv("TERM", saved_term, 1)))
		ret = -1;
	for (char **e = env; e && *e; e++) {
		if (putenv(*e) < 0) /* putenv keeps the string: not freed */
			ret = -1;
	}
	free(env);
	free(saved_term);
	return ret;
}

/* Becomes the user for good: groups, gid, uid, and no way back. */
static int become_user(const struct passwd *pw)
{
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0)
		return -1;
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* The child: runs as the user in the session; never returns. */
static void run_child(pam_handle_t *pamh, const struct passwd *pw,
		      const struct session_opts *o)
{
	if (session_environ(pamh, pw) < 0) {
		tool_error("cannot set up the environment: %m");
		_exit(127);
	}
	if (become_user(pw) < 0) {
		tool_error("cannot become user %s: %m", pw->pw_name);
		_exit(127);
	}
	if (chdir(pw->pw_dir) < 0 && chdir("/") < 0)
		_exit(127);
	if (!o->argv || !o->argv[0]) {
		/* The default command is `nonet show`, run in-process. */
		struct show_opts show = {.json = o->json};
		int status = tool_show(&show);

		_exit(fflush(stdout) == 0 ? status : 2);
	}
	execvp(o->argv[0], o->argv);
	tool_error("cannot run %s: %m", o->argv[0]);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Waits for the child; returns its status as a shell would. */
static int wait_child(pid_t pid)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
	int status = 0;
	pid_t got;

	/* Like su: the terminal's ^C is for the command, not for us. */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	do
		got = waitpid(pid, &status, 0);
	while (got < 0 && errno == EINTR);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (got < 0) {
		tool_error("cannot wait for the command: %m");
		return 2;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Opens the session; on refusal prints PAM's reason.  Only the session
 * stack runs: no authentication, account check or credentials, which a
 * trial by root does not need and a session-only test stack lacks.
 */
static int open_session(pam_handle_t *pamh, const struct session_opts *o)
{
	int ret = pam_open_session(pamh, 0);

	if (ret != PAM_SUCCESS) {
		tool_error("PAM refused the session of %s (service %s): %s",
			   o->user, o->service, pam_strerror(pamh, ret));
		return -1;
	}
	return 0;
}

static int run_in_session(pam_handle_t *pamh, const struct passwd *pw,
			  const struct session_opts *o)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		tool_error("cannot fork: %m");
		return 2;
	}
	if (pid == 0)
		run_child(pamh, pw, o);
	return wait_child(pid);
}

/* Room for one passwd entry; larger ones are refused (ERANGE). */
#define PASSWD_BUF 16384

/*
 * Looks the user up into @pw, backed by @buf: getpwnam's static result
 * would be overwritten by the modules' own lookups.  Returns 0, or -1 with
 * errno (0 for an unknown user).
 */
static int lookup_user(const char *name, struct passwd *pw, char *buf)
{
	struct passwd *found = NULL;
	int err = getpwnam_r(name, pw, buf, PASSWD_BUF, &found);

	if (found)
		return 0;
	errno = err;
	return -1;
}

/*
 * A login program starts with nothing but stdin, stdout and stderr; so do
 * we, so that what the session inherits is what the PAM stack left open.
 */
static void close_inherited_fds(void)
{
	if (close_range(3, ~0U, 0) == 0)
		return;
	for (int fd = 3; fd < 1024; fd++)
		(void)close(fd);
}

int session_run(const struct session_opts *o)
{
	pam_handle_t *pamh = NULL;
	char buf[PASSWD_BUF];
	struct passwd user, *pw = &user;
	int status = 2, ret;

	if (geteuid() != 0) {
		tool_error("session: only root can open a session for a user");
		return 2;
	}
	close_inherited_fds();
	if (lookup_user(o->user, &user, buf) < 0) {
		if (errno)
			tool_error("session: cannot look up user %s: %m",
				   o->user);
		else
			tool_error("session: unknown user %s", o->user);
		return 2;
	}
	if (start(o, &pamh) < 0)
		goto out;
	if (open_session(pamh, o) < 0) {
		status = SESSION_REFUSED;
		goto out;
	}
	status = run_in_session(pamh, pw, o);
	ret = pam_close_session(pamh, 0);
	if (ret != PAM_SUCCESS)
		tool_error("closing the session failed: %s",
			   pam_strerror(pamh, ret));
out:
	if (pamh)
		pam_end(pamh, status == 2 ? PAM_ABORT : PAM_SUCCESS);
	return status;
}
