// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * threads: the calling program's threads.  unshare(), setns(), no_new_privs,
 * the bounding set and a private mount namespace all change the calling
 * thread only: a program that opens the session in one thread and starts
 * the user's processes from another gives them the host's network.
 *
 * Threaded callers are not refused by default: gdm-session-worker is a GLib
 * program (GDBus and GMain helper threads) that calls pam_open_session and
 * then fork() from its main thread, which is right, and must keep working.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <security/pam_ext.h>

#include "threads.h"

/* The "Threads:" line of /proc/self/status; -1 with errno if unreadable. */
static int count_threads(unsigned int *count)
{
	FILE *f = fopen("/proc/self/status", "re");
	char *line = NULL;
	size_t size = 0;
	int ret = -1;

	if (!f)
		return -1;
	errno = ENOENT; /* a kernel without the line: cannot tell */
	while (getline(&line, &size, f) >= 0) {
		if (sscanf(line, "Threads: %u", count) == 1 && *count > 0) {
			ret = 0;
			break;
		}
	}
	free(line);
	fclose(f);
	return ret;
}

int check_threads(pam_handle_t *pamh, const struct who *who, bool single_thread)
{
	unsigned int count = 0;

	if (count_threads(&count) < 0) {
		pam_syslog(pamh, single_thread ? LOG_ERR : LOG_WARNING,
			   "cannot count the threads of the caller (PID %d) "
			   "of the session of %s: %m",
			   (int)getpid(), who->log);
		return single_thread ? -1 : 0;
	}
	if (count == 1)
		return 0;
	if (single_thread) {
		pam_syslog(pamh, LOG_ERR,
			   "refusing the session of %s: its "
			   "caller (PID %d) has %u threads and single_thread "
			   "is set",
			   who->log, (int)getpid(), count);
		return -1;
	}
	pam_syslog(pamh, LOG_WARNING,
		   "the caller (PID %d) of the session of "
		   "%s has %u threads: only the thread that opens the session "
		   "is isolated; the session's processes must be started by "
		   "that thread",
		   (int)getpid(), who->log, count);
	return 0;
}
