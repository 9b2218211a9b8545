/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pin: named network namespaces under /run/netns (iproute2's layout, so
 * `ip netns exec NAME` works on them).  Each function returns 0 on
 * success, -1 with errno set on failure.
 */
#ifndef NONET_PIN_H
#define NONET_PIN_H

#include <stdbool.h>
#include <sys/types.h>

#define PIN_DIR "/run/netns"

enum pin_state {
	PIN_ABSENT,   /* nothing at the path */
	PIN_LEFTOVER, /* an empty root-owned file, no mount: an interrupted pin
		       */
	PIN_NETNS,    /* a network namespace: *fd is open on it */
	PIN_FOREIGN,  /* something else: never join it; *why says what */
};

/*
 * Looks at @path without following symlinks.  For PIN_NETNS, *@fd is an
 * O_CLOEXEC descriptor of the namespace (the caller closes it); for
 * PIN_FOREIGN, *@why describes the thing found.
 */
int pin_inspect(const char *path, enum pin_state *state, int *fd,
		const char **why);

/*
 * Opens the namespace at @path for joining: it must be a network namespace
 * (nsfs, CLONE_NEWNET) reached without symlinks.  On failure errno is
 * ENOENT (nothing there) or EINVAL (not a network namespace, *@why says).
 */
int pin_open_netns(const char *path, int *fd, const char **why);

/*
 * Pins the calling thread's network namespace at @path (which must not
 * exist) with a bind mount, after making PIN_DIR a shared mount as
 * iproute2 does, so that the pin is seen and removable from every mount
 * namespace.  On failure nothing is left at @path.
 */
int pin_create(const char *path);

/* Unmounts and removes the pin at @path; a missing pin is no error. */
int pin_remove(const char *path);

/* The device and inode that identify the namespace open on @fd. */
int pin_identity(int fd, dev_t *dev, ino_t *ino);

#endif
