// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isolate: the module's steps to put a session into a namespace of its
 * own, each failure logged with the step that failed.
 */
#include <errno.h>
#include <stdbool.h>
#include <syslog.h>
#include <security/pam_ext.h>

#include "iface.h"
#include "isolate.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"

/* Sets up lo in the new namespace; logs the failed step. */
static int setup_loopback(pam_handle_t *pamh, struct nl_sock *sock,
			  const struct who *who, bool ipv6)
{
	static const char *const what[] = {
		[LOOPBACK_ADD_INET] = "add 127.0.0.1/8 to lo",
		[LOOPBACK_LINK_UP] = "bring lo up",
		[LOOPBACK_ADD_INET6] = "add ::1/128 to lo",
	};
	enum loopback_step step = LOOPBACK_ADD_INET;
	const char *ext;

	if (loopback_setup(sock, ipv6, &step) == 0)
		return 0;
	ext = nl_ext_ack(sock);
	pam_syslog(pamh, LOG_ERR, "cannot %s for %s: %m%s%s", what[step],
		   who->log, *ext ? ": " : "", ext);
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

/* Reads the namespace back and checks it is exactly what was built. */
static int verify(pam_handle_t *pamh, struct nl_sock *sock,
		  const struct who *who, bool ipv6)
{
	struct verify_log v = { pamh, who };
	struct iface_table table;
	int bad;

	if (iface_table_read(sock, &table) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot read back the network "
			   "namespace for %s: %m", who->log);
		return -1;
	}
	bad = loopback_judge(&table,
			     ipv6 ? LOOPBACK_IPV6_LOOPBACK : LOOPBACK_IPV6_NONE,
			     true, log_reason, &v);
	iface_table_free(&table);
	return bad ? -1 : 0;
}

/* Sets the IPv6 sysctls before lo goes up; *ipv6 ends as what lo gets. */
static int setup_ipv6(pam_handle_t *pamh, const struct who *who, bool *ipv6)
{
	bool present;

	if (netns_ipv6_present(&present) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot tell whether the kernel has "
			   "IPv6 (session of %s): %m", who->log);
		return -1;
	}
	if (!present) {
		if (*ipv6)
			pam_syslog(pamh, LOG_WARNING, "ipv6 requested for %s, "
				   "but the kernel has no IPv6: no ::1",
				   who->log);
		*ipv6 = false;
		return 0;
	}
	if (netns_set_ipv6(*ipv6) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot %s IPv6 in the network "
			   "namespace for %s: %m",
			   *ipv6 ? "enable" : "disable", who->log);
		return -1;
	}
	return 0;
}

/* Creates the namespace of the calling thread; logs why it cannot. */
static int enter_new_netns(pam_handle_t *pamh, const struct who *who)
{
	bool admin = false;

	if (netns_have_sys_admin(&admin) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot read the capabilities of the "
			   "calling process (session of %s): %m", who->log);
		return -1;
	}
	if (!admin) {
		pam_syslog(pamh, LOG_ERR, "cannot create network namespace for "
			   "%s: the calling process lacks CAP_SYS_ADMIN",
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

/*
 * Moves the session into a new namespace with only loopback.  Returns 0, or
 * -1 after logging the step that failed.  A failure after unshare leaves
 * the process in the new, broken namespace: it has no way out to the host,
 * which is the safe side should the caller ignore our error.
 */
int isolate_private(pam_handle_t *pamh, const struct who *who, bool ipv6,
		    const char *rule)
{
	struct nl_sock *sock = NULL;
	ino_t ino = 0;
	int ret = -1;

	if (enter_new_netns(pamh, who) < 0 || setup_ipv6(pamh, who, &ipv6) < 0)
		return -1;
	if (nl_open(&sock) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot open a netlink socket in the "
			   "network namespace for %s: %m", who->log);
		return -1;
	}
	if (setup_loopback(pamh, sock, who, ipv6) < 0 ||
	    verify(pamh, sock, who, ipv6) < 0)
		goto out;
	if (netns_self_inode(&ino) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot read the network namespace "
			   "of %s: %m", who->log);
		goto out;
	}
	pam_syslog(pamh, LOG_INFO, "isolated the session of %s: mode=private "
		   "rule=%s netns=net:[%lu] ipv6=%s", who->log, rule,
		   (unsigned long)ino, ipv6 ? "on" : "off");
	ret = 0;
out:
	nl_close(sock);
	return ret;
}

