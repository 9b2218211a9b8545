/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uplink: an admin-built way out for isolated sessions that must reach a
 * short allow-list (an exam server) and nothing else.
 *
 * `nonet uplink up NAME ALLOW...` runs in the namespace that has the way
 * out (the host's, normally) and leaves, under UPLINK_DIR/NAME/:
 *   netns   a bind mount of that namespace (the pin): the module creates
 *           each session's host-side link in it and edits nftables there,
 *           whatever namespace the caller is in;
 *   conf    the allow-list and the address pools, "key value" lines;
 *   leases/ one file per session link, made with O_EXCL (no lock needed):
 *           "pid PID\nstart TICKS\nrecord ID\n" of the session's caller.
 * and an nftables table "inet nonet_NAME" (through libnftables) that lets
 * a session's link reach the allow-list and nothing else, counts per lease
 * what it drops, and lets nothing in but replies.
 *
 * A lease K gives a /31 out of the IPv4 pool (host side 2K, session side
 * 2K+1) and, when the allow-list has IPv6 entries, a /127 out of the IPv6
 * pool likewise; the host side link is "n" NAME "-" K, the session side
 * UPLINK_INSIDE_IF.
 *
 * Each function returns 0, or -1 with errno; none prints.  The nft
 * functions act in the calling thread's network namespace: call them
 * between uplink_enter() and uplink_leave().
 */
#ifndef NONET_UPLINK_H
#define NONET_UPLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UPLINK_DIR "/run/nonet/uplinks"
#define UPLINK_NAME_MAX 8	/* [a-z][a-z0-9]{0,7}: fits "nNAME-65535" */
#define UPLINK_INSIDE_IF "eth0" /* the session's end of its link */
#define UPLINK_ALLOW_MAX 64
#define UPLINK_POOL4_DEFAULT "100.127.0.0/16"
#define UPLINK_POOL6_DEFAULT "fd6e:6f6e:6574::/64"

/* ADDRESS[/PREFIX][:PORT][/tcp|/udp]; IPv6 with a port as [ADDR]:PORT. */
struct uplink_allow {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	unsigned int prefixlen;
	uint16_t port; /* 0: every port (and protocol, unless proto) */
	int proto;     /* 0 (tcp and udp with a port; all without),
			  IPPROTO_TCP or IPPROTO_UDP */
};

struct uplink_conf {
	char name[UPLINK_NAME_MAX + 1];
	struct uplink_allow *allow;
	size_t nallow;
	uint8_t pool4[4];
	unsigned int pool4_len;
	bool has_pool6; /* only when some allow entry is IPv6 */
	uint8_t pool6[16];
	unsigned int pool6_len;
	bool nat;	  /* masquerade the sessions behind the host */
	int forward_was;  /* net.ipv4.ip_forward before up: restored by down */
	int forward6_was; /* likewise net.ipv6.conf.all.forwarding, or -1 */
	uint64_t netns_dev; /* the pinned namespace */
	uint64_t netns_ino;
};

struct uplink_lease {
	unsigned int index;
	char host_if[16]; /* "nNAME-K", in the uplink's namespace */
	uint8_t host4[4], inside4[4];
	bool has6;
	uint8_t host6[16], inside6[16];
};

/* 1 if @name is a valid uplink name, else 0. */
int uplink_name_valid(const char *name);

/*
 * Parses one ALLOW word into @out.  On EINVAL *@why says what is wrong
 * (a static string).
 */
int uplink_allow_parse(const char *text, struct uplink_allow *out,
		       const char **why);

/* Writes @a back in the ALLOW syntax (canonical form) into @buf. */
int uplink_allow_format(const struct uplink_allow *a, char *buf, size_t len);

/* Reads UPLINK_DIR/@name/conf; ENOENT: the uplink is not up. */
int uplink_conf_read(const char *name, struct uplink_conf *conf);

/* Writes @conf atomically (temporary file renamed into place, 0600). */
int uplink_conf_write(const struct uplink_conf *conf);

void uplink_conf_free(struct uplink_conf *conf);

/* The names of the uplinks that are up, sorted; free with uplink_names_free. */
int uplink_names(char ***names, size_t *count);
void uplink_names_free(char **names, size_t count);

/*
 * Opens the uplink's pinned namespace (O_CLOEXEC); ENOENT: not up.  Enters
 * it: *@saved is an O_CLOEXEC descriptor of the namespace the thread was
 * in, which uplink_leave() goes back to and closes.
 */
int uplink_open_netns(const char *name, int *fd);
int uplink_enter(const char *name, int *saved);
int uplink_leave(int saved);

/*
 * Locks UPLINK_DIR/@name (flock on the directory; *@fd, O_CLOEXEC, is
 * closed to unlock): shared by each login while it takes a lease and
 * builds its link, exclusive for `down` and `prune`, so that neither acts
 * on a lease list a login is changing.  ENOENT: the uplink is not up.
 */
int uplink_lock(const char *name, bool exclusive, int *fd);

/* Fills the addresses and link name of lease @index of @conf. */
int uplink_lease_compute(const struct uplink_conf *conf, unsigned int index,
			 struct uplink_lease *out);

/*
 * Takes the lowest free lease of @conf for the calling process (its PID,
 * start time and @record_id are written into the lease file).  ENOSPC: the
 * pool is exhausted.
 */
int uplink_lease_take(const struct uplink_conf *conf, const char *record_id,
		      struct uplink_lease *out);

/* Removes lease @index of uplink @name; a missing one is no error. */
int uplink_lease_release(const char *name, unsigned int index);

struct uplink_lease_owner {
	unsigned int index;
	pid_t pid;
	unsigned long long start;
	char record[64];
};

/* Reads lease @index of @name into @o; ENOENT: no such lease. */
int uplink_lease_read(const char *name, unsigned int index,
		      struct uplink_lease_owner *o);

/* Every lease file of @name into a new array (free() it). */
int uplink_lease_list(const char *name, struct uplink_lease_owner **owners,
		      size_t *count);

/* nftables, in the calling thread's namespace (see above). */
/* Creates table inet nonet_NAME for @conf; EEXIST if it exists. */
int uplink_nft_create(const struct uplink_conf *conf);
/* Deletes the table; a missing one is no error. */
int uplink_nft_delete(const char *name);
/* Lets lease @l's link out through the table, with its own drop counter. */
int uplink_nft_add_session(const char *name, const struct uplink_lease *l);
/* Takes lease @l's elements and counter out again; missing ones are fine. */
int uplink_nft_remove_session(const char *name, const struct uplink_lease *l);
/* The packets the table dropped from lease @l's link. */
int uplink_nft_blocked(const char *name, const struct uplink_lease *l,
		       uint64_t *packets);

/* Additions after the first contract (uplink-lib). */

/* Enough for any path uplink_path() makes. */
#define UPLINK_PATH_MAX (sizeof(UPLINK_DIR) + UPLINK_NAME_MAX + 32)

/*
 * UPLINK_DIR/@name/@file (@file "" for the directory) into @buf; EINVAL
 * for an invalid name.
 */
int uplink_path(const char *name, const char *file, char *buf, size_t len);

/* How many leases @conf's pools hold (at most 65536: "nNAME-65535"). */
unsigned int uplink_lease_max(const struct uplink_conf *conf);

/*
 * Deletes the link @ifname of the calling thread's namespace (a session's
 * host side "nNAME-K": deleting it deletes the veth pair); a missing link
 * is no error.
 */
int uplink_link_delete(const char *ifname);

#endif
