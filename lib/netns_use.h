/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netns_use: whether any process still uses a network namespace. */
#ifndef NONET_NETNS_USE_H
#define NONET_NETNS_USE_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Sets *@used to whether any thread of any process other than @exclude
 * is in the network namespace (@dev, @ino).  Processes that vanish while
 * /proc is read, or that cannot be inspected, are skipped.
 */
int netns_in_use(dev_t dev, ino_t ino, pid_t exclude, bool *used);

#endif
