/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target: the network namespaces nonet looks into besides its own: a
 * process's (-p), a named one (-n), or each one a user's processes are in
 * (-u).  The tool never changes its own namespace: a forked child enters
 * the target, reads it through rtnetlink, and hands the table back.
 */
#ifndef NONET_TARGET_H
#define NONET_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "proctab.h"

struct iface_table;

struct target_proc {
	pid_t pid;
	char comm[PROCTAB_COMM]; /* escaped (text_escape) */
};

struct target {
	char path[64];	/* where to open the namespace */
	char name[256]; /* its /run/netns name, or "" */
	dev_t dev;
	ino_t ino;
	struct target_proc *procs; /* -u: the user's processes in it */
	size_t nprocs;
};

struct target_list {
	struct target *items;
	size_t count;
};

/* Each returns 0, or -1 with errno (after which the list is empty). */
int target_self(struct target_list *list);
int target_by_pid(pid_t pid, struct target_list *list);
int target_by_name(const char *name, struct target_list *list);
int target_by_user(uid_t uid, struct target_list *list);
void target_list_free(struct target_list *list);

/*
 * Reads the links and addresses of @t's namespace into @table.  Returns 0,
 * or -1 with errno: EPERM when entering it needs CAP_SYS_ADMIN.
 */
int target_read_table(const struct target *t, struct iface_table *table);

/* Whether @t is the host's (initial) namespace: 1 yes, 0 no, -1 unknown. */
int target_is_initial(const struct target *t);

#endif
