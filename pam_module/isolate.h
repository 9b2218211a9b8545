/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_ISOLATE_H
#define NONET_ISOLATE_H

#include <stdbool.h>
#include <security/pam_modules.h>

#include "text.h"

/* The session's user: the name as PAM gave it, and escaped for logs. */
struct who {
	const char *name;
	char log[TEXT_FIELD_MAX];
};

/*
 * Moves the calling thread into a new network namespace with only lo, UP,
 * 127.0.0.1/8 and (@ipv6) ::1/128, and verifies the result.  Returns 0
 * after one info line naming @rule, or -1 after logging the failed step.
 */
int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    const char *rule);

#endif
