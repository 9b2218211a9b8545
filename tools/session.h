/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_SESSION_H
#define NONET_SESSION_H

#include <stdbool.h>

/* Exit status when PAM refuses to open the session. */
#define SESSION_REFUSED 111

struct session_opts {
	const char *user;
	const char *service; /* PAM service, default "login" */
	const char *confdir; /* NULL: the system's /etc/pam.d */
	const char *rhost;   /* PAM_RHOST, or NULL */
	const char *tty;     /* PAM_TTY, or NULL */
	char **argv;	     /* the command; NULL or empty: `nonet show` */
	bool json;	     /* for the default command: `nonet show -j` */
};

/*
 * Opens a PAM session for the user through the service's stack, runs the
 * command as the user inside it, closes the session.  Returns the exit
 * status for the tool: the command's (128+N if signal N killed it),
 * SESSION_REFUSED if PAM refused the session, 2 on other errors (after a
 * message on stderr).
 */
int session_run(const struct session_opts *opts);

#endif
