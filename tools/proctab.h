/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proctab: one reading of /proc, kept in memory: every process with its
 * real uid, parent, command, and the network namespaces its threads are in
 * (a namespace is per thread), so that `nonet list` and `nonet audit` ask
 * all their questions of one snapshot instead of reading /proc again.
 */
#ifndef NONET_PROCTAB_H
#define NONET_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A command name (at most 15 bytes) escaped as \xNN: up to 60 bytes. */
#define PROCTAB_COMM 64

/* A namespace some thread of a process is in. */
struct proctab_ns {
	dev_t dev;
	ino_t ino;
	pid_t pid;
	pid_t tid; /* the first thread of @pid found in it */
};

struct proctab_proc {
	pid_t pid;
	pid_t ppid;
	uid_t uid;		  /* the real uid */
	bool kthread;		  /* a kernel thread */
	char state;		  /* R, S, Z, ... as ps shows it */
	unsigned long long start; /* clock ticks after boot */
	char comm[PROCTAB_COMM];
	size_t ns_first; /* its namespaces: ns[first...] */
	size_t ns_count;
};

/*
 * A process whose namespaces even root may not read (e.g. a container's
 * PID 1).
 */
struct proctab_hidden {
	pid_t pid;
	uid_t uid;
	char comm[PROCTAB_COMM];
	int err;
};

struct proctab {
	struct proctab_proc *procs; /* sorted by pid */
	size_t count;
	struct proctab_ns *ns;
	size_t nns;
	struct proctab_hidden *hidden;
	size_t nhidden;
	size_t procs_cap, ns_cap; /* allocated */
};

/*
 * Reads every process and thread (through proc_scan).  Processes that end
 * while /proc is read are left out; those whose namespace cannot be read
 * go to @t->hidden.  Returns 0, or -1 with errno (then @t is empty).
 */
int proctab_read(struct proctab *t);

/* The process @pid, or NULL. */
const struct proctab_proc *proctab_find(const struct proctab *t, pid_t pid);

/* Whether @p is @ancestor or descends from it (by the parent chain). */
bool proctab_descends(const struct proctab *t, const struct proctab_proc *p,
		      pid_t ancestor);

/* Whether some thread of @p is in namespace @dev:@ino. */
bool proctab_in_ns(const struct proctab *t, const struct proctab_proc *p,
		   dev_t dev, ino_t ino);

void proctab_free(struct proctab *t);

#endif
