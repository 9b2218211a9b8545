/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record: what the module decided for one session, kept under
 * /run/nonet/sessions/ (root only) while the session lasts, so that the
 * tool can list sessions and audit the processes of restricted users.
 *
 * One file per session, named after the calling process (PID and start
 * time) and a random part (one process may open several sessions), written
 * atomically (a temporary file renamed into place), made of "key value" lines
 * whose values are escaped (\xNN) so that no PAM item can break the format.
 * Each function returns 0, or -1 with errno.
 */
#ifndef NONET_RECORD_H
#define NONET_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RECORD_DIR "/run/nonet/sessions"
#define RECORD_FIELD 256

struct record {
	char id[64]; /* "PID-STARTTIME-NONCE": the caller, a nonce */
	pid_t pid;   /* the calling process: sshd, su, login, ... */
	unsigned long long start; /* its start time, clock ticks after boot */
	bool has_auditsid;
	unsigned int auditsid; /* the kernel's audit session id */
	char user[RECORD_FIELD];
	uid_t uid;
	char service[RECORD_FIELD];
	char rhost[RECORD_FIELD];
	char tty[RECORD_FIELD];
	char mode[16];	 /* none, private, shared, join */
	dev_t netns_dev; /* the calling thread's: the host's for none */
	ino_t netns_ino;
	char name[RECORD_FIELD];      /* nonet-USER, the join= name, or "" */
	char rule[RECORD_FIELD + 16]; /* FILE:LINE, or none-matched */
	uint64_t policy_hash;
	long long since;	   /* seconds since the epoch */
	char uplink[RECORD_FIELD]; /* uplink=NAME of the rule, or "" */
	int lease;		   /* the uplink lease's index, or -1 */
};

/*
 * Fills the identity of the calling process: a new id (unique to this
 * call), pid, start time, and the audit session id when the kernel has one
 * set.
 */
int record_identify(struct record *r);

/* Writes @r atomically as RECORD_DIR/ID (creating the directory, 0700). */
int record_write(const struct record *r);

/* Removes the record @id; a missing one is no error. */
int record_remove(const char *id);

/* Reads the record file @path. */
int record_read(const char *path, struct record *r);

/*
 * Reads every record into a new array (free() it).  Records that vanish or
 * cannot be parsed while the directory is read are skipped.
 */
int record_list(struct record **records, size_t *count);

/*
 * Whether the calling process of @r is gone (or another process has its
 * PID now): then the record is stale.  1 stale, 0 live, -1 error.
 */
int record_stale(const struct record *r);

/* The start time (clock ticks after boot) of process @pid. */
int record_process_start(pid_t pid, unsigned long long *start);

#endif
