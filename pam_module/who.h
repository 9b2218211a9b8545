/* SPDX-License-Identifier: GPL-2.0-or-later */
/* who: the session's user, as the module's files log it. */
#ifndef NONET_WHO_H
#define NONET_WHO_H

#include "text.h"

/* The session's user: the name as PAM gave it, and escaped for logs. */
struct who {
	const char *name;
	char log[TEXT_FIELD_MAX];
};

#endif
