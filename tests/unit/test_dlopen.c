// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dlopen: load the built module the way libpam does (dlopen with
 * RTLD_NOW, so an unresolved symbol fails here and not in sshd), and check
 * that it exports the session entry points and nothing of its insides.
 *
 * The module is found next to this binary's directory: BUILD/tests/
 * test_dlopen loads BUILD/pam_nonet.so (also for build/asan).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <security/pam_modules.h>

#include "unit.h"

typedef int (*pam_sm_fn)(pam_handle_t *pamh, int flags, int argc,
			 const char **argv);

/* BUILD/pam_nonet.so from /proc/self/exe = BUILD/tests/test_dlopen. */
static int module_path(char *path, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	for (int i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = '\0';
	}
	if ((size_t)snprintf(path, size, "%s/pam_nonet.so", exe) >= size)
		return -1;
	return 0;
}

int main(void)
{
	static const char *const hidden[] = {
	    /* PAM entry points of other stacks: a session module only. */
	    "pam_sm_authenticate",
	    "pam_sm_setcred",
	    "pam_sm_acct_mgmt",
	    "pam_sm_chauthtok",
	    /* The shared code linked into the module. */
	    "nl_open",
	    "nl_close",
	    "nl_dump",
	    "nl_transact",
	    "iface_parse_link",
	    "iface_parse_addr",
	    "iface_table_read",
	    "loopback_setup",
	    "loopback_judge",
	    "netns_unshare",
	    "netns_have_cap",
	    "netns_self_inode",
	    "text_escape",
	};
	char path[PATH_MAX];
	const char *err;
	pam_sm_fn open_fn, close_fn;
	Dl_info info;
	void *handle;

	unit_start("test_dlopen", 24);
	if (!unit_ok(module_path(path, sizeof(path)) == 0 &&
			 access(path, R_OK) == 0,
		     "the module is at BUILD/pam_nonet.so")) {
		printf("#   looked for %s\n", path);
		return unit_done();
	}

	dlerror();
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	err = dlerror();
	if (!unit_ok(handle != NULL,
		     "dlopen(RTLD_NOW): no unresolved symbol")) {
		unit_diag("dlerror: ", err);
		return unit_done();
	}

	open_fn = (pam_sm_fn)dlsym(handle, "pam_sm_open_session");
	close_fn = (pam_sm_fn)dlsym(handle, "pam_sm_close_session");
	unit_ok(open_fn != NULL, "dlsym finds pam_sm_open_session");
	unit_ok(close_fn != NULL, "dlsym finds pam_sm_close_session");

	/* The symbols found are the module's own, not a dependency's. */
	unit_ok(open_fn && dladdr((void *)open_fn, &info) && info.dli_fname &&
		    strcmp(info.dli_fname, path) == 0,
		"pam_sm_open_session is defined in the module itself");

	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		dlerror();
		unit_ok(dlsym(handle, hidden[i]) == NULL && dlerror() != NULL,
			"dlsym does not find %s", hidden[i]);
	}

	/* Closing does nothing, needs nothing, and succeeds. */
	if (close_fn)
		unit_ok(close_fn(NULL, 0, 0, NULL) == PAM_SUCCESS,
			"pam_sm_close_session returns PAM_SUCCESS");

	unit_ok(dlclose(handle) == 0, "dlclose");
	return unit_done();
}
