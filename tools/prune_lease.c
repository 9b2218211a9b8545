// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prune_lease: `nonet prune` for the uplinks: a lease whose caller (the
 * PID and start time in the lease file) is gone belongs to a session that
 * crashed and never closed.  Its host link is deleted (with the session's
 * end, if the session's namespace still lives), its nft elements and
 * counter removed, and last its lease file, so that the index is taken
 * again only once nothing of the old session is left.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prune.h"
#include "record.h"
#include "tool.h"
#include "uplink.h"

/* The link and the nft elements of @lease, in the uplink's namespace. */
static int reclaim(const char *name, const struct uplink_lease *lease,
		   const char **step)
{
	int saved, ret;

	*step = "enter the uplink's namespace";
	if (uplink_enter(name, &saved) < 0)
		return -1;
	*step = "delete the link";
	ret = uplink_link_delete(lease->host_if);
	if (ret == 0) {
		*step = "remove the nft elements";
		ret = uplink_nft_remove_session(name, lease);
	}
	tool_uplink_leave(saved, "prune");
	return ret;
}

/* Whether the caller of lease @o is gone: 1 yes, 0 no, -1 unknown. */
static int owner_gone(const struct uplink_lease_owner *o)
{
	struct record caller = {.pid = o->pid, .start = o->start};

	if (o->pid <= 0)
		return -1; /* a lease being written: never prune it */
	return record_stale(&caller);
}

/* Reclaims lease @o of uplink @conf; TOOL_OK or TOOL_ERROR (said). */
static int prune_lease(struct out *out, const struct uplink_conf *conf,
		       const struct uplink_lease_owner *o)
{
	char dir[sizeof(UPLINK_DIR) + UPLINK_NAME_MAX + 16], index[16];
	char why[RECORD_FIELD + 160];
	struct uplink_lease lease;
	const char *step = "compute the lease";

	snprintf(dir, sizeof(dir), "%s/%s/leases", UPLINK_DIR, conf->name);
	snprintf(index, sizeof(index), "%u", o->index);
	if (uplink_lease_compute(conf, o->index, &lease) < 0 ||
	    reclaim(conf->name, &lease, &step) < 0 ||
	    (step = "remove the lease file",
	     uplink_lease_release(conf->name, o->index) < 0)) {
		tool_error("prune: %s/%s: cannot %s: %m", dir, index, step);
		return TOOL_ERROR;
	}
	snprintf(why, sizeof(why),
		 "stale: process %d of the session %s is gone; link %s "
		 "deleted, its nft elements removed",
		 (int)o->pid, *o->record ? o->record : "(unknown)",
		 lease.host_if);
	prune_print_removed(out, dir, index, why);
	return TOOL_OK;
}

/* The stale leases of uplink @name. */
static int prune_uplink(struct out *out, const char *name)
{
	struct uplink_lease_owner *owners = NULL;
	struct uplink_conf conf;
	size_t count = 0;
	int status = TOOL_OK, lock = -1;

	if (uplink_conf_read(name, &conf) < 0) {
		if (errno == ENOENT) /* taken down meanwhile */
			return TOOL_OK;
		tool_error("prune: cannot read uplink %s: %m", name);
		return TOOL_ERROR;
	}
	/* No login takes or builds a lease while this one is judged. */
	if (uplink_lock(name, true, &lock) < 0) {
		uplink_conf_free(&conf);
		if (errno == ENOENT) /* taken down meanwhile */
			return TOOL_OK;
		tool_error("prune: cannot lock uplink %s: %m", name);
		return TOOL_ERROR;
	}
	if (uplink_lease_list(name, &owners, &count) < 0) {
		tool_error("prune: cannot read the leases of uplink %s: %m",
			   name);
		status = TOOL_ERROR;
	}
	for (size_t i = 0; i < count; i++) {
		int gone = owner_gone(&owners[i]);

		if (gone < 0 && owners[i].pid > 0) {
			tool_error("prune: cannot tell whether process %d "
				   "(lease %u of uplink %s) runs: %m",
				   (int)owners[i].pid, owners[i].index, name);
			status = TOOL_ERROR;
		}
		if (gone == 1 && prune_lease(out, &conf, &owners[i]) != TOOL_OK)
			status = TOOL_ERROR;
	}
	close(lock);
	free(owners);
	uplink_conf_free(&conf);
	return status;
}

int prune_leases(struct out *out)
{
	char **names;
	size_t count;
	int status = TOOL_OK;

	if (uplink_names(&names, &count) < 0) {
		if (errno == ENOENT) /* no uplink was ever up */
			return TOOL_OK;
		tool_error("prune: cannot read %s: %m", UPLINK_DIR);
		return TOOL_ERROR;
	}
	for (size_t i = 0; i < count; i++)
		if (prune_uplink(out, names[i]) != TOOL_OK)
			status = TOOL_ERROR;
	uplink_names_free(names, count);
	return status;
}
