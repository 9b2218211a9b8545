/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_ISOLATE_H
#define NONET_ISOLATE_H

#include <stdbool.h>
#include <security/pam_modules.h>

#include "loopback.h"
#include "text.h"

struct nl_sock;

/* The session's user: the name as PAM gave it, and escaped for logs. */
struct who {
	const char *name;
	char log[TEXT_FIELD_MAX];
};

/*
 * Moves the calling thread into a new network namespace with only lo, UP,
 * 127.0.0.1/8 and (*@ipv6) ::1/128, and verifies the result; *@ipv6 ends
 * as what lo got (false on a kernel without IPv6).  Returns 0, or -1
 * after logging the failed step.  A failure after the unshare leaves the
 * thread in the new, broken namespace: it has no way out to the host,
 * which is the safe side should the caller ignore our error.
 */
int isolate_build_netns(pam_handle_t *pamh, const struct who *who, bool *ipv6);

/*
 * Reads the namespace of @sock and judges it (see loopback_judge()),
 * logging each reason it is not isolated.  *@has_inet6, if not NULL, says
 * whether any IPv6 address exists.  Returns 0 if isolated, else -1.
 */
int isolate_verify(pam_handle_t *pamh, struct nl_sock *sock,
		   const struct who *who, enum loopback_ipv6 ipv6, bool strict,
		   bool *has_inet6);

/* How a session was isolated, for its one info line. */
struct isolated {
	const char *mode;	/* "private", "shared", "join" */
	const char *rule;	/* "FILE:LINE" */
	const char *name;	/* the namespace's name, or NULL */
	int ipv6;		/* 1 on, 0 off, -1 not ours to say (join) */
};

/* Logs the info line with the namespace's inode; -1 if it cannot be read. */
int isolate_log(pam_handle_t *pamh, const struct who *who,
		const struct isolated *how);

/* A private namespace: isolate_build_netns() and the info line. */
int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    const char *rule);

/*
 * The user's shared namespace, nonet-@user under /run/netns: joined if it
 * exists and is isolated, else made and pinned, all under the user's lock;
 * the session is counted and remembered in the PAM handle for
 * isolate_shared_close().  Returns 0, or -1 after logging why.
 */
int isolate_shared(pam_handle_t *pamh, const struct who *who,
		   const char *user, bool ipv6, const char *rule);

/*
 * At close: uncounts a session isolate_shared() counted, and removes the
 * pin when it was the last and no process is left in the namespace.
 */
void isolate_shared_close(pam_handle_t *pamh);

/*
 * The admin's namespace /run/netns/@name, unchanged; with /etc/netns/@name,
 * a private mount namespace in which its files are bound over /etc, as
 * `ip netns exec` does.  Returns 0, or -1 after logging why.
 */
int isolate_join(pam_handle_t *pamh, const struct who *who, const char *name,
		 const char *rule);

#endif
