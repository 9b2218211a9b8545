// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor_ssh: ssh-forwarding, the effective sshd settings for each user
 * as the real sshd computes them (`sshd -T -C user=...,host=...,addr=...
 * -f FILE`, Match blocks included).  Two forwards leave a session's
 * namespace (DESIGN): a -R listener carries what connects to it to the
 * ssh client's side, and UNIX-socket forwarding is not scoped by a network
 * namespace.  X11 forwarding and tunnels carry traffic to the client too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "doctor.h"

#define SSHD "/usr/sbin/sshd"
#define SSHD_CONFIG "/etc/ssh/sshd_config"

/* The settings that matter, as `sshd -T` prints them (lower case). */
struct sshd_settings {
	char tcp[32];	      /* allowtcpforwarding */
	char streamlocal[32]; /* allowstreamlocalforwarding */
	char tunnel[32];      /* permittunnel */
	char x11[32];	      /* x11forwarding */
	char disable[32];     /* disableforwarding */
	char listen[256];     /* permitlisten */
};

static void take(struct sshd_settings *s, const char *key, const char *value)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
#define K(k, f)                                                                \
	{k, offsetof(struct sshd_settings, f),                                 \
	 sizeof(((struct sshd_settings *)0)->f)}
	    K("allowtcpforwarding", tcp),
	    K("allowstreamlocalforwarding", streamlocal),
	    K("permittunnel", tunnel),
	    K("x11forwarding", x11),
	    K("disableforwarding", disable),
	    K("permitlisten", listen),
#undef K
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i].key) == 0)
			snprintf((char *)s + keys[i].off, keys[i].size, "%s",
				 value);
}

/* Runs sshd -T for @user; 0, or -1 with the first error line in @err. */
static int sshd_test(const char *file, const char *user,
		     struct sshd_settings *s, char *err, size_t size)
{
	char spec[512], line[1024];
	int pipefd[2], status = 0, devnull;
	pid_t pid;
	FILE *f;

	snprintf(spec, sizeof(spec), "user=%s,host=localhost,addr=127.0.0.1",
		 user);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		goto fail;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0 || dup2(devnull, 0) < 0 ||
		    dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(127);
		execl(SSHD, SSHD, "-T", "-C", spec, "-f", file, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0 || !(f = fdopen(pipefd[0], "r"))) {
		close(pipefd[0]);
		goto fail;
	}
	err[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *value = strchr(line, ' ');

		line[strcspn(line, "\r\n")] = '\0';
		if (value) {
			*value++ = '\0';
			take(s, line, value);
		}
		if (!err[0])
			snprintf(err, size, "%.200s%s%.50s", line,
				 value ? " " : "", value ? value : "");
	}
	fclose(f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && s->tcp[0])
		return 0;
	if (!err[0])
		snprintf(err, size, "sshd -T failed");
	return -1;
fail:
	snprintf(err, size, "%s", strerror(errno));
	return -1;
}

static bool is(const char *value, const char *word)
{
	return strcmp(value, word) == 0;
}

/* What of @s lets a session out; "" when nothing does. */
static void ways_out(const struct sshd_settings *s, char *buf, size_t size)
{
	bool off = is(s->disable, "yes");

	buf[0] = '\0';
	if (!off &&
	    (is(s->tcp, "yes") || is(s->tcp, "all") || is(s->tcp, "remote")) &&
	    !is(s->listen, "none"))
		snprintf(buf, size,
			 "allowtcpforwarding %s and permitlisten "
			 "%s (-R carries connections to the client's side)",
			 s->tcp, s->listen);
	if (!off && !is(s->streamlocal, "no"))
		snprintf(buf + strlen(buf), size - strlen(buf),
			 "%s"
			 "allowstreamlocalforwarding %s (UNIX sockets are not "
			 "in a network namespace)",
			 buf[0] ? "; " : "", s->streamlocal);
	if (!off && is(s->x11, "yes"))
		snprintf(buf + strlen(buf), size - strlen(buf),
			 "%sx11forwarding yes", buf[0] ? "; " : "");
	if (!is(s->tunnel, "no"))
		snprintf(buf + strlen(buf), size - strlen(buf),
			 "%spermittunnel %s", buf[0] ? "; " : "", s->tunnel);
}

static void check_user(struct doctor *d, const struct doctor_user *u,
		       const char *file)
{
	struct sshd_settings s = {0};
	const struct policy_rule *rule;
	char err[256], out[768];

	if (doctor_rule_for(d, u, "sshd", &rule) < 0 || !rule) {
		doctor_add(d, u, "ssh-forwarding", DOC_NA, NULL,
			   "the policy isolates no sshd login of %s", u->name);
		return;
	}
	if (sshd_test(file, u->name, &s, err, sizeof(err)) < 0) {
		doctor_add(d, u, "ssh-forwarding", DOC_UNKNOWN, NULL,
			   "sshd -T -f %s: %s", file, err);
		return;
	}
	ways_out(&s, out, sizeof(out));
	if (out[0])
		doctor_add(
		    d, u, "ssh-forwarding", DOC_OPEN,
		    "a Match Group block for the isolated users with "
		    "DisableForwarding yes (or AllowTcpForwarding local, "
		    "PermitListen none, AllowStreamLocalForwarding no, "
		    "X11Forwarding no) and PermitTunnel no",
		    "sshd -T: %s", out);
	else
		doctor_add(d, u, "ssh-forwarding", DOC_CLOSED, NULL,
			   "sshd -T: allowtcpforwarding %s, permitlisten %s, "
			   "allowstreamlocalforwarding %s, x11forwarding %s, "
			   "permittunnel %s, disableforwarding %s",
			   s.tcp, s.listen, s.streamlocal, s.x11, s.tunnel,
			   s.disable);
}

void doctor_ssh(struct doctor *d)
{
	const char *file =
	    d->opts->sshd_config ? d->opts->sshd_config : SSHD_CONFIG;
	bool absent = access(SSHD, X_OK) < 0 || access(file, F_OK) < 0;

	for (size_t i = 0; i < d->nusers; i++) {
		const struct doctor_user *u = &d->users[i];

		if (!u->rule && !u->njoins)
			continue;
		if (absent)
			doctor_add(d, u, "ssh-forwarding", DOC_NA, NULL,
				   "no %s",
				   access(SSHD, X_OK) < 0 ? SSHD : file);
		else
			check_user(d, u, file);
	}
}
