/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mask: cover, in the session's private mount namespace, the sockets of
 * host daemons that would resolve names or open connections for the
 * caller from the host's network namespace.  Each returns 0, or -1 with
 * errno.
 */
#ifndef NONET_MASK_H
#define NONET_MASK_H

#include <stdbool.h>

/*
 * What every isolated session masks unless its rule says nomask: the
 * directories of nscd's socket (both spellings, in case /var/run is not a
 * link to /run) and of systemd-resolved's varlink sockets, so that a
 * socket the daemon binds anew after a restart is covered too (see
 * mask.c).  NULL-terminated.
 */
extern const char *const mask_default_paths[];

/* Is @path absolute and clean (no "//", ".", ".." or trailing '/')? */
bool mask_path_clean(const char *path);

/* Is @list "PATH[,PATH...]" with every PATH clean? */
bool mask_list_clean(const char *list);

/*
 * Resolves @path (following links) into *@canonical (free() it).  Returns
 * 0 and NULL when nothing is there: no host object, nothing to mask.
 */
int mask_resolve(const char *path, char **canonical);

/* The steps of mask_cover(), for the caller's log line. */
enum mask_step {
	MASK_STAT,  /* look at the object */
	MASK_SLAVE, /* make the mount it lives on a slave */
	MASK_KEEP,  /* list a dir's regular files, bind them back */
	MASK_COVER, /* bind /dev/null over it (an empty tmpfs on a dir) */
	MASK_SEAL,  /* remount that read-only, nodev, nosuid, noexec */
};

/*
 * Covers @canonical (from mask_resolve()) in the calling thread's mount
 * namespace, which must already be private: a file or socket by a
 * read-only, nodev bind of /dev/null (connect() then fails at once with
 * ECONNREFUSED), a directory by an empty read-only tmpfs into which the
 * regular files it held are bound back (its sockets, links and
 * subdirectories are hidden, and so is whatever appears later).  The mount it
 * lives on becomes a slave first, so nothing propagates to the host.  On
 * failure *@step says which step failed.
 */
int mask_cover(const char *canonical, enum mask_step *step);

#endif
