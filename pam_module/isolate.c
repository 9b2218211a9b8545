// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolate: the module's steps to put a session into a namespace of its
 * own, each failure logged with the step that failed.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <syslog.h>
#include <sys/capability.h>
#include <security/pam_ext.h>

#include "iface.h"
#include "isolate.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"

/* Sets up lo in the new namespace; logs the failed step. */
static int setup_loopback(pam_handle_t *pamh, struct nl_sock *sock,
			  const struct who *who, enum loopback_inet6 inet6)
{
	static const char *const what[] = {
	    [LOOPBACK_ADD_INET] = "add 127.0.0.1/8 to lo",
	    [LOOPBACK_LINK_UP] = "bring lo up",
	    [LOOPBACK_INET6] = "add ::1/128 to lo",
	};
	enum loopback_step step = LOOPBACK_ADD_INET;
	const char *ext, *failed;

	if (loopback_setup(sock, inet6, &step) == 0)
		return 0;
	ext = nl_ext_ack(sock);
	failed = step == LOOPBACK_INET6 && inet6 == LOOPBACK_INET6_REMOVE
		     ? "remove ::1/128 from lo"
		     : what[step];
	pam_syslog(pamh, LOG_ERR, "cannot %s for %s: %m%s%s", failed, who->log,
		   *ext ? ": " : "", ext);
	return -1;
}

struct verify_log {
	pam_handle_t *pamh;
	const struct who *who;
};

static void log_reason(void *data, const char *reason)
{
	struct verify_log *v = data;

	pam_syslog(v->pamh, LOG_ERR,
		   "the network namespace for %s is not isolated: %s",
		   v->who->log, reason);
}

static bool any_inet6(const struct iface_table *table)
{
	for (size_t i = 0; i < table->naddrs; i++) {
		if (table->addrs[i].family == AF_INET6)
			return true;
	}
	return false;
}

int isolate_verify(pam_handle_t *pamh, struct nl_sock *sock,
		   const struct who *who, enum loopback_ipv6 ipv6, bool strict,
		   bool *has_inet6)
{
	struct verify_log v = {pamh, who};
	struct iface_table table;
	int bad;

	if (iface_table_read(sock, &table) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot read back the network "
			   "namespace for %s: %m",
			   who->log);
		return -1;
	}
	/* Inert fallback tunnels are no reason, and not worth a line. */
	bad = loopback_judge(&table, ipv6, strict, log_reason, NULL, &v);
	if (has_inet6)
		*has_inet6 = any_inet6(&table);
	iface_table_free(&table);
	return bad ? -1 : 0;
}

/*
 * Sets the IPv6 sysctls before lo goes up; *@ipv6 ends as what lo gets,
 * *@inet6 as what loopback_setup() must do about ::1.  Where /proc/sys is
 * read-only (a container's), IPv6 keeps the new namespace's default (on)
 * and ::1 is added, or removed once lo is up; the verification after
 * proves the result either way.
 */
static int setup_ipv6(pam_handle_t *pamh, const struct who *who, bool *ipv6,
		      enum loopback_inet6 *inet6)
{
	bool present;

	*inet6 = LOOPBACK_INET6_LEAVE;
	if (netns_ipv6_present(&present) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot tell whether the kernel has "
			   "IPv6 (session of %s): %m",
			   who->log);
		return -1;
	}
	if (!present) {
		if (*ipv6)
			pam_syslog(pamh, LOG_WARNING,
				   "ipv6 requested for %s, "
				   "but the kernel has no IPv6: no ::1",
				   who->log);
		*ipv6 = false;
		return 0;
	}
	if (*ipv6)
		*inet6 = LOOPBACK_INET6_ADD;
	if (netns_set_ipv6(*ipv6) == 0)
		return 0;
	if (errno != EROFS) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot %s IPv6 in the network "
			   "namespace for %s: %m",
			   *ipv6 ? "enable" : "disable", who->log);
		return -1;
	}
	if (!*ipv6) {
		pam_syslog(pamh, LOG_NOTICE,
			   "/proc/sys is read-only: IPv6 "
			   "stays enabled in the network namespace for %s, "
			   "::1 is removed from lo instead",
			   who->log);
		*inet6 = LOOPBACK_INET6_REMOVE;
	}
	return 0;
}

/* Creates the namespace of the calling thread; logs why it cannot. */
static int enter_new_netns(pam_handle_t *pamh, const struct who *who)
{
	bool admin = false, net_admin = false;

	if (netns_have_cap(CAP_SYS_ADMIN, &admin) < 0 ||
	    netns_have_cap(CAP_NET_ADMIN, &net_admin) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot read the capabilities of the "
			   "calling process (session of %s): %m",
			   who->log);
		return -1;
	}
	if (!admin) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot create network namespace for "
			   "%s: the calling process lacks CAP_SYS_ADMIN",
			   who->log);
		return -1;
	}
	/* Without it nobody can set up the new namespace's lo: say why. */
	if (!net_admin) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot isolate the session of %s: "
			   "the calling process lacks CAP_NET_ADMIN (a "
			   "container that shares the host's network, or a "
			   "capability-bounded service)",
			   who->log);
		return -1;
	}
	if (netns_unshare() < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot create network namespace for %s: %m",
			   who->log);
		return -1;
	}
	return 0;
}

int isolate_build_netns(pam_handle_t *pamh, const struct who *who, bool *ipv6)
{
	enum loopback_inet6 inet6 = LOOPBACK_INET6_LEAVE;
	struct nl_sock *sock = NULL;
	int ret = -1;

	if (enter_new_netns(pamh, who) < 0 ||
	    setup_ipv6(pamh, who, ipv6, &inet6) < 0)
		return -1;
	if (nl_open(&sock) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot open a netlink socket in the "
			   "network namespace for %s: %m",
			   who->log);
		return -1;
	}
	/* Strict: exactly what was built, nothing more. */
	if (setup_loopback(pamh, sock, who, inet6) == 0 &&
	    isolate_verify(pamh, sock, who,
			   *ipv6 ? LOOPBACK_IPV6_LOOPBACK : LOOPBACK_IPV6_NONE,
			   true, NULL) == 0)
		ret = 0;
	nl_close(sock);
	return ret;
}

int isolate_log(pam_handle_t *pamh, const struct who *who,
		const struct isolated *how)
{
	char name[TEXT_FIELD_MAX], uplink[48] = "";
	ino_t ino = 0;

	if (netns_self_inode(&ino) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot read the network namespace "
			   "of %s: %m",
			   who->log);
		return -1;
	}
	if (how->uplink)
		snprintf(uplink, sizeof(uplink), " uplink=%s lease=%d",
			 how->uplink, how->lease);
	pam_syslog(pamh, LOG_INFO,
		   "isolated the session of %s: mode=%s "
		   "rule=%s netns=net:[%lu]%s%s%s%s%s%s",
		   who->log, how->mode, how->rule, (unsigned long)ino,
		   *how->name ? " name=" : "",
		   *how->name ? text_escape(name, sizeof(name), how->name) : "",
		   how->ipv6 < 0 ? ""
		   : how->ipv6	 ? " ipv6=on"
				 : " ipv6=off",
		   uplink,
		   how->hardening && *how->hardening ? " hardening=" : "",
		   how->hardening ? how->hardening : "");
	return 0;
}

int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    struct isolated *how)
{
	if (isolate_build_netns(pamh, who, &ipv6) < 0)
		return -1;
	how->mode = "private";
	how->ipv6 = ipv6;
	return 0;
}
