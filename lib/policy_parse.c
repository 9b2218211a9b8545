// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy_parse: nonet.conf's syntax.
 *
 *   ACTION  WHO  [service=LIST] [from=LIST] [tty=LIST] [OPTION...]  # comment
 *
 * As doas does, every error is reported with its line and parsing goes
 * on, so that one run shows them all; a file with any error yields no
 * policy at all (the caller fails closed).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "policy.h"
#include "uplink.h"

struct parser {
	const char *file;
	struct policy_diag *diag;
	unsigned int line;
	unsigned int line_errors;
	bool nomem;
};

static void report(struct parser *p, enum policy_severity severity,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(struct parser *p, enum policy_severity severity,
		   const char *fmt, ...)
{
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (severity == POLICY_ERROR) {
		p->diag->errors++;
		p->line_errors++;
	} else {
		p->diag->warnings++;
	}
	if (p->diag->fn)
		p->diag->fn(p->diag->data, severity, p->file, p->line, message);
}

static char *dup_or_flag(struct parser *p, const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		p->nomem = true;
	return copy;
}

/* Splits "a,b,c" into a new array of copies; empty elements are errors. */
static char **split_list(struct parser *p, const char *what, char *value,
			 size_t *count)
{
	size_t n = 1, i = 0;
	char **items, *next;

	for (const char *c = value; *c; c++)
		n += *c == ',';
	items = calloc(n, sizeof(*items));
	if (!items) {
		p->nomem = true;
		return NULL;
	}
	for (char *item = value; item; item = next, i++) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (*item == '\0') {
			report(p, POLICY_ERROR,
			       "empty element in the %s list "
			       "(lists are comma-separated, without spaces)",
			       what);
			break;
		}
		items[i] = dup_or_flag(p, item);
		if (!items[i])
			break;
	}
	*count = i;
	return items;
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; items && i < n; i++)
		free(items[i]);
	free(items);
}

static void rule_free(struct policy_rule *r)
{
	for (size_t i = 0; i < r->nwho; i++)
		free(r->who[i].name);
	free(r->who);
	free_list(r->services, r->nservices);
	for (size_t i = 0; i < r->nfrom; i++)
		free(r->from[i].glob);
	free(r->from);
	free_list(r->ttys, r->nttys);
	free_list(r->mask_paths, r->nmask_paths);
	free(r->join_name);
	free(r->uplink);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* A namespace name for /run/netns: a plain file name. */
static bool plain_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0 && strlen(name) < 256;
}

static void parse_action(struct parser *p, const char *word,
			 struct policy_rule *r)
{
	if (strcmp(word, "none") == 0) {
		r->action = POLICY_NONE;
	} else if (strcmp(word, "private") == 0) {
		r->action = POLICY_PRIVATE;
	} else if (strcmp(word, "shared") == 0) {
		r->action = POLICY_SHARED;
	} else if (strncmp(word, "join=", 5) == 0) {
		r->action = POLICY_JOIN;
		if (!plain_name(word + 5))
			report(p, POLICY_ERROR,
			       "join= needs a namespace name "
			       "without '/' (got '%s')",
			       word + 5);
		else
			r->join_name = dup_or_flag(p, word + 5);
	} else {
		report(p, POLICY_ERROR,
		       "unknown action '%s' (expected none, "
		       "private, shared or join=NAME)",
		       word);
	}
}

/* One WHO element: name, @group, ALL, !name, !@group. */
static void parse_who_item(struct parser *p, const char *item,
			   struct policy_who *who)
{
	who->exclude = *item == '!';
	if (who->exclude)
		item++;
	who->group = *item == '@';
	if (who->group)
		item++;
	if (*item == '\0') {
		report(p, POLICY_ERROR, "empty user or group name in WHO");
		return;
	}
	if (!who->group && strcmp(item, "ALL") == 0) {
		if (who->exclude)
			report(p, POLICY_ERROR,
			       "'!ALL' excludes everyone: "
			       "write a rule with action none instead");
		return; /* name NULL: everyone */
	}
	who->name = dup_or_flag(p, item);
}

static void parse_who(struct parser *p, char *word, struct policy_rule *r)
{
	size_t n;
	char **items = split_list(p, "WHO", word, &n);

	if (!items)
		return;
	r->who = calloc(n ? n : 1, sizeof(*r->who));
	if (!r->who) {
		p->nomem = true;
		free_list(items, n);
		return;
	}
	r->nwho = n;
	for (size_t i = 0; i < n; i++)
		parse_who_item(p, items[i], &r->who[i]);
	free_list(items, n);
}

/* "10.0.0.0/8", "2001:db8::/32", or a plain address (a host route). */
static int parse_net(const char *text, struct policy_from *from)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned int max;
	char *end;

	if (len >= sizeof(addr))
		return -1;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, from->addr) == 1)
		from->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, from->addr) == 1)
		from->family = AF_INET6;
	else
		return -1;
	max = from->family == AF_INET ? 32 : 128;
	from->prefixlen = max;
	if (slash) {
		unsigned long n;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		n = strtoul(slash + 1, &end, 10);
		if (errno || *end || n > max)
			return -1;
		from->prefixlen = (unsigned int)n;
	}
	/* The matcher sees a mapped rhost as IPv4: so must the rule. */
	if (from->family == AF_INET6 && from->prefixlen >= 96 &&
	    IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)from->addr)) {
		memmove(from->addr, from->addr + 12, 4);
		from->family = AF_INET;
		from->prefixlen -= 96;
	}
	from->kind = FROM_NET;
	return 0;
}

static void parse_from_item(struct parser *p, const char *item,
			    struct policy_from *from)
{
	if (strcmp(item, "LOCAL") == 0) {
		from->kind = FROM_LOCAL;
	} else if (parse_net(item, from) == 0) {
		return;
	} else if (strchr(item, '/')) {
		report(p, POLICY_ERROR,
		       "bad address or CIDR '%s' in from=", item);
	} else {
		/* A host name or glob: matched as a string, never resolved. */
		from->kind = FROM_GLOB;
		from->glob = dup_or_flag(p, item);
	}
}

static void parse_from(struct parser *p, char *value, struct policy_rule *r)
{
	size_t n;
	char **items = split_list(p, "from=", value, &n);

	if (!items)
		return;
	r->from = calloc(n ? n : 1, sizeof(*r->from));
	if (!r->from)
		p->nomem = true;
	for (size_t i = 0; r->from && i < n; i++)
		parse_from_item(p, items[i], &r->from[i]);
	if (r->from)
		r->nfrom = n;
	free_list(items, n);
}

/* tty= patterns are matched against PAM_TTY without "/dev/". */
static void strip_dev(char **ttys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strncmp(ttys[i], "/dev/", 5) == 0)
			memmove(ttys[i], ttys[i] + 5, strlen(ttys[i] + 5) + 1);
	}
}

/* The option words, of rules and of the module's arguments alike. */
static const struct {
	const char *word;
	unsigned int bit;
} option_words[] = {
    {"ipv6", POLICY_OPT_IPV6},
    {"nonewprivs", POLICY_OPT_NONEWPRIVS},
    {"lockdown", POLICY_OPT_LOCKDOWN},
    {"sysfs", POLICY_OPT_SYSFS},
    {"hidepid", POLICY_OPT_HIDEPID},
    {"single_thread", POLICY_OPT_SINGLE_THREAD},
    {"nomask", POLICY_OPT_NOMASK},
};

unsigned int policy_option_bit(const char *word)
{
	for (size_t i = 0; i < sizeof(option_words) / sizeof(*option_words);
	     i++) {
		if (strcmp(word, option_words[i].word) == 0)
			return option_words[i].bit;
	}
	return 0;
}

static void parse_option(struct parser *p, const char *word,
			 struct policy_rule *r)
{
	unsigned int bit = policy_option_bit(word);

	if (!bit)
		report(p, POLICY_ERROR, "unknown option '%s'", word);
	else if (r->options & bit)
		report(p, POLICY_WARNING, "option %s given twice", word);
	r->options |= bit;
}

/* mask=PATH,...: absolute, clean paths (see mask_path_clean()). */
static void parse_mask(struct parser *p, char *value, struct policy_rule *r)
{
	r->mask_paths = split_list(p, "mask=", value, &r->nmask_paths);
	for (size_t i = 0; i < r->nmask_paths; i++) {
		if (!mask_path_clean(r->mask_paths[i]))
			report(p, POLICY_ERROR,
			       "mask= needs absolute paths "
			       "without '//', '.', '..' or a trailing '/' "
			       "(got '%s')",
			       r->mask_paths[i]);
	}
}

/* uplink=NAME: an uplink's name (uplink_name_valid()), once. */
static void parse_uplink(struct parser *p, const char *value,
			 struct policy_rule *r)
{
	if (!uplink_name_valid(value))
		report(p, POLICY_ERROR,
		       "uplink= needs an uplink name: a lowercase letter, "
		       "then up to %d lowercase letters or digits (got '%s')",
		       UPLINK_NAME_MAX - 1, value);
	else
		r->uplink = dup_or_flag(p, value);
}

/* A condition "key=LIST", mask=LIST, uplink=NAME, or an option word. */
static void parse_word(struct parser *p, char *word, struct policy_rule *r)
{
	char *eq = strchr(word, '=');
	char *value = eq ? eq + 1 : NULL;
	bool dup;

	if (!eq) {
		parse_option(p, word, r);
		return;
	}
	*eq = '\0';
	if (strcmp(word, "service") == 0) {
		dup = r->services != NULL;
		if (!dup)
			r->services =
			    split_list(p, "service=", value, &r->nservices);
	} else if (strcmp(word, "from") == 0) {
		dup = r->from != NULL;
		if (!dup)
			parse_from(p, value, r);
	} else if (strcmp(word, "tty") == 0) {
		dup = r->ttys != NULL;
		if (!dup) {
			r->ttys = split_list(p, "tty=", value, &r->nttys);
			strip_dev(r->ttys, r->nttys);
		}
	} else if (strcmp(word, "mask") == 0) {
		dup = r->mask_paths != NULL;
		if (!dup)
			parse_mask(p, value, r);
	} else if (strcmp(word, "uplink") == 0) {
		dup = r->uplink != NULL;
		if (!dup)
			parse_uplink(p, value, r);
	} else {
		report(p, POLICY_ERROR,
		       "unknown condition '%s=' (expected "
		       "service=, from= or tty=, or the options mask= and "
		       "uplink=)",
		       word);
		return;
	}
	if (dup)
		report(p, POLICY_ERROR, "duplicate %s=%s", word,
		       strcmp(word, "mask") == 0     ? " (list the paths "
						       "comma-separated)"
		       : strcmp(word, "uplink") == 0 ? " (a session has one "
						       "uplink)"
						     : " condition");
}

/* Options that make no sense with the rule's action. */
static void check_options(struct parser *p, const struct policy_rule *r)
{
	if (r->action == POLICY_NONE &&
	    (r->options || r->mask_paths || r->uplink))
		report(p, POLICY_ERROR, "action none takes no options");
	else if (r->uplink && r->action != POLICY_PRIVATE)
		report(p, POLICY_ERROR,
		       "uplink= applies only to private (each session gets "
		       "its own link; %s sessions share a namespace)",
		       policy_action_name(r->action));
	else if (r->action == POLICY_JOIN && (r->options & POLICY_OPT_IPV6))
		report(p, POLICY_ERROR,
		       "option ipv6 applies only to private "
		       "and shared (join= leaves the namespace as it is)");
}

/* Appends @word to the rule's normalised text. */
static void add_text(struct parser *p, struct policy_rule *r, const char *word)
{
	size_t old = r->text ? strlen(r->text) : 0;
	size_t len = strlen(word);
	char *text = realloc(r->text, old + len + 2);

	if (!text) {
		p->nomem = true;
		return;
	}
	if (old)
		text[old++] = ' ';
	memcpy(text + old, word, len + 1);
	r->text = text;
}

/* Parses one line's fields (comment already cut off) into @r. */
static void parse_fields(struct parser *p, char *line, struct policy_rule *r)
{
	static const char space[] = " \t\r\v\f";
	char *save = NULL, *word;
	unsigned int n = 0;

	for (word = strtok_r(line, space, &save); word && !p->nomem;
	     word = strtok_r(NULL, space, &save), n++) {
		add_text(p, r, word);
		if (n == 0)
			parse_action(p, word, r);
		else if (n == 1)
			parse_who(p, word, r);
		else
			parse_word(p, word, r);
	}
	if (n == 1)
		report(p, POLICY_ERROR, "missing WHO after the action");
	if (n >= 2)
		check_options(p, r);
}

/* Length of the UTF-8 sequence at @s (at most @left bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

static bool utf8_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Grows the rule array when its count reaches a power of two. */
static struct policy_rule *next_rule(struct parser *p, struct policy *policy)
{
	size_t n = policy->nrules;

	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		struct policy_rule *rules =
		    reallocarray(policy->rules, n ? n * 2 : 8, sizeof(*rules));
		if (!rules) {
			p->nomem = true;
			return NULL;
		}
		policy->rules = rules;
	}
	memset(&policy->rules[n], 0, sizeof(policy->rules[n]));
	return &policy->rules[n];
}

/* One physical line, without its newline. */
static void parse_line(struct parser *p, struct policy *policy,
		       const char *text, size_t len)
{
	char buf[POLICY_LINE_MAX + 1], *hash;
	struct policy_rule *r;

	p->line_errors = 0;
	if (len > POLICY_LINE_MAX) {
		report(p, POLICY_ERROR,
		       "line is %zu bytes long; the limit is "
		       "%d",
		       len, POLICY_LINE_MAX);
		return;
	}
	if (memchr(text, '\0', len)) {
		report(p, POLICY_ERROR, "NUL byte in the line");
		return;
	}
	if (!utf8_valid(text, len)) {
		report(p, POLICY_ERROR, "the line is not valid UTF-8");
		return;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	hash = strchr(buf, '#');
	if (hash)
		*hash = '\0';
	r = next_rule(p, policy);
	if (!r)
		return;
	r->line = p->line;
	parse_fields(p, buf, r);
	if (!r->text || p->line_errors || p->nomem)
		rule_free(r); /* blank, comment-only, or wrong */
	else
		policy->nrules++;
}

/* FNV-1a: cheap, and enough to notice that the file changed. */
static uint64_t fnv1a(const char *text, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001b3ULL;
	return h;
}

int policy_parse(const char *file, const char *text, size_t len,
		 struct policy_diag *diag, struct policy **out)
{
	struct parser p = {.file = file, .diag = diag};
	struct policy *policy = calloc(1, sizeof(*policy));
	unsigned int errors = diag->errors;

	*out = NULL;
	if (!policy || !(policy->file = strdup(file))) {
		free(policy);
		return -1;
	}
	policy->hash = fnv1a(text, len);
	for (size_t start = 0; start < len && !p.nomem;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;

		p.line++;
		parse_line(&p, policy, text + start, end - start);
		start = end + 1;
	}
	/*
	 * Empty, comments only, or truncated by a full disk or a rewrite in
	 * place: not a policy.  One that isolates nobody says "none ALL".
	 */
	if (!p.nomem && policy->nrules == 0 && diag->errors == errors) {
		p.line = 0;
		report(&p, POLICY_ERROR,
		       "no rules (a policy that isolates "
		       "nobody says so with \"none ALL\")");
	}
	if (p.nomem || diag->errors != errors) {
		policy_free(policy);
		errno = p.nomem ? ENOMEM : EINVAL;
		return -1;
	}
	*out = policy;
	return 0;
}

void policy_free(struct policy *policy)
{
	int saved = errno;

	if (!policy)
		return;
	for (size_t i = 0; i < policy->nrules; i++)
		rule_free(&policy->rules[i]);
	free(policy->rules);
	free(policy->file);
	free(policy);
	errno = saved;
}

const char *policy_action_name(enum policy_action action)
{
	switch (action) {
	case POLICY_NONE: return "none";
	case POLICY_PRIVATE: return "private";
	case POLICY_SHARED: return "shared";
	case POLICY_JOIN: return "join";
	}
	return "?";
}

const char *policy_options_text(unsigned int options, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(option_words) / sizeof(*option_words);
	     i++) {
		int n;

		if (!(options & option_words[i].bit))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? " " : "",
			     option_words[i].word);
		if (n < 0 || (size_t)n >= size - used)
			break; /* cut short rather than overflow */
		used += (size_t)n;
	}
	return buf;
}
