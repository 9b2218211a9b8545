// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * harden: the rule options that close ways out a network namespace alone
 * leaves open.  They run after the session is in its network namespace.
 */
#include <errno.h>
#include <syslog.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <security/pam_ext.h>

#include "harden.h"
#include "policy.h"

/*
 * What lets a process that becomes root inside the session undo its
 * isolation directly: enter or make namespaces, reconfigure the network,
 * ptrace a host-namespace daemon, load modules, poke at hardware, BPF.
 */
static const cap_value_t lockdown_caps[] = {
    CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_SYS_MODULE,
    CAP_SYS_RAWIO, CAP_BPF,	  CAP_PERFMON,	  CAP_SYS_BOOT,
};

static int lockdown(pam_handle_t *pamh, const struct who *who)
{
	for (size_t i = 0; i < sizeof(lockdown_caps) / sizeof(*lockdown_caps);
	     i++) {
		/* A capability the kernel does not know is not there. */
		if (!CAP_IS_SUPPORTED(lockdown_caps[i]))
			continue;
		if (cap_drop_bound(lockdown_caps[i]) < 0) {
			int saved = errno;
			char *name = cap_to_name(lockdown_caps[i]);

			errno = saved;
			pam_syslog(pamh, LOG_ERR,
				   "lockdown: cannot drop %s "
				   "from the bounding set for %s: %m",
				   name ? name : "?", who->log);
			cap_free(name);
			return -1;
		}
	}
	return 0;
}

int harden_session(pam_handle_t *pamh, const struct who *who,
		   unsigned int options)
{
	if ((options & POLICY_OPT_LOCKDOWN) && lockdown(pamh, who) < 0)
		return -1;
	/*
	 * Not libcap's cap_set_mode(): that would also strip the
	 * capabilities the calling program still needs to become the user.
	 */
	if ((options & POLICY_OPT_NONEWPRIVS) &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "nonewprivs: cannot set "
			   "no_new_privs for %s: %m",
			   who->log);
		return -1;
	}
	return 0;
}
