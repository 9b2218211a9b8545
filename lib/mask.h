/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mask: the sockets of host daemons that resolve names or open connections
 * for their caller, masked in an isolated session's mount namespace.
 * (Placeholder for nonet doctor; helper i13a provides the real file.)
 */
#ifndef NONET_MASK_H
#define NONET_MASK_H

/* The paths masked by default (unless nomask); NULL-terminated. */
extern const char *const mask_default_paths[];

#endif
