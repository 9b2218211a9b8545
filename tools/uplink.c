// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet uplink up|down: build and take down an exam uplink (lib/uplink.h)
 * in the caller's network namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pin.h"
#include "proc.h"
#include "tool.h"
#include "uplink.h"
#include "uplink_cmd.h"
#include "paths.h"

#define FORWARD4 "/proc/sys/net/ipv4/ip_forward"
#define FORWARD6 "/proc/sys/net/ipv6/conf/all/forwarding"

static int sysctl_read(const char *path, int *value)
{
	char buf[16] = "", *end;
	FILE *f = fopen(path, "re");
	long v;

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	v = strtol(buf, &end, 10);
	if (end == buf || v < 0 || v > 2) {
		errno = EPROTO;
		return -1;
	}
	*value = (int)v;
	return 0;
}

static int sysctl_write(const char *path, int value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", value);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, (size_t)len);
	if (close(fd) < 0 && n >= 0)
		return -1;
	if (n != len) {
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* Whether the networks @a and @b share an address. */
static bool overlap(const struct uplink_allow *a, const struct uplink_allow *b)
{
	unsigned int bits =
	    a->prefixlen < b->prefixlen ? a->prefixlen : b->prefixlen;

	if (a->family != b->family)
		return false;
	for (unsigned int i = 0; i < bits; i++) {
		uint8_t mask = (uint8_t)(0x80 >> (i % 8));

		if ((a->addr[i / 8] & mask) != (b->addr[i / 8] & mask))
			return false;
	}
	return true;
}

/* --pool / --pool6 @text (or @fallback) into @pool; a message if wrong. */
static int parse_pool(const char *option, const char *text,
		      const char *fallback, int family, unsigned int max_len,
		      struct uplink_allow *pool)
{
	const char *why = NULL;

	if (uplink_allow_parse(text ? text : fallback, pool, &why) < 0 ||
	    pool->family != family || pool->port || pool->proto ||
	    pool->prefixlen > max_len) {
		tool_error("uplink up: %s '%s': %s", option,
			   text ? text : fallback,
			   why ? why
			   : family == AF_INET
			       ? "not an IPv4 network of /30 or more addresses"
			       : "not an IPv6 network of /126 or more "
				 "addresses");
		return -1;
	}
	return 0;
}

/* The ALLOW words into @conf; a message for the first wrong one. */
static int parse_allow(const struct uplink_up_opts *opts,
		       struct uplink_conf *conf)
{
	if (opts->nallow == 0 || opts->nallow > UPLINK_ALLOW_MAX) {
		tool_error("uplink up: give 1 to %d ALLOW words "
			   "(ADDRESS[/PREFIX][:PORT][/tcp|/udp])",
			   UPLINK_ALLOW_MAX);
		return -1;
	}
	conf->allow = calloc(opts->nallow, sizeof(*conf->allow));
	if (!conf->allow) {
		tool_error("uplink up: %m");
		return -1;
	}
	for (size_t i = 0; i < opts->nallow; i++) {
		const char *why;

		if (uplink_allow_parse(opts->allow[i], &conf->allow[i], &why) <
		    0) {
			tool_error("uplink up: ALLOW '%s': %s", opts->allow[i],
				   why);
			return -1;
		}
		conf->nallow++;
		if (conf->allow[i].family == AF_INET6)
			conf->has_pool6 = true;
	}
	return 0;
}

/* An ALLOW entry inside the sessions' own pool would let them meet. */
static int check_overlap(const struct uplink_conf *conf,
			 const struct uplink_allow *pool)
{
	for (size_t i = 0; i < conf->nallow; i++) {
		char word[96];

		if (!overlap(&conf->allow[i], pool))
			continue;
		uplink_allow_format(&conf->allow[i], word, sizeof(word));
		tool_error("uplink up: ALLOW '%s' overlaps the sessions' "
			   "address pool (choose another with --pool or "
			   "--pool6)",
			   word);
		return -1;
	}
	return 0;
}

/* What the command line says, into @conf (zeroed by the caller). */
static int up_conf(const struct uplink_up_opts *opts, struct uplink_conf *conf)
{
	struct uplink_allow pool4, pool6;

	if (!uplink_name_valid(opts->name)) {
		tool_error("uplink up: '%s' is not an uplink name (a letter, "
			   "then up to %d letters or digits, lower case)",
			   opts->name, UPLINK_NAME_MAX - 1);
		return -1;
	}
	memcpy(conf->name, opts->name, strlen(opts->name) + 1);
	if (parse_allow(opts, conf) < 0 ||
	    parse_pool("--pool", opts->pool, UPLINK_POOL4_DEFAULT, AF_INET, 30,
		       &pool4) < 0 ||
	    check_overlap(conf, &pool4) < 0)
		return -1;
	memcpy(conf->pool4, pool4.addr, 4);
	conf->pool4_len = pool4.prefixlen;
	if (opts->pool6 && !conf->has_pool6) {
		tool_error("uplink up: --pool6 without an IPv6 ALLOW word");
		return -1;
	}
	if (conf->has_pool6) {
		if (parse_pool("--pool6", opts->pool6, UPLINK_POOL6_DEFAULT,
			       AF_INET6, 126, &pool6) < 0 ||
		    check_overlap(conf, &pool6) < 0)
			return -1;
		memcpy(conf->pool6, pool6.addr, 16);
		conf->pool6_len = pool6.prefixlen;
	}
	conf->nat = !opts->no_nat;
	conf->forward6_was = -1;
	return 0;
}

/* What the other uplinks up in one namespace need and guard. */
struct siblings {
	bool any;  /* another uplink is up there (all use IPv4) */
	bool any6; /* one of them has IPv6 leases */
	/* One whose table drops other forwarded IPv4 (IPv6) packets. */
	char guard4[UPLINK_NAME_MAX + 1], guard6[UPLINK_NAME_MAX + 1];
};

/* Every uplink but @name up in namespace (@dev, @ino), into @sb. */
static int siblings_read(const char *name, uint64_t dev, uint64_t ino,
			 struct siblings *sb)
{
	char **names;
	size_t count;

	memset(sb, 0, sizeof(*sb));
	if (uplink_names(&names, &count) < 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		struct uplink_conf o;

		if (strcmp(names[i], name) == 0 ||
		    uplink_conf_read(names[i], &o) < 0)
			continue;
		if (o.netns_dev == dev && o.netns_ino == ino) {
			sb->any = true;
			sb->any6 |= o.has_pool6;
			if (o.forward_was == 0)
				memcpy(sb->guard4, o.name, sizeof(o.name));
			if (o.has_pool6 && o.forward6_was == 0)
				memcpy(sb->guard6, o.name, sizeof(o.name));
		}
		uplink_conf_free(&o);
	}
	uplink_names_free(names, count);
	return 0;
}

/* What `up` made so far, for undoing it. */
struct up_state {
	struct uplink_conf conf;
	char dir[UPLINK_PATH_MAX], leases[UPLINK_PATH_MAX];
	char pin[UPLINK_PATH_MAX], confpath[UPLINK_PATH_MAX];
	bool dir_made, leases_made, pin_made, table_made, conf_made;
	bool forward4_set, forward6_set;
};

static void up_undo(struct up_state *s)
{
	if (s->forward6_set)
		(void)sysctl_write(FORWARD6, s->conf.forward6_was);
	if (s->forward4_set)
		(void)sysctl_write(FORWARD4, s->conf.forward_was);
	if (s->conf_made)
		(void)unlink(s->confpath);
	if (s->table_made)
		(void)uplink_nft_delete(s->conf.name);
	if (s->pin_made)
		(void)pin_remove(s->pin);
	if (s->leases_made)
		(void)rmdir(s->leases);
	if (s->dir_made)
		(void)rmdir(s->dir);
}

/* UPLINK_DIR/NAME and its leases/, made new (EEXIST: up already). */
static int up_dirs(struct up_state *s)
{
	if ((mkdir(NONET_RUN_DIR, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(UPLINK_DIR, 0700) < 0 && errno != EEXIST)) {
		tool_error("uplink up: cannot make %s: %m", UPLINK_DIR);
		return -1;
	}
	if (mkdir(s->dir, 0700) < 0) {
		if (errno == EEXIST)
			tool_error("uplink up: uplink %s is up already (%s "
				   "exists; `nonet uplink down %s` first)",
				   s->conf.name, s->dir, s->conf.name);
		else
			tool_error("uplink up: cannot make %s: %m", s->dir);
		return -1;
	}
	s->dir_made = true;
	if (mkdir(s->leases, 0700) < 0) {
		tool_error("uplink up: cannot make %s: %m", s->leases);
		return -1;
	}
	s->leases_made = true;
	return 0;
}

/* Pins the caller's namespace and reads its identity into the conf. */
static int up_pin(struct up_state *s)
{
	dev_t dev;
	ino_t ino;
	int fd;

	if (pin_create(s->pin) < 0) {
		tool_error("uplink up: cannot pin this network namespace at "
			   "%s: %m",
			   s->pin);
		return -1;
	}
	s->pin_made = true;
	if (uplink_open_netns(s->conf.name, &fd) < 0 ||
	    pin_identity(fd, &dev, &ino) < 0) {
		tool_error("uplink up: cannot open %s: %m", s->pin);
		return -1;
	}
	close(fd);
	s->conf.netns_dev = dev;
	s->conf.netns_ino = ino;
	return 0;
}

/*
 * The forwarding values to record.  A sibling whose guard (forwarding was
 * off before it) covers a family this uplink uses would drop its
 * sessions' packets: refused.
 */
static int up_forwarding(struct up_state *s)
{
	struct siblings sb;
	const char *guard;

	if (siblings_read(s->conf.name, s->conf.netns_dev, s->conf.netns_ino,
			  &sb) < 0) {
		tool_error("uplink up: cannot read %s: %m", UPLINK_DIR);
		return -1;
	}
	guard = *sb.guard4			  ? sb.guard4
		: s->conf.has_pool6 && *sb.guard6 ? sb.guard6
						  : NULL;
	if (guard) {
		tool_error("uplink up: uplink %s is up in this namespace and "
			   "forwarding was off before it: its table drops "
			   "other forwarded packets, this uplink's too",
			   guard);
		return -1;
	}
	if (sysctl_read(FORWARD4, &s->conf.forward_was) < 0 ||
	    (s->conf.has_pool6 &&
	     sysctl_read(FORWARD6, &s->conf.forward6_was) < 0)) {
		tool_error("uplink up: cannot read the forwarding sysctls "
			   "(%s, %s): %m",
			   FORWARD4, FORWARD6);
		return -1;
	}
	return 0;
}

static int up_table_conf(struct up_state *s)
{
	if (uplink_nft_create(&s->conf) < 0) {
		tool_error("uplink up: cannot create table inet nonet_%s: "
			   "%m%s",
			   s->conf.name,
			   errno == EEXIST ? " (a table of that name is "
					     "there already)"
					   : "");
		return -1;
	}
	s->table_made = true;
	if (uplink_conf_write(&s->conf) < 0) {
		tool_error("uplink up: cannot write %s: %m", s->confpath);
		return -1;
	}
	s->conf_made = true;
	if (sysctl_write(FORWARD4, 1) < 0) {
		tool_error("uplink up: cannot turn forwarding on (%s): %m",
			   FORWARD4);
		return -1;
	}
	s->forward4_set = true;
	if (s->conf.has_pool6 && sysctl_write(FORWARD6, 1) < 0) {
		tool_error("uplink up: cannot turn forwarding on (%s): %m",
			   FORWARD6);
		return -1;
	}
	s->forward6_set = s->conf.has_pool6;
	return 0;
}

/*
 * The pin is a mount, seen only where it propagates.  Logins start in PID
 * 1's mount namespace (sshd, login, a display manager); a pin made from a
 * unit with PrivateTmp= or ProtectSystem= (a slave of PID 1's) or after
 * `unshare -m` never reaches them: they find the conf (/run is shared) but
 * no namespace on the pin, and are refused.
 */
static void warn_mntns(const char *name)
{
	bool same;

	if (proc_same_mntns(1, &same) < 0 || same)
		return;
	fprintf(stderr,
		"nonet: warning: uplink %s is pinned in a mount namespace "
		"that is not PID 1's: logins started from PID 1's (sshd, "
		"login, a display manager) will not see it and are refused "
		"(\"cannot open the uplink's namespace\"); run `nonet uplink "
		"up` in PID 1's mount namespace (not from a unit with "
		"PrivateTmp=, ProtectSystem= or the like)\n",
		name);
}

int uplink_cmd_up(const struct uplink_up_opts *opts)
{
	struct up_state s = {0};
	int status = TOOL_ERROR;

	if (up_conf(opts, &s.conf) < 0)
		goto out;
	if (uplink_path(s.conf.name, "", s.dir, sizeof(s.dir)) < 0 ||
	    uplink_path(s.conf.name, "leases", s.leases, sizeof(s.leases)) <
		0 ||
	    uplink_path(s.conf.name, "netns", s.pin, sizeof(s.pin)) < 0 ||
	    uplink_path(s.conf.name, "conf", s.confpath, sizeof(s.confpath)) <
		0) {
		tool_error("uplink up: %m");
		goto out;
	}
	if (up_dirs(&s) < 0 || up_pin(&s) < 0 || up_forwarding(&s) < 0 ||
	    up_table_conf(&s) < 0) {
		up_undo(&s);
		goto out;
	}
	printf("uplink %s up: table inet nonet_%s, %zu allowed, %u leases, "
	       "%s; net.ipv4.ip_forward %d -> 1",
	       s.conf.name, s.conf.name, s.conf.nallow,
	       uplink_lease_max(&s.conf), s.conf.nat ? "nat" : "no nat",
	       s.conf.forward_was);
	if (s.conf.has_pool6)
		printf(", net.ipv6.conf.all.forwarding %d -> 1",
		       s.conf.forward6_was);
	putchar('\n');
	warn_mntns(s.conf.name);
	status = TOOL_OK;
out:
	uplink_conf_free(&s.conf);
	return status;
}

/* Refuses to go on while leases exist (unless @force), naming them. */
static int down_check_leases(const char *name,
			     const struct uplink_lease_owner *owners,
			     size_t count, bool force)
{
	if (count == 0 || force)
		return 0;
	tool_error("uplink down: uplink %s has %zu session%s:", name, count,
		   count == 1 ? "" : "s");
	for (size_t i = 0; i < count; i++)
		fprintf(
		    stderr, "  lease %u: link n%s-%u, process %d, session %s\n",
		    owners[i].index, name, owners[i].index, (int)owners[i].pid,
		    owners[i].record[0] ? owners[i].record : "-");
	fprintf(stderr,
		"End those sessions first, or use --force: it deletes their "
		"links (which cuts them off) and releases the leases.\n");
	return -1;
}

/* In the uplink's namespace: the sessions' links and elements, the table. */
static int down_inside(const struct uplink_conf *conf,
		       const struct uplink_lease_owner *owners, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct uplink_lease l;

		if (uplink_lease_compute(conf, owners[i].index, &l) < 0)
			snprintf(l.host_if, sizeof(l.host_if), "n%s-%u",
				 conf->name, owners[i].index & 0xffffU);
		if (uplink_link_delete(l.host_if) < 0) {
			tool_error("uplink down: cannot delete link %s: %m",
				   l.host_if);
			return -1;
		}
		if (uplink_nft_remove_session(conf->name, &l) < 0 ||
		    uplink_lease_release(conf->name, owners[i].index) < 0) {
			tool_error("uplink down: cannot release lease %u: %m",
				   owners[i].index);
			return -1;
		}
	}
	if (uplink_nft_delete(conf->name) < 0) {
		tool_error("uplink down: cannot delete table inet nonet_%s: %m",
			   conf->name);
		return -1;
	}
	return 0;
}

/*
 * Forwarding back to what it was, for each family no other uplink here
 * still uses (every uplink uses IPv4; IPv6 those with IPv6 leases).
 */
static int down_forwarding(const struct uplink_conf *conf, bool *restored)
{
	struct siblings sb;

	*restored = false;
	if (siblings_read(conf->name, conf->netns_dev, conf->netns_ino, &sb) <
	    0) {
		tool_error("uplink down: cannot read %s: %m", UPLINK_DIR);
		return -1;
	}
	if ((!sb.any && conf->forward_was >= 0 &&
	     sysctl_write(FORWARD4, conf->forward_was) < 0) ||
	    (!sb.any6 && conf->forward6_was >= 0 &&
	     sysctl_write(FORWARD6, conf->forward6_was) < 0)) {
		tool_error("uplink down: cannot restore forwarding (%s, "
			   "%s): %m",
			   FORWARD4, FORWARD6);
		return -1;
	}
	*restored = !sb.any;
	return 0;
}

/* Removes @dir's entries (leftover temporary files) and @dir. */
static int remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	return rmdir(dir) < 0 && errno != ENOENT ? -1 : 0;
}

/* The pin, the conf and the directory (the table is gone). */
static int down_files(const char *name)
{
	char pin[UPLINK_PATH_MAX], leases[UPLINK_PATH_MAX];
	char dir[UPLINK_PATH_MAX];

	if (uplink_path(name, "netns", pin, sizeof(pin)) < 0 ||
	    uplink_path(name, "leases", leases, sizeof(leases)) < 0 ||
	    uplink_path(name, "", dir, sizeof(dir)) < 0)
		return -1;
	if (pin_remove(pin) < 0) {
		tool_error("uplink down: cannot remove the pin %s: %m", pin);
		return -1;
	}
	if (remove_dir(leases) < 0 || remove_dir(dir) < 0) {
		tool_error("uplink down: cannot remove %s: %m", dir);
		return -1;
	}
	return 0;
}

/*
 * Whether the pin of @name is an empty file without a namespace mounted
 * on it: its mount was undone, or made in another mount namespace (a
 * service's private one): nothing here can reach that namespace.
 */
bool uplink_pin_gone(const char *name)
{
	char pin[UPLINK_PATH_MAX];
	enum pin_state state;
	const char *why = NULL;
	int fd = -1;

	if (uplink_path(name, "netns", pin, sizeof(pin)) < 0 ||
	    pin_inspect(pin, &state, &fd, &why) < 0)
		return false;
	if (fd >= 0)
		close(fd);
	return state == PIN_LEFTOVER;
}

/* Reads the conf; a damaged or missing one leaves a minimal conf. */
static bool down_conf(const char *name, struct uplink_conf *conf)
{
	if (uplink_conf_read(name, conf) == 0)
		return true;
	if (errno != ENOENT)
		tool_error("uplink down: %s/%s/conf: %m; removing what is "
			   "left, forwarding as it is",
			   UPLINK_DIR, name);
	memset(conf, 0, sizeof(*conf));
	memcpy(conf->name, name, strlen(name) + 1);
	conf->forward_was = conf->forward6_was = -1;
	return false;
}

int uplink_cmd_down(const char *name, bool force)
{
	struct uplink_lease_owner *owners = NULL;
	struct uplink_conf conf;
	char dir[UPLINK_PATH_MAX];
	bool restored = false;
	int status = TOOL_ERROR, saved = -1, ret, lock = -1;
	size_t count = 0;

	if (uplink_path(name, "", dir, sizeof(dir)) < 0) {
		tool_error("uplink down: '%s' is not an uplink name", name);
		return TOOL_ERROR;
	}
	if (access(dir, F_OK) < 0) {
		tool_error("uplink down: uplink %s is not up (%s: %m)", name,
			   dir);
		return TOOL_ERROR;
	}
	/* No login takes a lease while down reads and ends them. */
	if (uplink_lock(name, true, &lock) < 0) {
		tool_error("uplink down: cannot lock %s: %m", dir);
		return TOOL_ERROR;
	}
	down_conf(name, &conf);
	if (uplink_lease_list(name, &owners, &count) < 0 && errno != ENOENT) {
		tool_error("uplink down: cannot read %s/leases: %m", dir);
		goto out;
	}
	if (down_check_leases(name, owners, count, force) < 0)
		goto out;
	if (uplink_enter(name, &saved) < 0) {
		if (errno != ENOENT && !uplink_pin_gone(name)) {
			tool_error("uplink down: cannot enter %s/netns: %m",
				   dir);
			goto out;
		}
		/*
		 * No pin (up failed before the table), or one without a
		 * namespace on it here: nothing to reach, only files.
		 */
	} else {
		ret = down_inside(&conf, owners, count);
		if (ret == 0)
			ret = down_forwarding(&conf, &restored);
		tool_uplink_leave(saved, "uplink down");
		if (ret < 0)
			goto out; /* kept, so that down can be run again */
	}
	if (down_files(name) < 0)
		goto out;
	if (saved < 0)
		printf("uplink %s down: removed what was left; no namespace "
		       "is pinned here (an interrupted up, or a pin made in "
		       "another mount namespace), so no table or link was "
		       "deleted\n",
		       name);
	else
		printf(
		    "uplink %s down: table inet nonet_%s deleted, %zu lease%s "
		    "released, forwarding %s\n",
		    name, name, count, count == 1 ? "" : "s",
		    restored ? "restored" : "left as it is");
	status = TOOL_OK;
out:
	close(lock);
	free(owners);
	uplink_conf_free(&conf);
	return status;
}
