// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module's return codes through a real libpam (pam_start_confdir), in
 * the style of Linux-PAM's tst-pam_*-retval: the cases `nonet session`
 * cannot reach because it checks the user itself first.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <security/pam_appl.h>

#include "pamtest.h"
#include "unit.h"

static int messages; /* what the module told the user */

static char dir[] = "/tmp/nonet-retval.XXXXXX";

static void write_file(const char *name, const char *text)
{
	pamtest_write_file(dir, name, text);
}

static int open_session(const char *user, int flags)
{
	const struct pam_conv conv = {pamtest_converse, &messages};
	pam_handle_t *pamh = NULL;
	int ret;

	if (pam_start_confdir("nonet-retval", user, &conv, dir, &pamh) !=
	    PAM_SUCCESS)
		return -1;
	ret = pam_open_session(pamh, flags);
	pam_end(pamh, ret);
	return ret;
}

int main(void)
{
	char module[PATH_MAX + 32], stack[3 * PATH_MAX], conf[PATH_MAX + 16];

	unit_start("test_pam_retval", 7);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	pamtest_module_path(module, sizeof(module));
	snprintf(conf, sizeof(conf), "%s/policy.conf", dir);
	write_file("policy.conf", "private ALL\n");
	snprintf(stack, sizeof(stack), "session required %s conf=%s\n", module,
		 conf);
	write_file("nonet-retval", stack);

	messages = 0;
	unit_ok(open_session("nonet-no-such-user-x", 0) == PAM_SESSION_ERR,
		"an unknown user: PAM_SESSION_ERR, never success");
	unit_ok(messages == 1, "the refused user is told, in one message");
	messages = 0;
	unit_ok(open_session("nonet-no-such-user-x", PAM_SILENT) ==
		    PAM_SESSION_ERR,
		"an unknown user with PAM_SILENT: PAM_SESSION_ERR");
	unit_ok(messages == 0, "PAM_SILENT: the user is told nothing");
	unit_ok(open_session(NULL, 0) == PAM_SESSION_ERR,
		"no user name at all: PAM_SESSION_ERR");
	unit_ok(open_session("", 0) == PAM_SESSION_ERR,
		"an empty user name: PAM_SESSION_ERR");
	unit_ok(open_session("../../etc/passwd", 0) == PAM_SESSION_ERR,
		"a user name with a path in it: PAM_SESSION_ERR");

	snprintf(conf, sizeof(conf), "%s/policy.conf", dir);
	unlink(conf);
	unlink(strcat(strcpy(stack, dir), "/nonet-retval"));
	rmdir(dir);
	return unit_done();
}
