// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blocked: the per-session drop counters of the uplinks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocked.h"
#include "tool.h"
#include "uplink.h"

struct blocked_uplink {
	char name[RECORD_FIELD];
	int err; /* why the uplink could not be read, or 0 */
	struct uplink_conf conf;
	struct uplink_lease_owner *owners;
	size_t nowners;
};

/* Reads uplink @name's configuration and leases into @u. */
static void uplink_load(struct blocked_uplink *u, const char *name)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	if (uplink_conf_read(name, &u->conf) < 0) {
		u->err = errno;
		return;
	}
	if (uplink_lease_list(name, &u->owners, &u->nowners) < 0) {
		u->err = errno;
		uplink_conf_free(&u->conf);
	}
}

/* Uplink @name, read the first time it is asked for; NULL without memory. */
static struct blocked_uplink *uplink_get(struct blocked *b, const char *name)
{
	struct blocked_uplink *grown;

	for (size_t i = 0; i < b->count; i++)
		if (strcmp(b->uplinks[i].name, name) == 0)
			return &b->uplinks[i];
	grown = reallocarray(b->uplinks, b->count + 1, sizeof(*grown));
	if (!grown)
		return NULL;
	b->uplinks = grown;
	uplink_load(&grown[b->count], name);
	return &grown[b->count++];
}

/* Whether lease @index of @u is still @r's (not pruned and taken again). */
static bool lease_is_sessions(const struct blocked_uplink *u,
			      const struct record *r)
{
	for (size_t i = 0; i < u->nowners; i++)
		if (u->owners[i].index == (unsigned int)r->lease)
			return strcmp(u->owners[i].record, r->id) == 0;
	return false;
}

int blocked_get(struct blocked *b, const struct record *r, uint64_t *packets)
{
	struct blocked_uplink *u;
	struct uplink_lease lease;
	int saved, ret, err;

	if (!*r->uplink)
		return 0;
	/* A name the module never writes is no uplink of ours to enter. */
	if (!uplink_name_valid(r->uplink) || r->lease < 0) {
		errno = ENOENT;
		return -1;
	}
	u = uplink_get(b, r->uplink);
	if (!u)
		return -1;
	if (u->err) {
		errno = u->err;
		return -1;
	}
	if (!lease_is_sessions(u, r)) {
		errno = ENOENT;
		return -1;
	}
	if (uplink_lease_compute(&u->conf, (unsigned int)r->lease, &lease) < 0)
		return -1;
	if (uplink_enter(r->uplink, &saved) < 0) {
		/*
		 * No namespace at the pin, as seen from here: taken down
		 * meanwhile, or pinned in a mount namespace of its own that
		 * does not propagate here.  Nothing to count in.
		 */
		if (errno == EINVAL)
			errno = ENOENT;
		return -1;
	}
	ret = uplink_nft_blocked(r->uplink, &lease, packets);
	err = errno;
	tool_uplink_leave(saved, "reading the blocked packets");
	errno = err;
	return ret < 0 ? -1 : 1;
}

void blocked_free(struct blocked *b)
{
	for (size_t i = 0; i < b->count; i++) {
		if (!b->uplinks[i].err)
			uplink_conf_free(&b->uplinks[i].conf);
		free(b->uplinks[i].owners);
	}
	free(b->uplinks);
	b->uplinks = NULL;
	b->count = 0;
}
