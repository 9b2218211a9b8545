// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_kill: `nonet audit --kill` ends each escaped process: SIGTERM,
 * then SIGKILL for those still there after a grace of two seconds.
 *
 * Signals go through pidfds, opened only after the process's start time
 * is checked against the scan: a PID that another process took since is
 * never hit.  (Where pidfds are missing, the start time is checked before
 * each signal instead: a narrow race, but no wider than kill(1)'s.)
 * Each end is logged (authpriv.warning) and said on stdout.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/pidfd.h>

#include "audit_priv.h"
#include "proc.h"
#include "tool.h"

#define GRACE_MS 2000
#define KILL_WAIT_MS 1000
#define POLL_MS 20

struct victim {
	struct finding *f;
	int pidfd;
	bool ended;
	const char *signal; /* the last one sent */
};

/*
 * Whether the process the scan saw still runs: not ended, not a zombie,
 * and its PID not taken by another since (the start time tells).
 */
static bool still_there(const struct finding *f)
{
	struct proc_stat now;

	return proc_read_stat(f->proc->pid, &now) == 0 &&
	       now.start == f->proc->start && now.state != 'Z' &&
	       now.state != 'X';
}

/*
 * Opens a pidfd for the very process the scan saw (checked after the
 * open, so that the pidfd cannot be another's).  Without pidfds (ENOSYS:
 * an old kernel, or valgrind) the PID is used, checked before each signal.
 * Returns 0, or -1 when the process is gone.
 */
static int open_victim(struct victim *v)
{
	v->pidfd = pidfd_open(v->f->proc->pid, 0);
	if (v->pidfd < 0 && errno != ENOSYS)
		return -1;
	if (still_there(v->f))
		return 0;
	if (v->pidfd >= 0)
		close(v->pidfd);
	return -1;
}

/* A pidfd polls readable once its process has exited. */
static bool has_exited(const struct victim *v)
{
	struct pollfd p = {.fd = v->pidfd, .events = POLLIN};

	if (v->pidfd < 0)
		return !still_there(v->f);
	return poll(&p, 1, 0) == 1;
}

static int send(const struct victim *v, int sig)
{
	if (v->pidfd >= 0)
		return pidfd_send_signal(v->pidfd, sig, NULL, 0);
	if (!still_there(v->f)) {
		errno = ESRCH;
		return -1;
	}
	return kill(v->f->proc->pid, sig);
}

/* Polls until every victim has ended or @ms passed; how many remain. */
static size_t wait_ended(struct victim *v, size_t n, int ms)
{
	const struct timespec tick = {0, POLL_MS * 1000000L};
	size_t left = n;

	for (int waited = 0; left && waited <= ms; waited += POLL_MS) {
		left = 0;
		for (size_t i = 0; i < n; i++) {
			if (!v[i].ended)
				v[i].ended = has_exited(&v[i]);
			left += !v[i].ended;
		}
		if (left)
			nanosleep(&tick, NULL);
	}
	return left;
}

static void tell(struct audit *a, struct finding *f, const char *action)
{
	const struct proctab_proc *p = f->proc;
	const char *user = a->users[f->user].name;

	f->action = action;
	if (action[0] != 'S') /* gone, failed: nothing was ended */
		return;
	a->ended++;
	syslog(LOG_WARNING,
	       "ended escaped process %d (%s) of %s in "
	       "net:[%" PRIu64 "] with %s",
	       (int)p->pid, p->comm, user, (uint64_t)f->ns->ino, action);
	if (!a->opts->table.json)
		printf("ended process %d (%s) of %s: %s\n", (int)p->pid,
		       p->comm, user, action);
}

/* Sends @sig to those not yet ended; one it cannot reach has ended. */
static void signal_all(struct victim *v, size_t n, int sig, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].ended)
			continue;
		if (send(&v[i], sig) == 0)
			v[i].signal = name;
		else if (errno == ESRCH)
			v[i].ended = true;
	}
}

/* The SIGTERM round, the grace, then SIGKILL; each victim told. */
static void end_victims(struct audit *a, struct victim *v, size_t n)
{
	signal_all(v, n, SIGTERM, "SIGTERM");
	if (wait_ended(v, n, GRACE_MS) > 0) {
		signal_all(v, n, SIGKILL, "SIGKILL");
		wait_ended(v, n, KILL_WAIT_MS);
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].ended) {
			tell(a, v[i].f, v[i].signal ? v[i].signal : "gone");
			continue;
		}
		tool_error("audit: process %d did not end",
			   (int)v[i].f->proc->pid);
		tell(a, v[i].f, "failed");
		a->error = true;
	}
}

void audit_kill(struct audit *a)
{
	struct victim *v = calloc(a->escapes + 1, sizeof(*v));
	size_t n = 0;

	if (!v) {
		tool_error("audit: %m");
		a->error = true;
		return;
	}
	openlog("nonet", LOG_PID, LOG_AUTHPRIV);
	for (size_t i = 0; i < a->nfindings; i++) {
		struct finding *f = &a->findings[i];

		if (f->verdict != V_ESCAPE)
			continue;
		v[n].f = f;
		if (open_victim(&v[n]) < 0)
			tell(a, f, "gone");
		else
			n++;
	}
	end_victims(a, v, n);
	for (size_t i = 0; i < n; i++)
		if (v[i].pidfd >= 0)
			close(v[i].pidfd);
	closelog();
	free(v);
}
