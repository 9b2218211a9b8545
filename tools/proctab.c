// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proctab: /proc read once (see proctab.h).
 *
 * Processes come and go while /proc is read: a file of a process that has
 * ended reads as ENOENT or ESRCH (or as nothing), and such a process is
 * simply left out.  That is expected, not an error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "procscan.h"
#include "proctab.h"
#include "text.h"

struct scan {
	struct proctab *t;
	pid_t current; /* the process whose threads come now */
	bool skip;     /* it could not be read: its threads neither */
};

/* Reads /proc/PID/FILE into @buf; its length, or -1 (errno). */
static ssize_t read_proc_file(pid_t pid, const char *file, char *buf,
			      size_t size)
{
	char path[64];
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

/* The real uid, from /proc/PID/status (the first of its Uid: line). */
static int read_real_uid(pid_t pid, uid_t *uid)
{
	char buf[4096];
	const char *u;
	unsigned int id;

	if (read_proc_file(pid, "status", buf, sizeof(buf)) < 0)
		return -1;
	u = strstr(buf, "\nUid:");
	if (!u || sscanf(u + 5, "%u", &id) != 1) {
		errno = EIO;
		return -1;
	}
	*uid = id;
	return 0;
}

/*
 * The owner of /proc/PID is the effective uid of a dumpable process, and
 * root for the others.  A process is dumpable only while its effective
 * uid is its real one (exec and every change of uid make a process with
 * differing ids non-dumpable), so a non-root owner is the real uid: only
 * root-owned entries need /proc/PID/status, the costlier file.
 */
int proctab_read_uid(pid_t pid, uid_t *uid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (stat(path, &st) < 0)
		return -1;
	if (st.st_uid != 0) {
		*uid = st.st_uid;
		return 0;
	}
	return read_real_uid(pid, uid);
}

int proctab_read_stat(struct proctab_proc *p)
{
	char buf[1024], *open, *close;
	int ppid;

	if (read_proc_file(p->pid, "stat", buf, sizeof(buf)) < 0)
		return -1;
	/* The command may hold anything, ')' too: it ends at the last one. */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open ||
	    sscanf(close + 1,
		   " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		   "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &p->state, &ppid, &p->start) != 3) {
		errno = EIO;
		return -1;
	}
	/*
	 * Any user sets their processes' names (prctl PR_SET_NAME): escaped
	 * here, once, before anything prints or logs them.
	 */
	*close = '\0';
	text_escape(p->comm, sizeof(p->comm), open + 1);
	p->ppid = ppid;
	return 0;
}

/* Makes room for @need elements of @size in *@array (doubling). */
static int grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *grown;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	grown = reallocarray(*array, n, size);
	if (!grown)
		return -1;
	*array = grown;
	*cap = n;
	return 0;
}

static int add_proc(struct scan *s, pid_t pid)
{
	struct proctab *t = s->t;
	struct proctab_proc *p;

	if (grow((void **)&t->procs, &t->procs_cap, t->count + 1, sizeof(*p)) <
	    0)
		return -1;
	p = &t->procs[t->count];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	if (proctab_read_stat(p) < 0 || proctab_read_uid(pid, &p->uid) < 0)
		return 0; /* ended meanwhile (or unreadable): left out */
	p->kthread = pid == 2 || p->ppid == 2;
	p->ns_first = t->nns;
	t->count++;
	s->skip = false;
	return 0;
}

static int add_ns(struct proctab *t, const struct procscan_thread *th)
{
	struct proctab_proc *p = &t->procs[t->count - 1];

	for (size_t i = p->ns_first; i < t->nns; i++)
		if (t->ns[i].dev == th->dev && t->ns[i].ino == th->ino)
			return 0;
	if (grow((void **)&t->ns, &t->ns_cap, t->nns + 1, sizeof(*t->ns)) < 0)
		return -1;
	t->ns[t->nns++] =
	    (struct proctab_ns){th->dev, th->ino, th->pid, th->tid};
	p->ns_count++;
	return 0;
}

/* procscan gives the threads of one process one after the other. */
static int on_thread(void *data, const struct procscan_thread *th)
{
	struct scan *s = data;

	if (th->pid != s->current) {
		s->current = th->pid;
		s->skip = true;
		if (add_proc(s, th->pid) < 0)
			return -1;
	}
	if (s->skip)
		return 0;
	return add_ns(s->t, th) < 0 ? -1 : 0;
}

static int by_pid(const void *a, const void *b)
{
	const struct proctab_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

const struct proctab_proc *proctab_find(const struct proctab *t, pid_t pid)
{
	struct proctab_proc key = {.pid = pid};

	return t->count ? bsearch(&key, t->procs, t->count, sizeof(key), by_pid)
			: NULL;
}

/* A process procscan could not read: hidden, or just ended or new. */
static int check_missing(struct proctab *t, pid_t pid)
{
	struct proctab_hidden h = {.pid = pid}, *grown;
	struct proctab_proc p = {.pid = pid};
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &st) == 0 || (errno != EACCES && errno != EPERM))
		return 0; /* started after the scan passed, or ended */
	h.err = errno;
	if (proctab_read_stat(&p) < 0 || proctab_read_uid(pid, &h.uid) < 0)
		return 0;
	snprintf(h.comm, sizeof(h.comm), "%s", p.comm);
	grown = reallocarray(t->hidden, t->nhidden + 1, sizeof(*grown));
	if (!grown)
		return -1;
	t->hidden = grown;
	grown[t->nhidden++] = h;
	return 0;
}

/* A second look at the names in /proc (no file is read): who is missing. */
static int find_hidden(struct proctab *t)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int ret = 0;

	if (!proc)
		return -1;
	while (ret == 0 && (e = readdir(proc))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || proctab_find(t, (pid_t)pid))
			continue;
		ret = check_missing(t, (pid_t)pid);
	}
	closedir(proc);
	return ret;
}

int proctab_read(struct proctab *t)
{
	struct scan s = {.t = t};

	memset(t, 0, sizeof(*t));
	if (procscan(on_thread, &s) < 0)
		goto fail;
	qsort(t->procs, t->count, sizeof(*t->procs), by_pid);
	if (find_hidden(t) < 0)
		goto fail;
	return 0;
fail:
	proctab_free(t);
	return -1;
}

bool proctab_descends(const struct proctab *t, const struct proctab_proc *p,
		      pid_t ancestor)
{
	/* Bounded: a parent chain is short, and a snapshot may hold a loop. */
	for (int depth = 0; p && depth < 4096; depth++) {
		if (p->pid == ancestor)
			return true;
		if (p->ppid <= 1)
			return false;
		p = proctab_find(t, p->ppid);
	}
	return false;
}

bool proctab_in_ns(const struct proctab *t, const struct proctab_proc *p,
		   dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < p->ns_count; i++) {
		const struct proctab_ns *n = &t->ns[p->ns_first + i];

		if (n->dev == dev && n->ino == ino)
			return true;
	}
	return false;
}

void proctab_free(struct proctab *t)
{
	free(t->procs);
	free(t->ns);
	free(t->hidden);
	memset(t, 0, sizeof(*t));
}
