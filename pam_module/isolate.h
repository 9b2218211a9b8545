/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * isolate: a new namespace with only lo, its verification, and the info
 * line of an isolated session.
 */
#ifndef NONET_ISOLATE_H
#define NONET_ISOLATE_H

#include <stdbool.h>
#include <security/pam_modules.h>

#include "loopback.h"
#include "who.h"

struct nl_sock;

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
	const char *mode;      /* "private", "shared", "join" */
	const char *rule;      /* "FILE:LINE" */
	char name[256];	       /* the namespace's name, or "" */
	int ipv6;	       /* 1 on, 0 off, -1 not ours to say (join) */
	const char *hardening; /* the hardening options, or NULL */
	const char *uplink;    /* uplink=NAME, or NULL */
	int lease;	       /* with uplink: the lease's index */
};

/* Logs the info line with the namespace's inode; -1 if it cannot be read. */
int isolate_log(pam_handle_t *pamh, const struct who *who,
		const struct isolated *how);

/*
 * The three ways into a namespace (the others: shared.h, join.h).  Each
 * returns 0 and fills @how (mode, name, ipv6) for the info line that
 * isolate_log() writes once the session is fully set up, or -1 after
 * logging why it cannot.
 */
/* A private namespace: isolate_build_netns(). */
int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    struct isolated *how);

#endif
