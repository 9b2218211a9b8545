/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * audit_priv: the state `nonet audit` builds, shared by its files:
 * audit_cmd.c (the command), audit_report.c (table and summary),
 * audit_prom.c (--prometheus), audit_kill.c (--kill), audit.c (the
 * judgement and its counts) and audit_cause.c (the likely cause of an
 * escape), each calling only the files after it.
 */
#ifndef NONET_AUDIT_PRIV_H
#define NONET_AUDIT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/types.h>

#include "audit.h"
#include "proctab.h"
#include "recorded_sessions.h"
#include "table.h"

/* What the audit knows of one uid, looked up once. */
struct audit_user {
	uid_t uid;
	bool audited; /* some rule isolates the user */
	char name[64];
	char prescribed[256]; /* what the policy and sessions prescribe */
	bool has_live;	      /* some live record of the user */
	unsigned long long first_start; /* of the earliest live session */
	unsigned int judged;		/* processes judged */
	unsigned int escapes;
};

/* A recorded session with an uplink, and what it dropped. */
struct audit_uplink {
	const struct record *r;
	bool stale;
	int counted; /* 1, or -1: not known (blocked_get's errno) */
	uint64_t blocked;
};

/* isolated or not, once per distinct namespace. */
struct audit_ns {
	dev_t dev;
	ino_t ino;
	int state;    /* enum ns_state */
	bool foreign; /* owned by a user namespace not the initial */
};

enum ns_state { NS_ISOLATED, NS_OPEN, NS_GONE, NS_ERROR };

/* Worst last: a process takes the worst verdict of its threads. */
enum verdict { V_PRESCRIBED, V_NONE_SESSION, V_ORPHAN, V_ESCAPE };

struct finding {
	const struct proctab_proc *proc;
	size_t user; /* index into audit.users */
	enum verdict verdict;
	const struct proctab_ns *ns;  /* the namespace that decided */
	const struct record *session; /* the record that allows it */
	char cause[256];	      /* escapes: the likely cause */
	const char *action;	      /* --kill: what ended it */
};

struct audit {
	const struct audit_opts *opts;
	pid_t self; /* the audit's own process */
	struct table table;
	struct timespec when;
	struct sessions s;
	struct proctab pt;
	struct audit_user *users;
	size_t nusers;
	struct audit_ns *ns;
	size_t nns;
	struct finding *findings;
	size_t nfindings;
	struct audit_uplink *uplinks;
	size_t nuplinks;
	unsigned int escapes;
	unsigned int orphans;
	unsigned int unreadable; /* hidden processes of audited users */
	unsigned int ended;	 /* --kill */
	bool error;		 /* the audit is incomplete: exit 2 */
};

const char *audit_verdict_name(enum verdict v);

/* Appends to @buf (of @size), "; " between the parts; truncates quietly. */
void audit_append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills @f->cause for an escape: what started it, and when. */
void audit_find_cause(const struct audit *a, struct finding *f);

/* Chooses the columns (-o ...); -1 after saying why. */
int audit_table_init(struct audit *a);

/* The users the summary and the metrics name: audited, and seen. */
static inline bool audit_user_reported(const struct audit_user *u)
{
	return u->audited && (u->judged || u->has_live);
}

/* The isolation modes, in the order the summary and the metrics count. */
#define AUDIT_NMODES 4
extern const char *const audit_modes[AUDIT_NMODES];

/* Live sessions of @mode; stale records. */
unsigned int audit_live_sessions(const struct audit *a, const char *mode);
unsigned int audit_stale_records(const struct audit *a);

/* Prints the table and the summary; -1 on a write error. */
int audit_report(struct audit *a);

/* Writes --prometheus FILE atomically; -1 after saying why. */
int audit_prometheus(const struct audit *a, const char *path);

/*
 * Reads the sessions (@a->opts->conf's policy) and /proc, and judges every
 * process of the audited users into @a (nothing printed but errors).
 * Returns 0 (@a->error set when something could not be judged), or -1
 * when nothing could.  audit_free() frees @a either way.
 */
int audit_collect(struct audit *a);
void audit_free(struct audit *a);

/* The sessions' uplink counters (audit_uplink.c): read into @a->uplinks
 * (sets @a->error when a live session's cannot be read); the "uplinks"
 * array in -J and the total in the summary; the metric. */
struct out;
void audit_uplinks_collect(struct audit *a);
void audit_uplinks_report(const struct audit *a, struct out *o);
void audit_uplinks_prom(FILE *f, const struct audit *a);

/* Ends the escaped processes (--kill); sets each finding's action. */
void audit_kill(struct audit *a);

#endif
