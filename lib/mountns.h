/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mountns: the session's private mount namespace and what it covers.
 * Each returns 0, or -1 with errno.
 */
#ifndef NONET_MOUNTNS_H
#define NONET_MOUNTNS_H

/* Moves the calling thread into a private copy of its mount namespace. */
int mountns_unshare(void);

/*
 * A fresh sysfs on /sys (it shows the network namespace of the caller),
 * with /sys's submounts (cgroup2 and the others) put back on top.
 */
int mountns_fresh_sysfs(void);

/* A fresh procfs on /proc with hidepid=invisible, submounts put back. */
int mountns_fresh_proc(void);

/*
 * Makes the mount @path lives on (the one statx reports for it) a slave,
 * so that what is mounted on it from now on stays in this namespace while
 * the host's later mounts still come in.  Nothing else changes.
 */
int mountns_slave_mount_of(const char *path);

#endif
