// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proctab: /proc read once (see proctab.h).
 *
 * Processes come and go while /proc is read: a file of a process that has
 * ended reads as ENOENT or ESRCH (or as nothing), and such a process is
 * simply left out.  That is expected, not an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "proctab.h"
#include "text.h"

struct scan {
	struct proctab *t;
	pid_t current; /* the process whose threads come now */
	bool skip;     /* it could not be read: its threads neither */
};

/*
 * Fills @p (its pid set) from /proc: command, state, parent, start time
 * and real uid.  0, or -1 (errno) when it has ended or cannot be read.
 */
static int read_proc(struct proctab_proc *p)
{
	struct proc_stat st;

	if (proc_read_stat(p->pid, &st) < 0 ||
	    proc_read_uid(p->pid, &p->uid) < 0)
		return -1;
	/*
	 * Any user sets their processes' names (prctl PR_SET_NAME): escaped
	 * here, once, before anything prints or logs them.
	 */
	text_escape(p->comm, sizeof(p->comm), st.comm);
	p->state = st.state;
	p->ppid = st.ppid;
	p->start = st.start;
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
	if (read_proc(p) < 0)
		return 0; /* ended meanwhile (or unreadable): left out */
	p->kthread = pid == 2 || p->ppid == 2;
	p->ns_first = t->nns;
	t->count++;
	s->skip = false;
	return 0;
}

static int add_ns(struct proctab *t, const struct proc_thread *th)
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

/* proc_scan gives the threads of one process one after the other. */
static int on_thread(void *data, const struct proc_thread *th)
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

/* A process proc_scan could not read: hidden, or just ended or new. */
static int check_missing(void *data, pid_t pid)
{
	struct proctab *t = data;
	struct proctab_hidden h = {.pid = pid}, *grown;
	struct proctab_proc p = {.pid = pid};
	dev_t dev;
	ino_t ino;

	if (proctab_find(t, pid))
		return 0;
	if (proc_netns(pid, 0, &dev, &ino) == 0 ||
	    (errno != EACCES && errno != EPERM))
		return 0; /* started after the scan passed, or ended */
	h.err = errno;
	if (read_proc(&p) < 0)
		return 0;
	h.uid = p.uid;
	snprintf(h.comm, sizeof(h.comm), "%s", p.comm);
	grown = reallocarray(t->hidden, t->nhidden + 1, sizeof(*grown));
	if (!grown)
		return -1;
	t->hidden = grown;
	grown[t->nhidden++] = h;
	return 0;
}

int proctab_read(struct proctab *t)
{
	struct scan s = {.t = t};

	memset(t, 0, sizeof(*t));
	if (proc_scan(on_thread, &s) < 0)
		goto fail;
	qsort(t->procs, t->count, sizeof(*t->procs), by_pid);
	/* A second look at the names in /proc: who is missing. */
	if (proc_each_pid(check_missing, t) < 0)
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
