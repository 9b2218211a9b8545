// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink_link: deleting a session's host-side link by name.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "uplink.h"

int uplink_link_delete(const char *ifname)
{
	char buf[256] = {0}; /* the attribute's padding too */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nl_sock *sock;
	int ret;

	if (!*ifname || strlen(ifname) >= IFNAMSIZ) {
		errno = EINVAL;
		return -1;
	}
	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (nl_open(&sock) < 0)
		return -1;
	nlh->nlmsg_seq = nl_next_seq(sock);
	ret = nl_transact(sock, buf, nlh->nlmsg_len, 1, NULL, NULL);
	nl_close(sock);
	/* No such link: ENODEV. */
	if (ret < 0 && errno == ENODEV)
		return 0;
	return ret;
}
