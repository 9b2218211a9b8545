// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "procscan.h"

/* A /proc entry that is a process or thread id, or 0. */
static pid_t id_of(const char *name)
{
	char *end;
	long id = strtol(name, &end, 10);

	return (*end || id <= 0) ? 0 : (pid_t)id;
}

/* The threads of one process; 1 if @fn stopped, -1 on error. */
static int scan_tasks(pid_t pid, procscan_fn fn, void *data)
{
	struct procscan_thread t = {.pid = pid};
	char path[64];
	struct dirent *e;
	DIR *tasks;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* gone, or not ours to read */
	while (ret == 0 && (e = readdir(tasks))) {
		struct stat st;

		t.tid = id_of(e->d_name);
		if (!t.tid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/net",
			 (int)pid, (int)t.tid);
		if (stat(path, &st) < 0)
			continue; /* ended meanwhile, or not inspectable */
		t.dev = st.st_dev;
		t.ino = st.st_ino;
		ret = fn(data, &t);
	}
	closedir(tasks);
	return ret;
}

int procscan(procscan_fn fn, void *data)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int ret = 0;

	if (!proc)
		return -1;
	while (ret == 0 && (e = readdir(proc))) {
		pid_t pid = id_of(e->d_name);

		if (pid)
			ret = scan_tasks(pid, fn, data);
	}
	closedir(proc);
	return ret < 0 ? -1 : 0;
}
