// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_policy: the policy engine without NSS.  policy_parse() on every
 * construct of nonet.conf and on each kind of bad line (each error caught
 * by a diag callback that records severity, file, line and message);
 * policy_load() on temporary files (owner, mode, missing, too big); and
 * policy_decide() with a fake struct policy_lookup whose users and groups
 * are a table below, and which fails on demand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mask.h"
#include "policy.h"
#include "unit.h"

/* ---- A diag callback that records everything ---------------------- */

#define REC_MAX 64

struct record {
	enum policy_severity severity;
	unsigned int line;
	char file[256];
	char message[512];
};

struct recorder {
	struct record items[REC_MAX];
	size_t n;
	size_t dropped;
};

static void record_diag(void *data, enum policy_severity severity,
			const char *file, unsigned int line,
			const char *message)
{
	struct recorder *rec = data;
	struct record *r;

	if (rec->n >= REC_MAX) {
		rec->dropped++;
		return;
	}
	r = &rec->items[rec->n++];
	r->severity = severity;
	r->line = line;
	snprintf(r->file, sizeof(r->file), "%s", file ? file : "(null)");
	snprintf(r->message, sizeof(r->message), "%s",
		 message ? message : "(null)");
}

/* One parse: its result, errno and every diagnostic. */
struct parsed {
	int ret;
	int err;
	struct policy *policy;
	struct recorder rec;
	struct policy_diag diag;
};

static struct parsed *parse_len(const char *text, size_t len)
{
	struct parsed *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->diag.fn = record_diag;
	p->diag.data = &p->rec;
	errno = 0;
	p->ret = policy_parse("test.conf", text, len, &p->diag, &p->policy);
	p->err = errno;
	return p;
}

static struct parsed *parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static void parsed_free(struct parsed *p)
{
	policy_free(p->policy);
	free(p);
}

static void dump_diags(const struct parsed *p)
{
	for (size_t i = 0; i < p->rec.n; i++) {
		const struct record *r = &p->rec.items[i];

		printf("#   %s:%u: %s: %s\n", r->file, r->line,
		       r->severity == POLICY_ERROR ? "error" : "warning",
		       r->message);
	}
}

/* How many diagnostics of @severity, on @line, contain @needle. */
static size_t count_diags(const struct parsed *p, enum policy_severity severity,
			  unsigned int line, const char *needle)
{
	size_t n = 0;

	for (size_t i = 0; i < p->rec.n; i++) {
		const struct record *r = &p->rec.items[i];

		if (r->severity == severity && r->line == line &&
		    strstr(r->message, needle))
			n++;
	}
	return n;
}

/* The text parses, with @nrules rules and no error and no warning. */
static struct parsed *expect_ok(const char *desc, const char *text, size_t len,
				size_t nrules)
{
	struct parsed *p = parse_len(text, len);
	bool good = p->ret == 0 && p->policy && p->diag.errors == 0 &&
		    p->diag.warnings == 0 && p->rec.n == 0 &&
		    p->policy->nrules == nrules;

	if (!unit_ok(good, "parse ok: %s", desc)) {
		printf("#   ret %d errno %d rules %zu (want %zu)\n", p->ret,
		       p->err, p->policy ? p->policy->nrules : 0, nrules);
		dump_diags(p);
	}
	return p;
}

/*
 * The text is refused (-1, EINVAL, no policy), with exactly one error, on
 * @line, whose message contains @needle.
 */
static void expect_error(const char *desc, const char *text, size_t len,
			 unsigned int line, const char *needle)
{
	struct parsed *p = parse_len(text, len);
	bool good = p->ret == -1 && p->err == EINVAL && !p->policy &&
		    p->diag.errors == 1 &&
		    count_diags(p, POLICY_ERROR, line, needle) == 1;

	if (!unit_ok(good, "parse error: %s (line %u: '%s')", desc, line,
		     needle)) {
		printf("#   ret %d errno %d errors %u\n", p->ret, p->err,
		       p->diag.errors);
		dump_diags(p);
	}
	parsed_free(p);
}

#define OK(desc, text, n) expect_ok(desc, text, sizeof(text) - 1, n)
#define ERR(desc, text, line, needle)                                          \
	expect_error(desc, text, sizeof(text) - 1, line, needle)

/* ---- Parsing: good policies ---------------------------------------- */

static bool who_is(const struct policy_who *w, const char *name, bool group,
		   bool exclude)
{
	if ((name == NULL) != (w->name == NULL))
		return false;
	if (name && strcmp(name, w->name) != 0)
		return false;
	return w->group == group && w->exclude == exclude;
}

static bool list_is(char *const *items, size_t n, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		if (i >= n || strcmp(items[i], want[i]) != 0)
			return false;
	}
	return i == n;
}

static void test_parse_example(void)
{
	static const char text[] =
	    "# The issue's example.\n"
	    "# ACTION        WHO                CONDITIONS / OPTIONS\n"
	    "none            alice,bob                               "
	    "# break-glass admins\n"
	    "private         @students          "
	    "service=sshd,login,cron,systemd-user\n"
	    "shared          @kiosk             ipv6\n"
	    "\n"
	    "join=exam       @examinees,!carol  "
	    "service=gdm-password,lightdm\n"
	    "private         !root              from=LOCAL\n";
	static const char *const services2[] = {"sshd", "login", "cron",
						"systemd-user", NULL};
	static const char *const services4[] = {"gdm-password", "lightdm",
						NULL};
	struct parsed *p = OK("the issue's example", text, 5);
	const struct policy_rule *r;

	if (!p->policy || p->policy->nrules != 5) {
		parsed_free(p);
		return;
	}
	unit_streq("example: file name kept", "test.conf", p->policy->file);
	r = &p->policy->rules[0];
	unit_ok(r->line == 3 && r->action == POLICY_NONE && r->nwho == 2 &&
		    who_is(&r->who[0], "alice", false, false) &&
		    who_is(&r->who[1], "bob", false, false) && !r->services &&
		    !r->from && !r->ttys && r->options == 0,
		"example: rule 1 is none alice,bob on line 3");
	unit_streq("example: rule 1 text, comment cut, spaces squeezed",
		   "none alice,bob", r->text);
	r = &p->policy->rules[1];
	unit_ok(r->line == 4 && r->action == POLICY_PRIVATE && r->nwho == 1 &&
		    who_is(&r->who[0], "students", true, false) &&
		    list_is(r->services, r->nservices, services2),
		"example: rule 2 is private @students with four services");
	unit_streq("example: rule 2 text",
		   "private @students service=sshd,login,cron,systemd-user",
		   r->text);
	r = &p->policy->rules[2];
	unit_ok(r->line == 5 && r->action == POLICY_SHARED &&
		    who_is(&r->who[0], "kiosk", true, false) &&
		    r->options == POLICY_OPT_IPV6,
		"example: rule 3 is shared @kiosk ipv6");
	r = &p->policy->rules[3];
	unit_ok(r->line == 7 && r->action == POLICY_JOIN && r->join_name &&
		    strcmp(r->join_name, "exam") == 0 && r->nwho == 2 &&
		    who_is(&r->who[0], "examinees", true, false) &&
		    who_is(&r->who[1], "carol", false, true) &&
		    list_is(r->services, r->nservices, services4),
		"example: rule 4 is join=exam @examinees,!carol (line 7)");
	r = &p->policy->rules[4];
	unit_ok(r->line == 8 && r->action == POLICY_PRIVATE && r->nwho == 1 &&
		    who_is(&r->who[0], "root", false, true) && r->nfrom == 1 &&
		    r->from[0].kind == FROM_LOCAL,
		"example: rule 5 is private !root from=LOCAL");
	parsed_free(p);
}

static void test_parse_constructs(void)
{
	struct parsed *p;
	const struct policy_rule *r;
	char buf[64];

	p = OK("ALL, !@group, options",
	       "private ALL,!@staff,!bob ipv6 "
	       "nonewprivs lockdown sysfs hidepid\n",
	       1);
	if (p->policy && p->policy->nrules == 1) {
		r = &p->policy->rules[0];
		unit_ok(r->nwho == 3 &&
			    who_is(&r->who[0], NULL, false, false) &&
			    who_is(&r->who[1], "staff", true, true) &&
			    who_is(&r->who[2], "bob", false, true),
			"constructs: ALL has no name; !@staff, !bob excluded");
		unit_ok(r->options == (POLICY_OPT_IPV6 | POLICY_OPT_NONEWPRIVS |
				       POLICY_OPT_LOCKDOWN | POLICY_OPT_SYSFS |
				       POLICY_OPT_HIDEPID),
			"constructs: all five options set");
		unit_streq("constructs: options text",
			   "ipv6 nonewprivs lockdown sysfs hidepid",
			   policy_options_text(r->options, buf, sizeof(buf)));
	}
	parsed_free(p);

	p = OK("from= of each kind",
	       "private alice from=LOCAL,10.0.0.0/8,"
	       "2001:db8::/32,192.0.2.7,::1,*.Example.COM,host-1\n",
	       1);
	if (p->policy && p->policy->nrules == 1) {
		const struct policy_from *f = p->policy->rules[0].from;

		unit_ok(p->policy->rules[0].nfrom == 7, "from: 7 elements");
		unit_ok(f[0].kind == FROM_LOCAL, "from: LOCAL");
		unit_ok(f[1].kind == FROM_NET && f[1].family == AF_INET &&
			    f[1].prefixlen == 8 && f[1].addr[0] == 10,
			"from: 10.0.0.0/8 is an IPv4 network, prefix 8");
		unit_ok(f[2].kind == FROM_NET && f[2].family == AF_INET6 &&
			    f[2].prefixlen == 32 && f[2].addr[0] == 0x20 &&
			    f[2].addr[1] == 0x01 && f[2].addr[3] == 0xb8,
			"from: 2001:db8::/32 is an IPv6 network, prefix 32");
		unit_ok(f[3].kind == FROM_NET && f[3].family == AF_INET &&
			    f[3].prefixlen == 32,
			"from: a plain IPv4 address is a /32");
		unit_ok(f[4].kind == FROM_NET && f[4].family == AF_INET6 &&
			    f[4].prefixlen == 128,
			"from: a plain IPv6 address is a /128");
		unit_ok(f[5].kind == FROM_GLOB &&
			    strcmp(f[5].glob, "*.Example.COM") == 0,
			"from: a glob is kept as written");
		unit_ok(f[6].kind == FROM_GLOB &&
			    strcmp(f[6].glob, "host-1") == 0,
			"from: a host name is a glob");
	}
	parsed_free(p);

	p = OK("tty= with and without /dev/",
	       "private alice "
	       "tty=/dev/pts/*,tty[1-6],/dev/console,:0\n",
	       1);
	if (p->policy && p->policy->nrules == 1) {
		static const char *const want[] = {"pts/*", "tty[1-6]",
						   "console", ":0", NULL};
		r = &p->policy->rules[0];
		unit_ok(list_is(r->ttys, r->nttys, want),
			"tty: a leading /dev/ is dropped from each pattern");
	}
	parsed_free(p);

	p = OK("join= with options other than ipv6",
	       "join=exam-1 @examinees nonewprivs lockdown sysfs hidepid\n", 1);
	if (p->policy && p->policy->nrules == 1)
		unit_ok(p->policy->rules[0].action == POLICY_JOIN &&
			    strcmp(p->policy->rules[0].join_name, "exam-1") ==
				0,
			"join: the name is kept");
	parsed_free(p);

	p = OK("uplink= on a private rule", "private @exam uplink=exam1\n", 1);
	if (p->policy && p->policy->nrules == 1)
		unit_ok(p->policy->rules[0].uplink &&
			    strcmp(p->policy->rules[0].uplink, "exam1") == 0,
			"uplink: the name is kept");
	parsed_free(p);
	p = OK("a rule without uplink=", "private alice\n", 1);
	if (p->policy && p->policy->nrules == 1)
		unit_ok(!p->policy->rules[0].uplink, "no uplink: NULL");
	parsed_free(p);

	p = OK("conditions in any order, options between them",
	       "shared alice tty=tty1 ipv6 from=LOCAL service=login\n", 1);
	if (p->policy && p->policy->nrules == 1) {
		r = &p->policy->rules[0];
		unit_ok(r->nttys == 1 && r->nfrom == 1 && r->nservices == 1 &&
			    r->options == POLICY_OPT_IPV6,
			"order: every condition and the option are kept");
	}
	parsed_free(p);

	p = OK("tabs, CR, VT and FF separate fields",
	       "\tprivate\t alice\t\tservice=sshd \v\f # comment\t\n", 1);
	if (p->policy && p->policy->nrules == 1)
		unit_streq("tabs: normalised text",
			   "private alice service=sshd",
			   p->policy->rules[0].text);
	parsed_free(p);

	p = OK("CRLF line endings",
	       "private alice service=sshd\r\n"
	       "# a comment\r\n\r\nnone bob\r\n",
	       2);
	if (p->policy && p->policy->nrules == 2) {
		r = &p->policy->rules[0];
		unit_ok(strcmp(r->services[0], "sshd") == 0 &&
			    strcmp(r->who[0].name, "alice") == 0 &&
			    !strchr(r->text, '\r'),
			"CRLF: no CR left in names or text");
		unit_ok(p->policy->rules[1].line == 4 &&
			    strcmp(p->policy->rules[1].who[0].name, "bob") == 0,
			"CRLF: line numbers count LF");
	}
	parsed_free(p);

	p = OK("no trailing newline", "none alice\nprivate bob", 2);
	if (p->policy && p->policy->nrules == 2)
		unit_ok(p->policy->rules[1].line == 2 &&
			    strcmp(p->policy->rules[1].who[0].name, "bob") == 0,
			"no trailing newline: the last line is a rule");
	parsed_free(p);

	p = OK("'#' inside a word starts a comment",
	       "private alice#,bob\nshared carol service=sshd#,su\n", 2);
	if (p->policy && p->policy->nrules == 2) {
		unit_ok(p->policy->rules[0].nwho == 1 &&
			    p->policy->rules[1].nservices == 1,
			"comment: what follows '#' is ignored");
	}
	parsed_free(p);

	p = OK("UTF-8 names (2, 3 and 4 bytes)",
	       "private j\xc3\xbcrgen,"
	       "\xe2\x82\xac,\xf0\x9f\x98\x80,@gr\xc3\xbcppe\n",
	       1);
	if (p->policy && p->policy->nrules == 1)
		unit_ok(p->policy->rules[0].nwho == 4 &&
			    strcmp(p->policy->rules[0].who[0].name,
				   "j\xc3\xbcrgen") == 0,
			"UTF-8: names kept byte for byte");
	parsed_free(p);

	p = OK("@ALL is a group named ALL", "private @ALL\n", 1);
	if (p->policy && p->policy->nrules == 1)
		unit_ok(who_is(&p->policy->rules[0].who[0], "ALL", true, false),
			"@ALL: a group, not everyone");
	parsed_free(p);
}

/* mask=PATH,... and nomask; the paths must be absolute and clean. */
static void test_parse_masks(void)
{
	static const char *const paths[] = {"/run/docker.sock",
					    "/var/run/cups/cups.sock", NULL};
	static const char *const bad[] = {
	    "",	      "relative", "/",	"//x", "/a//b", "/a/",
	    "/a/./b", "/a/../b",  "/.", "/..", NULL};
	static const char *const good[] = {"/a",     "/a/b.sock", "/.hidden",
					   "/a/..b", "/a/b..",	  NULL};
	struct parsed *p;
	const struct policy_rule *r;
	char buf[64];
	bool all = true;

	p = OK("mask= and nomask",
	       "private alice mask=/run/docker.sock,/var/run/cups/cups.sock "
	       "nomask\nshared bob\n",
	       2);
	if (p->policy && p->policy->nrules == 2) {
		r = &p->policy->rules[0];
		unit_ok(list_is(r->mask_paths, r->nmask_paths, paths) &&
			    r->options == POLICY_OPT_NOMASK,
			"masks: two paths kept in order, nomask set");
		unit_streq("masks: nomask in the options text", "nomask",
			   policy_options_text(r->options, buf, sizeof(buf)));
		r = &p->policy->rules[1];
		unit_ok(!r->mask_paths && r->nmask_paths == 0 && !r->options,
			"masks: a rule without mask= has none (the defaults)");
	}
	parsed_free(p);
	ERR("relative mask= path", "private alice mask=run/x.sock\n", 1,
	    "mask= needs absolute paths");
	ERR("mask= path with ..", "private alice mask=/run/../etc/x\n", 1,
	    "(got '/run/../etc/x')");
	ERR("empty element in mask=", "private alice mask=/a,,/b\n", 1,
	    "empty element in the mask= list");
	ERR("mask= twice", "private alice mask=/a mask=/b\n", 1,
	    "duplicate mask= (list the paths comma-separated)");
	ERR("mask= on a none rule", "none alice mask=/a\n", 1,
	    "action none takes no options");
	ERR("nomask on a none rule", "none alice nomask\n", 1,
	    "action none takes no options");
	for (size_t i = 0; bad[i]; i++)
		all &= !mask_path_clean(bad[i]);
	unit_ok(all, "mask_path_clean: empty, relative, '/', '//', '.', '..', "
		     "trailing '/' refused");
	all = true;
	for (size_t i = 0; good[i]; i++)
		all &= mask_path_clean(good[i]);
	unit_ok(all, "mask_path_clean: dotted names that are not . or .. kept");
	unit_ok(mask_list_clean("/a,/b/c") && !mask_list_clean("/a,") &&
		    !mask_list_clean(",/a") && !mask_list_clean("/a,b"),
		"mask_list_clean: every element clean, none empty");
	unit_ok(mask_default_paths[0] &&
		    strcmp(mask_default_paths[0], "/run/nscd/socket") == 0,
		"mask_default_paths starts with nscd's socket");
}

/* More rules than the first allocations hold, each on its own line. */
static void test_parse_many(void)
{
	size_t n = 300, size = n * 40 + 1, used = 0;
	char *text = malloc(size);
	struct parsed *p;
	bool lines = true;

	if (!text)
		abort();
	for (size_t i = 0; i < n; i++) {
		used += (size_t)snprintf(text + used, size - used,
					 "%sprivate user%zu\n",
					 i % 3 == 0 ? "# c\n" : "", i);
	}
	p = parse_len(text, used);
	unit_ok(p->ret == 0 && p->policy && p->policy->nrules == n,
		"many rules: all %zu kept", n);
	for (size_t i = 0; p->policy && i < p->policy->nrules; i++) {
		char want[32];

		snprintf(want, sizeof(want), "user%zu", i);
		if (strcmp(p->policy->rules[i].who[0].name, want) != 0 ||
		    p->policy->rules[i].line != i + i / 3 + 2)
			lines = false;
	}
	unit_ok(lines, "many rules: in order, with their line numbers");
	parsed_free(p);
	free(text);
}

/* Warnings leave the policy usable. */
static void test_parse_warnings(void)
{
	struct parsed *p;

	/* "none ALL" is how a policy says that it isolates nobody. */
	p = parse("# nobody, on purpose\nnone ALL\n");
	unit_ok(p->ret == 0 && p->policy && p->policy->nrules == 1 &&
		    p->diag.errors == 0 && p->diag.warnings == 0,
		"none ALL: the explicit empty policy parses, no warning");
	parsed_free(p);

	p = parse("\n\nprivate alice ipv6 hidepid ipv6\n");
	unit_ok(p->ret == 0 && p->policy && p->policy->nrules == 1 &&
		    p->diag.errors == 0 && p->diag.warnings == 1 &&
		    count_diags(p, POLICY_WARNING, 3, "ipv6") == 1 &&
		    p->policy->rules[0].options ==
			(POLICY_OPT_IPV6 | POLICY_OPT_HIDEPID),
		"duplicate option: a warning on its line, the rule kept");
	if (p->rec.n)
		unit_streq("diag: the file name is passed", "test.conf",
			   p->rec.items[0].file);
	parsed_free(p);

	{
		/* Without a callback the counts still add up. */
		struct policy_diag diag = {0};
		struct policy *policy = NULL;

		unit_ok(policy_parse("x", "bogus\nprivate\n", 14, &diag,
				     &policy) == -1 &&
			    errno == EINVAL && !policy && diag.errors == 3,
			"diag: no callback, errors counted");
		diag.errors = 5; /* earlier errors are not this parse's */
		unit_ok(policy_parse("x", "private a ipv6 ipv6", 19, &diag,
				     &policy) == 0 &&
			    policy && diag.errors == 5 && diag.warnings == 1,
			"diag: counts from before the call are not held "
			"against it");
		policy_free(policy);
	}
}

/* No rules at all: empty, comments only, truncated.  An error. */
static void test_parse_no_rules(void)
{
	static const char *const texts[] = {
	    "",
	    "# only\n\n   # comments\n\t\n",
	    "\n",
	    "# half a comm",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		struct parsed *p = parse(texts[i]);

		unit_ok(p->ret == -1 && p->err == EINVAL && !p->policy &&
			    p->diag.errors == 1 &&
			    count_diags(p, POLICY_ERROR, 0, "no rules") == 1 &&
			    count_diags(p, POLICY_ERROR, 0, "none ALL") == 1,
			"no rules (text %zu): an error on line 0 naming "
			"\"none ALL\"",
			i);
		parsed_free(p);
	}
}

static void test_parse_errors(void)
{
	ERR("unknown action", "permit alice\n", 1, "unknown action 'permit'");
	ERR("action is case-sensitive", "Private alice\n", 1, "unknown action");
	ERR("unknown option", "private alice fast\n", 1,
	    "unknown option 'fast'");
	ERR("a WHO list with a space", "private alice bob\n", 1,
	    "unknown option 'bob'");
	ERR("missing WHO", "private\n", 1, "missing WHO");
	ERR("missing WHO before a comment", "none   # nobody\n", 1,
	    "missing WHO");
	ERR("empty element at the end", "private alice,\n", 1,
	    "empty element in the WHO list");
	ERR("empty element in the middle", "private a,,b\n", 1,
	    "empty element in the WHO list");
	ERR("empty element at the start", "private ,a\n", 1, "empty element");
	ERR("empty service=", "private alice service=\n", 1,
	    "empty element in the service= list");
	ERR("empty element in service=", "private alice service=sshd,,su\n", 1,
	    "empty element in the service= list");
	ERR("empty element in from=", "private alice from=LOCAL,\n", 1,
	    "empty element in the from= list");
	ERR("empty element in tty=", "private alice tty=,tty1\n", 1,
	    "empty element in the tty= list");
	ERR("prefix too long", "private alice from=10.0.0.0/33\n", 1,
	    "bad address or CIDR '10.0.0.0/33'");
	ERR("three-part IPv4 network", "private alice from=10.0.0/8\n", 1,
	    "bad address or CIDR '10.0.0/8'");
	ERR("IPv6 prefix too long", "private alice from=2001:db8::/129\n", 1,
	    "bad address or CIDR");
	ERR("empty prefix", "private alice from=10.0.0.0/\n", 1,
	    "bad address or CIDR");
	ERR("signed prefix", "private alice from=10.0.0.0/+8\n", 1,
	    "bad address or CIDR");
	ERR("negative prefix", "private alice from=10.0.0.0/-1\n", 1,
	    "bad address or CIDR");
	ERR("prefix with junk", "private alice from=10.0.0.0/8x\n", 1,
	    "bad address or CIDR");
	ERR("huge prefix", "private alice from=10.0.0.0/99999999999999999999\n",
	    1, "bad address or CIDR");
	ERR("a name with '/'", "private alice from=host/24\n", 1,
	    "bad address or CIDR 'host/24'");
	ERR("a glob with '/'", "private alice from=*/*\n", 1,
	    "bad address or CIDR");
	ERR("!ALL", "private !ALL\n", 1, "'!ALL'");
	ERR("!ALL among others", "private alice,!ALL\n", 1, "'!ALL'");
	ERR("empty name after '!'", "private !\n", 1, "empty user or group");
	ERR("empty group name", "private alice,@\n", 1, "empty user or group");
	ERR("empty excluded group", "private !@\n", 1, "empty user or group");
	ERR("duplicate service=", "private alice service=a service=b\n", 1,
	    "duplicate service= condition");
	ERR("duplicate from=", "private alice from=LOCAL tty=x from=LOCAL\n", 1,
	    "duplicate from= condition");
	ERR("duplicate tty=", "private alice tty=a tty=a\n", 1,
	    "duplicate tty= condition");
	ERR("unknown condition", "private alice foo=bar\n", 1,
	    "unknown condition 'foo='");
	ERR("unknown condition, empty value", "private alice foo=\n", 1,
	    "unknown condition 'foo='");
	ERR("an option with a value", "private alice ipv6=1\n", 1,
	    "unknown condition 'ipv6='");
	ERR("condition names are case-sensitive",
	    "private alice Service=sshd\n", 1, "unknown condition");
	ERR("join= without a name", "join= alice\n", 1, "join= needs");
	ERR("join= with a '/'", "join=a/b alice\n", 1, "join= needs");
	ERR("join=.", "join=. alice\n", 1, "join= needs");
	ERR("join=..", "join=.. alice\n", 1, "join= needs");
	ERR("join=/abs", "join=/run/netns/x alice\n", 1, "join= needs");
	ERR("none with an option", "none alice nonewprivs\n", 1,
	    "action none takes no options");
	ERR("join= with ipv6", "join=exam alice ipv6\n", 1,
	    "option ipv6 applies only to private and shared");
	ERR("uplink= on shared", "shared alice uplink=exam\n", 1,
	    "uplink= applies only to private");
	ERR("uplink= on join=", "join=x alice uplink=exam\n", 1,
	    "uplink= applies only to private");
	ERR("uplink= on none", "none alice uplink=exam\n", 1,
	    "action none takes no options");
	ERR("uplink= without a name", "private alice uplink=\n", 1,
	    "uplink= needs an uplink name");
	ERR("uplink= with an upper-case name", "private alice uplink=Exam\n", 1,
	    "uplink= needs an uplink name");
	ERR("uplink= with a name too long", "private alice uplink=abcdefghi\n",
	    1, "uplink= needs an uplink name");
	ERR("uplink= twice", "private alice uplink=a uplink=b\n", 1,
	    "duplicate uplink=");
	ERR("an error on a later line",
	    "# c\n\nprivate alice\n\tnone bob "
	    "ipv6 # x\n",
	    4, "action none takes no options");
}

static void test_parse_bytes(void)
{
	char *text;
	size_t n;

	/* Exactly POLICY_LINE_MAX bytes (without the newline) is fine. */
	text = malloc(2 * POLICY_LINE_MAX + 16);
	if (!text)
		abort();
	n = (size_t)sprintf(text, "private alice #");
	memset(text + n, 'x', POLICY_LINE_MAX - n);
	n = POLICY_LINE_MAX;
	text[n++] = '\n';
	parsed_free(expect_ok("a line of exactly 4096 bytes", text, n, 1));
	parsed_free(expect_ok("4096 bytes, no newline", text, n - 1, 1));

	/* One byte more is an error, and the next line is still read. */
	n = (size_t)sprintf(text, "none bob\nprivate alice #");
	memset(text + n, 'x', POLICY_LINE_MAX + 9 - n + 1);
	n = POLICY_LINE_MAX + 9 + 1;
	n += (size_t)sprintf(text + n, "\nprivate \xff\n");
	{
		struct parsed *p = parse_len(text, n);

		unit_ok(
		    p->ret == -1 && p->err == EINVAL && p->diag.errors == 2 &&
			count_diags(p, POLICY_ERROR, 2, "4097 bytes") == 1 &&
			count_diags(p, POLICY_ERROR, 3, "UTF-8") == 1,
		    "a 4097-byte line: error on line 2, line 3 still read");
		if (p->diag.errors != 2)
			dump_diags(p);
		parsed_free(p);
	}
	/* A 4097-byte line of spaces, even with no rule in it. */
	memset(text, ' ', POLICY_LINE_MAX + 1);
	expect_error("4097 blanks", text, POLICY_LINE_MAX + 1, 1,
		     "the limit is 4096");
	free(text);

	ERR("a stray byte 0xff", "private al\xffice\n", 1, "not valid UTF-8");
	ERR("a lone continuation byte", "private \x80\n", 1, "UTF-8");
	ERR("overlong '/' (2 bytes)", "private a\xc0\xaf\n", 1, "UTF-8");
	ERR("overlong 0xc1", "private a\xc1\xbf\n", 1, "UTF-8");
	ERR("overlong (3 bytes)", "private a\xe0\x80\xaf\n", 1, "UTF-8");
	ERR("overlong (4 bytes)", "private a\xf0\x80\x80\xaf\n", 1, "UTF-8");
	ERR("a UTF-16 surrogate", "private a\xed\xa0\x80\n", 1, "UTF-8");
	ERR("past U+10FFFF", "private a\xf4\x90\x80\x80\n", 1, "UTF-8");
	ERR("0xf5", "private a\xf5\x80\x80\x80\n", 1, "UTF-8");
	ERR("a sequence cut by the newline", "private a\xc3\nnone b\n", 1,
	    "UTF-8");
	ERR("a sequence cut by the end of the file", "private a\xe2\x82", 1,
	    "UTF-8");
	ERR("non-UTF-8 inside a comment", "private a # caf\xe9\n", 1, "UTF-8");
	ERR("a NUL byte", "private alice\0 bob\n", 1, "NUL byte");
	ERR("a NUL byte in a comment", "none a\nprivate b # \0\n", 2,
	    "NUL byte");
	ERR("a NUL byte alone", "\0", 1, "NUL byte");
}

/* Several errors, each reported once with its own line; no policy. */
static void test_parse_several(void)
{
	static const char text[] =
	    "# header\n"				/* 1 */
	    "private alice\n"				/* 2 */
	    "bogus bob\n"				/* 3 */
	    "\n"					/* 4 */
	    "private alice,\n"				/* 5 */
	    "none bob ipv6 foo\n"			/* 6: two errors */
	    "private carol service=a service=b\n"	/* 7 */
	    "private dave from=10.0.0.0/33 ipv6 ipv6\n" /* 8: error, warning */
	    "shared \xc0\x80\n"				/* 9 */
	    "private erin\n"				/* 10 */
	    "join=x/y frank tty=\n";			/* 11: two errors */
	struct parsed *p = parse(text);
	static const unsigned int lines[] = {3, 5, 6, 6, 7, 8, 9, 11, 11};
	bool order = p->rec.n == 10;

	unit_ok(p->ret == -1 && p->err == EINVAL && !p->policy,
		"several errors: no policy, EINVAL");
	unit_ok(p->diag.errors == 9 && p->diag.warnings == 1,
		"several errors: 9 errors and 1 warning counted");
	unit_ok(
	    count_diags(p, POLICY_ERROR, 3, "unknown action 'bogus'") == 1 &&
		count_diags(p, POLICY_ERROR, 5, "empty element") == 1 &&
		count_diags(p, POLICY_ERROR, 6, "unknown option 'foo'") == 1 &&
		count_diags(p, POLICY_ERROR, 6, "none takes no options") == 1 &&
		count_diags(p, POLICY_ERROR, 7, "duplicate service=") == 1 &&
		count_diags(p, POLICY_ERROR, 8, "bad address") == 1 &&
		count_diags(p, POLICY_WARNING, 8, "twice") == 1 &&
		count_diags(p, POLICY_ERROR, 9, "UTF-8") == 1 &&
		count_diags(p, POLICY_ERROR, 11, "join= needs") == 1 &&
		count_diags(p, POLICY_ERROR, 11, "empty element") == 1,
	    "several errors: each on its own line");
	for (size_t i = 0, e = 0; order && i < p->rec.n; i++) {
		if (p->rec.items[i].severity != POLICY_ERROR)
			continue;
		if (p->rec.items[i].line != lines[e++])
			order = false;
	}
	unit_ok(order, "several errors: reported in file order");
	unit_ok(count_diags(p, POLICY_WARNING, 0, "no rules") == 0,
		"several errors: no 'no rules' warning on top");
	if (!order || p->diag.errors != 9)
		dump_diags(p);
	parsed_free(p);
}

static void test_parse_hash(void)
{
	struct parsed *a = parse("private alice\n");
	struct parsed *b = parse("private alice\n");
	struct parsed *c = parse("private alice \n");

	unit_ok(a->policy && b->policy && c->policy &&
		    a->policy->hash == b->policy->hash &&
		    a->policy->hash != c->policy->hash,
		"hash: same bytes, same hash; one more byte, another");
	parsed_free(a);
	parsed_free(b);
	parsed_free(c);
}

static void test_names(void)
{
	char buf[64], small[8];

	unit_streq("action name none", "none", policy_action_name(POLICY_NONE));
	unit_streq("action name private", "private",
		   policy_action_name(POLICY_PRIVATE));
	unit_streq("action name shared", "shared",
		   policy_action_name(POLICY_SHARED));
	unit_streq("action name join", "join", policy_action_name(POLICY_JOIN));
	unit_streq("action name of a bad value", "?",
		   policy_action_name((enum policy_action)42));
	unit_streq("options text: none", "", policy_options_text(0, buf, 64));
	unit_streq("options text: one", "sysfs",
		   policy_options_text(POLICY_OPT_SYSFS, buf, sizeof(buf)));
	unit_streq("options text: in table order", "ipv6 hidepid",
		   policy_options_text(POLICY_OPT_HIDEPID | POLICY_OPT_IPV6,
				       buf, sizeof(buf)));
	unit_streq("options text: unknown bits ignored", "lockdown",
		   policy_options_text(POLICY_OPT_LOCKDOWN | 1u << 20, buf,
				       sizeof(buf)));
	policy_options_text(~0u, small, sizeof(small));
	unit_ok(strlen(small) < sizeof(small) &&
		    strncmp(small, "ipv6 nonewprivs", strlen(small)) == 0,
		"options text: a small buffer is cut short, not overflowed");
}

/* ---- policy_load --------------------------------------------------- */

static char *temp_file(const char *content, mode_t mode)
{
	char *path = strdup("/tmp/test_policy.XXXXXX");
	int fd;

	if (!path)
		abort();
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content) ||
	    fchmod(fd, mode) < 0) {
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

struct loaded {
	int ret, err;
	struct policy *policy;
	struct recorder rec;
	struct policy_diag diag;
};

static void load(struct loaded *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	l->diag.fn = record_diag;
	l->diag.data = &l->rec;
	errno = 0;
	l->ret = policy_load(path, &l->diag, &l->policy);
	l->err = errno;
}

static bool load_refused(const struct loaded *l, int err, const char *path,
			 const char *needle)
{
	return l->ret == -1 && l->err == err && !l->policy &&
	       l->diag.errors == 1 && l->rec.n == 1 &&
	       strcmp(l->rec.items[0].file, path) == 0 &&
	       l->rec.items[0].line == 0 &&
	       strstr(l->rec.items[0].message, needle);
}

static void show_load(const struct loaded *l)
{
	printf("#   ret %d errno %d (%s) errors %u\n", l->ret, l->err,
	       strerror(l->err), l->diag.errors);
	for (size_t i = 0; i < l->rec.n; i++)
		printf("#   %s:%u: %s\n", l->rec.items[i].file,
		       l->rec.items[i].line, l->rec.items[i].message);
}

/*
 * The built-in policy when there is no default file.  In a child with a
 * private mount namespace whose /etc/security is an empty tmpfs: a
 * nonet.conf on the machine does not hide the case, and stays untouched.
 * The child's exit status is the verdict: 0 passed, 1 failed, 2 the
 * namespace could not be made.
 */
static void test_load_builtin(void)
{
	static const char desc[] = "load: no default file gives the built-in "
				   "'private @nonet'";
	struct loaded l;
	int status = -1;
	pid_t pid;

	if (geteuid() != 0) {
		unit_skip(desc, "not root (a private mount namespace "
				"hides " POLICY_DEFAULT_PATH ")");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    /* "none", not NULL: valgrind reads both. */
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", "/etc/security", "tmpfs", 0, "mode=0755") <
			0)
			_exit(2);
		load(&l, NULL);
		_exit(l.ret == 0 && l.policy && l.policy->nrules == 1 &&
			      strcmp(l.policy->file, POLICY_BUILTIN_NAME) ==
				  0 &&
			      l.policy->rules[0].action == POLICY_PRIVATE &&
			      who_is(&l.policy->rules[0].who[0], "nonet", true,
				     false) &&
			      l.diag.errors == 0 && l.diag.warnings == 0
			  ? 0
			  : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 2)
		unit_ok(false,
			"%s: cannot hide " POLICY_DEFAULT_PATH
			" in a private mount namespace",
			desc);
	else
		unit_ok(WEXITSTATUS(status) == 0, "%s", desc);
}

static void test_load(void)
{
	struct loaded l;
	char *path = temp_file("# test\nprivate alice\nnone bob\n", 0600);
	char dir[] = "/tmp/test_policy_dir.XXXXXX";

	if (!unit_ok(path != NULL, "load: temporary file created"))
		return;
	load(&l, path);
	if (!unit_ok(l.ret == 0 && l.policy && l.policy->nrules == 2 &&
			 strcmp(l.policy->file, path) == 0 &&
			 l.policy->rules[1].line == 3 && l.diag.errors == 0,
		     "load: a root-owned 0600 file is read"))
		show_load(&l);
	policy_free(l.policy);

	chmod(path, 0644);
	load(&l, path);
	unit_ok(l.ret == 0 && l.policy, "load: 0644 (world-readable) is fine");
	policy_free(l.policy);

	chmod(path, 0620);
	load(&l, path);
	if (!unit_ok(load_refused(&l, EPERM, path, "writable by group"),
		     "load: a group-writable file is refused (EPERM)"))
		show_load(&l);
	policy_free(l.policy);

	chmod(path, 0602);
	load(&l, path);
	if (!unit_ok(load_refused(&l, EPERM, path,
				  "writable by group or "
				  "others"),
		     "load: an other-writable file is refused (EPERM)"))
		show_load(&l);
	policy_free(l.policy);

	chmod(path, 0600);
	if (geteuid() != 0) {
		unit_skip("load: a file owned by uid 1 is refused (EPERM)",
			  "not root");
		unit_skip("load: root-owned, another group, 0600: fine",
			  "not root");
	} else if (chown(path, 1, 1) == 0) {
		load(&l, path);
		if (!unit_ok(load_refused(&l, EPERM, path, "not owned by root"),
			     "load: a file owned by uid 1 is refused (EPERM)"))
			show_load(&l);
		policy_free(l.policy);
		if (chown(path, 0, 1) == 0) {
			load(&l, path);
			unit_ok(l.ret == 0 && l.policy,
				"load: root-owned, another group, 0600: fine");
			policy_free(l.policy);
		} else {
			unit_ok(false,
				"load: root-owned, another group: "
				"chown: %s",
				strerror(errno));
		}
		if (chown(path, 0, 0) < 0)
			unit_ok(false, "load: chown back to root");
	} else {
		unit_ok(false, "load: a file owned by uid 1: chown: %s",
			strerror(errno));
		unit_ok(false, "load: root-owned, another group: chown: %s",
			strerror(errno));
	}

	/* Bad content: the file's own path names the errors. */
	if (truncate(path, 0) == 0) {
		FILE *fp = fopen(path, "w");

		if (fp) {
			fputs("private alice\nbogus bob\n", fp);
			fclose(fp);
		}
		load(&l, path);
		unit_ok(l.ret == -1 && l.err == EINVAL && !l.policy &&
			    l.rec.n == 1 && l.rec.items[0].line == 2 &&
			    strcmp(l.rec.items[0].file, path) == 0,
			"load: a parse error is reported as FILE:2, EINVAL");
		policy_free(l.policy);
	} else {
		unit_ok(false,
			"load: a parse error is reported as FILE:2, EINVAL: "
			"truncate: %s",
			strerror(errno));
	}

	/* An empty file (truncated by a full disk, say): an error. */
	if (truncate(path, 0) == 0) {
		load(&l, path);
		unit_ok(l.ret == -1 && !l.policy && l.diag.errors == 1 &&
			    l.rec.n == 1 && l.rec.items[0].line == 0 &&
			    strcmp(l.rec.items[0].file, path) == 0 &&
			    strstr(l.rec.items[0].message, "no rules"),
			"load: an empty file is an error, FILE:0 no rules");
		policy_free(l.policy);
	} else {
		unit_ok(false,
			"load: an empty file gives no rules and a warning: "
			"truncate: %s",
			strerror(errno));
	}

	/* Larger than POLICY_FILE_MAX (sparse). */
	if (truncate(path, POLICY_FILE_MAX + 1) == 0) {
		load(&l, path);
		if (!unit_ok(load_refused(&l, EFBIG, path, "4 MiB"),
			     "load: a file over 4 MiB is refused (EFBIG)"))
			show_load(&l);
		policy_free(l.policy);
	} else {
		unit_ok(
		    false,
		    "load: a file over 4 MiB is refused (EFBIG): truncate: %s",
		    strerror(errno));
	}

	unlink(path);
	load(&l, path);
	if (!unit_ok(load_refused(&l, ENOENT, path, "cannot read"),
		     "load: a named file that is missing is an error "
		     "(ENOENT)"))
		show_load(&l);
	policy_free(l.policy);
	free(path);

	if (mkdtemp(dir)) {
		load(&l, dir);
		if (!unit_ok(l.ret == -1 && !l.policy && l.diag.errors == 1 &&
				 l.rec.n == 1 && l.rec.items[0].line == 0,
			     "load: a directory is refused"))
			show_load(&l);
		policy_free(l.policy);
		rmdir(dir);
	} else {
		unit_ok(false, "load: a directory: mkdtemp: %s",
			strerror(errno));
	}

	test_load_builtin();
}

/* ---- policy_decide with a fake lookup ------------------------------ */

struct fake_user {
	const char *name;
	gid_t groups[4]; /* what "getgrouplist" would return */
	size_t ngroups;
};

struct fake_group {
	const char *name;
	gid_t gid;
};

static const struct fake_user fake_users[] = {
    {"alice", {1000}, 1},	  {"bob", {100, 2000}, 2}, /* users; students */
    {"carol", {2001}, 1},	  /* kiosk; primary examinees not listed */
    {"dave", {100, 2001, 10}, 3}, /* users; kiosk, wheel */
    {"root", {0, 10}, 2},	  /* root; wheel */
};

static const struct fake_group fake_groups[] = {
    {"alice", 1000},	 {"users", 100}, {"students", 2000}, {"kiosk", 2001},
    {"examinees", 3000}, {"wheel", 10},	 {"root", 0},	     {"nonet", 4000},
};

struct fake {
	unsigned int user_calls;
	unsigned int group_calls;
	int fail_user;	/* errno to fail user_groups with; 0: succeed */
	int fail_group; /* errno to fail group_info with; -1: fail, errno 0 */
	const char *fail_group_name; /* only for this name, if set */
	bool silent_user; /* user_groups gives the primary group only, as
			   * getgrouplist does when a backend fails */
	bool no_members;  /* member lists are empty (sssd's
			   * ignore_group_members) */
};

static const struct fake_user *fake_user(const char *user)
{
	for (size_t i = 0; i < sizeof(fake_users) / sizeof(*fake_users); i++) {
		if (strcmp(fake_users[i].name, user) == 0)
			return &fake_users[i];
	}
	return NULL;
}

static int fake_user_groups(void *ctx, const char *user, gid_t gid,
			    gid_t **groups, size_t *count)
{
	struct fake *f = ctx;
	const struct fake_user *u = fake_user(user);
	size_t n = u ? u->ngroups : 0;
	gid_t *list;

	f->user_calls++;
	if (f->fail_user) {
		errno = f->fail_user;
		return -1;
	}
	list = malloc(sizeof(*list) * (n + 1));
	if (!list)
		return -1;
	if (f->silent_user) {
		list[0] = gid;
		n = 1;
	} else if (u) {
		memcpy(list, u->groups, sizeof(*list) * n);
	}
	*groups = list;
	*count = n;
	return 0;
}

/* The member list (gr_mem) names @user when its groups hold @gid. */
static bool fake_lists(const struct fake *f, const char *user, gid_t gid)
{
	const struct fake_user *u = fake_user(user);

	for (size_t i = 0; u && !f->no_members && i < u->ngroups; i++) {
		if (u->groups[i] == gid)
			return true;
	}
	return false;
}

static int fake_group_info(void *ctx, const char *name, const char *user,
			   struct policy_group_info *info)
{
	struct fake *f = ctx;

	f->group_calls++;
	if (f->fail_group &&
	    (!f->fail_group_name || strcmp(f->fail_group_name, name) == 0)) {
		errno = f->fail_group > 0 ? f->fail_group : 0;
		return -1;
	}
	info->exists = false;
	for (size_t i = 0; i < sizeof(fake_groups) / sizeof(*fake_groups);
	     i++) {
		if (strcmp(fake_groups[i].name, name) == 0) {
			info->gid = fake_groups[i].gid;
			info->exists = true;
		}
	}
	info->lists_user = info->exists && fake_lists(f, user, info->gid);
	return 0;
}

/* Logins: user, uid, primary gid. */
static const struct policy_login ALICE = {"alice", 1000, 1000,
					  NULL,	   NULL, NULL};
static const struct policy_login BOB = {"bob", 1001, 100, NULL, NULL, NULL};
static const struct policy_login CAROL = {"carol", 1002, 3000,
					  NULL,	   NULL, NULL};
static const struct policy_login DAVE = {"dave", 1003, 100, NULL, NULL, NULL};
static const struct policy_login ROOT = {"root", 0, 0, NULL, NULL, NULL};

struct decided {
	int ret, err;
	struct policy_decision d; /* d.rule is gone with the policy */
	char rule_text[256];	  /* so here is its text: "" for no rule */
	char failure_text[256];	  /* policy_failure_text() of a failure */
	struct fake fake;
};

/*
 * Decides @login under @text; returns the matching rule's line, 0 for no
 * match, -1 for an error (or a policy that did not parse).
 */
static int decide_with(const char *text, const struct policy_login *login,
		       const struct fake *setup, struct decided *out)
{
	struct policy_diag diag = {0};
	struct policy *policy = NULL;
	struct policy_lookup lookup = {fake_user_groups, fake_group_info, NULL};
	struct decided local;
	int line;

	if (!out)
		out = &local;
	memset(out, 0, sizeof(*out));
	if (setup)
		out->fake = *setup;
	lookup.ctx = &out->fake;
	if (policy_parse("t", text, strlen(text), &diag, &policy) < 0) {
		printf("#   the test's policy does not parse: %s\n", text);
		return -2;
	}
	errno = 0;
	out->ret = policy_decide(policy, login, &lookup, &out->d);
	out->err = errno;
	line = out->ret < 0 ? -1 : out->d.rule ? (int)out->d.rule->line : 0;
	if (out->ret == 0 && out->d.rule &&
	    (out->d.action != out->d.rule->action ||
	     out->d.options != out->d.rule->options))
		line = -3; /* the decision disagrees with its rule */
	if (out->ret == 0 && !out->d.rule && out->d.action != POLICY_NONE)
		line = -4;
	if (out->d.rule)
		snprintf(out->rule_text, sizeof(out->rule_text), "%s",
			 out->d.rule->text);
	if (out->ret < 0)
		policy_failure_text(&out->d, out->err, out->failure_text,
				    sizeof(out->failure_text));
	out->d.failed_group = NULL; /* gone with the policy too */
	policy_free(policy);
	return line;
}

static int decide(const char *text, const struct policy_login *login)
{
	return decide_with(text, login, NULL, NULL);
}

/* @login with service, rhost and tty replaced. */
static struct policy_login with(const struct policy_login *login,
				const char *service, const char *rhost,
				const char *tty)
{
	struct policy_login l = *login;

	l.service = service;
	l.rhost = rhost;
	l.tty = tty;
	return l;
}

#define DECIDE(text, login, want, desc)                                        \
	expect_line(decide(text, login), want, desc)

static void expect_line(int got, int want, const char *desc)
{
	if (!unit_ok(got == want, "decide: %s", desc))
		printf("#   matched line %d, want %d\n", got, want);
}

static void test_decide_who(void)
{
	DECIDE("private alice\n", &ALICE, 1, "a user by name");
	DECIDE("private alice\n", &BOB, 0, "another user does not match");
	DECIDE("private Alice\n", &ALICE, 0, "user names are case-sensitive");
	DECIDE("private bob,alice\n", &ALICE, 1, "a user second in a list");
	DECIDE("private @students\n", &BOB, 1, "a supplementary group");
	DECIDE("private @users\n", &BOB, 1, "the primary group");
	DECIDE("private @examinees\n", &CAROL, 1,
	       "the primary group, absent from the group list");
	DECIDE("private @students\n", &ALICE, 0, "not a member");
	DECIDE("private @nosuchgroup\n", &ALICE, 0,
	       "a group that does not exist has no members");
	DECIDE("private @alice\n", &ALICE, 1, "@alice: alice's own group");
	DECIDE("private @alice\n", &BOB, 0, "@alice: not bob's group");
	DECIDE("shared ALL\n", &ALICE, 1, "ALL");
	DECIDE("private ALL,!bob\n", &ALICE, 1, "ALL,!bob: alice");
	DECIDE("private ALL,!bob\n", &BOB, 0, "ALL,!bob: not bob");
	DECIDE("private !bob,ALL\n", &BOB, 0, "exclusion first, same result");
	DECIDE("private bob,!bob\n", &BOB, 0, "an exclusion wins over a name");
	DECIDE("private @students,!bob\n", &BOB, 0,
	       "an exclusion wins over a group");
	DECIDE("private ALL,!@students\n", &BOB, 0, "!@students: not bob");
	DECIDE("private ALL,!@students\n", &ALICE, 1, "!@students: alice");
	DECIDE("private ALL,!@examinees\n", &CAROL, 0,
	       "!@group excludes by primary group");
	DECIDE("private !bob\n", &ALICE, 1, "exclusion only: everyone else");
	DECIDE("private !bob\n", &BOB, 0, "exclusion only: not the excluded");
	DECIDE("private !@students\n", &ALICE, 1,
	       "group exclusion only: everyone else");
	DECIDE("private !@students\n", &BOB, 0,
	       "group exclusion only: not a member");
	DECIDE("private !bob,!@kiosk\n", &DAVE, 0,
	       "two exclusions: the second applies");
	DECIDE("private !bob,!@kiosk\n", &ALICE, 1,
	       "two exclusions: others match");
	DECIDE("private @students,@kiosk\n", &DAVE, 1,
	       "the second group of a list");
}

static void test_decide_root(void)
{
	DECIDE("private ALL\n", &ROOT, 0, "root: ALL does not isolate root");
	DECIDE("shared ALL\n", &ROOT, 0, "root: nor with shared");
	DECIDE("join=x ALL\n", &ROOT, 0, "root: nor with join=");
	DECIDE("private @root\n", &ROOT, 0,
	       "root: its primary group does not isolate it");
	DECIDE("private @wheel\n", &ROOT, 0,
	       "root: a supplementary group does not isolate it");
	DECIDE("private !bob\n", &ROOT, 0,
	       "root: an exclusion-only WHO does not isolate it");
	DECIDE("private !@students\n", &ROOT, 0,
	       "root: a group-exclusion-only WHO does not isolate it");
	DECIDE("private root\n", &ROOT, 1, "root: private root isolates it");
	DECIDE("shared ALL,root\n", &ROOT, 1, "root: ALL,root names it");
	DECIDE("private @wheel,root\n", &ROOT, 1, "root: @wheel,root names it");
	DECIDE("private root,!@wheel\n", &ROOT, 0,
	       "root: named, but excluded by a group");
	DECIDE("private root,!root\n", &ROOT, 0, "root: named and excluded");
	DECIDE("none ALL\n", &ROOT, 1, "root: none ALL matches root");
	DECIDE("none @wheel\n", &ROOT, 1, "root: none @wheel matches root");
	DECIDE("none !bob\n", &ROOT, 1, "root: none !bob matches root");
	DECIDE("private ALL\nnone root\nprivate root\n", &ROOT, 2,
	       "root: passes over private ALL to the next rule");
	DECIDE("private ALL\n", &ALICE, 1, "root rule: others still match");
	{
		/* The special case is root's uid, whatever the name says. */
		struct policy_login toor = ROOT;

		toor.user = "toor";
		DECIDE("private ALL\n", &toor, 0,
		       "root: uid 0 under another name is still root");
	}
}

static void test_decide_conditions(void)
{
	struct policy_login l;

	/* service= */
	l = with(&ALICE, "sshd", NULL, NULL);
	DECIDE("private alice service=sshd,login\n", &l, 1, "service: sshd");
	l = with(&ALICE, "login", NULL, NULL);
	DECIDE("private alice service=sshd,login\n", &l, 1, "service: login");
	l = with(&ALICE, "su", NULL, NULL);
	DECIDE("private alice service=sshd,login\n", &l, 0, "service: su no");
	l = with(&ALICE, "SSHD", NULL, NULL);
	DECIDE("private alice service=sshd\n", &l, 0,
	       "service: case-sensitive");
	l = with(&ALICE, "ssh", NULL, NULL);
	DECIDE("private alice service=sshd\n", &l, 0, "service: no prefix");
	DECIDE("private alice service=sshd\n", &ALICE, 0,
	       "service: no PAM_SERVICE, no match");
	l = with(&ALICE, "", NULL, NULL);
	DECIDE("private alice service=sshd\n", &l, 0,
	       "service: empty PAM_SERVICE, no match");
	l = with(&ALICE, "cron", "10.0.0.1", "pts/1");
	DECIDE("private alice\n", &l, 1, "no condition: anything matches");

	/* from=LOCAL */
	DECIDE("private alice from=LOCAL\n", &ALICE, 1, "from LOCAL: no rhost");
	l = with(&ALICE, NULL, "", NULL);
	DECIDE("private alice from=LOCAL\n", &l, 1, "from LOCAL: empty rhost");
	l = with(&ALICE, NULL, "10.0.0.1", NULL);
	DECIDE("private alice from=LOCAL\n", &l, 0, "from LOCAL: an rhost");
	l = with(&ALICE, NULL, "localhost", NULL);
	DECIDE("private alice from=LOCAL\n", &l, 0,
	       "from LOCAL: rhost 'localhost' is not local");

	/* from=CIDR, IPv4 */
	l = with(&ALICE, NULL, "10.1.2.3", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 1, "from v4: inside");
	l = with(&ALICE, NULL, "11.0.0.1", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 0, "from v4: outside");
	DECIDE("private alice from=10.0.0.0/8\n", &ALICE, 0,
	       "from v4: a local login is not in a network");
	l = with(&ALICE, NULL, "::ffff:10.1.2.3", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 1,
	       "from v4: an IPv4-mapped IPv6 rhost inside");
	l = with(&ALICE, NULL, "::FFFF:10.1.2.3", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 1,
	       "from v4: a mapped rhost in capitals");
	l = with(&ALICE, NULL, "::ffff:11.1.2.3", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 0,
	       "from v4: a mapped rhost outside");
	l = with(&ALICE, NULL, "::ffff:a01:203", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 1,
	       "from v4: a mapped rhost in hex");
	/* A rule written in mapped form means the IPv4 network. */
	l = with(&ALICE, NULL, "10.1.2.3", NULL);
	DECIDE("private alice from=::ffff:10.0.0.0/104\n", &l, 1,
	       "from mapped rule: an IPv4 rhost inside");
	l = with(&ALICE, NULL, "::ffff:10.0.0.1", NULL);
	DECIDE("private alice from=::ffff:10.0.0.1\n", &l, 1,
	       "from mapped rule: the same mapped rhost");
	l = with(&ALICE, NULL, "11.0.0.1", NULL);
	DECIDE("private alice from=::ffff:10.0.0.0/104\n", &l, 0,
	       "from mapped rule: an IPv4 rhost outside");
	l = with(&ALICE, NULL, "192.168.0.5", NULL);
	DECIDE("private alice from=192.168.1.0/23\n", &l, 1,
	       "from v4: /23, host bits in the rule ignored (low half)");
	l = with(&ALICE, NULL, "192.168.1.250", NULL);
	DECIDE("private alice from=192.168.1.0/23\n", &l, 1,
	       "from v4: /23 (high half)");
	l = with(&ALICE, NULL, "192.168.2.1", NULL);
	DECIDE("private alice from=192.168.1.0/23\n", &l, 0,
	       "from v4: /23 (outside)");
	l = with(&ALICE, NULL, "172.16.0.129", NULL);
	DECIDE("private alice from=172.16.0.128/25\n", &l, 1,
	       "from v4: /25 in");
	l = with(&ALICE, NULL, "172.16.0.127", NULL);
	DECIDE("private alice from=172.16.0.128/25\n", &l, 0,
	       "from v4: /25 out");
	l = with(&ALICE, NULL, "192.0.2.7", NULL);
	DECIDE("private alice from=192.0.2.7\n", &l, 1, "from v4: a host");
	l = with(&ALICE, NULL, "192.0.2.8", NULL);
	DECIDE("private alice from=192.0.2.7\n", &l, 0,
	       "from v4: another host");
	l = with(&ALICE, NULL, "203.0.113.9", NULL);
	DECIDE("private alice from=0.0.0.0/0\n", &l, 1,
	       "from v4: /0 is any v4");
	l = with(&ALICE, NULL, "2001:db8::1", NULL);
	DECIDE("private alice from=0.0.0.0/0\n", &l, 0,
	       "from v4: /0 is not v6");

	/* from=CIDR, IPv6 */
	l = with(&ALICE, NULL, "2001:db8:1::1", NULL);
	DECIDE("private alice from=2001:db8::/32\n", &l, 1, "from v6: inside");
	l = with(&ALICE, NULL, "2001:DB8:FFFF::1", NULL);
	DECIDE("private alice from=2001:db8::/32\n", &l, 1,
	       "from v6: inside, in capitals");
	l = with(&ALICE, NULL, "2001:db9::1", NULL);
	DECIDE("private alice from=2001:db8::/32\n", &l, 0, "from v6: outside");
	l = with(&ALICE, NULL, "10.0.0.1", NULL);
	DECIDE("private alice from=2001:db8::/32\n", &l, 0,
	       "from v6: an IPv4 rhost");
	l = with(&ALICE, NULL, "fe80::1:2", NULL);
	DECIDE("private alice from=fe80::/10\n", &l, 1, "from v6: /10 in");
	l = with(&ALICE, NULL, "fec0::1", NULL);
	DECIDE("private alice from=fe80::/10\n", &l, 0, "from v6: /10 out");
	l = with(&ALICE, NULL, "0:0:0:0:0:0:0:1", NULL);
	DECIDE("private alice from=::1\n", &l, 1,
	       "from v6: the same address written otherwise");
	l = with(&ALICE, NULL, "::2", NULL);
	DECIDE("private alice from=::1\n", &l, 0, "from v6: another host");

	/* from=glob */
	l = with(&ALICE, NULL, "ws1.Lab.Example.COM", NULL);
	DECIDE("private alice from=*.lab.example.com\n", &l, 1,
	       "from glob: case-insensitive");
	l = with(&ALICE, NULL, "example.org", NULL);
	DECIDE("private alice from=*.lab.example.com\n", &l, 0,
	       "from glob: no match");
	DECIDE("private alice from=*\n", &ALICE, 0,
	       "from glob: '*' does not match a local login");
	l = with(&ALICE, NULL, "", NULL);
	DECIDE("private alice from=*\n", &l, 0,
	       "from glob: nor an empty rhost");
	l = with(&ALICE, NULL, "10.0.0.7", NULL);
	DECIDE("private alice from=10.0.0.*\n", &l, 1,
	       "from glob: an address as a string");
	l = with(&ALICE, NULL, "host-1", NULL);
	DECIDE("private alice from=HOST-?\n", &l, 1, "from glob: '?'");
	l = with(&ALICE, NULL, "10.1.2.3", NULL);
	DECIDE("private alice from=gw.example.com\n", &l, 0,
	       "from glob: names are never resolved");
	l = with(&ALICE, NULL, "gw.example.com", NULL);
	DECIDE("private alice from=10.0.0.0/8\n", &l, 0,
	       "from CIDR: a name rhost is not an address");
	l = with(&ALICE, NULL, "10.1.2.3", NULL);
	DECIDE("private alice from=LOCAL,192.0.2.0/24,10.0.0.0/8\n", &l, 1,
	       "from list: the third element");
	DECIDE("private alice from=LOCAL,192.0.2.0/24\n", &ALICE, 1,
	       "from list: LOCAL");

	/* tty= */
	l = with(&ALICE, NULL, NULL, "/dev/pts/3");
	DECIDE("private alice tty=pts/*\n", &l, 1,
	       "tty: /dev/ of PAM_TTY "
	       "dropped");
	l = with(&ALICE, NULL, NULL, "pts/3");
	DECIDE("private alice tty=pts/*\n", &l, 1, "tty: without /dev/");
	DECIDE("private alice tty=/dev/pts/*\n", &l, 1,
	       "tty: /dev/ of the pattern dropped");
	l = with(&ALICE, NULL, NULL, "tty3");
	DECIDE("private alice tty=tty[1-6]\n", &l, 1, "tty: a bracket glob");
	l = with(&ALICE, NULL, NULL, "/dev/tty7");
	DECIDE("private alice tty=tty[1-6]\n", &l, 0, "tty: outside it");
	l = with(&ALICE, NULL, NULL, "TTY3");
	DECIDE("private alice tty=tty[1-6]\n", &l, 0, "tty: case-sensitive");
	DECIDE("private alice tty=*\n", &ALICE, 0, "tty: no PAM_TTY, no match");
	l = with(&ALICE, NULL, NULL, ":0");
	DECIDE("private alice tty=:*\n", &l, 1, "tty: an X display");
	l = with(&ALICE, NULL, NULL, "ssh");
	DECIDE("private alice tty=pts/*,ssh\n", &l, 1,
	       "tty: the second "
	       "pattern");

	/* All conditions must hold. */
	{
		static const char rule[] = "private alice service=sshd "
					   "from=10.0.0.0/8 tty=pts/*\n";

		l = with(&ALICE, "sshd", "10.9.9.9", "/dev/pts/0");
		DECIDE(rule, &l, 1, "all three conditions hold");
		l = with(&ALICE, "login", "10.9.9.9", "/dev/pts/0");
		DECIDE(rule, &l, 0, "all three but service");
		l = with(&ALICE, "sshd", "192.0.2.1", "/dev/pts/0");
		DECIDE(rule, &l, 0, "all three but from");
		l = with(&ALICE, "sshd", "10.9.9.9", "tty1");
		DECIDE(rule, &l, 0, "all three but tty");
		l = with(&BOB, "sshd", "10.9.9.9", "/dev/pts/0");
		DECIDE(rule, &l, 0, "all three but the user");
	}
}

static void test_decide_order(void)
{
	struct decided out;
	static const char policy[] = "none alice\n"
				     "# comment\n"
				     "shared @students ipv6 hidepid\n"
				     "private ALL nonewprivs\n";

	expect_line(decide_with(policy, &ALICE, NULL, &out), 1,
		    "order: alice stops at the first rule");
	unit_ok(out.d.action == POLICY_NONE && out.d.options == 0 &&
		    out.d.rule && strcmp(out.rule_text, "none alice") == 0,
		"order: a none rule is a decision with its rule");
	expect_line(decide_with(policy, &BOB, NULL, &out), 3,
		    "order: bob matches the group rule");
	unit_ok(out.d.action == POLICY_SHARED &&
		    out.d.options == (POLICY_OPT_IPV6 | POLICY_OPT_HIDEPID),
		"order: the action and options are the rule's");
	expect_line(decide_with(policy, &CAROL, NULL, &out), 4,
		    "order: carol falls through to the last rule");
	unit_ok(out.d.action == POLICY_PRIVATE &&
		    out.d.options == POLICY_OPT_NONEWPRIVS,
		"order: private nonewprivs");
	expect_line(decide_with(policy, &ROOT, NULL, &out), 0,
		    "order: root matches nothing");
	unit_ok(out.d.action == POLICY_NONE && !out.d.rule &&
		    out.d.options == 0,
		"order: no match is none, no rule");
	expect_line(
	    decide_with("private alice\nnone alice\n", &ALICE, NULL, &out), 1,
	    "order: the first of two matching rules");
	expect_line(decide_with("none ALL\n", &ALICE, NULL, &out), 1,
		    "order: none ALL decides none");
}

static void test_decide_lookups(void)
{
	struct decided out;
	struct fake failing = {0};

	expect_line(
	    decide_with("private alice\nshared bob\n", &BOB, NULL, &out), 2,
	    "lookups: no group rule");
	unit_ok(!out.d.groups_looked_up && out.fake.user_calls == 0 &&
		    out.fake.group_calls == 0,
		"lookups: none when no rule names a group");
	expect_line(decide_with("private alice\nprivate @students\n", &ALICE,
				NULL, &out),
		    1, "lookups: a match before the group rule");
	unit_ok(!out.d.groups_looked_up && out.fake.user_calls == 0,
		"lookups: none when the group rule is not reached");
	expect_line(decide_with("private @students service=sshd\n"
				"private alice\n",
				&ALICE, NULL, &out),
		    2, "lookups: a group rule whose service does not match");
	unit_ok(!out.d.groups_looked_up && out.fake.user_calls == 0,
		"lookups: conditions are checked before groups");
	expect_line(
	    decide_with("private alice\nprivate @students\n", &BOB, NULL, &out),
	    2, "lookups: bob reaches the group rule");
	unit_ok(out.d.groups_looked_up && out.fake.user_calls == 1,
		"lookups: groups_looked_up when a group rule is reached");
	expect_line(decide_with("private @kiosk\nprivate @wheel\n"
				"private ALL,!@nonet\nprivate @students\n",
				&BOB, NULL, &out),
		    3, "lookups: several group rules");
	unit_ok(out.d.groups_looked_up && out.fake.user_calls == 1 &&
		    out.fake.group_calls == 3,
		"lookups: the user's groups are looked up once");
	expect_line(decide_with("private !@students\n", &ALICE, NULL, &out), 1,
		    "lookups: an excluded group");
	unit_ok(out.d.groups_looked_up,
		"lookups: an excluded group is a lookup too");
	expect_line(decide_with("private ALL\n", &ALICE, NULL, &out), 1,
		    "lookups: ALL");
	unit_ok(!out.d.groups_looked_up && out.fake.user_calls == 0,
		"lookups: ALL needs no lookup");

	/* Failures. */
	failing.fail_user = EAGAIN;
	expect_line(decide_with("private @students\n", &BOB, &failing, &out),
		    -1, "lookup failure: user_groups fails");
	unit_ok(out.ret == -1 && out.err == EAGAIN && !out.d.rule &&
		    out.d.action == POLICY_NONE,
		"lookup failure: -1 with the lookup's errno, no decision");
	expect_line(decide_with("private alice\nprivate @students\n", &ALICE,
				&failing, &out),
		    1, "lookup failure: not reached, no failure");
	expect_line(
	    decide_with("private ALL,!@students\n", &ALICE, &failing, &out), -1,
	    "lookup failure: in an exclusion");
	expect_line(
	    decide_with("private !bob,!@students\n", &BOB, &failing, &out), 0,
	    "lookup failure: excluded by name before the group");
	failing.fail_user = 0;
	failing.fail_group = ENOMEM;
	expect_line(decide_with("private @students\n", &BOB, &failing, &out),
		    -1, "lookup failure: group_info fails");
	unit_ok(out.err == ENOMEM && !out.d.rule,
		"lookup failure: group_info's errno kept");
	failing.fail_group = -1;
	expect_line(decide_with("private @students\n", &BOB, &failing, &out),
		    -1, "lookup failure: without errno");
	unit_ok(out.err == EIO, "lookup failure: errno EIO when the lookup "
				"left none");
	failing.fail_group = EIO;
	failing.fail_group_name = "kiosk";
	expect_line(decide_with("private @students\nprivate @kiosk\n", &BOB,
				&failing, &out),
		    1, "lookup failure: after a match, never reached");
	expect_line(
	    decide_with("private @students,@kiosk\n", &DAVE, &failing, &out),
	    -1, "lookup failure: the second group of a list");
	expect_line(decide_with("private @nonet\nprivate @kiosk\n"
				"private ALL\n",
				&ALICE, &failing, &out),
		    -1, "lookup failure: a failing rule is never passed over");
}

/*
 * The group's entry decides; the initgroups list (user_groups) only adds,
 * and a member it silently lacks is an error (see policy_match.c).
 */
static void test_decide_strength(void)
{
	struct fake silent = {.silent_user = true};
	struct fake empty = {.no_members = true};
	struct fake both = {.silent_user = true, .no_members = true};
	struct fake failing = {.fail_group = ENOENT};
	struct decided out;

	expect_line(decide_with("private @students\n", &BOB, NULL, &out), 1,
		    "strength: bob, listed in students and in his groups");
	expect_line(decide_with("private @students\n", &BOB, &silent, &out), -1,
		    "strength: listed, but initgroups silently short");
	unit_ok(out.d.failure == POLICY_FAILED_DISAGREE &&
		    strstr(out.failure_text, "group students lists the user"),
		"strength: ... a DISAGREE failure naming the group: %s",
		out.failure_text);
	expect_line(decide_with("private @students\n", &BOB, &empty, &out), 1,
		    "strength: empty member lists, initgroups adds bob");
	expect_line(decide_with("private @students\n", &BOB, &both, &out), 0,
		    "strength: empty member lists and silent initgroups: "
		    "not a member (the documented limit)");
	expect_line(decide_with("private @examinees\n", &CAROL, &silent, &out),
		    1, "strength: the primary group, from the user's entry");
	unit_ok(out.fake.user_calls == 0,
		"strength: ... needs no initgroups lookup");
	expect_line(decide_with("private @students\n", &BOB, &failing, &out),
		    -1, "strength: the group's lookup fails with ENOENT");
	unit_ok(out.err == ENOENT && out.d.failure == POLICY_FAILED_GROUP &&
		    strcmp(out.failure_text,
			   "group students: No such file or directory") == 0,
		"strength: ENOENT is a failure, not 'no such group': %s",
		out.failure_text);
	expect_line(decide_with("private @nosuchgroup\n", &BOB, NULL, &out), 0,
		    "strength: a group that does not exist has no members");
}

/* Without lookups: the rules that may apply (for the unisolated record). */
static void test_rules_may_apply(void)
{
	static const char text[] = "none alice\nprivate @students\n"
				   "private ALL,!@wheel\nprivate bob\n"
				   "private ALL,!alice\nprivate root\n";
	struct parsed *p = parse(text);
	const struct policy_rule **rules = NULL;
	size_t n = 0;

	unit_ok(p->policy &&
		    policy_rules_for_user(p->policy, &ALICE, NULL, &rules,
					  &n) == 0 &&
		    n == 3 && rules[0]->line == 1 && rules[1]->line == 2 &&
		    rules[2]->line == 3,
		"may apply: alice: her rule, the group, the excluded group");
	free(rules);
	rules = NULL;
	unit_ok(p->policy &&
		    policy_rules_for_user(p->policy, &ROOT, NULL, &rules, &n) ==
			0 &&
		    n == 1 && rules[0]->line == 6,
		"may apply: root: only the rule naming it");
	free(rules);
	parsed_free(p);
}

int main(void)
{
	unit_start("test_policy", 324);
	test_parse_example();
	test_parse_constructs();
	test_parse_many();
	test_parse_masks();
	test_parse_warnings();
	test_parse_no_rules();
	test_parse_errors();
	test_parse_bytes();
	test_parse_several();
	test_parse_hash();
	test_names();
	test_load();
	test_decide_who();
	test_decide_root();
	test_decide_conditions();
	test_decide_order();
	test_decide_lookups();
	test_decide_strength();
	test_rules_may_apply();
	return unit_done();
}
