/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * doctor: `nonet doctor`, this host checked read-only against the ways out
 * of an isolated session (the README's table), for each user the policy
 * isolates or each user named.  One row per finding: user, check, status,
 * evidence and the fix.
 *
 * The checks live in one file per group: doctor_pam.c (pam-stack),
 * doctor_ssh.c (ssh-forwarding), doctor_socket.c (daemon-socket,
 * name-service), doctor_host.c (handoff, outside-processes, kernel,
 * shared-namespace).  doctor.c holds the users, the findings and the
 * output.
 */
#ifndef NONET_DOCTOR_H
#define NONET_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "policy.h"
#include "table.h"

struct doctor_opts {
	struct table_opts table;
	const char *conf;	 /* --conf: the policy (NULL: the default) */
	const char *sshd_config; /* --sshd-config (default /etc/ssh/...) */
	const char *pam_dir;	 /* --pam-dir (default /etc/pam.d) */
	const char *prometheus;	 /* --prometheus FILE */
	char **users;		 /* the users named, or none: every isolated */
	size_t nusers;
};

/*
 * `nonet doctor` (root).  Returns TOOL_OK when nothing is open,
 * TOOL_NOT_ISOLATED when something is, TOOL_ERROR when some check could
 * not be made (and nothing is open) or the output failed.
 */
int doctor_run(const struct doctor_opts *opts);

/* The columns, for --help. */
void doctor_help_columns(FILE *fp);

/* Worst last: the exit status follows the worst. */
enum doctor_status { DOC_NA, DOC_CLOSED, DOC_UNKNOWN, DOC_OPEN };

/*
 * How the sessions of a user through one PAM service are masked: the
 * rule that isolates them and pam_nonet's arguments in that service's
 * stack (pam-stack reads them; daemon-socket and name-service use them).
 */
struct doctor_masking {
	char service[64]; /* "" when no stack was read: the policy alone */
	const struct policy_rule *rule;
	bool arg_nomask; /* nomask among the module's arguments */
	char *arg_masks; /* the module's mask=PATH,..., or NULL */
};

/* A user the checks look at. */
struct doctor_user {
	char name[64];
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* every group, the primary too */
	size_t ngroups;
	const struct policy_rule *rule;	  /* the first rule isolating a login */
	const struct policy_rule **joins; /* its join= rules */
	size_t njoins;
	struct doctor_masking *maskings; /* one per service reaching nonet */
	size_t nmaskings;
};

struct doctor_finding {
	const struct doctor_user *user;
	const char *check; /* a stable name, nonet(8) lists them */
	enum doctor_status status;
	char *evidence;
	char *fix; /* NULL: nothing to do */
};

struct doctor {
	const struct doctor_opts *opts;
	struct policy *policy;
	struct doctor_user *users;
	size_t nusers;
	struct doctor_finding *findings;
	size_t nfindings;
	bool nomem;
};

/*
 * Adds a finding; @fix may be NULL, @fmt gives the evidence.  Out of
 * memory sets @d->nomem (the run then fails).
 */
void doctor_add(struct doctor *d, const struct doctor_user *u,
		const char *check, enum doctor_status status, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Whether @u is in group @gid. */
bool doctor_in_group(const struct doctor_user *u, gid_t gid);

struct stat;

/* Whether @u has @bits (1 x, 2 w, 4 r) on the file of @st, as the kernel
 * decides it: owner, else group, else others. */
bool doctor_may(const struct doctor_user *u, const struct stat *st, int bits);

/*
 * The rule that decides a login of @u through PAM service @service (from
 * nowhere, no tty), or NULL when none isolates it; -1 on a lookup error.
 */
int doctor_rule_for(const struct doctor *d, const struct doctor_user *u,
		    const char *service, const struct policy_rule **rule);

/* The checks, by group; each adds its findings for every user. */
void doctor_pam(struct doctor *d);
void doctor_ssh(struct doctor *d);
void doctor_sockets(struct doctor *d); /* daemon-socket, name-service */
void doctor_host(struct doctor *d);    /* handoff, outside-processes,
					  kernel, shared-namespace */

/* pam-stack's verdict on one service, for the other checks (at, linger). */
enum doctor_status doctor_pam_service(const struct doctor *d,
				      const char *service, char *how,
				      size_t size);

#endif
