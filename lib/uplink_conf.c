// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uplink_conf: UPLINK_DIR/NAME/conf, the record of what `nonet uplink up`
 * made, and the list of the uplinks that are up.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uplink.h"
#include "uplink_file.h"

/* "ADDR/LEN" of @family into @addr, @len. */
static int parse_pool(const char *text, int family, uint8_t *addr,
		      unsigned int *len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned int max = family == AF_INET ? 32 : 128;

	if (strlen(text) >= sizeof(buf))
		return -1;
	memcpy(buf, text, strlen(text) + 1);
	slash = strchr(buf, '/');
	if (!slash || sscanf(slash + 1, "%u", len) != 1 || *len > max)
		return -1;
	*slash = '\0';
	return inet_pton(family, buf, addr) == 1 ? 0 : -1;
}

static int add_allow(struct uplink_conf *conf, const char *text)
{
	struct uplink_allow *grown;
	const char *why;

	if (conf->nallow >= UPLINK_ALLOW_MAX)
		return -1;
	grown = reallocarray(conf->allow, conf->nallow + 1, sizeof(*grown));
	if (!grown)
		return -1;
	conf->allow = grown;
	return uplink_allow_parse(text, &conf->allow[conf->nallow++], &why);
}

static int parse_line(struct uplink_conf *conf, const char *key, const char *v)
{
	if (strcmp(key, "name") == 0)
		return strcmp(v, conf->name) == 0 ? 0 : -1;
	if (strcmp(key, "allow") == 0)
		return add_allow(conf, v);
	if (strcmp(key, "pool4") == 0)
		return parse_pool(v, AF_INET, conf->pool4, &conf->pool4_len);
	if (strcmp(key, "pool6") == 0) {
		conf->has_pool6 = true;
		return parse_pool(v, AF_INET6, conf->pool6, &conf->pool6_len);
	}
	if (strcmp(key, "nat") == 0) {
		conf->nat = strcmp(v, "yes") == 0;
		return conf->nat || strcmp(v, "no") == 0 ? 0 : -1;
	}
	if (strcmp(key, "forward") == 0)
		return sscanf(v, "%d", &conf->forward_was) == 1 ? 0 : -1;
	if (strcmp(key, "forward6") == 0)
		return sscanf(v, "%d", &conf->forward6_was) == 1 ? 0 : -1;
	if (strcmp(key, "netns") == 0)
		return sscanf(v, "%" SCNu64 ":%" SCNu64, &conf->netns_dev,
			      &conf->netns_ino) == 2
			   ? 0
			   : -1;
	return 0; /* a key of a later version */
}

int uplink_conf_read(const char *name, struct uplink_conf *conf)
{
	char path[UPLINK_PATH_MAX], line[256];
	int ret = 0;
	FILE *f;

	memset(conf, 0, sizeof(*conf));
	conf->forward6_was = -1;
	if (uplink_path(name, "conf", path, sizeof(path)) < 0)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return -1;
	memcpy(conf->name, name, strlen(name) + 1); /* valid: it fits */
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		char *v;

		line[strcspn(line, "\n")] = '\0';
		v = strchr(line, ' ');
		if (!v) {
			ret = -1;
			break;
		}
		*v++ = '\0';
		ret = parse_line(conf, line, v);
	}
	fclose(f);
	if (ret == 0 && (!conf->pool4_len || !conf->nallow))
		ret = -1;
	if (ret < 0) {
		uplink_conf_free(conf);
		errno = EINVAL; /* damaged: not what up wrote */
	}
	return ret;
}

static void put_pool(FILE *f, const char *key, int family, const uint8_t *addr,
		     unsigned int len)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, text, sizeof(text));
	fprintf(f, "%s %s/%u\n", key, text, len);
}

static int put_conf(FILE *f, const struct uplink_conf *conf)
{
	fprintf(f, "name %s\n", conf->name);
	for (size_t i = 0; i < conf->nallow; i++) {
		char word[96];

		if (uplink_allow_format(&conf->allow[i], word, sizeof(word)) <
		    0)
			return -1;
		fprintf(f, "allow %s\n", word);
	}
	put_pool(f, "pool4", AF_INET, conf->pool4, conf->pool4_len);
	if (conf->has_pool6)
		put_pool(f, "pool6", AF_INET6, conf->pool6, conf->pool6_len);
	fprintf(f, "nat %s\nforward %d\nforward6 %d\n",
		conf->nat ? "yes" : "no", conf->forward_was,
		conf->forward6_was);
	fprintf(f, "netns %" PRIu64 ":%" PRIu64 "\n", conf->netns_dev,
		conf->netns_ino);
	return 0;
}

int uplink_file_write(const char *path, int (*put)(FILE *f, const void *data),
		      const void *data)
{
	int fd, err;
	FILE *f;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		goto fail;
	}
	errno = 0;
	if (put(f, data) < 0 || fflush(f) != 0 || ferror(f)) {
		err = errno ? errno : EIO;
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0) {
		err = errno;
		goto fail;
	}
	return 0;
fail:
	unlink(path);
	errno = err;
	return -1;
}

static int put_conf_file(FILE *f, const void *data)
{
	return put_conf(f, data);
}

int uplink_conf_write(const struct uplink_conf *conf)
{
	char path[UPLINK_PATH_MAX], tmp[UPLINK_PATH_MAX];
	int err;

	if (uplink_path(conf->name, "conf", path, sizeof(path)) < 0 ||
	    uplink_path(conf->name, "conf.tmp", tmp, sizeof(tmp)) < 0)
		return -1;
	/* A leftover of an interrupted write is ours to replace. */
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -1;
	if (uplink_file_write(tmp, put_conf_file, conf) < 0)
		return -1;
	if (rename(tmp, path) < 0) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

void uplink_conf_free(struct uplink_conf *conf)
{
	free(conf->allow);
	conf->allow = NULL;
	conf->nallow = 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether UPLINK_DIR/@name is an uplink that is up (it has its conf). */
static bool is_up(const char *name)
{
	char path[UPLINK_PATH_MAX];

	return uplink_name_valid(name) &&
	       uplink_path(name, "conf", path, sizeof(path)) == 0 &&
	       access(path, F_OK) == 0;
}

int uplink_names(char ***names, size_t *count)
{
	DIR *dir = opendir(UPLINK_DIR);
	char **list = NULL;
	struct dirent *e;
	size_t n = 0;

	*names = NULL;
	*count = 0;
	if (!dir)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(dir))) {
		char **grown;

		if (!is_up(e->d_name))
			continue;
		grown = reallocarray(list, n + 1, sizeof(*list));
		if (!grown || !(grown[n] = strdup(e->d_name))) {
			uplink_names_free(grown ? grown : list, n);
			closedir(dir);
			errno = ENOMEM;
			return -1;
		}
		list = grown;
		n++;
	}
	closedir(dir);
	if (n)
		qsort(list, n, sizeof(*list), compare_names);
	*names = list;
	*count = n;
	return 0;
}

void uplink_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
