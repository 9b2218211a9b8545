// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * join: enter a network namespace the admin built (/run/netns/NAME), as
 * `ip netns exec NAME` would, /etc/netns/NAME included.  nonet changes
 * nothing inside it: its links and addresses are the admin's design.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <security/pam_ext.h>

#include "isolate.h"
#include "join.h"
#include "pin.h"

#define ETC_NETNS "/etc/netns"

/* Binds /etc/netns/NAME/ENTRY over /etc/ENTRY; a missing target is skipped. */
static int bind_etc_entry(pam_handle_t *pamh, const char *name,
			  const char *entry)
{
	char src[sizeof(ETC_NETNS) + 512], dst[256 + 8];
	struct stat st;

	snprintf(src, sizeof(src), "%s/%s/%s", ETC_NETNS, name, entry);
	snprintf(dst, sizeof(dst), "/etc/%s", entry);
	if (stat(dst, &st) < 0) {
		pam_syslog(pamh, LOG_WARNING,
			   "%s has no counterpart %s: "
			   "skipped",
			   src, dst);
		return 0;
	}
	if (mount(src, dst, "none", MS_BIND, NULL) < 0) {
		pam_syslog(pamh, LOG_ERR, "cannot bind %s over %s: %m", src,
			   dst);
		return -1;
	}
	return 0;
}

/*
 * Slave to the host's (so later host mounts still propagate in, and the
 * binds never propagate out): see isolate.h.
 */
int join_etc_netns(pam_handle_t *pamh, const char *name)
{
	char dir[sizeof(ETC_NETNS) + 256];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/%s", ETC_NETNS, name);
	d = opendir(dir);
	if (!d && errno == ENOENT)
		return 0;
	if (!d) {
		pam_syslog(pamh, LOG_ERR, "cannot read %s: %m", dir);
		return -1;
	}
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot make the mounts slaves "
			   "for %s: %m",
			   dir);
		closedir(d);
		return -1;
	}
	while (ret == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			ret = bind_etc_entry(pamh, name, e->d_name);
	}
	closedir(d);
	return ret;
}

int isolate_join(pam_handle_t *pamh, const struct who *who, const char *name,
		 struct isolated *how)
{
	char path[sizeof(PIN_DIR) + 256];
	const char *why = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", PIN_DIR, name);
	if (pin_open_netns(path, &fd, &why) < 0) {
		if (why)
			pam_syslog(pamh, LOG_ERR,
				   "%s is %s: refusing the "
				   "session of %s",
				   path, why, who->log);
		else
			pam_syslog(pamh, LOG_ERR,
				   "cannot open the network "
				   "namespace %s for %s: %m",
				   path, who->log);
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		pam_syslog(pamh, LOG_ERR,
			   "cannot enter the network namespace "
			   "%s for %s: %m",
			   path, who->log);
		close(fd);
		return -1;
	}
	close(fd);
	how->mode = "join";
	snprintf(how->name, sizeof(how->name), "%s", name);
	how->ipv6 = -1;
	return 0;
}
