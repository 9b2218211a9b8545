// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy_load: read nonet.conf from disk, refusing a file that someone
 * other than root could have written (as doas does with doas.conf).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policy.h"

static void file_error(struct policy_diag *diag, const char *path,
		       const char *message)
{
	diag->errors++;
	if (diag->fn)
		diag->fn(diag->data, POLICY_ERROR, path, 0, message);
}

/* The file's owner and mode, checked on the descriptor we read from. */
static int check_file(struct policy_diag *diag, const char *path, int fd,
		      size_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		file_error(diag, path, "not a regular file");
		errno = EINVAL;
		return -1;
	}
	if (st.st_uid != 0) {
		file_error(diag, path, "not owned by root");
		errno = EPERM;
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		file_error(diag, path, "writable by group or others");
		errno = EPERM;
		return -1;
	}
	if (st.st_size > POLICY_FILE_MAX) {
		file_error(diag, path, "larger than 4 MiB");
		errno = EFBIG;
		return -1;
	}
	*size = (size_t)st.st_size;
	return 0;
}

/* Reads all of @fd (up to @size bytes plus one, to see growth). */
static char *read_all(int fd, size_t size, size_t *len)
{
	char *buf = malloc(size + 1);
	size_t got = 0;

	if (!buf)
		return NULL;
	while (got <= size) {
		ssize_t n = read(fd, buf + got, size + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return buf;
}

static void read_error(struct policy_diag *diag, const char *path)
{
	char message[256];

	snprintf(message, sizeof(message), "cannot read: %s", strerror(errno));
	file_error(diag, path, message);
}

int policy_load(const char *path, struct policy_diag *diag, struct policy **out)
{
	const char *file = path ? path : POLICY_DEFAULT_PATH;
	size_t size = 0, len = 0;
	char *text = NULL;
	int fd, ret = -1;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must not hang the login; it fails the checks. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT && !path)
		return policy_parse(POLICY_BUILTIN_NAME, POLICY_BUILTIN_TEXT,
				    strlen(POLICY_BUILTIN_TEXT), diag, out);
	if (fd < 0) {
		read_error(diag, file);
		return -1;
	}
	if (check_file(diag, file, fd, &size) == 0) {
		text = read_all(fd, size, &len);
		if (!text)
			read_error(diag, file);
		else if (len > size)
			file_error(diag, file, "changed while being read");
		else
			ret = policy_parse(file, text, len, diag, out);
	}
	free(text);
	close(fd);
	if (ret < 0 && errno == 0)
		errno = EINVAL;
	return ret;
}
