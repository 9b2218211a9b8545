// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nonet prune: the cleanup that pam_close_session could not do (a session
 * that crashed, a process that lingered past the last close).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "netns_use.h"
#include "pin.h"
#include "prune.h"
#include "record.h"
#include "tool.h"
#include "paths.h"
#include "userlock.h"

static bool has_lock(const char *name)
{
	char path[sizeof(NONET_RUN_DIR) + 300];

	snprintf(path, sizeof(path), "%s/%s.lock", NONET_RUN_DIR, name);
	return access(path, F_OK) == 0;
}

/* What happened to one pin: removed (1), kept (0), or error (-1). */
static int prune_pin(const char *name, const char **what)
{
	char path[PIN_PATH_MAX];
	enum pin_state state;
	const char *why = NULL;
	unsigned int count;
	bool used = true;
	int lock, fd, ret = 0;
	dev_t dev;
	ino_t ino;

	if (pin_path(path, sizeof(path), name) < 0 ||
	    userlock_take(name, &lock, &count) < 0)
		return -1;
	if (pin_inspect(path, &state, &fd, &why) < 0) {
		ret = -1;
	} else if (state == PIN_LEFTOVER) {
		*what = "the leftover of an interrupted creation";
		ret = unlink(path) < 0 ? -1 : 1;
	} else if (state == PIN_NETNS) {
		if (pin_identity(fd, &dev, &ino) < 0 ||
		    netns_in_use(dev, ino, 0, &used) < 0)
			ret = -1;
		else if (!used)
			ret = pin_remove(path) < 0 ? -1 : 1;
		*what = used ? "in use" : "no process left in it";
		close(fd);
	} else {
		*what = why ? why : "gone";
	}
	if (ret == 1)
		count = 0;
	(void)userlock_give(lock, count);
	return ret;
}

void prune_print_removed(struct out *o, const char *dir, const char *name,
			 const char *reason)
{
	out_obj_open(o, NULL);
	out_string(o, "removed", "removed %s/", dir);
	out_string(o, "name", "%s", name);
	out_string(o, "reason", " (%s)\n", reason);
	out_obj_close(o);
}

/*
 * The records of sessions whose calling process is gone (it crashed, or
 * was killed, and never closed the session).  Returns TOOL_OK or
 * TOOL_ERROR.
 */
static int prune_records(struct out *o)
{
	struct record *records;
	size_t count;
	int status = TOOL_OK;

	if (record_list(&records, &count) < 0) {
		tool_error("prune: cannot read %s: %m", RECORD_DIR);
		return TOOL_ERROR;
	}
	for (size_t i = 0; i < count; i++) {
		const struct record *r = &records[i];
		char why[RECORD_FIELD + 64];

		if (record_stale(r) != 1)
			continue; /* live, or unknown: kept */
		if (record_remove(r->id) < 0) {
			tool_error("prune: %s/%s: %m", RECORD_DIR, r->id);
			status = TOOL_ERROR;
			continue;
		}
		snprintf(why, sizeof(why),
			 "stale: process %d of the session "
			 "of %s is gone",
			 (int)r->pid, r->user);
		prune_print_removed(o, RECORD_DIR, r->id, why);
	}
	free(records);
	return status;
}

int prune_run(bool json)
{
	DIR *dir;
	struct dirent *e;
	struct out o;
	int status = TOOL_OK;

	if (geteuid() != 0) {
		tool_error("prune: only root can remove namespace pins, "
			   "uplink leases and session records");
		return TOOL_ERROR;
	}
	dir = opendir(PIN_DIR);
	if (!dir && errno != ENOENT) {
		tool_error("prune: cannot read %s: %m", PIN_DIR);
		return TOOL_ERROR;
	}
	out_init(&o, stdout, json, false);
	out_arr_open(&o, NULL);
	while (dir && (e = readdir(dir))) {
		const char *what = "";
		int ret;

		/*
		 * Only pins the module made: a shared namespace has a lock
		 * file.  An admin's namespace that happens to be called
		 * nonet-something is not ours to remove.
		 */
		if (strncmp(e->d_name, PIN_USER_PREFIX,
			    strlen(PIN_USER_PREFIX)) != 0 ||
		    !has_lock(e->d_name))
			continue;
		ret = prune_pin(e->d_name, &what);
		if (ret < 0) {
			tool_error("prune: %s/%s: %m", PIN_DIR, e->d_name);
			status = TOOL_ERROR;
		} else if (ret == 1) {
			prune_print_removed(&o, PIN_DIR, e->d_name, what);
		}
	}
	/* Leases before records: a lease names its session's record. */
	if (prune_leases(&o) != TOOL_OK)
		status = TOOL_ERROR;
	if (prune_records(&o) != TOOL_OK)
		status = TOOL_ERROR;
	out_arr_close(&o);
	if (dir)
		closedir(dir);
	if (out_end(&o) < 0)
		status = TOOL_ERROR;
	return status;
}
