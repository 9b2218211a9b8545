// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record: the session records of /run/nonet/sessions.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "proc.h"
#include "record.h"
#include "userlock.h"

static bool read_auditsid(unsigned int *sid)
{
	char buf[32] = "";
	int fd = open("/proc/self/sessionid", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*sid = (unsigned int)strtoul(buf, NULL, 10);
	return *sid != 4294967295U; /* (unsigned)-1: none set */
}

/*
 * A part of the id that differs between two sessions one process opens
 * (two PAM handles, or two opens on one): random, or where the kernel
 * has no entropy yet, the monotonic clock's nanoseconds.
 */
static unsigned int id_nonce(void)
{
	struct timespec ts;
	unsigned int nonce;

	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(nonce))
		return nonce;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned int)ts.tv_nsec ^ (unsigned int)ts.tv_sec;
}

int record_identify(struct record *r)
{
	if (proc_self(&r->pid, &r->start) < 0)
		return -1;
	snprintf(r->id, sizeof(r->id), "%d-%llu-%08x", (int)r->pid, r->start,
		 id_nonce());
	r->has_auditsid = read_auditsid(&r->auditsid);
	return 0;
}

/* Escapes backslash, space, control and non-ASCII bytes as \xNN. */
static void put_field(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s ", key);
	for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
		if (*c <= ' ' || *c >= 0x7f || *c == '\\')
			fprintf(f, "\\x%02x", *c);
		else
			fputc(*c, f);
	}
	fputc('\n', f);
}

static void put_fields(FILE *f, const struct record *r)
{
	fprintf(f, "pid %d\nstart %llu\n", (int)r->pid, r->start);
	if (r->has_auditsid)
		fprintf(f, "auditsid %u\n", r->auditsid);
	put_field(f, "user", r->user);
	fprintf(f, "uid %u\n", (unsigned int)r->uid);
	put_field(f, "service", r->service);
	put_field(f, "rhost", r->rhost);
	put_field(f, "tty", r->tty);
	put_field(f, "mode", r->mode);
	fprintf(f, "netns %" PRIu64 ":%" PRIu64 "\n", (uint64_t)r->netns_dev,
		(uint64_t)r->netns_ino);
	put_field(f, "name", r->name);
	put_field(f, "rule", r->rule);
	fprintf(f, "policy %016" PRIx64 "\nsince %lld\n", r->policy_hash,
		r->since);
	if (*r->uplink) {
		put_field(f, "uplink", r->uplink);
		fprintf(f, "lease %d\n", r->lease);
	}
}

int record_write(const struct record *r)
{
	char path[sizeof(RECORD_DIR) + 80], tmp[sizeof(path) + 8];
	FILE *f;
	int fd;

	if ((mkdir(NONET_RUN_DIR, 0700) < 0 && errno != EEXIST) ||
	    (mkdir(RECORD_DIR, 0700) < 0 && errno != EEXIST))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", RECORD_DIR, r->id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	put_fields(f, r);
	/*
	 * No fsync: a record is runtime state, meaningless after a reboot,
	 * and on a /run that is not tmpfs an fsync costs a disk flush per
	 * login.  The rename alone keeps readers from a half-written file.
	 */
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int record_remove(const char *id)
{
	char path[sizeof(RECORD_DIR) + 80];

	snprintf(path, sizeof(path), "%s/%s", RECORD_DIR, id);
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* Copies @value into @dst (of @size), undoing put_field's \xNN escapes. */
static void get_field(char *dst, size_t size, const char *value)
{
	size_t out = 0;

	for (; *value && out + 1 < size; value++) {
		unsigned int c;

		if (value[0] == '\\' && value[1] == 'x' &&
		    sscanf(value + 2, "%2x", &c) == 1) {
			dst[out++] = (char)c;
			value += 3;
		} else {
			dst[out++] = *value;
		}
	}
	dst[out] = '\0';
}

static void parse_numbers(struct record *r, const char *key, const char *v)
{
	uint64_t dev, ino;

	if (strcmp(key, "pid") == 0)
		r->pid = (pid_t)strtol(v, NULL, 10);
	else if (strcmp(key, "start") == 0)
		r->start = strtoull(v, NULL, 10);
	else if (strcmp(key, "auditsid") == 0)
		r->has_auditsid = sscanf(v, "%u", &r->auditsid) == 1;
	else if (strcmp(key, "uid") == 0)
		r->uid = (uid_t)strtoul(v, NULL, 10);
	else if (strcmp(key, "netns") == 0 &&
		 sscanf(v, "%" SCNu64 ":%" SCNu64, &dev, &ino) == 2) {
		r->netns_dev = (dev_t)dev;
		r->netns_ino = (ino_t)ino;
	} else if (strcmp(key, "policy") == 0)
		r->policy_hash = strtoull(v, NULL, 16);
	else if (strcmp(key, "since") == 0)
		r->since = strtoll(v, NULL, 10);
	else if (strcmp(key, "lease") == 0)
		r->lease = (int)strtol(v, NULL, 10);
}

static void parse_line(struct record *r, char *line)
{
	char *v = strchr(line, ' ');

	if (!v)
		return;
	*v++ = '\0';
	if (strcmp(line, "user") == 0)
		get_field(r->user, sizeof(r->user), v);
	else if (strcmp(line, "service") == 0)
		get_field(r->service, sizeof(r->service), v);
	else if (strcmp(line, "rhost") == 0)
		get_field(r->rhost, sizeof(r->rhost), v);
	else if (strcmp(line, "tty") == 0)
		get_field(r->tty, sizeof(r->tty), v);
	else if (strcmp(line, "mode") == 0)
		get_field(r->mode, sizeof(r->mode), v);
	else if (strcmp(line, "name") == 0)
		get_field(r->name, sizeof(r->name), v);
	else if (strcmp(line, "rule") == 0)
		get_field(r->rule, sizeof(r->rule), v);
	else if (strcmp(line, "uplink") == 0)
		get_field(r->uplink, sizeof(r->uplink), v);
	else
		parse_numbers(r, line, v);
}

int record_read(const char *path, struct record *r)
{
	const char *base = strrchr(path, '/');
	char line[4 * RECORD_FIELD + 64];
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	memset(r, 0, sizeof(*r));
	r->lease = -1;
	snprintf(r->id, sizeof(r->id), "%s", base ? base + 1 : path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		parse_line(r, line);
	}
	fclose(f);
	if (r->pid <= 0 || !r->mode[0]) {
		errno = EINVAL; /* not a record of ours */
		return -1;
	}
	return 0;
}

int record_list(struct record **records, size_t *count)
{
	DIR *dir = opendir(RECORD_DIR);
	struct record *list = NULL;
	struct dirent *e;
	size_t n = 0;

	*records = NULL;
	*count = 0;
	if (!dir)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dir))) {
		char path[sizeof(RECORD_DIR) + 300];
		struct record *grown;

		if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp"))
			continue;
		grown = reallocarray(list, n + 1, sizeof(*list));
		if (!grown) {
			free(list);
			closedir(dir);
			return -1;
		}
		list = grown;
		snprintf(path, sizeof(path), "%s/%s", RECORD_DIR, e->d_name);
		/* Closed while we read, or not ours: skipped. */
		if (record_read(path, &list[n]) == 0)
			n++;
	}
	closedir(dir);
	*records = list;
	*count = n;
	return 0;
}

int record_stale(const struct record *r)
{
	struct proc_stat st;

	if (proc_read_stat(r->pid, &st) < 0)
		return errno == ENOENT || errno == ESRCH ? 1 : -1;
	return st.start != r->start;
}
