/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The module's side of an uplink (lib/uplink.h): a private session's own
 * link to an admin-built uplink, reaching only its allow-list.
 */
#ifndef NONET_PAM_UPLINK_H
#define NONET_PAM_UPLINK_H

#include <stdbool.h>
#include <security/pam_modules.h>

struct who;

/*
 * In the calling thread's new namespace (isolate_build_netns() done):
 * takes a lease of uplink @name for the session recorded as @record_id,
 * makes the veth pair (UPLINK_INSIDE_IF here, the host end in the uplink's
 * namespace), addresses, routes to the allow-list only, and the nftables
 * elements; then verifies the namespace: lo as @ipv6 says plus exactly
 * that link.  Remembers the lease in @pamh for uplink_session_close().
 * Returns 0 with *@lease its index, or -1 after logging the step that
 * failed and removing everything it made.
 */
int uplink_session_open(pam_handle_t *pamh, const struct who *who,
			const char *name, const char *record_id, bool ipv6,
			int *lease);

/*
 * At close (and when a later step of the open fails): deletes the
 * session's link in the uplink's namespace, its nftables elements, and
 * the lease.  Nothing to do if no uplink session was opened on @pamh.
 */
void uplink_session_close(pam_handle_t *pamh);

#endif
