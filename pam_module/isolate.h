/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_ISOLATE_H
#define NONET_ISOLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
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
 * The three ways into a namespace.  Each returns 0 and fills @how (mode,
 * name, ipv6) for the info line that isolate_log() writes once the
 * session is fully set up, or -1 after logging why it cannot.
 */
/* A private namespace: isolate_build_netns(). */
int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    struct isolated *how);

/*
 * The user's shared namespace, nonet-@user under /run/netns: joined if it
 * exists and is isolated, else made and pinned, all under the user's lock;
 * the session is counted and remembered in the PAM handle for
 * isolate_shared_close().
 */
int isolate_shared(pam_handle_t *pamh, const struct who *who, const char *user,
		   bool ipv6, struct isolated *how);

/*
 * At close: uncounts a session isolate_shared() counted, and removes the
 * pin when it was the last and no process is left in the namespace.
 */
void isolate_shared_close(pam_handle_t *pamh);

/*
 * The admin's namespace /run/netns/@name, unchanged (its /etc/netns/@name
 * comes with session_mounts()).
 */
int isolate_join(pam_handle_t *pamh, const struct who *who, const char *name,
		 struct isolated *how);

/*
 * The hardening options POLICY_OPT_NONEWPRIVS and _LOCKDOWN for the
 * calling process, after its network namespace and mounts are set.
 * Returns 0, or -1 after logging the step that failed.
 */
int harden_session(pam_handle_t *pamh, const struct who *who,
		   unsigned int options);

/*
 * Counts the calling process's threads.  More than one: with
 * @single_thread, logs and returns -1 (refuse); otherwise logs a warning
 * (the session's processes must be started by the thread that opened it)
 * and returns 0.  A count that cannot be read is "more than one".
 */
int check_threads(pam_handle_t *pamh, const struct who *who,
		  bool single_thread);

/* What the session's private mount namespace holds. */
struct mount_plan {
	unsigned int options;	 /* POLICY_OPT_SYSFS, _HIDEPID, _NOMASK */
	const char *join_name;	 /* join=NAME: its /etc/netns/NAME; or NULL */
	char *const *rule_masks; /* the rule's mask= paths */
	size_t nrule_masks;
	const char *arg_masks; /* the module's mask=PATH,... or NULL */
};

/*
 * One unshare(CLONE_NEWNS) for the calling thread, if @plan needs any
 * mount, then in it: join's /etc/netns/NAME, the masks (the defaults
 * unless POLICY_OPT_NOMASK, the rule's and the module's mask= paths; a
 * path with nothing there is skipped), a fresh /sys and /proc.  Returns 0,
 * or -1 after logging the step that failed.
 */
int session_mounts(pam_handle_t *pamh, const struct who *who,
		   const struct mount_plan *plan);

/*
 * With /etc/netns/@name: makes the calling thread's (already private)
 * mount namespace a slave of the host's and binds its files over /etc's,
 * as `ip netns exec` does.  Returns 0 (also when there is no such
 * directory), or -1 after logging why.
 */
int join_etc_netns(pam_handle_t *pamh, const char *name);

/* What a session record says besides what the PAM handle holds. */
struct session_facts {
	const char *user; /* canonical name */
	uid_t uid;
	const char *mode; /* none, private, shared, join */
	const char *name; /* the namespace's name, or NULL */
	const char *rule; /* FILE:LINE, or none-matched */
	uint64_t policy_hash;
	const char *uplink;    /* uplink=NAME, or NULL */
	int lease;	       /* with uplink: the lease's index */
	const char *record_id; /* the id to record under, or NULL: a new one */
};

/*
 * Records the session under RECORD_DIR (with the calling thread's network
 * namespace) and remembers it for record_session_close().  Returns 0, or
 * -1 after logging why.
 */
int record_session(pam_handle_t *pamh, const struct who *who,
		   const struct session_facts *facts);

/* At close: removes the record record_session() wrote, if any. */
void record_session_close(pam_handle_t *pamh);

#endif
