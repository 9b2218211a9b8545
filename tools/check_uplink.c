// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_uplink: which link an uplink session's namespace may have.  The
 * session record says which uplink and lease; the lease file must name
 * that record back (a lease reclaimed and taken again is another
 * session's); the uplink's conf gives the lease's addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_uplink.h"
#include "loopback.h"
#include "record.h"
#include "uplink.h"

/* The record of an uplink session in namespace @dev:@ino, into @out. */
static int find_record(dev_t dev, ino_t ino, struct record *out)
{
	struct record *records = NULL;
	size_t count = 0;
	int found = 0;

	if (record_list(&records, &count) < 0)
		return 0;
	for (size_t i = 0; i < count && !found; i++) {
		const struct record *r = &records[i];

		if (r->netns_dev == dev && r->netns_ino == ino && *r->uplink &&
		    r->lease >= 0) {
			*out = *r;
			found = 1;
		}
	}
	free(records);
	return found;
}

/* Whether lease @index of uplink @name is held for record @id. */
static int lease_names(const char *name, int index, const char *id)
{
	struct uplink_lease_owner *owners = NULL;
	size_t count = 0;
	int yes = 0;

	if (uplink_lease_list(name, &owners, &count) < 0)
		return 0;
	for (size_t i = 0; i < count; i++)
		yes |= owners[i].index == (unsigned int)index &&
		       strcmp(owners[i].record, id) == 0;
	free(owners);
	return yes;
}

static void fill_link(const struct uplink_lease *l, struct loopback_link *link)
{
	memset(link, 0, sizeof(*link));
	link->name = UPLINK_INSIDE_IF;
	link->kind = "veth";
	link->addrs[0].family = AF_INET;
	memcpy(link->addrs[0].addr, l->inside4, 4);
	link->addrs[0].prefixlen = 31;
	link->naddrs = 1;
	if (l->has6) {
		link->addrs[1].family = AF_INET6;
		memcpy(link->addrs[1].addr, l->inside6, 16);
		link->addrs[1].prefixlen = 127;
		link->naddrs = 2;
	}
}

int check_uplink_expect(dev_t dev, ino_t ino, struct loopback_link *link,
			char *uplink, size_t len)
{
	struct uplink_conf conf;
	struct uplink_lease lease;
	struct record r;
	int ok;

	if (!find_record(dev, ino, &r) || !uplink_name_valid(r.uplink) ||
	    !lease_names(r.uplink, r.lease, r.id) ||
	    uplink_conf_read(r.uplink, &conf) < 0)
		return 0;
	ok = uplink_lease_compute(&conf, (unsigned int)r.lease, &lease) == 0;
	uplink_conf_free(&conf);
	if (!ok)
		return 0;
	fill_link(&lease, link);
	snprintf(uplink, len, "%s", r.uplink);
	return 1;
}
