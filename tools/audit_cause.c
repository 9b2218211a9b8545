// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * audit_cause: why a process of an audited user is where it is: the
 * likely cause of an escape, from the parent chain and the start times
 * the scan read.  A guess that names what it saw (a PID, a command), so
 * the admin can check it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit_priv.h"

void audit_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 2 < size) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Whether @pid is the calling process of a live session (anyone's). */
static bool has_record(const struct audit *a, pid_t pid)
{
	for (size_t i = 0; i < a->s.count; i++)
		if (a->s.records[i].pid == pid && !a->s.stale[i])
			return true;
	return false;
}

enum launcher { NOT_KNOWN, KEEPER, OPENER };

/*
 * What @q is: a KEEPER runs what it starts beyond any login (systemd
 * --user, tmux and screen servers); an OPENER opens PAM sessions (sshd,
 * su, cron, ...).  *@name says which.
 */
static enum launcher launcher(const struct proctab_proc *q, uid_t uid,
			      const char **name)
{
	static const char *const openers[] = {
	    "sshd", "su", "runuser", "login", "sudo", "CRON", "cron", "atd",
	};

	*name = q->comm;
	if (strcmp(q->comm, "systemd") == 0 && q->uid == uid && q->pid != 1) {
		*name = "systemd --user";
		return KEEPER;
	}
	if (strncmp(q->comm, "tmux", 4) == 0 ||
	    strcasecmp(q->comm, "screen") == 0)
		return KEEPER;
	for (size_t i = 0; i < sizeof(openers) / sizeof(openers[0]); i++)
		if (strcmp(q->comm, openers[i]) == 0)
			return OPENER;
	return NOT_KNOWN;
}

/*
 * The nearest known starter up the parent chain (or the process itself,
 * when it is a keeper).  An opener that recorded no session has a PAM
 * stack without pam_nonet.  Returns whether one was found.
 */
static bool launcher_cause(const struct audit *a, struct finding *f)
{
	const struct proctab_proc *p = f->proc, *q = p;
	const char *name;

	for (int depth = 0; q && depth < 64; depth++) {
		enum launcher kind = launcher(q, p->uid, &name);

		if (kind == KEEPER) {
			if (q == p)
				audit_append(f->cause, sizeof(f->cause),
					     "it is a %s", name);
			else
				audit_append(f->cause, sizeof(f->cause),
					     "started by %s (PID %d)", name,
					     (int)q->pid);
			return true;
		}
		if (kind == OPENER && q != p) {
			audit_append(f->cause, sizeof(f->cause),
				     "under %s (PID %d)%s", name, (int)q->pid,
				     has_record(a, q->pid)
					 ? ""
					 : " with no session record");
			return true;
		}
		if (q->ppid <= 1)
			break;
		q = proctab_find(&a->pt, q->ppid);
	}
	return false;
}

void audit_find_cause(const struct audit *a, struct finding *f)
{
	const struct proctab_proc *p = f->proc, *parent;
	const struct audit_user *u = &a->users[f->user];

	if (f->ns->tid != p->pid)
		audit_append(f->cause, sizeof(f->cause),
			     "thread %d is in another namespace",
			     (int)f->ns->tid);
	launcher_cause(a, f);
	if (u->has_live && p->start < u->first_start)
		audit_append(f->cause, sizeof(f->cause),
			     "started before the first live session of %s",
			     u->name);
	if (f->cause[0])
		return;
	parent = proctab_find(&a->pt, p->ppid);
	if (p->ppid == 1)
		audit_append(f->cause, sizeof(f->cause),
			     "its parent is PID 1 (it outlived what started "
			     "it)");
	else if (parent)
		audit_append(f->cause, sizeof(f->cause), "parent %s (PID %d)",
			     parent->comm, (int)parent->pid);
}
