// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet: look at a network namespace the way `ip` does, judge whether it is
 * isolated, and try a PAM session the way a login would open it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "check.h"
#include "doctor.h"
#include "iface.h"
#include "list.h"
#include "nl.h"
#include "policy_cmd.h"
#include "prune.h"
#include "session.h"
#include "show.h"
#include "show_targets.h"
#include "target_opts.h"
#include "tool.h"
#include "uplink_cmd.h"

static void usage(void)
{
	fputs(
	    "Usage:\n"
	    " nonet <command> [options]\n"
	    "\n"
	    "Look at network namespaces as ip(8) does, judge whether they are\n"
	    "isolated, and try the PAM sessions of pam_nonet(8).\n"
	    "\n"
	    "Commands:\n"
	    " show [link|addr]     the interfaces (and addresses) of a "
	    "network\n"
	    "                      namespace, as `ip link show` / `ip addr "
	    "show`\n"
	    " check                is a network namespace isolated? (not the "
	    "host's,\n"
	    "                      only lo, lo UP with 127.0.0.1/8); with -u, "
	    "are all\n"
	    "                      of a user's processes where the policy "
	    "says?\n"
	    " policy --check       check the policy file: every error and "
	    "warning\n"
	    " policy USER          the decision for a login of USER, and the "
	    "rule\n"
	    "                      that made it\n"
	    " prune                remove pins of shared namespaces no process "
	    "uses,\n"
	    "                      the uplink leases and records of sessions "
	    "that\n"
	    "                      crashed (root)\n"
	    " list                 the recorded sessions: mode, namespace, "
	    "uplink,\n"
	    "                      rule, processes, blocked packets, stale "
	    "ones (root)\n"
	    " audit                processes of isolated users outside their\n"
	    "                      sessions' namespaces: escapes (root)\n"
	    " doctor [USER...]      this host against every way out of an "
	    "isolated\n"
	    "                      session, per user: closed, open, n/a, "
	    "unknown\n"
	    "                      (root)\n"
	    " uplink up NAME [--pool CIDR] [--pool6 CIDR] [--no-nat] ALLOW...\n"
	    "                      build the exam uplink NAME in this "
	    "network\n"
	    "                      namespace: sessions of rules with "
	    "uplink=NAME\n"
	    "                      reach the ALLOW list and nothing else "
	    "(root)\n"
	    "                      ALLOW: ADDRESS[/PREFIX][:PORT][/tcp|/udp],\n"
	    "                      IPv6 with a port as [ADDRESS]:PORT\n"
	    " uplink down [--force] NAME\n"
	    "                      remove it (--force: cut off the sessions "
	    "that\n"
	    "                      use it first) (root)\n"
	    " uplink show [NAME...]\n"
	    "                      the uplinks, their leases and blocked "
	    "packets\n"
	    "                      (root)\n"
	    " session -u USER [-- CMD [ARG...]]\n"
	    "                      open a PAM session for USER, run CMD as "
	    "USER in\n"
	    "                      it (default: nonet show), close it (root "
	    "only)\n"
	    "\n"
	    "Which namespace (show, check; default: this process's):\n"
	    " -p, --pid PID        the namespace of process PID (show: -p "
	    "without a\n"
	    "                      number is --pretty)\n"
	    " -u, --user USER      each namespace USER's processes are in\n"
	    " -n, --netns NAME     the named namespace /run/netns/NAME\n"
	    "\n"
	    "Options:\n"
	    " -j, -J, --json       JSON output (every command)\n"
	    "     --pretty         indented JSON (show; also -p)\n"
	    " -c, --conf FILE      the policy file (policy, check -u, list, "
	    "audit,\n"
	    "                      doctor;\n"
	    "                      default /etc/security/nonet.conf)\n"
	    "     --check          report every problem of the policy file "
	    "(policy)\n"
	    " -s, --service NAME   the PAM service (policy; session: whose "
	    "stack is\n"
	    "                      used, default login)\n"
	    " -f, --from HOST      the login's remote host, PAM_RHOST "
	    "(policy)\n"
	    " -r, --rhost HOST     set PAM_RHOST, as a remote login would "
	    "(session)\n"
	    " -t, --tty TTY        the login's PAM_TTY (policy, session)\n"
	    "     --confdir DIR    read the service from DIR, not /etc/pam.d "
	    "(session)\n"
	    " -o, --output COLS    the columns (list, audit, doctor; +COLS "
	    "adds to\n"
	    "                      the defaults; `nonet list --help` names "
	    "them)\n"
	    "     --output-all     every column (list, audit, doctor)\n"
	    " -n, --noheadings     no header line (list, audit, doctor)\n"
	    " -r, --raw            unaligned output, no summary (list, audit,\n"
	    "                      doctor)\n"
	    "     --all            every process of the audited users, with a\n"
	    "                      verdict, not only escapes (audit)\n"
	    "     --kill           end each escaped process: SIGTERM, and "
	    "SIGKILL\n"
	    "                      after 2 s (audit)\n"
	    "     --prometheus FILE\n"
	    "                      write node_exporter textfile metrics "
	    "(audit,\n"
	    "                      doctor)\n"
	    "     --sshd-config FILE\n"
	    "                      the sshd configuration `sshd -T` reads "
	    "(doctor;\n"
	    "                      default /etc/ssh/sshd_config)\n"
	    "     --pam-dir DIR    the PAM services (doctor; default "
	    "/etc/pam.d)\n"
	    " -h, --help           display this help\n"
	    " -V, --version        display the version\n"
	    "\n"
	    "Exit status: 0 success (check: isolated; audit: no escape; "
	    "doctor:\n"
	    "nothing open); 1 not isolated (policy --check: errors found; "
	    "audit:\n"
	    "escapes found; doctor: something open); 2 error (doctor: could "
	    "not\n"
	    "check); session: the command's status\n"
	    "(128+N if signal N killed it), 111 if PAM refused the session.\n"
	    "\n"
	    "See nonet(8), pam_nonet(8), nonet.conf(5).\n",
	    stdout);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("nonet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'nonet --help' for more information.\n", stderr);
	return TOOL_ERROR;
}

/* Options every command takes. */
#define COMMON_LONGOPTS                                                        \
	{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},    \
	{                                                                      \
		"version", no_argument, NULL, 'V'                              \
	}

enum {
	OPT_CONFDIR = 256,
	OPT_CHECK,
	OPT_OUTPUT_ALL,
	OPT_ALL,
	OPT_KILL,
	OPT_PROMETHEUS,
	OPT_SSHD_CONFIG,
	OPT_PAM_DIR,
	OPT_POOL,
	OPT_POOL6,
	OPT_NO_NAT,
	OPT_FORCE,
};

/* -h and -V inside a command; returns -1 if @c is neither. */
static int common_option(int c)
{
	if (c == 'h') {
		usage();
		return TOOL_OK;
	}
	if (c == 'V') {
		printf("nonet %s\n", NONET_VERSION);
		return TOOL_OK;
	}
	return -1;
}

/* -p, -u, -n: at most one; returns -1 (after a message) on a conflict. */
static int target_option(int c, const char *arg, struct tool_target_opts *t)
{
	char *end;

	if (!arg) { /* getopt gives one for each of these options */
		errno = EINVAL;
		return -1;
	}
	if (t->pid || t->user || t->netns) {
		usage_error("give only one of -p, -u and -n");
		return -1;
	}
	if (c == 'u') {
		t->user = arg;
	} else if (c == 'n') {
		t->netns = arg;
	} else { /* 'p' or 'I' (--pid) */
		long pid = strtol(arg, &end, 10);

		if (*end || pid <= 0 || pid > 1 << 22) {
			usage_error("not a process id: '%s'", arg);
			return -1;
		}
		t->pid = (pid_t)pid;
	}
	return 0;
}

#define TARGET_LONGOPTS                                                        \
	{"pid", required_argument, NULL, 'I'},                                 \
	    {"user", required_argument, NULL, 'u'},                            \
	{                                                                      \
		"netns", required_argument, NULL, 'n'                          \
	}

/*
 * show's -p is both ip's --pretty and the --pid of the other commands:
 * followed by a number it is --pid.
 */
static void pid_or_pretty(int argc, char **argv)
{
	static char pid_option[] = "--pid";

	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "-p") == 0 && argv[i + 1][0] &&
		    strspn(argv[i + 1], "0123456789") == strlen(argv[i + 1]))
			argv[i] = pid_option;
	}
}

static int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pretty", no_argument, NULL, 'p'},
	    TARGET_LONGOPTS,
	    COMMON_LONGOPTS,
	    {0}};
	struct tool_target_opts target = {0};
	struct show_opts opts = {0};
	int c;

	pid_or_pretty(argc, argv);
	while ((c = getopt_long(argc, argv, "jJpu:n:hV", longopts, NULL)) !=
	       -1) {
		if (c == 'j' || c == 'J')
			opts.json = true;
		else if (c == 'p')
			opts.pretty = true;
		else if (c == '?')
			return usage_error("show: bad usage");
		else if (c != 'u' && c != 'n' && c != 'I')
			return common_option(c);
		else if (target_option(c, optarg, &target) < 0)
			return TOOL_ERROR;
	}
	if (optind < argc) {
		if (strcmp(argv[optind], "link") == 0)
			opts.link_only = true;
		else if (strcmp(argv[optind], "addr") != 0)
			return usage_error("show: unknown object '%s'",
					   argv[optind]);
		optind++;
	}
	if (optind < argc)
		return usage_error("show: unexpected argument '%s'",
				   argv[optind]);
	return tool_show_targets(&opts, &target);
}

static int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"conf", required_argument, NULL, 'c'},
	    TARGET_LONGOPTS,
	    COMMON_LONGOPTS,
	    {0}};
	struct check_opts opts = {0};
	int c;

	while ((c = getopt_long(argc, argv, "jJp:u:n:c:hV", longopts, NULL)) !=
	       -1) {
		if (c == 'j' || c == 'J')
			opts.json = true;
		else if (c == 'c')
			opts.conf = optarg;
		else if (c == '?')
			return usage_error("check: bad usage");
		else if (c != 'p' && c != 'u' && c != 'n' && c != 'I')
			return common_option(c);
		else if (target_option(c, optarg, &opts.target) < 0)
			return TOOL_ERROR;
	}
	if (optind < argc)
		return usage_error("check: unexpected argument '%s'",
				   argv[optind]);
	return check_run(&opts);
}

static int cmd_session(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"user", required_argument, NULL, 'u'},
	    {"service", required_argument, NULL, 's'},
	    {"confdir", required_argument, NULL, OPT_CONFDIR},
	    {"rhost", required_argument, NULL, 'r'},
	    {"tty", required_argument, NULL, 't'},
	    COMMON_LONGOPTS,
	    {0}};
	struct session_opts opts = {.service = "login"};
	bool json = false;
	int c;

	/* '+': the command's own options are not ours. */
	while ((c = getopt_long(argc, argv, "+u:s:r:t:jJhV", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'u': opts.user = optarg; break;
		case 's': opts.service = optarg; break;
		case OPT_CONFDIR: opts.confdir = optarg; break;
		case 'r': opts.rhost = optarg; break;
		case 't': opts.tty = optarg; break;
		case 'j':
		case 'J': json = true; break;
		case '?': return usage_error("session: bad usage");
		default: return common_option(c);
		}
	}
	if (!opts.user)
		return usage_error("session: which user? (-u USER)");
	opts.argv = argv + optind;
	opts.json = json;
	return session_run(&opts);
}

static int cmd_policy(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"check", no_argument, NULL, OPT_CHECK},
	    {"conf", required_argument, NULL, 'c'},
	    {"user", required_argument, NULL, 'u'},
	    {"service", required_argument, NULL, 's'},
	    {"from", required_argument, NULL, 'f'},
	    {"tty", required_argument, NULL, 't'},
	    COMMON_LONGOPTS,
	    {0}};
	struct policy_cmd_opts opts = {0};
	int c;

	while ((c = getopt_long(argc, argv, "c:u:s:f:t:jJhV", longopts,
				NULL)) != -1) {
		switch (c) {
		case OPT_CHECK: opts.check = true; break;
		case 'c': opts.conf = optarg; break;
		case 'u': opts.user = optarg; break;
		case 's': opts.service = optarg; break;
		case 'f': opts.rhost = optarg; break;
		case 't': opts.tty = optarg; break;
		case 'j':
		case 'J': opts.json = true; break;
		case '?': return usage_error("policy: bad usage");
		default: return common_option(c);
		}
	}
	if (!opts.user && optind < argc)
		opts.user = argv[optind++];
	if (optind < argc)
		return usage_error("policy: unexpected argument '%s'",
				   argv[optind]);
	if (!opts.check && !opts.user)
		return usage_error("policy: which user? (or --check)");
	return policy_cmd_run(&opts);
}

/*
 * The options of a command that has only -j/-J and the common ones: -1
 * when they are read, or the exit status to return now.
 */
static int json_command(int argc, char **argv, const char *cmd, bool *json)
{
	static const struct option longopts[] = {COMMON_LONGOPTS, {0}};
	int c;

	*json = false;
	while ((c = getopt_long(argc, argv, "jJhV", longopts, NULL)) != -1) {
		if (c == 'j' || c == 'J')
			*json = true;
		else if (c == '?')
			return usage_error("%s: bad usage", cmd);
		else
			return common_option(c);
	}
	return -1;
}

static int cmd_prune(int argc, char **argv)
{
	bool json;
	int status = json_command(argc, argv, "prune", &json);

	if (status >= 0)
		return status;
	if (optind < argc)
		return usage_error("prune: unexpected argument '%s'",
				   argv[optind]);
	return prune_run(json);
}

/* The table options list and audit share, as lsns has them. */
#define TABLE_LONGOPTS                                                         \
	{"output", required_argument, NULL, 'o'},                              \
	    {"output-all", no_argument, NULL, OPT_OUTPUT_ALL},                 \
	    {"noheadings", no_argument, NULL, 'n'},                            \
	    {"raw", no_argument, NULL, 'r'},                                   \
	{                                                                      \
		"conf", required_argument, NULL, 'c'                           \
	}

/* -o, --output-all, -n, -r, -j/-J, -c; false if @c is none of them. */
static bool table_option(int c, struct table_opts *t, const char **conf)
{
	switch (c) {
	case 'o': t->output = optarg; break;
	case OPT_OUTPUT_ALL: t->output_all = true; break;
	case 'n': t->noheadings = true; break;
	case 'r': t->raw = true; break;
	case 'j':
	case 'J': t->json = true; break;
	case 'c': *conf = optarg; break;
	default: return false;
	}
	return true;
}

/* -h of list and audit: the usage, then the command's columns. */
static int table_help(void (*columns)(FILE *fp))
{
	usage();
	columns(stdout);
	return TOOL_OK;
}

/*
 * The option loop of list, audit and doctor: the table options, then
 * @extra(@data, c) for the command's own (0 when it took @c).  Returns -1
 * when the options are all read, or the exit status to return now (help,
 * version, bad usage).
 */
static int table_command(int argc, char **argv, const struct option *longopts,
			 const char *cmd, struct table_opts *t,
			 const char **conf, void (*columns)(FILE *fp),
			 int (*extra)(void *data, int c), void *data)
{
	int c;

	while ((c = getopt_long(argc, argv, "o:nrjJc:hV", longopts, NULL)) !=
	       -1) {
		if (table_option(c, t, conf) || (extra && extra(data, c) == 0))
			continue;
		if (c == '?')
			return usage_error("%s: bad usage", cmd);
		return c == 'h' ? table_help(columns) : common_option(c);
	}
	return -1;
}

static int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
	    TABLE_LONGOPTS, COMMON_LONGOPTS, {0}};
	struct list_opts opts = {0};
	int status = table_command(argc, argv, longopts, "list", &opts.table,
				   &opts.conf, list_help_columns, NULL, NULL);

	if (status >= 0)
		return status;
	if (optind < argc)
		return usage_error("list: unexpected argument '%s'",
				   argv[optind]);
	return list_run(&opts);
}

static int audit_option(void *data, int c)
{
	struct audit_opts *opts = data;

	switch (c) {
	case OPT_ALL: opts->all = true; break;
	case OPT_KILL: opts->kill = true; break;
	case OPT_PROMETHEUS: opts->prometheus = optarg; break;
	default: return -1;
	}
	return 0;
}

static int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"all", no_argument, NULL, OPT_ALL},
	    {"kill", no_argument, NULL, OPT_KILL},
	    {"prometheus", required_argument, NULL, OPT_PROMETHEUS},
	    TABLE_LONGOPTS,
	    COMMON_LONGOPTS,
	    {0}};
	struct audit_opts opts = {0};
	int status =
	    table_command(argc, argv, longopts, "audit", &opts.table,
			  &opts.conf, audit_help_columns, audit_option, &opts);

	if (status >= 0)
		return status;
	if (optind < argc)
		return usage_error("audit: unexpected argument '%s'",
				   argv[optind]);
	return audit_run(&opts);
}

static int doctor_option(void *data, int c)
{
	struct doctor_opts *opts = data;

	switch (c) {
	case OPT_SSHD_CONFIG: opts->sshd_config = optarg; break;
	case OPT_PAM_DIR: opts->pam_dir = optarg; break;
	case OPT_PROMETHEUS: opts->prometheus = optarg; break;
	default: return -1;
	}
	return 0;
}

static int cmd_doctor(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"sshd-config", required_argument, NULL, OPT_SSHD_CONFIG},
	    {"pam-dir", required_argument, NULL, OPT_PAM_DIR},
	    {"prometheus", required_argument, NULL, OPT_PROMETHEUS},
	    TABLE_LONGOPTS,
	    COMMON_LONGOPTS,
	    {0}};
	struct doctor_opts opts = {0};
	int status = table_command(argc, argv, longopts, "doctor", &opts.table,
				   &opts.conf, doctor_help_columns,
				   doctor_option, &opts);

	if (status >= 0)
		return status;
	opts.users = argv + optind;
	opts.nusers = (size_t)(argc - optind);
	return doctor_run(&opts);
}

static int cmd_uplink_up(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pool", required_argument, NULL, OPT_POOL},
	    {"pool6", required_argument, NULL, OPT_POOL6},
	    {"no-nat", no_argument, NULL, OPT_NO_NAT},
	    COMMON_LONGOPTS,
	    {0}};
	struct uplink_up_opts opts = {0};
	int c;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_POOL: opts.pool = optarg; break;
		case OPT_POOL6: opts.pool6 = optarg; break;
		case OPT_NO_NAT: opts.no_nat = true; break;
		case '?': return usage_error("uplink up: bad usage");
		default: return common_option(c);
		}
	}
	if (optind >= argc)
		return usage_error("uplink up: which uplink? (NAME ALLOW...)");
	opts.name = argv[optind++];
	opts.allow = argv + optind;
	opts.nallow = (size_t)(argc - optind);
	return uplink_cmd_up(&opts);
}

static int cmd_uplink_down(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"force", no_argument, NULL, OPT_FORCE}, COMMON_LONGOPTS, {0}};
	bool force = false;
	int c;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		if (c == OPT_FORCE)
			force = true;
		else if (c == '?')
			return usage_error("uplink down: bad usage");
		else
			return common_option(c);
	}
	if (optind + 1 != argc)
		return usage_error("uplink down: give one NAME");
	return uplink_cmd_down(argv[optind], force);
}

static int cmd_uplink_show(int argc, char **argv)
{
	bool json;
	int status = json_command(argc, argv, "uplink show", &json);

	if (status >= 0)
		return status;
	return uplink_cmd_show(argv + optind, (size_t)(argc - optind), json);
}

/* `nonet uplink up|down|show ...`: argv[0] is "uplink". */
static int cmd_uplink(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return usage_error("uplink: up, down or show?");
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		return common_option('h');
	if (strcmp(sub, "up") == 0)
		return cmd_uplink_up(argc - 1, argv + 1);
	if (strcmp(sub, "down") == 0)
		return cmd_uplink_down(argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return cmd_uplink_show(argc - 1, argv + 1);
	return usage_error("uplink: unknown command '%s'", sub);
}

/* Flushes stdout; a failed write is an error (but not a closed pipe). */
static int close_stdout(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
		return status;
	if (errno == EPIPE)
		return status;
	tool_error("write error: %m");
	return TOOL_ERROR;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
	    {"show", cmd_show},	    {"check", cmd_check},
	    {"policy", cmd_policy}, {"prune", cmd_prune},
	    {"list", cmd_list},	    {"audit", cmd_audit},
	    {"doctor", cmd_doctor}, {"session", cmd_session},
	    {"uplink", cmd_uplink},
	};
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd)
		return usage_error("which command?");
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
		return close_stdout(common_option('h'));
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
		return close_stdout(common_option('V'));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0)
			return close_stdout(
			    commands[i].run(argc - 1, argv + 1));
	}
	return usage_error("unknown command '%s'", cmd);
}
