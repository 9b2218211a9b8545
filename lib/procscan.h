/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procscan: every thread of every process, with the network namespace it
 * is in (a namespace is per thread: unshare moves only the caller).
 */
#ifndef NONET_PROCSCAN_H
#define NONET_PROCSCAN_H

#include <sys/types.h>

struct procscan_thread {
	pid_t pid;
	pid_t tid;
	dev_t dev; /* of /proc/PID/task/TID/ns/net */
	ino_t ino;
};

/* Returns 0 to go on, 1 to stop the scan, -1 (errno) to fail it. */
typedef int (*procscan_fn)(void *data, const struct procscan_thread *thread);

/*
 * Calls @fn for each thread of each process in /proc.  Processes and
 * threads that vanish while /proc is read, or that cannot be inspected
 * (even by root: e.g. a container's PID 1, whose namespaces its root may
 * not read), are skipped.  Returns 0 (also when @fn
 * stopped it), or -1 with errno when /proc cannot be read or @fn failed.
 */
int procscan(procscan_fn fn, void *data);

#endif
