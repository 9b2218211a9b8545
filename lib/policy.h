/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy: /etc/security/nonet.conf, parsed once and matched against a
 * login.  One parser and one matcher, compiled into both the module and the
 * tool.  Diagnostics go through a callback: the module logs them with
 * pam_syslog, the tool prints them; this code never prints.
 */
#ifndef NONET_POLICY_H
#define NONET_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define POLICY_DEFAULT_PATH "/etc/security/nonet.conf"
/* Names the built-in policy in diagnostics and in "FILE:LINE". */
#define POLICY_BUILTIN_NAME "(built-in default)"
#define POLICY_BUILTIN_TEXT "private @nonet\n"
#define POLICY_LINE_MAX 4096
#define POLICY_FILE_MAX (4L * 1024 * 1024)

enum policy_action {
	POLICY_NONE,	/* not isolated: PAM_IGNORE */
	POLICY_PRIVATE, /* a new namespace for this session */
	POLICY_SHARED,	/* one namespace per user */
	POLICY_JOIN,	/* an admin-built namespace, /run/netns/NAME */
};

enum policy_option {
	POLICY_OPT_IPV6 = 1 << 0,
	POLICY_OPT_NONEWPRIVS = 1 << 1,
	POLICY_OPT_LOCKDOWN = 1 << 2,
	POLICY_OPT_SYSFS = 1 << 3,
	POLICY_OPT_HIDEPID = 1 << 4,
	POLICY_OPT_NOMASK = 1 << 5, /* no default masks, only mask= */
	/* Refuse a caller with more than one thread. */
	POLICY_OPT_SINGLE_THREAD = 1 << 6,
};

struct policy_who {
	char *name;   /* user or group name; NULL for ALL */
	bool group;   /* @name */
	bool exclude; /* !name, !@name */
};

enum policy_from_kind { FROM_LOCAL, FROM_NET, FROM_GLOB };

struct policy_from {
	enum policy_from_kind kind;
	int family;		/* FROM_NET: AF_INET or AF_INET6 */
	uint8_t addr[16];	/* FROM_NET: network address */
	unsigned int prefixlen; /* FROM_NET */
	char *glob;		/* FROM_GLOB: matched against PAM_RHOST */
};

struct policy_rule {
	unsigned int line;
	char *text; /* the rule, fields joined by one space */
	enum policy_action action;
	char *join_name;      /* POLICY_JOIN */
	char *uplink;	      /* uplink=NAME (POLICY_PRIVATE only), or NULL */
	unsigned int options; /* enum policy_option bits */
	struct policy_who *who;
	size_t nwho;
	char **services; /* service=; NULL: any */
	size_t nservices;
	struct policy_from *from; /* from=; NULL: any */
	size_t nfrom;
	char **ttys; /* tty=; NULL: any */
	size_t nttys;
	char **mask_paths; /* mask=: masked besides the defaults */
	size_t nmask_paths;
};

struct policy {
	char *file; /* the path, or POLICY_BUILTIN_NAME */
	struct policy_rule *rules;
	size_t nrules;
	uint64_t hash; /* FNV-1a of the file's bytes */
};

enum policy_severity { POLICY_WARNING, POLICY_ERROR };

/*
 * Receives each diagnostic: @line is 0 for the file as a whole.  The
 * message says what is wrong without the "FILE:LINE:" prefix.
 */
typedef void (*policy_diag_fn)(void *data, enum policy_severity severity,
			       const char *file, unsigned int line,
			       const char *message);

struct policy_diag {
	policy_diag_fn fn;
	void *data;
	unsigned int errors; /* counted by the parser */
	unsigned int warnings;
};

/*
 * Parses @len bytes of policy text named @file.  Every problem is reported
 * to @diag (all of them, not only the first).  Returns 0 and *@out if there
 * was no error; -1 with EINVAL if there was any (then *@out is NULL), or -1
 * with ENOMEM.
 */
int policy_parse(const char *file, const char *text, size_t len,
		 struct policy_diag *diag, struct policy **out);

/*
 * Reads and parses @path.  The file must be a regular file owned by root
 * and not writable by group or others.  If @path is NULL, the default path
 * is read, and if it does not exist the built-in policy is used; a @path
 * that was named and does not exist is an error.  Returns as
 * policy_parse(); a file that cannot be read gives -1 with its errno.
 */
int policy_load(const char *path, struct policy_diag *diag,
		struct policy **out);

void policy_free(struct policy *policy);

/* Human names: "none", "private", "shared", "join". */
const char *policy_action_name(enum policy_action action);
/* The bit of option @word ("ipv6", "nomask", ...), or 0 if none. */
unsigned int policy_option_bit(const char *word);
/* The options as words ("ipv6 nonewprivs"), "" if none; @buf of 64. */
const char *policy_options_text(unsigned int options, char *buf, size_t size);

/*
 * How the matcher learns group membership, so that the fuzzer and the
 * tests can replace NSS.  Two lookups of different strength:
 *
 * group_info: the group @name (getgrnam_r): whether it exists, its gid,
 * and whether its member list names @user.  Its failure is visible, so the
 * matcher relies on it.  Returns 0, or -1 with errno when the lookup failed
 * (not for "no such group": info->exists = false then).
 *
 * user_groups: the user's groups through the initgroups path
 * (getgrouplist).  glibc drops a failing backend's status there, so an
 * answer may be silently short: the matcher only adds what it finds, and
 * treats a group that lists the user but is missing here as a failure.
 * Returns 0, or -1 with errno.
 */
struct policy_group_info {
	bool exists;
	gid_t gid;
	bool lists_user; /* the member list (gr_mem) names the user */
};

struct policy_lookup {
	int (*user_groups)(void *ctx, const char *user, gid_t gid,
			   gid_t **groups, size_t *count);
	int (*group_info)(void *ctx, const char *name, const char *user,
			  struct policy_group_info *info);
	void *ctx;
};

/* The NSS-backed lookup (getgrnam_r, getgrouplist). */
extern const struct policy_lookup policy_nss_lookup;

struct policy_login {
	const char *user; /* canonical name */
	uid_t uid;
	gid_t gid;	     /* primary group */
	const char *service; /* PAM_SERVICE, or NULL */
	const char *rhost;   /* PAM_RHOST, or NULL/"" for a local login */
	const char *tty;     /* PAM_TTY, or NULL */
};

/* Which lookup made a decision fail. */
enum policy_failure {
	POLICY_FAILED_NONE,
	POLICY_FAILED_GROUP,	   /* group_info() of failed_group */
	POLICY_FAILED_USER_GROUPS, /* user_groups() */
	POLICY_FAILED_DISAGREE,	   /* failed_group lists the user, but
				    * user_groups() lacks it */
};

struct policy_decision {
	const struct policy_rule *rule; /* NULL: no rule matched */
	enum policy_action action;
	unsigned int options;
	bool groups_looked_up;	     /* whether any group lookup happened */
	enum policy_failure failure; /* after a failed decision: what */
	const char *failed_group;    /* ... and for which group */
};

/*
 * Finds the first rule that matches @login.  Groups are looked up only
 * when a rule naming a group is reached: the group (each time) and the
 * user's groups (once).  Returns 0 with the decision, or -1 with errno
 * when a lookup failed (the caller must fail closed); then @out->failure
 * and @out->failed_group say which.
 */
int policy_decide(const struct policy *policy, const struct policy_login *login,
		  const struct policy_lookup *lookup,
		  struct policy_decision *out);

/*
 * What failed in a failed decision @d, for a log line or a message, with
 * errno @err: "group students: No such file or directory".  Returns @buf.
 */
const char *policy_failure_text(const struct policy_decision *d, int err,
				char *buf, size_t size);

/*
 * The rules whose WHO names the user of @login, whatever their conditions,
 * in file order: what the policy may prescribe for some login of the user.
 * With @lookup NULL nothing is looked up: a group counts as naming the
 * user and an excluded group as not excluding it (the rules that MAY apply).
 * *@rules is a new array (free() it).  Returns 0, or -1 with errno when a
 * group lookup failed.
 */
int policy_rules_for_user(const struct policy *policy,
			  const struct policy_login *login,
			  const struct policy_lookup *lookup,
			  const struct policy_rule ***rules, size_t *count);

#endif
