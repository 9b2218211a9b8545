/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pamtest.h: what the C programs that drive a real libpam share (the unit
 * tests test_pam_retval and test_cycles, t-hostile's harness): a silent
 * conversation, the path of the built module, a file in a test directory.
 * Header-only, like unit.h: each program is one translation unit.
 */
#ifndef NONET_PAMTEST_H
#define NONET_PAMTEST_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <security/pam_appl.h>

/*
 * A conversation that answers nothing; counts the messages the module sent
 * into the int that appdata_ptr points at, when there is one.
 */
static inline int pamtest_converse(int num, const struct pam_message **msg,
				   struct pam_response **resp, void *data)
{
	(void)msg;
	if (data)
		*(int *)data += num;
	*resp = NULL;
	return PAM_SUCCESS;
}

/* BUILD/tests/PROGRAM -> BUILD/pam_nonet.so, into @buf. */
static inline void pamtest_module_path(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, size, "%s/../pam_nonet.so", exe);
}

/* Writes @text to @dir/@name, mode 0644; exits 2 when it cannot. */
static inline void pamtest_write_file(const char *dir, const char *name,
				      const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	chmod(path, 0644);
}

#endif
