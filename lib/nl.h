/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nl: a NETLINK_ROUTE socket of the calling thread's network namespace.
 *
 * Requests, acknowledgements and dumps; no policy, no printing.
 * Every function returns 0 (or a count) on success, -1 with errno set on
 * failure.  A kernel error reply becomes errno; its extended-ack text, if
 * the kernel sent one, is kept for the caller's message (nl_ext_ack()).
 * After a failed request or dump, replies may still be queued: close the
 * socket rather than reuse it.
 */
#ifndef NONET_NL_H
#define NONET_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl_sock;

/* Opens a close-on-exec rtnetlink socket bound to a kernel-assigned port. */
int nl_open(struct nl_sock **out);
void nl_close(struct nl_sock *sock);

/* The next sequence number to put in a request (one per message). */
uint32_t nl_next_seq(struct nl_sock *sock);

/*
 * Sends @len bytes holding @count requests, each with NLM_F_ACK, and reads
 * all @count acknowledgements.  @tolerate[i], when @tolerate is not NULL
 * and it is not 0, is an errno that counts as success for message i (e.g.
 * EEXIST for an address that is already there).  On the first other error,
 * returns -1 with that errno; the index of the failed message is stored in
 * *@failed when @failed is not NULL.
 */
int nl_transact(struct nl_sock *sock, const void *buf, size_t len,
		unsigned int count, const int *tolerate, unsigned int *failed);

/* Called once per message of a dump; return 0 to go on, -1 (errno) to stop. */
typedef int (*nl_msg_fn)(const struct nlmsghdr *nlh, void *data);

/*
 * Dumps @type (RTM_GETLINK, RTM_GETADDR, ...) for @family and calls @fn for
 * each reply message.  Statistics are not requested.  An interrupted dump
 * (the kernel's table changed meanwhile) fails with EAGAIN.
 */
int nl_dump(struct nl_sock *sock, uint16_t type, uint8_t family, nl_msg_fn fn,
	    void *data);

/*
 * Sends the one request @nlh (a GET without NLM_F_DUMP: its sequence
 * number is set here) and calls @fn for the reply message.  An error reply
 * becomes errno (ENODEV: no such link).
 */
int nl_request(struct nl_sock *sock, struct nlmsghdr *nlh, nl_msg_fn fn,
	       void *data);

/* The kernel's extended-ack text of the last error, or "" if none. */
const char *nl_ext_ack(const struct nl_sock *sock);

#endif
