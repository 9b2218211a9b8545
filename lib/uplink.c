// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink: names, the ALLOW syntax, and entering an uplink's namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "pin.h"
#include "uplink.h"

int uplink_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > UPLINK_NAME_MAX || name[0] < 'a' || name[0] > 'z')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789") == len;
}

/* A decimal number in [@min, @max], the whole of @text. */
static int parse_uint(const char *text, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	unsigned long v = 0;

	if (!*text || strlen(text) > 5)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Whether the bits of @addr past @prefixlen are all 0. */
static int host_bits_clear(const uint8_t *addr, size_t size,
			   unsigned int prefixlen)
{
	for (size_t bit = prefixlen; bit < size * 8; bit++)
		if (addr[bit / 8] & (0x80 >> (bit % 8)))
			return 0;
	return 1;
}

/* ADDR[/PREFIX] of @family into @a. */
static int parse_prefix(char *text, int family, struct uplink_allow *a,
			const char **why)
{
	unsigned int max = family == AF_INET ? 32 : 128;
	char *slash = strchr(text, '/');
	unsigned long len = max;

	if (slash) {
		*slash = '\0';
		if (parse_uint(slash + 1, 0, max, &len) < 0) {
			*why = family == AF_INET ? "the prefix is not 0 to 32"
						 : "the prefix is not 0 to 128";
			return -1;
		}
	}
	if (inet_pton(family, text, a->addr) != 1) {
		*why = family == AF_INET ? "not an IPv4 address"
					 : "not an IPv6 address";
		return -1;
	}
	if (len == 0) {
		*why = "a /0 prefix allows every address";
		return -1;
	}
	if (!host_bits_clear(a->addr, family == AF_INET ? 4 : 16,
			     (unsigned int)len)) {
		*why = "the address has bits set past its prefix";
		return -1;
	}
	a->family = family;
	a->prefixlen = (unsigned int)len;
	return 0;
}

/* The "/tcp" or "/udp" at the end of @text, cut off. */
static void cut_proto(char *text, struct uplink_allow *a)
{
	size_t len = strlen(text);

	if (len > 4 && strcmp(text + len - 4, "/tcp") == 0)
		a->proto = IPPROTO_TCP;
	else if (len > 4 && strcmp(text + len - 4, "/udp") == 0)
		a->proto = IPPROTO_UDP;
	else
		return;
	text[len - 4] = '\0';
}

/* ":PORT" (or "") at @text. */
static int parse_port(const char *text, struct uplink_allow *a,
		      const char **why)
{
	unsigned long port;

	if (!*text)
		return 0;
	if (*text != ':' || parse_uint(text + 1, 1, 65535, &port) < 0) {
		*why = strchr(text, '/') ? "only /tcp or /udp may end it"
					 : "the port is not 1 to 65535";
		return -1;
	}
	a->port = (uint16_t)port;
	return 0;
}

/* [ADDR[/PREFIX]]:PORT, the brackets already seen at @text. */
static int parse_bracketed(char *text, struct uplink_allow *a, const char **why)
{
	char *close = strchr(text, ']');

	if (!close) {
		*why = "a '[' without its ']'";
		return -1;
	}
	*close = '\0';
	if (parse_prefix(text + 1, AF_INET6, a, why) < 0 ||
	    parse_port(close + 1, a, why) < 0)
		return -1;
	return 0;
}

int uplink_allow_parse(const char *text, struct uplink_allow *out,
		       const char **why)
{
	char buf[96], *colon;
	struct uplink_allow a = {0};
	int ret;

	*why = NULL;
	if (strlen(text) >= sizeof(buf) || !*text) {
		*why = *text ? "too long" : "empty";
		errno = EINVAL;
		return -1;
	}
	memcpy(buf, text, strlen(text) + 1);
	cut_proto(buf, &a);
	colon = strchr(buf, ':');
	if (buf[0] == '[')
		ret = parse_bracketed(buf, &a, why);
	else if (colon && strchr(colon + 1, ':'))
		ret = parse_prefix(buf, AF_INET6, &a, why);
	else if (colon) {
		ret = parse_port(colon, &a, why);
		*colon = '\0';
		ret = ret < 0 ? -1 : parse_prefix(buf, AF_INET, &a, why);
	} else
		ret = parse_prefix(buf, AF_INET, &a, why);
	if (ret < 0) {
		errno = EINVAL;
		return -1;
	}
	*out = a;
	return 0;
}

int uplink_allow_format(const struct uplink_allow *a, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN], prefix[8] = "", port[8] = "";
	const char *proto = a->proto == IPPROTO_TCP   ? "/tcp"
			    : a->proto == IPPROTO_UDP ? "/udp"
						      : "";
	bool six = a->family == AF_INET6;
	int n;

	if (!inet_ntop(a->family, a->addr, addr, sizeof(addr)))
		return -1;
	if (a->prefixlen != (six ? 128U : 32U))
		snprintf(prefix, sizeof(prefix), "/%u", a->prefixlen);
	if (a->port)
		snprintf(port, sizeof(port), ":%u", a->port);
	if (six && a->port)
		n = snprintf(buf, len, "[%s%s]%s%s", addr, prefix, port, proto);
	else
		n = snprintf(buf, len, "%s%s%s%s", addr, prefix, port, proto);
	if (n < 0 || (size_t)n >= len) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

int uplink_path(const char *name, const char *file, char *buf, size_t len)
{
	int n;

	if (!uplink_name_valid(name)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, len, "%s/%s%s%s", UPLINK_DIR, name, *file ? "/" : "",
		     file);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int uplink_open_netns(const char *name, int *fd)
{
	char path[UPLINK_PATH_MAX];
	const char *why;

	if (uplink_path(name, "netns", path, sizeof(path)) < 0)
		return -1;
	return pin_open_netns(path, fd, &why);
}

int uplink_enter(const char *name, int *saved)
{
	int self, target;

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (uplink_open_netns(name, &target) < 0) {
		int err = errno;

		close(self);
		errno = err;
		return -1;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		int err = errno;

		close(target);
		close(self);
		errno = err;
		return -1;
	}
	close(target);
	*saved = self;
	return 0;
}

int uplink_leave(int saved)
{
	int ret = setns(saved, CLONE_NEWNET);
	int err = errno;

	close(saved);
	errno = err;
	return ret;
}

int uplink_lock(const char *name, bool exclusive, int *fd)
{
	char dir[UPLINK_PATH_MAX];
	int err;

	*fd = -1;
	if (uplink_path(name, "", dir, sizeof(dir)) < 0)
		return -1;
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return -1;
	if (flock(*fd, exclusive ? LOCK_EX : LOCK_SH) == 0)
		return 0;
	err = errno;
	close(*fd);
	*fd = -1;
	errno = err;
	return -1;
}
