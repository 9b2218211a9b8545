// SPDX-License-Identifier: GPL-2.0-or-later
/* netns_use: whether any process still uses a network namespace. */
#include <stdbool.h>
#include <sys/types.h>

#include "netns_use.h"
#include "procscan.h"

struct in_use {
	dev_t dev;
	ino_t ino;
	pid_t exclude;
	bool used;
};

/*
 * Processes that cannot be inspected are skipped: the worst a skipped user
 * of the namespace suffers is losing its name, never its isolation.
 */
static int thread_in_netns(void *data, const struct procscan_thread *t)
{
	struct in_use *u = data;

	if (t->pid == u->exclude || t->dev != u->dev || t->ino != u->ino)
		return 0;
	u->used = true;
	return 1;
}

int netns_in_use(dev_t dev, ino_t ino, pid_t exclude, bool *used)
{
	struct in_use u = {dev, ino, exclude, false};

	if (procscan(thread_in_netns, &u) < 0)
		return -1;
	*used = u.used;
	return 0;
}
