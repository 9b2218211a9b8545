/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc: the one reader of /proc/PID for nonet: a process's stat line, its
 * real uid, the network namespace of each of its threads, and the walk
 * over every thread of every process (a namespace is per thread: unshare
 * moves only the caller).
 *
 * Processes come and go while /proc is read: a file of a process that has
 * ended reads as ENOENT or ESRCH.  Each function returns 0, or -1 with
 * errno.
 */
#ifndef NONET_PROC_H
#define NONET_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A command name as the kernel prints it in /proc/PID/stat: 15 bytes for
 * a process (TASK_COMM_LEN), up to 63 for a kernel thread's full name.
 */
#define PROC_COMM 64

/* Enough for any path proc_netns_path builds. */
#define PROC_PATH_MAX 64

struct proc_stat {
	/*
	 * Raw: any user sets their processes' names (prctl PR_SET_NAME), so
	 * it may hold spaces, parentheses, newlines, any byte but NUL.
	 * Escape it (text_escape) before it is printed or logged.
	 */
	char comm[PROC_COMM];
	char state; /* R, S, Z, ... as ps shows it */
	pid_t ppid;
	unsigned long long start; /* clock ticks after boot */
};

/* Reads /proc/@pid/stat into @st. */
int proc_read_stat(pid_t pid, struct proc_stat *st);

/*
 * The calling process's PID as /proc sees it (the PID namespace the audit
 * reads /proc in: getpid() differs inside a PID namespace that still uses
 * the host's /proc) and its start time.
 */
int proc_self(pid_t *pid, unsigned long long *start);

/* The real uid of process @pid into *@uid. */
int proc_read_uid(pid_t pid, uid_t *uid);

/*
 * The path of the network namespace of thread @tid of process @pid,
 * /proc/PID/task/TID/ns/net, or of its main thread, /proc/PID/ns/net,
 * when @tid is 0.  Returns @path (of @size, at least PROC_PATH_MAX).
 */
char *proc_netns_path(char *path, size_t size, pid_t pid, pid_t tid);

/* The device and inode of that namespace (proc_netns_path). */
int proc_netns(pid_t pid, pid_t tid, dev_t *dev, ino_t *ino);

/*
 * Whether the calling thread's mount namespace is process @pid's: *@same
 * true or false.
 */
int proc_same_mntns(pid_t pid, bool *same);

/* Returns 0 to go on, 1 to stop the walk, -1 (errno) to fail it. */
typedef int (*proc_pid_fn)(void *data, pid_t pid);

/*
 * Calls @fn for each process in /proc (no file of it is read).  Returns 0
 * (also when @fn stopped it), or -1 with errno when /proc cannot be read
 * or @fn failed.
 */
int proc_each_pid(proc_pid_fn fn, void *data);

struct proc_thread {
	pid_t pid;
	pid_t tid;
	dev_t dev; /* of /proc/PID/task/TID/ns/net */
	ino_t ino;
};

/* Returns 0 to go on, 1 to stop the scan, -1 (errno) to fail it. */
typedef int (*proc_thread_fn)(void *data, const struct proc_thread *thread);

/*
 * Calls @fn for each thread of each process in /proc, the threads of one
 * process one after the other.  Processes and threads that vanish while
 * /proc is read, or that cannot be inspected (even by root: e.g. a
 * container's PID 1, whose namespaces its root may not read), are
 * skipped.  Returns 0 (also when @fn stopped it), or -1 with errno when
 * /proc cannot be read or @fn failed.
 */
int proc_scan(proc_thread_fn fn, void *data);

#endif
