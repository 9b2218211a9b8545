// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nl: rtnetlink requests and dumps over libmnl.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "nl.h"

/*
 * 32 KiB holds the largest message a dump sends (the kernel sizes dump
 * skbs after our receive buffer, up to 32 KiB); a smaller buffer would make
 * the kernel truncate a link with many attributes.
 */
#define NL_BUFSIZE 32768

struct nl_sock {
	struct mnl_socket *mnl;
	uint32_t portid;
	uint32_t seq;
	char ext_ack[256];
	char buf[NL_BUFSIZE];
};

int nl_open(struct nl_sock **out)
{
	struct nl_sock *sock;
	int on = 1;

	sock = calloc(1, sizeof(*sock));
	if (!sock)
		return -1;
	sock->mnl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!sock->mnl)
		goto fail;
	/* Let the kernel explain its errors, and keep acks short. */
	(void)mnl_socket_setsockopt(sock->mnl, NETLINK_EXT_ACK, &on,
				    sizeof(on));
	(void)mnl_socket_setsockopt(sock->mnl, NETLINK_CAP_ACK, &on,
				    sizeof(on));
	if (mnl_socket_bind(sock->mnl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* The port id is assigned by the kernel: it is not our PID. */
	sock->portid = mnl_socket_get_portid(sock->mnl);
	sock->seq = 1;
	*out = sock;
	return 0;
fail:
	nl_close(sock);
	return -1;
}

void nl_close(struct nl_sock *sock)
{
	int saved = errno;

	if (!sock)
		return;
	if (sock->mnl)
		mnl_socket_close(sock->mnl);
	free(sock);
	errno = saved;
}

uint32_t nl_next_seq(struct nl_sock *sock)
{
	return sock->seq++;
}

const char *nl_ext_ack(const struct nl_sock *sock)
{
	return sock->ext_ack;
}

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct nl_sock *sock = data;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	snprintf(sock->ext_ack, sizeof(sock->ext_ack), "%s",
		 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/*
 * Reads the error code out of an NLMSG_ERROR message (0 for an ack) and
 * keeps the extended-ack text.  Returns -1 with EPROTO if it is too short.
 */
static int error_code(struct nl_sock *sock, const struct nlmsghdr *nlh,
		      int *code)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t hdrlen = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EPROTO;
		return -1;
	}
	*code = -err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* Without NLM_F_CAPPED the request itself is echoed first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hdrlen += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (hdrlen <= mnl_nlmsg_get_payload_len(nlh))
		(void)mnl_attr_parse(nlh, hdrlen, ext_ack_attr, sock);
	return 0;
}

/* Matches one reply message against the batch [first, first+count). */
static int take_ack(struct nl_sock *sock, const struct nlmsghdr *nlh,
		    uint32_t first, unsigned int count, bool *seen,
		    const int *tolerate, unsigned int *failed)
{
	unsigned int idx = nlh->nlmsg_seq - first;
	int code;

	if (nlh->nlmsg_pid != sock->portid) {
		errno = ESRCH;
		return -1;
	}
	if (idx >= count) {
		errno = EPROTO;
		return -1;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 0; /* an echo or notification; only acks count */
	if (error_code(sock, nlh, &code) < 0)
		return -1;
	seen[idx] = true;
	if (code == 0 || (tolerate && tolerate[idx] && code == tolerate[idx]))
		return 0;
	if (failed)
		*failed = idx;
	errno = code;
	return -1;
}

int nl_transact(struct nl_sock *sock, const void *buf, size_t len,
		unsigned int count, const int *tolerate, unsigned int *failed)
{
	const struct nlmsghdr *nlh = buf;
	uint32_t first = nlh->nlmsg_seq;
	unsigned int acked = 0;
	bool seen[64] = {false};

	if (count == 0 || count > 64) {
		errno = EINVAL;
		return -1;
	}
	sock->ext_ack[0] = '\0';
	if (mnl_socket_sendto(sock->mnl, buf, len) < 0)
		return -1;
	while (acked < count) {
		ssize_t n = mnl_socket_recvfrom(sock->mnl, sock->buf,
						sizeof(sock->buf));
		int left = (int)n;

		if (n < 0)
			return -1;
		for (nlh = (const void *)sock->buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (take_ack(sock, nlh, first, count, seen, tolerate,
				     failed) < 0)
				return -1;
		}
		acked = 0;
		for (unsigned int i = 0; i < count; i++)
			acked += seen[i];
	}
	return 0;
}

struct dump_ctx {
	nl_msg_fn fn;
	void *data;
	bool interrupted;
};

static int dump_one(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		ctx->interrupted = true;
	return ctx->fn(nlh, ctx->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Builds the dump request: each message type has its own header. */
static struct nlmsghdr *dump_request(struct nl_sock *sock, char *buf,
				     uint16_t type, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = nl_next_seq(sock);
	if (type == RTM_GETLINK) {
		struct ifinfomsg *ifi =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = family;
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else if (type == RTM_GETADDR) {
		struct ifaddrmsg *ifa =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = family;
	} else {
		struct rtgenmsg *gen =
		    mnl_nlmsg_put_extra_header(nlh, sizeof(*gen));
		gen->rtgen_family = family;
	}
	return nlh;
}

int nl_request(struct nl_sock *sock, struct nlmsghdr *nlh, nl_msg_fn fn,
	       void *data)
{
	struct dump_ctx ctx = {.fn = fn, .data = data};
	ssize_t n;
	int ret;

	sock->ext_ack[0] = '\0';
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = nl_next_seq(sock);
	if (mnl_socket_sendto(sock->mnl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(sock->mnl, sock->buf, sizeof(sock->buf));
	if (n < 0)
		return -1;
	/* An error reply: mnl_cb_run() sets errno from it. */
	ret = mnl_cb_run(sock->buf, (size_t)n, nlh->nlmsg_seq, sock->portid,
			 dump_one, &ctx);
	return ret < 0 ? -1 : 0;
}

int nl_dump(struct nl_sock *sock, uint16_t type, uint8_t family, nl_msg_fn fn,
	    void *data)
{
	char req[128];
	struct nlmsghdr *nlh = dump_request(sock, req, type, family);
	struct dump_ctx ctx = {.fn = fn, .data = data};
	uint32_t seq = nlh->nlmsg_seq;
	int ret;

	sock->ext_ack[0] = '\0';
	if (mnl_socket_sendto(sock->mnl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		ssize_t n = mnl_socket_recvfrom(sock->mnl, sock->buf,
						sizeof(sock->buf));
		if (n < 0)
			return -1;
		ret = mnl_cb_run(sock->buf, (size_t)n, seq, sock->portid,
				 dump_one, &ctx);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return -1;
	if (ctx.interrupted) {
		errno = EAGAIN;
		return -1;
	}
	return 0;
}
