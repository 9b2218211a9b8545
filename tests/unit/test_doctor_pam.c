// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_doctor_pam: doctor's pam-stack verdict on PAM services written to a
 * temporary directory: required through nested @include and substack,
 * requisite, a bracketed default=bad, optional, sufficient, a `-session`
 * line, a [success=N] jump that lands on or past pam_nonet and one that
 * does not (Debian's common-session), a service without the module, one
 * without session lines, a missing include and a loop of includes.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "doctor.h"
#include "pamtest.h"
#include "unit.h"

static char dir[] = "/tmp/nonet-unit-pam.XXXXXX";

static void service(const char *name, const char *text)
{
	pamtest_write_file(dir, name, text);
}

/* The directory holds only the services written above. */
static void remove_all(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

static void expect(const char *name, enum doctor_status want,
		   const char *how_want)
{
	struct doctor_opts opts = {.pam_dir = dir};
	struct doctor d = {.opts = &opts};
	char how[512];
	enum doctor_status got = doctor_pam_service(&d, name, how, sizeof(how));

	if (!unit_ok(got == want && strstr(how, how_want),
		     "%s: status %d, \"%s\"", name, want, how_want))
		unit_diag("got:  ", how);
}

int main(void)
{
	unit_start("test_doctor_pam", 14);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	service("common-session",
		"# Debian's, with pam_nonet added by pam-auth-update\n"
		"session\t[default=1]\t\tpam_permit.so\n"
		"session\trequisite\t\tpam_deny.so\n"
		"session\trequired\t\tpam_permit.so\n"
		"session required pam_unix.so\n"
		"session required pam_nonet.so conf=/x\n"
		"session optional pam_systemd.so\n");
	service("middle", "@include common-session\n");
	service("login", "auth required pam_unix.so\n@include middle\n");
	service("sub", "session substack common-session\n");
	service("requisite", "session requisite /lib/security/pam_nonet.so\n");
	service("bad", "session [success=ok default=bad] pam_nonet.so\n");
	service("optional", "session optional pam_nonet.so\n");
	service("sufficient", "session sufficient pam_nonet.so\n");
	service("dash", "-session required pam_nonet.so\n");
	service("jump", "session [success=2 default=ignore] pam_succeed_if.so "
			"user = x\nsession required pam_unix.so\n"
			"session required pam_nonet.so\n");
	service("early", "session sufficient pam_permit.so\n"
			 "session required pam_nonet.so\n");
	service("none", "session required pam_unix.so\n");
	service("nosession", "auth required pam_unix.so\n");
	service("missing", "@include no-such-file\n");
	service("loop", "@include loop\n");

	expect("login", DOC_CLOSED, "required at common-session:6");
	expect("sub", DOC_CLOSED, "required at common-session:6");
	expect("requisite", DOC_CLOSED, "requisite at requisite:1");
	expect("bad", DOC_CLOSED, "[success=ok default=bad] at bad:1");
	expect("optional", DOC_OPEN, "optional at optional:1");
	expect("sufficient", DOC_OPEN, "sufficient at sufficient:1");
	expect("dash", DOC_OPEN, "-required at dash:1");
	expect("jump", DOC_OPEN,
	       "[success=2 default=ignore] "
	       "pam_succeed_if.so at jump:1 may end the "
	       "stack or jump past pam_nonet (jump:3)");
	expect("early", DOC_OPEN, "sufficient pam_permit.so at early:1");
	expect("none", DOC_OPEN, "never reaches pam_nonet");
	expect("nosession", DOC_NA, "never reaches pam_nonet");
	expect("no-such-service", DOC_NA, "no /tmp/nonet-unit-pam.");
	expect("missing", DOC_UNKNOWN, "cannot read");
	expect("loop", DOC_UNKNOWN, "includes nest deeper than 16");

	remove_all();
	return unit_done();
}
