// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record_session: the module's side of the session records (lib/record.c):
 * written once the decision is carried out, removed at close.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <sys/stat.h>
#include <security/pam_ext.h>

#include "record_session.h"
#include "record.h"

/* The PAM data under which open tells close which record to remove. */
#define RECORD_DATA "pam_nonet_record"

static void copy_item(pam_handle_t *pamh, int type, char *dst, size_t size)
{
	const void *item = NULL;

	if (pam_get_item(pamh, type, &item) != PAM_SUCCESS || !item)
		item = "";
	snprintf(dst, size, "%s", (const char *)item);
}

/*
 * pam_end() with the record still there: a later module of the stack
 * refused the session, so no close will come (see shared.c's free_data).
 */
static void free_data(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	if (!(status & (PAM_DATA_REPLACE | PAM_DATA_SILENT)))
		(void)record_remove(data);
	free(data);
}

int record_session(pam_handle_t *pamh, const struct who *who,
		   const struct session_facts *facts)
{
	struct record r = {0};
	char *id, old_id[sizeof(r.id)];
	const void *old = NULL;
	struct stat ns;

	if (record_identify(&r) < 0 ||
	    stat("/proc/thread-self/ns/net", &ns) < 0)
		goto fail;
	if (facts->record_id) /* named before: an uplink lease names it */
		snprintf(r.id, sizeof(r.id), "%s", facts->record_id);
	snprintf(r.user, sizeof(r.user), "%s", facts->user);
	r.uid = facts->uid;
	copy_item(pamh, PAM_SERVICE, r.service, sizeof(r.service));
	copy_item(pamh, PAM_RHOST, r.rhost, sizeof(r.rhost));
	copy_item(pamh, PAM_TTY, r.tty, sizeof(r.tty));
	snprintf(r.mode, sizeof(r.mode), "%s", facts->mode);
	r.netns_dev = ns.st_dev;
	r.netns_ino = ns.st_ino;
	snprintf(r.name, sizeof(r.name), "%s", facts->name ? facts->name : "");
	snprintf(r.rule, sizeof(r.rule), "%s", facts->rule);
	r.policy_hash = facts->policy_hash;
	r.lease = -1;
	if (facts->uplink) {
		snprintf(r.uplink, sizeof(r.uplink), "%s", facts->uplink);
		r.lease = facts->lease;
	}
	r.since = (long long)time(NULL);
	id = strdup(r.id);
	if (!id || record_write(&r) < 0) {
		free(id);
		goto fail;
	}
	if (pam_get_data(pamh, RECORD_DATA, &old) != PAM_SUCCESS || !old)
		old = NULL;
	else
		snprintf(old_id, sizeof(old_id), "%s", (const char *)old);
	if (pam_set_data(pamh, RECORD_DATA, id, free_data) != PAM_SUCCESS) {
		free(id);
		(void)record_remove(r.id);
		errno = ENOMEM;
		goto fail;
	}
	/* A second open on this handle: its record replaces the first's. */
	if (old)
		(void)record_remove(old_id);
	return 0;
fail:
	pam_syslog(pamh, LOG_ERR, "cannot record the session of %s in %s: %m",
		   who->log, RECORD_DIR);
	return -1;
}

void record_session_close(pam_handle_t *pamh)
{
	const void *id = NULL;

	if (!pamh || pam_get_data(pamh, RECORD_DATA, &id) != PAM_SUCCESS || !id)
		return;
	if (record_remove(id) < 0)
		pam_syslog(pamh, LOG_ERR, "cannot remove the record %s/%s: %m",
			   RECORD_DIR, (const char *)id);
	(void)pam_set_data(pamh, RECORD_DATA, NULL, NULL);
}
