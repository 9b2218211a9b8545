/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NONET_PRUNE_H
#define NONET_PRUNE_H

#include <stdbool.h>

/*
 * `nonet prune` (root): removes the pins of shared namespaces that no
 * process uses any more, leftovers of interrupted creations, and stale
 * session records (their calling process is gone); prints what it
 * removed.  Returns TOOL_OK or TOOL_ERROR.
 */
int prune_run(bool json);

#endif
