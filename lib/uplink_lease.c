// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink_lease: the leases of an uplink, one file each under
 * UPLINK_DIR/NAME/leases/.  A lease file is written whole under a
 * temporary name, then hard-linked to its index: link() fails with EEXIST
 * when the index is taken, so no lock is needed and no reader ever sees a
 * half-written lease.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "proc.h"
#include "uplink.h"
#include "uplink_file.h"

#define LEASE_INDEX_MAX 65536U /* "nNAME-65535" fills IFNAMSIZ */

unsigned int uplink_lease_max(const struct uplink_conf *conf)
{
	unsigned int max = LEASE_INDEX_MAX;

	if (conf->pool4_len > 31)
		return 0;
	if (31 - conf->pool4_len < 16)
		max = 1U << (31 - conf->pool4_len);
	if (conf->has_pool6) {
		if (conf->pool6_len > 127)
			return 0;
		if (127 - conf->pool6_len < 16 &&
		    (1U << (127 - conf->pool6_len)) < max)
			max = 1U << (127 - conf->pool6_len);
	}
	return max;
}

/* @addr (big-endian, @size bytes) plus @n. */
static void addr_add(uint8_t *addr, size_t size, unsigned int n)
{
	for (size_t i = size; i-- > 0 && n;) {
		n += addr[i];
		addr[i] = (uint8_t)n;
		n >>= 8;
	}
}

int uplink_lease_compute(const struct uplink_conf *conf, unsigned int index,
			 struct uplink_lease *out)
{
	if (index >= uplink_lease_max(conf)) {
		errno = ERANGE;
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->index = index;
	/* Below 65536 (uplink_lease_max): the name fits IFNAMSIZ. */
	snprintf(out->host_if, sizeof(out->host_if), "n%s-%u", conf->name,
		 index & 0xffffU);
	memcpy(out->host4, conf->pool4, 4);
	addr_add(out->host4, 4, 2 * index);
	memcpy(out->inside4, out->host4, 4);
	addr_add(out->inside4, 4, 1);
	out->has6 = conf->has_pool6;
	if (out->has6) {
		memcpy(out->host6, conf->pool6, 16);
		addr_add(out->host6, 16, 2 * index);
		memcpy(out->inside6, out->host6, 16);
		addr_add(out->inside6, 16, 1);
	}
	return 0;
}

struct lease_text {
	pid_t pid;
	unsigned long long start;
	const char *record_id;
};

static int put_lease(FILE *f, const void *data)
{
	const struct lease_text *t = data;

	fprintf(f, "pid %d\nstart %llu\nrecord %s\n", (int)t->pid, t->start,
		t->record_id ? t->record_id : "");
	return 0;
}

/* Writes the lease text into a new temporary file @tmp under @dir. */
static int write_tmp(const char *dir, const char *record_id, char *tmp,
		     size_t len)
{
	struct lease_text t = {.record_id = record_id};
	unsigned int nonce = 0;

	if (proc_self(&t.pid, &t.start) < 0)
		return -1;
	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) < 0)
		nonce = (unsigned int)t.start;
	snprintf(tmp, len, "%s/.tmp-%d-%08x", dir, (int)t.pid, nonce);
	return uplink_file_write(tmp, put_lease, &t);
}

/* Links @tmp to the lowest free index of @dir (at most @max); ENOSPC. */
static int link_lowest(const char *dir, const char *tmp, unsigned int max,
		       unsigned int *index)
{
	char path[UPLINK_PATH_MAX + 16];

	for (unsigned int k = 0; k < max; k++) {
		snprintf(path, sizeof(path), "%s/%u", dir, k);
		if (link(tmp, path) == 0) {
			*index = k;
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = ENOSPC;
	return -1;
}

int uplink_lease_take(const struct uplink_conf *conf, const char *record_id,
		      struct uplink_lease *out)
{
	char dir[UPLINK_PATH_MAX], tmp[UPLINK_PATH_MAX + 32];
	unsigned int index;
	int ret, err;

	if (uplink_path(conf->name, "leases", dir, sizeof(dir)) < 0 ||
	    write_tmp(dir, record_id, tmp, sizeof(tmp)) < 0)
		return -1;
	ret = link_lowest(dir, tmp, uplink_lease_max(conf), &index);
	err = errno;
	unlink(tmp);
	if (ret == 0 && uplink_lease_compute(conf, index, out) < 0) {
		err = errno;
		uplink_lease_release(conf->name, index);
		ret = -1;
	}
	errno = err;
	return ret;
}

int uplink_lease_release(const char *name, unsigned int index)
{
	char path[UPLINK_PATH_MAX], file[32];

	snprintf(file, sizeof(file), "leases/%u", index);
	if (uplink_path(name, file, path, sizeof(path)) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* A lease file's name is its index: digits only, below LEASE_INDEX_MAX. */
static int lease_index(const char *name, unsigned int *index)
{
	unsigned long v;
	char *end;

	if (name[0] < '0' || name[0] > '9' || strlen(name) > 5)
		return -1;
	v = strtoul(name, &end, 10);
	if (*end || v >= LEASE_INDEX_MAX || (name[0] == '0' && name[1]))
		return -1;
	*index = (unsigned int)v;
	return 0;
}

static int read_owner(const char *dir, struct uplink_lease_owner *o)
{
	char path[UPLINK_PATH_MAX + 16], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", dir, o->index);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int pid;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "pid %d", &pid) == 1)
			o->pid = (pid_t)pid;
		else if (sscanf(line, "start %llu", &o->start) == 1)
			continue;
		else if (strncmp(line, "record ", 7) == 0)
			snprintf(o->record, sizeof(o->record), "%.*s",
				 (int)sizeof(o->record) - 1, line + 7);
	}
	fclose(f);
	return 0;
}

int uplink_lease_read(const char *name, unsigned int index,
		      struct uplink_lease_owner *o)
{
	char dir[UPLINK_PATH_MAX];

	memset(o, 0, sizeof(*o));
	o->index = index;
	if (uplink_path(name, "leases", dir, sizeof(dir)) < 0)
		return -1;
	return read_owner(dir, o);
}

static int compare_owners(const void *a, const void *b)
{
	const struct uplink_lease_owner *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int uplink_lease_list(const char *name, struct uplink_lease_owner **owners,
		      size_t *count)
{
	struct uplink_lease_owner *list = NULL;
	char dir[UPLINK_PATH_MAX];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	*owners = NULL;
	*count = 0;
	if (uplink_path(name, "leases", dir, sizeof(dir)) < 0 ||
	    !(d = opendir(dir)))
		return -1;
	while ((e = readdir(d))) {
		struct uplink_lease_owner o = {0};
		struct uplink_lease_owner *grown;

		/* Released while the directory is read: skipped. */
		if (lease_index(e->d_name, &o.index) < 0 ||
		    read_owner(dir, &o) < 0)
			continue;
		grown = reallocarray(list, n + 1, sizeof(*list));
		if (!grown) {
			free(list);
			closedir(d);
			errno = ENOMEM;
			return -1;
		}
		list = grown;
		list[n++] = o;
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), compare_owners);
	*owners = list;
	*count = n;
	return 0;
}
