/* SPDX-License-Identifier: GPL-2.0-or-later */
/* record_session: the record of a session (lib/record.h) the module keeps. */
#ifndef NONET_RECORD_SESSION_H
#define NONET_RECORD_SESSION_H

#include <stdint.h>
#include <sys/types.h>
#include <security/pam_modules.h>

#include "who.h"

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
