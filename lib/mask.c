// SPDX-License-Identifier: GPL-2.0-or-later
/* mask: the default list (placeholder for nonet doctor; i13a provides it). */
#include <stddef.h>

#include "mask.h"

const char *const mask_default_paths[] = {
	"/run/nscd/socket",
	"/run/systemd/resolve/io.systemd.Resolve",
	"/run/systemd/resolve/io.systemd.Resolve.Monitor",
	NULL,
};
