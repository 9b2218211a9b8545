// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pam_nonet: a PAM session module that moves the session into a network
 * namespace holding nothing but loopback, as `docker run --network none`.
 *
 * The module runs inside sshd, login, su, gdm, cron: it keeps no global
 * state, installs no signal handler, never touches the syslog mask, and
 * closes every descriptor it opens (all O_CLOEXEC) before it returns.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <syslog.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <security/pam_modutil.h>

#include "iface.h"
#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "text.h"

/* Only the PAM entry points leave the object (see pam_nonet.map too). */
#define NONET_EXPORT __attribute__((visibility("default")))

/* What this login gets; the policy engine will choose among these. */
enum nonet_mode { NONET_NONE, NONET_PRIVATE };

struct module_args {
	bool debug;
	bool ipv6;
	const char *unknown;	/* first argument we do not know, or NULL */
};

/* The printable user name for log lines (escaped, bounded). */
struct who {
	const char *name;
	char log[TEXT_FIELD_MAX];
};

static void parse_args(int argc, const char **argv, struct module_args *args)
{
	memset(args, 0, sizeof(*args));
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "debug") == 0)
			args->debug = true;
		else if (strcmp(argv[i], "ipv6") == 0)
			args->ipv6 = true;
		else if (!args->unknown)
			args->unknown = argv[i];
	}
}

/*
 * The decision, kept in one place so the policy engine can replace it:
 * every user but root is isolated in a private namespace.
 */
static enum nonet_mode decide(const struct passwd *pw)
{
	return pw->pw_uid == 0 ? NONET_NONE : NONET_PRIVATE;
}

/* Tells the refused user, in one line and without detail, why. */
static void tell_user(pam_handle_t *pamh, int flags)
{
	if (flags & PAM_SILENT)
		return;
	(void)pam_error(pamh, "Network isolation could not be set up for this "
			      "session; the login cannot proceed.");
}

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
static int isolate(pam_handle_t *pamh, const struct module_args *args,
		   const struct who *who)
{
	struct nl_sock *sock = NULL;
	bool ipv6 = args->ipv6;
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
		   "netns=net:[%lu] ipv6=%s", who->log, (unsigned long)ino,
		   ipv6 ? "on" : "off");
	ret = 0;
out:
	nl_close(sock);
	return ret;
}

/* Looks up the session's user; logs and returns NULL if there is none. */
static const struct passwd *session_user(pam_handle_t *pamh, struct who *who)
{
	const void *item = NULL;
	const struct passwd *pw;

	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || !item ||
	    !*(const char *)item) {
		pam_syslog(pamh, LOG_ERR, "no user name in the PAM handle");
		return NULL;
	}
	who->name = item;
	text_escape(who->log, sizeof(who->log), who->name);
	pw = pam_modutil_getpwnam(pamh, who->name);
	if (!pw)
		pam_syslog(pamh, LOG_ERR, "unknown user %s: refusing the session",
			   who->log);
	return pw;
}

/*
 * PAM_IGNORE for a user who is not isolated; PAM_SUCCESS once the session
 * is in its namespace; PAM_SESSION_ERR on any failure after that decision,
 * on an unknown user, and on an unknown module argument.
 */
NONET_EXPORT int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	struct module_args args;
	const struct passwd *pw;
	struct who who = { NULL, "" };

	parse_args(argc, argv, &args);
	pw = session_user(pamh, &who);
	if (!pw)
		goto refuse;
	if (decide(pw) == NONET_NONE) {
		pam_syslog(pamh, LOG_INFO, "not isolating the session of %s: "
			   "uid 0", who.log);
		return PAM_IGNORE;
	}
	if (args.unknown) {
		char arg[TEXT_FIELD_MAX];

		pam_syslog(pamh, LOG_ERR, "unknown module argument \"%s\": "
			   "refusing the session of %s",
			   text_escape(arg, sizeof(arg), args.unknown), who.log);
		goto refuse;
	}
	if (args.debug)
		pam_syslog(pamh, LOG_DEBUG, "isolating the session of %s "
			   "(uid %lu): mode=private ipv6=%s", who.log,
			   (unsigned long)pw->pw_uid, args.ipv6 ? "on" : "off");
	if (isolate(pamh, &args, &who) < 0)
		goto refuse;
	return PAM_SUCCESS;
refuse:
	tell_user(pamh, flags);
	return PAM_SESSION_ERR;
}

/* The namespace goes with its last process: nothing to undo here. */
NONET_EXPORT int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
