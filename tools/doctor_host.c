// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor_host: handoff (setuid/setgid programs that send for their
 * caller), outside-processes (the audit's escapes, lingering), kernel
 * (Yama's ptrace scope, the namespace limit, fallback tunnels) and
 * shared-namespace (a join= namespace several users share).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit_priv.h"
#include "doctor.h"

#define LINGER_DIR "/var/lib/systemd/linger"

/* Programs that hand what the caller gives them to a daemon of the host. */
static const struct {
	const char *path;
	const char *what;
	const char *service; /* the PAM service that runs it, or NULL */
} handoffs[] = {
    {"/usr/sbin/sendmail", "the mail system delivers for the caller", NULL},
    {"/usr/lib/sendmail", "the mail system delivers for the caller", NULL},
    {"/usr/sbin/postdrop", "postfix's pickup sends for the caller", NULL},
    {"/usr/sbin/exim4", "exim delivers for the caller", NULL},
    {"/usr/bin/lpr", "the print spooler sends for the caller", NULL},
    {"/usr/bin/lp", "the print spooler sends for the caller", NULL},
    {"/usr/bin/at", "atd runs the job", "atd"},
    {"/usr/bin/batch", "atd runs the job", "atd"},
};

static void handoff(struct doctor *d, const struct doctor_user *u)
{
	unsigned int found = 0;
	char how[512];

	for (size_t i = 0; i < sizeof(handoffs) / sizeof(handoffs[0]); i++) {
		struct stat st;
		enum doctor_status s = DOC_OPEN;

		if (stat(handoffs[i].path, &st) < 0 ||
		    !(st.st_mode & (S_ISUID | S_ISGID)) ||
		    !doctor_may(u, &st, 1))
			continue;
		found++;
		snprintf(how, sizeof(how), "it is not isolated");
		if (handoffs[i].service)
			s = doctor_pam_service(d, handoffs[i].service, how,
					       sizeof(how));
		if (s == DOC_NA)
			s = DOC_OPEN; /* no stack: PAM's "other" decides */
		doctor_add(
		    d, u, "handoff", s,
		    s == DOC_CLOSED
			? NULL
			: "take the program away from the isolated users "
			  "(mode, group), or isolate the daemon's own "
			  "sessions",
		    "%s (set%cid): %s%s%s (%s)", handoffs[i].path,
		    st.st_mode & S_ISUID ? 'u' : 'g', handoffs[i].what,
		    handoffs[i].service ? ", PAM service " : "",
		    handoffs[i].service ? handoffs[i].service : "", how);
	}
	if (!found)
		doctor_add(d, u, "handoff", DOC_CLOSED, NULL,
			   "no setuid or setgid program that sends for its "
			   "caller is installed for %s",
			   u->name);
}

static void linger(struct doctor *d, const struct doctor_user *u)
{
	char path[sizeof(LINGER_DIR) + 64], how[512];
	enum doctor_status s;

	snprintf(path, sizeof(path), "%s/%s", LINGER_DIR, u->name);
	if (access(path, F_OK) < 0)
		return;
	s = doctor_pam_service(d, "systemd-user", how, sizeof(how));
	doctor_add(d, u, "outside-processes", s == DOC_CLOSED ? s : DOC_OPEN,
		   s == DOC_CLOSED
		       ? NULL
		       : "loginctl disable-linger, or pam_nonet required in "
			 "systemd-user's stack",
		   "%s: the user's systemd --user starts at boot, with no "
		   "login; PAM service systemd-user: %s",
		   path, how);
}

static void outside(struct doctor *d, const struct audit *a, bool usable)
{
	for (size_t i = 0; i < d->nusers; i++) {
		const struct doctor_user *u = &d->users[i];
		unsigned int n = 0;

		if (!u->rule && !u->njoins)
			continue;
		for (size_t j = 0; usable && j < a->nfindings; j++) {
			const struct finding *f = &a->findings[j];

			if (f->verdict != V_ESCAPE || f->proc->uid != u->uid)
				continue;
			n++;
			doctor_add(d, u, "outside-processes", DOC_OPEN,
				   "nonet audit --kill, then close what its "
				   "cause names",
				   "PID %d (%s) in net:[%llu]: %s",
				   (int)f->proc->pid, f->proc->comm,
				   (unsigned long long)f->ns->ino, f->cause);
		}
		if (!usable || a->error)
			doctor_add(d, u, "outside-processes", DOC_UNKNOWN, NULL,
				   "the audit could not judge every "
				   "process (see its errors above)");
		else if (!n)
			doctor_add(d, u, "outside-processes", DOC_CLOSED, NULL,
				   "no process of %s outside its sessions' "
				   "namespaces (nonet audit)",
				   u->name);
		linger(d, u);
	}
}

/* The first line of @path into @buf; -1 with errno. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Fallback tunnel modules loaded, as "ipip sit"; "" when none. */
static void tunnel_modules(char *buf, size_t size)
{
	static const char *const names[] = {"ipip",   "sit",	 "ip6_tunnel",
					    "ip_gre", "ip6_gre", "ip_vti",
					    "ip6_vti"};
	char line[512];
	FILE *f = fopen("/proc/modules", "re");

	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strncmp(line, names[i], strlen(names[i])) == 0 &&
			    line[strlen(names[i])] == ' ')
				snprintf(buf + strlen(buf), size - strlen(buf),
					 "%s%s", buf[0] ? " " : "", names[i]);
	if (f)
		fclose(f);
}

static void kernel(struct doctor *d, const struct doctor_user *u)
{
	char scope[32], limit[32], mods[128], fb[32] = "0";

	if (read_line("/proc/sys/kernel/yama/ptrace_scope", scope,
		      sizeof(scope)) < 0 ||
	    atoi(scope) < 1)
		doctor_add(d, u, "kernel", DOC_OPEN,
			   "kernel.yama.ptrace_scope = 1 (a kernel with Yama)",
			   "%s: a session may ptrace its user's processes in "
			   "the host's namespace, and act there through them",
			   errno == ENOENT ? "no Yama"
					   : "kernel.yama.ptrace_scope = 0");
	else
		doctor_add(d, u, "kernel", DOC_CLOSED, NULL,
			   "kernel.yama.ptrace_scope = %s", scope);
	if (read_line("/proc/sys/user/max_net_namespaces", limit,
		      sizeof(limit)) == 0 &&
	    strcmp(limit, "0") == 0)
		doctor_add(d, u, "kernel", DOC_CLOSED,
			   "raise user.max_net_namespaces",
			   "user.max_net_namespaces = 0: every isolated login "
			   "is refused (nonet fails closed)");
	tunnel_modules(mods, sizeof(mods));
	(void)read_line("/proc/sys/net/core/fb_tunnels_only_for_init_net", fb,
			sizeof(fb));
	if (mods[0] && strcmp(fb, "0") == 0)
		doctor_add(d, u, "kernel", DOC_OPEN,
			   "sysctl net.core.fb_tunnels_only_for_init_net=2",
			   "fallback tunnel modules loaded (%s) and "
			   "net.core.fb_tunnels_only_for_init_net = 0: every "
			   "session's namespace gets their devices",
			   mods);
}

static void shared_namespace(struct doctor *d, const struct doctor_user *u)
{
	for (size_t j = 0; j < u->njoins; j++) {
		const char *name = u->joins[j]->join_name;
		char others[512] = "";

		for (size_t k = 0; k < d->nusers; k++) {
			const struct doctor_user *v = &d->users[k];

			if (v == u)
				continue;
			for (size_t m = 0; m < v->njoins; m++)
				if (strcmp(v->joins[m]->join_name, name) == 0) {
					snprintf(others + strlen(others),
						 sizeof(others) -
						     strlen(others),
						 "%s%s", others[0] ? ", " : "",
						 v->name);
					break;
				}
		}
		if (others[0])
			doctor_add(d, u, "shared-namespace", DOC_OPEN,
				   "a namespace per user (private or shared), "
				   "unless they may talk to each other",
				   "join=%s (%s:%u) puts %s with %s: their "
				   "loopback and abstract sockets are shared, "
				   "they can talk to each other",
				   name, d->policy->file, u->joins[j]->line,
				   u->name, others);
		else
			doctor_add(d, u, "shared-namespace", DOC_CLOSED, NULL,
				   "join=%s (%s:%u): no other user checked "
				   "joins it",
				   name, d->policy->file, u->joins[j]->line);
	}
	if (!u->njoins)
		doctor_add(d, u, "shared-namespace", DOC_NA, NULL,
			   "no join= rule names %s", u->name);
}

void doctor_host(struct doctor *d)
{
	struct audit_opts ao = {.conf = d->opts->conf};
	struct audit a = {.opts = &ao};
	bool usable = audit_collect(&a) == 0;

	for (size_t i = 0; i < d->nusers; i++) {
		const struct doctor_user *u = &d->users[i];

		if (!u->rule && !u->njoins)
			continue;
		handoff(d, u);
	}
	outside(d, &a, usable);
	for (size_t i = 0; i < d->nusers; i++) {
		const struct doctor_user *u = &d->users[i];

		if (!u->rule && !u->njoins)
			continue;
		kernel(d, u);
		shared_namespace(d, u);
	}
	audit_free(&a);
}
