// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Open/close cycles of real sessions in one process, through libpam and
 * the built module, alternating private and shared mode: every session is
 * isolated, and afterwards no descriptor, record or pin is left.  Run by
 * tests/run plainly, under ASan and under valgrind (which finds leaks).
 *
 *   test_cycles [N]     (default 2000; NONET_CYCLES overrides)
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <security/pam_appl.h>

#include "pamtest.h"
#include "unit.h"

#define USER "nobody"

static char dir[] = "/tmp/nonet-cycles.XXXXXX";

static void write_file(const char *name, const char *text)
{
	pamtest_write_file(dir, name, text);
}

/* Stacks for build/pam_nonet.so, private and shared, in a new @dir. */
static void set_up(void)
{
	char module[PATH_MAX + 32], stack[3 * PATH_MAX];

	pamtest_module_path(module, sizeof(module));
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	write_file("private.conf", "private " USER "\n");
	write_file("shared.conf", "shared " USER "\n");
	for (int i = 0; i < 2; i++) {
		const char *mode = i ? "shared" : "private";
		char name[32];

		snprintf(stack, sizeof(stack),
			 "session required %s conf=%s/%s.conf\n", module, dir,
			 mode);
		snprintf(name, sizeof(name), "nonet-%s", mode);
		write_file(name, stack);
	}
}

static void tear_down(void)
{
	const char *files[] = {"private.conf", "shared.conf", "nonet-private",
			       "nonet-shared"};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = -1; /* the directory's own descriptor */

	while (d && (e = readdir(d))) {
		/* valgrind keeps descriptors of its own above 1000. */
		if (e->d_name[0] != '.' && atoi(e->d_name) < 1000)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static ino_t netns_ino(void)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 ? st.st_ino : 0;
}

/* One session: open, check we moved, close.  0 or a step number. */
static int cycle(const char *service, ino_t host)
{
	static const struct pam_conv conv = {pamtest_converse, NULL};
	pam_handle_t *pamh = NULL;
	int ret = 0;

	if (pam_start_confdir(service, USER, &conv, dir, &pamh) != PAM_SUCCESS)
		return 1;
	if (pam_open_session(pamh, PAM_SILENT) != PAM_SUCCESS)
		ret = 2;
	else if (netns_ino() == host)
		ret = 3;
	if (ret != 2 && pam_close_session(pamh, PAM_SILENT) != PAM_SUCCESS)
		ret = 4;
	pam_end(pamh, ret ? PAM_SESSION_ERR : PAM_SUCCESS);
	return ret;
}

/* Records of this process (named PID-STARTTIME); others' may come and go. */
static int own_records(void)
{
	DIR *d = opendir("/run/nonet/sessions");
	struct dirent *e;
	char prefix[32];
	int n = 0;

	snprintf(prefix, sizeof(prefix), "%d-", (int)getpid());
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *env = getenv("NONET_CYCLES");
	int n = argc > 1 ? atoi(argv[1]) : env ? atoi(env) : 2000;
	int fds, failed = 0, first_failure = 0, i;
	bool pinned_before;
	ino_t host = netns_ino();

	unit_start("test_cycles", 4);
	if (geteuid() != 0) {
		unit_skip("open/close cycles", "needs root");
		unit_skip("no descriptor left", "needs root");
		unit_skip("no session record left", "needs root");
		unit_skip("no pin left", "needs root");
		return unit_done();
	}
	set_up();
	fds = count_fds();
	/* Another test may hold a shared session of the same user. */
	pinned_before = access("/run/netns/nonet-" USER, F_OK) == 0;
	for (i = 0; i < n; i++) {
		int ret = cycle(i % 2 ? "nonet-shared" : "nonet-private", host);

		if (ret && !failed++)
			first_failure = i * 10 + ret;
	}
	unit_ok(failed == 0,
		"%d open/close cycles, private and shared, each "
		"isolated (%d failed; first: cycle %d step %d)",
		n, failed, first_failure / 10, first_failure % 10);
	unit_ok(count_fds() == fds,
		"no descriptor left after %d cycles "
		"(%d before, %d after)",
		n, fds, count_fds());
	unit_ok(own_records() == 0, "no session record left");
	if (pinned_before)
		unit_skip("no pin left", "another session of " USER
					 " held the shared namespace already");
	else
		unit_ok(access("/run/netns/nonet-" USER, F_OK) < 0 &&
			    errno == ENOENT,
			"no pin of the shared namespace left after its last "
			"close");
	tear_down();
	return unit_done();
}
