/* SPDX-License-Identifier: GPL-2.0-or-later */
/* paths: where nonet keeps its state at run time. */
#ifndef NONET_PATHS_H
#define NONET_PATHS_H

/* Root only (0700): the users' lock files and the session records. */
#define NONET_RUN_DIR "/run/nonet"

#endif
