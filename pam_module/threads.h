/* SPDX-License-Identifier: GPL-2.0-or-later */
/* threads: whether the caller of the session has more than one thread. */
#ifndef NONET_THREADS_H
#define NONET_THREADS_H

#include <stdbool.h>
#include <security/pam_modules.h>

#include "who.h"

/*
 * Counts the calling process's threads.  More than one: with
 * @single_thread, logs and returns -1 (refuse); otherwise logs a warning
 * (the session's processes must be started by the thread that opened it)
 * and returns 0.  A count that cannot be read is "more than one".
 */
int check_threads(pam_handle_t *pamh, const struct who *who,
		  bool single_thread);

#endif
