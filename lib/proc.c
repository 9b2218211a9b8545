// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc: /proc/PID read in one place (see proc.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "proc.h"

/* Reads /proc/PID/FILE into @buf; its length, or -1 (errno). */
static ssize_t read_file(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[PROC_PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		/* An ended process reads empty. */
		errno = n < 0 ? errno : ESRCH;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int proc_read_stat(pid_t pid, struct proc_stat *st)
{
	char buf[1024], *open, *close;
	size_t len;
	int ppid;

	if (read_file(pid, "stat", buf, sizeof(buf)) < 0)
		return -1;
	/*
	 * "PID (COMM) STATE PPID ...": the command may hold anything, ')'
	 * and newlines too, so it ends at the last ')' of the file.
	 */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open ||
	    sscanf(close + 1,
		   " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		   "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &st->state, &ppid, &st->start) != 3) {
		errno = EIO;
		return -1;
	}
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	st->ppid = ppid;
	return 0;
}

/*
 * From the first number of the Uid: line of /proc/PID/status.  Not from
 * the owner of /proc/PID: that is the effective uid (even of a process
 * that is not dumpable), which differs from the real one in a set-user-ID
 * program.
 */
int proc_read_uid(pid_t pid, uid_t *uid)
{
	char buf[4096];
	const char *u;
	unsigned int id;

	if (read_file(pid, "status", buf, sizeof(buf)) < 0)
		return -1;
	/* Its Name: line escapes newlines: a command cannot forge a line. */
	u = strstr(buf, "\nUid:");
	if (!u || sscanf(u + 5, "%u", &id) != 1) {
		errno = EIO;
		return -1;
	}
	*uid = id;
	return 0;
}

char *proc_netns_path(char *path, size_t size, pid_t pid, pid_t tid)
{
	if (tid)
		snprintf(path, size, "/proc/%d/task/%d/ns/net", (int)pid,
			 (int)tid);
	else
		snprintf(path, size, "/proc/%d/ns/net", (int)pid);
	return path;
}

int proc_netns(pid_t pid, pid_t tid, dev_t *dev, ino_t *ino)
{
	char path[PROC_PATH_MAX];
	struct stat st;

	if (stat(proc_netns_path(path, sizeof(path), pid, tid), &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

int proc_same_mntns(pid_t pid, bool *same)
{
	char path[PROC_PATH_MAX];
	struct stat self, other;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (stat("/proc/thread-self/ns/mnt", &self) < 0 ||
	    stat(path, &other) < 0)
		return -1;
	*same = self.st_dev == other.st_dev && self.st_ino == other.st_ino;
	return 0;
}

/* A /proc entry that is a process or thread id, or 0. */
static pid_t id_of(const char *name)
{
	char *end;
	long id = strtol(name, &end, 10);

	return (*end || id <= 0) ? 0 : (pid_t)id;
}

/* Calls @fn for each id in @dir (closed); 0, 1 if @fn stopped, -1. */
static int each_id(DIR *dir, proc_pid_fn fn, void *data)
{
	struct dirent *e;
	int ret = 0;

	while (ret == 0 && (e = readdir(dir))) {
		pid_t id = id_of(e->d_name);

		if (id)
			ret = fn(data, id);
	}
	closedir(dir);
	return ret;
}

int proc_each_pid(proc_pid_fn fn, void *data)
{
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	return each_id(proc, fn, data) < 0 ? -1 : 0;
}

struct scan {
	proc_thread_fn fn;
	void *data;
	struct proc_thread t;
};

static int on_task(void *data, pid_t tid)
{
	struct scan *s = data;

	s->t.tid = tid;
	if (proc_netns(s->t.pid, tid, &s->t.dev, &s->t.ino) < 0)
		return 0; /* ended meanwhile, or not inspectable */
	return s->fn(s->data, &s->t);
}

static int on_process(void *data, pid_t pid)
{
	struct scan *s = data;
	char path[PROC_PATH_MAX];
	DIR *tasks;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* gone, or not ours to read */
	s->t.pid = pid;
	return each_id(tasks, on_task, s);
}

int proc_scan(proc_thread_fn fn, void *data)
{
	struct scan s = {.fn = fn, .data = data};

	return proc_each_pid(on_process, &s);
}

int proc_self(pid_t *pid, unsigned long long *start)
{
	struct proc_stat st;
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*pid = (pid_t)strtol(buf, NULL, 10);
	if (*pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (proc_read_stat(*pid, &st) < 0)
		return -1;
	*start = st.start;
	return 0;
}
