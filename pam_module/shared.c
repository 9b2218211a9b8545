// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shared: one network namespace per user, pinned at /run/netns/nonet-USER.
 *
 * Every step that looks at or changes the pin happens under the user's
 * lock (userlock), which also counts the sessions using the namespace: many
 * first logins at once end in one namespace, a half-made namespace is never
 * joined, and only the last close looks through /proc before the pin goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <security/pam_ext.h>

#include "isolate.h"
#include "shared.h"
#include "nl.h"
#include "netns_use.h"
#include "pin.h"
#include "userlock.h"

/*
 * Pin names and paths carry the user's name, which may hold any byte:
 * escaped before they reach a log line.  Each call has its own buffer.
 */
#define ESC(s) text_escape((char[TEXT_FIELD_MAX]){0}, TEXT_FIELD_MAX, (s))

/* The PAM data under which open tells close which pin it counted in. */
#define SHARED_DATA "pam_nonet_shared"

/* "nonet-USER"; -1 (logged) for a name that cannot be a file name. */
static int pin_name(pam_handle_t *pamh, const struct who *who, const char *user,
		    char *name, size_t size)
{
	if (strchr(user, '/') || strlen(user) + 7 > size) {
		pam_syslog(pamh, LOG_ERR,
			   "the user name %s cannot name a "
			   "shared network namespace",
			   who->log);
		return -1;
	}
	snprintf(name, size, "nonet-%s", user);
	return 0;
}

/* Checks the namespace the thread is now in; warns if ipv6 differs. */
static int check_joined(pam_handle_t *pamh, const struct who *who, bool ipv6,
			const char *name)
{
	struct nl_sock *sock = NULL;
	bool has_inet6 = false;
	int ret;

	if (nl_open(&sock) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot open a netlink socket in %s "
			   "for %s: %m",
			   ESC(name), who->log);
		return -1;
	}
	ret = isolate_verify(pamh, sock, who, LOOPBACK_IPV6_ANY, false,
			     &has_inet6);
	nl_close(sock);
	if (ret == 0 && has_inet6 != ipv6)
		pam_syslog(pamh, LOG_WARNING,
			   "%s was made with ipv6 %s; the "
			   "session of %s asked for %s: the first session's "
			   "settings hold",
			   ESC(name), has_inet6 ? "on" : "off", who->log,
			   ipv6 ? "on" : "off");
	return ret;
}

/*
 * Enters the pinned namespace on @fd if it is still isolated; otherwise
 * returns the thread to the namespace it came from and fails.
 */
static int join_pinned(pam_handle_t *pamh, const struct who *who, int fd,
		       bool ipv6, const char *name)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int ret = -1;

	if (home < 0 || setns(fd, CLONE_NEWNET) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot enter the network namespace "
			   "%s for %s: %m",
			   ESC(name), who->log);
		goto out;
	}
	ret = check_joined(pamh, who, ipv6, name);
	if (ret < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "%s is not isolated: refusing to "
			   "join it",
			   ESC(name));
		if (setns(home, CLONE_NEWNET) < 0)
			pam_syslog(pamh, LOG_CRIT, "cannot return from %s: %m",
				   ESC(name));
	}
out:
	if (home >= 0)
		close(home);
	return ret;
}

/* Makes the namespace and pins it: the first session of the user. */
static int make_pinned(pam_handle_t *pamh, const struct who *who, bool *ipv6,
		       const char *path)
{
	if (isolate_build_netns(pamh, who, ipv6) < 0)
		return -1;
	if (pin_create(path) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot pin the network namespace "
			   "of %s at %s: %m",
			   who->log, ESC(path));
		return -1;
	}
	return 0;
}

/* Joins or makes the namespace; the lock is held. */
static int enter_locked(pam_handle_t *pamh, const struct who *who, bool *ipv6,
			const char *name, const char *path, unsigned int *count,
			bool *created)
{
	enum pin_state state;
	const char *why = NULL;
	int fd = -1, ret;

	if (pin_inspect(path, &state, &fd, &why) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot inspect %s: %m", ESC(path));
		return -1;
	}
	switch (state) {
	case PIN_NETNS:
		ret = join_pinned(pamh, who, fd, *ipv6, name);
		close(fd);
		return ret;
	case PIN_FOREIGN:
		pam_syslog(pamh, LOG_ERR,
			   "%s is %s: refusing to use it for "
			   "%s",
			   ESC(path), why, who->log);
		return -1;
	case PIN_LEFTOVER:
		/* An interrupted creation: ours to redo, under the lock. */
		if (unlink(path) < 0 && errno != ENOENT) {
			pam_syslog(pamh, LOG_ERR,
				   "cannot remove the leftover "
				   "%s: %m",
				   ESC(path));
			return -1;
		}
		/* fall through */
	case PIN_ABSENT:
		*count = 0; /* a new namespace has no sessions yet */
		if (make_pinned(pamh, who, ipv6, path) < 0)
			return -1;
		*created = true;
		return 0;
	}
	return -1;
}

static void release(pam_handle_t *pamh, const char *name);

/*
 * pam_end() with the session still counted: a later module of the stack
 * refused it, so no close will come.  PAM_DATA_REPLACE is our own close;
 * PAM_DATA_SILENT is a forked child letting go of its copy of the handle.
 */
static void free_data(pam_handle_t *pamh, void *data, int status)
{
	if (!(status & (PAM_DATA_REPLACE | PAM_DATA_SILENT)))
		release(pamh, data);
	free(data);
}

/*
 * Whether this handle's session is counted in @name already: opened twice
 * on one handle, it is still one session, which one close counts out.
 */
static bool counted_already(pam_handle_t *pamh, const char *name)
{
	const void *data = NULL;

	return pam_get_data(pamh, SHARED_DATA, &data) == PAM_SUCCESS && data &&
	       strcmp(data, name) == 0;
}

int isolate_shared(pam_handle_t *pamh, const struct who *who, const char *user,
		   bool ipv6, struct isolated *how)
{
	char *name = how->name, path[sizeof(PIN_DIR) + 256];
	unsigned int count = 0;
	bool created = false;
	char *data;
	int lock;

	if (pin_name(pamh, who, user, name, sizeof(how->name)) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", PIN_DIR, name);
	if (userlock_take(name, &lock, &count) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot take the lock of %s: %m",
			   ESC(name));
		return -1;
	}
	if (enter_locked(pamh, who, &ipv6, name, path, &count, &created) < 0) {
		(void)userlock_give(lock, count);
		return -1;
	}
	if (counted_already(pamh, name)) {
		/* A second open on one handle: one close will follow. */
		(void)userlock_give(lock, count);
		how->mode = "shared";
		how->ipv6 = ipv6;
		return 0;
	}
	data = strdup(name);
	if (!data ||
	    pam_set_data(pamh, SHARED_DATA, data, free_data) != PAM_SUCCESS) {
		free(data);
		pam_syslog(pamh, LOG_ERR, "cannot remember the session of %s",
			   who->log);
		if (created) /* nobody else can be in it: it was made now */
			(void)pin_remove(path);
		(void)userlock_give(lock, count);
		return -1;
	}
	if (userlock_give(lock, count + 1) < 0)
		pam_syslog(pamh, LOG_WARNING,
			   "cannot count the sessions of "
			   "%s: %m",
			   ESC(name));
	how->mode = "shared";
	how->ipv6 = ipv6;
	return 0;
}

/* Removes the pin if no process but the caller is in the namespace. */
static void remove_if_unused(pam_handle_t *pamh, const char *path)
{
	enum pin_state state;
	const char *why;
	bool used = true;
	dev_t dev;
	ino_t ino;
	int fd;

	if (pin_inspect(path, &state, &fd, &why) < 0 || state != PIN_NETNS)
		return;
	if (pin_identity(fd, &dev, &ino) < 0 ||
	    netns_in_use(dev, ino, getpid(), &used) < 0)
		pam_syslog(pamh, LOG_WARNING,
			   "cannot tell whether %s is still "
			   "in use: %m; keeping it",
			   ESC(path));
	close(fd);
	if (used)
		return;
	if (pin_remove(path) < 0)
		pam_syslog(pamh, LOG_ERR, "cannot remove %s: %m", ESC(path));
	else
		pam_syslog(pamh, LOG_INFO,
			   "removed %s: its last session "
			   "closed",
			   ESC(path));
}

/* Counts one session of @name out; removes the pin after the last. */
static void release(pam_handle_t *pamh, const char *name)
{
	char path[sizeof(PIN_DIR) + 256];
	unsigned int count;
	int lock;

	snprintf(path, sizeof(path), "%s/%s", PIN_DIR, name);
	if (userlock_take(name, &lock, &count) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot take the lock of %s: %m",
			   ESC(name));
		return;
	}
	if (count > 0)
		count--;
	if (count == 0)
		remove_if_unused(pamh, path);
	(void)userlock_give(lock, count);
}

void isolate_shared_close(pam_handle_t *pamh)
{
	const void *data = NULL;

	if (!pamh || pam_get_data(pamh, SHARED_DATA, &data) != PAM_SUCCESS ||
	    !data)
		return; /* this session did not count in a shared namespace */
	release(pamh, data);
	/* Counted out once: a second close must not count again. */
	(void)pam_set_data(pamh, SHARED_DATA, NULL, NULL);
}
