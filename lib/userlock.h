/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * userlock: one lock per shared namespace, held around every change of its
 * pin, and the number of open sessions that use it, kept in the lock file
 * itself (/run/nonet/NAME.lock, root only).
 */
#ifndef NONET_USERLOCK_H
#define NONET_USERLOCK_H

#include "paths.h"

/*
 * Waits for the lock of @name (a plain file name), creating NONET_RUN_DIR
 * (0700) and the lock file as needed, and reads the session count (0 for
 * a new or unreadable file).  *@fd holds the lock until userlock_give().
 */
int userlock_take(const char *name, int *fd, unsigned int *count);

/* Stores @count and releases the lock; the descriptor is closed. */
int userlock_give(int fd, unsigned int count);

#endif
