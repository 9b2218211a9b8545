// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * doctor_socket: daemon-socket and name-service.  A pathname UNIX socket
 * is not in any network namespace: a session reaches every listening
 * socket of the host its user may write (owner, mode, the user's groups,
 * and search permission on each directory above it), and the daemon
 * behind it acts in the host's namespace.  The listening sockets are read
 * from /proc/2/net/unix, which shows the host's namespace (kthreadd's).
 * The paths an isolated session masks (lib/mask.h, the rule's mask= and
 * nomask, and pam_nonet's own mask= and nomask in each PAM service's
 * stack that reaches it) are not reachable from it; a masked directory
 * hides every socket under it, also one its daemon binds later.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doctor.h"
#include "mask.h"
#include "netns.h"
#include "proc.h"
#include "text.h"

#define SYSTEM_BUS "/run/dbus/system_bus_socket"
#define UNIX_PATH_MAX 108

/* The listening pathname sockets of the host's namespace. */
struct listening {
	char (*paths)[UNIX_PATH_MAX + 1];
	size_t count;
};

/* __SO_ACCEPTCON in the Flags column: the socket listens. */
#define SO_ACCEPTCON_FLAG 0x10000

static int read_listening(struct listening *l)
{
	char line[512], path[UNIX_PATH_MAX + 1];
	unsigned long flags;
	dev_t dev;
	ino_t ino;
	FILE *f;

	memset(l, 0, sizeof(*l));
	/* It checks that PID 2 is kthreadd, in the host's namespace. */
	if (netns_initial_identity(&dev, &ino) < 0)
		return -1;
	f = fopen("/proc/2/net/unix", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		void *grown;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%*s %*s %*s %lx %*s %*s %*s %108[^\n]",
			   &flags, path) != 2 ||
		    path[0] != '/' || !(flags & SO_ACCEPTCON_FLAG))
			continue;
		grown = reallocarray(l->paths, l->count + 1, sizeof(*l->paths));
		if (!grown) {
			fclose(f);
			return -1;
		}
		l->paths = grown;
		snprintf(l->paths[l->count++], sizeof(*l->paths), "%s", path);
	}
	fclose(f);
	return 0;
}

/* Whether @u may connect to @path: write on it, search above it. */
static bool reachable(const struct doctor_user *u, const char *path,
		      struct stat *st)
{
	char dir[PATH_MAX];
	struct stat d;

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/'); slash && slash > dir;
	     slash = strrchr(dir, '/')) {
		*slash = '\0';
		if (stat(dir, &d) < 0 || !doctor_may(u, &d, 1))
			return false;
	}
	return stat(path, st) == 0 && S_ISSOCK(st->st_mode) &&
	       doctor_may(u, st, 2);
}

/* The sockets of the daemons that resolve names for their caller. */
static const char *const name_service_sockets[] = {
    "/run/nscd/socket",
    "/var/run/nscd/socket",
    "/run/systemd/resolve/io.systemd.Resolve",
    "/run/systemd/resolve/io.systemd.Resolve.Monitor",
};

#define NSOCKETS                                                               \
	(sizeof(name_service_sockets) / sizeof(name_service_sockets[0]))

/* Whether the mask @mask covers @real (resolved): it, or a dir above it. */
static bool covers(const char *mask, const char *real)
{
	char m[PATH_MAX];
	size_t len;

	if (!realpath(mask, m))
		return false; /* nothing there: the session skips it */
	len = strlen(m);
	return strncmp(real, m, len) == 0 &&
	       (real[len] == '\0' || real[len] == '/');
}

/* Whether one of the comma-separated @list covers @real. */
static bool list_covers(const char *list, const char *real)
{
	char path[PATH_MAX];

	while (list && *list) {
		const char *end = strchrnul(list, ',');

		snprintf(path, sizeof(path), "%.*s", (int)(end - list), list);
		if (covers(path, real))
			return true;
		list = *end ? end + 1 : end;
	}
	return false;
}

static bool nomask(const struct doctor_masking *m)
{
	return m->arg_nomask ||
	       (m->rule && (m->rule->options & POLICY_OPT_NOMASK));
}

/* Whether sessions masked as @m have @real masked (as pam_nonet does). */
static bool masked_in(const struct doctor_masking *m, const char *real)
{
	const struct policy_rule *r = m->rule;

	for (size_t i = 0; !nomask(m) && mask_default_paths[i]; i++)
		if (covers(mask_default_paths[i], real))
			return true;
	for (size_t i = 0; r && i < r->nmask_paths; i++)
		if (covers(r->mask_paths[i], real))
			return true;
	return list_covers(m->arg_masks, real);
}

/*
 * The masking of @u's sessions that leaves @path reachable, or NULL when
 * every session has it masked.  Without a PAM stack that reaches
 * pam_nonet, the rule alone (@fallback) decides.
 */
static const struct doctor_masking *unmasked_by(const struct doctor_user *u,
						const char *path,
						struct doctor_masking *fallback)
{
	char real[PATH_MAX];

	*fallback = (struct doctor_masking){.rule = u->rule};
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	for (size_t i = 0; i < u->nmaskings; i++)
		if (!masked_in(&u->maskings[i], real))
			return &u->maskings[i];
	if (!u->nmaskings && !masked_in(fallback, real))
		return fallback;
	return NULL;
}

static bool is_name_service(const char *path)
{
	for (size_t i = 0; i < NSOCKETS; i++)
		if (strcmp(path, name_service_sockets[i]) == 0)
			return true;
	return false;
}

struct wanted {
	const char *comm;
	bool found;
};

/* Stops at the first process named @w->comm. */
static int named(void *data, pid_t pid)
{
	struct wanted *w = data;
	struct proc_stat st;

	/* One that ended meanwhile is not running. */
	w->found =
	    proc_read_stat(pid, &st) == 0 && strcmp(st.comm, w->comm) == 0;
	return w->found;
}

/* Whether a process named @comm runs. */
static bool running(const char *comm)
{
	struct wanted w = {.comm = comm};

	return proc_each_pid(named, &w) == 0 && w.found;
}

/* "alice:docker 0660, through group docker" */
static void describe(const struct doctor_user *u, const struct stat *st,
		     char *buf, size_t size)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char owner[32], group[32];

	snprintf(owner, sizeof(owner), "%u", (unsigned int)st->st_uid);
	snprintf(group, sizeof(group), "%u", (unsigned int)st->st_gid);
	snprintf(buf, size, "%s:%s %04o, %s%s", pw ? pw->pw_name : owner,
		 gr ? gr->gr_name : group, (unsigned int)st->st_mode & 07777,
		 st->st_uid == u->uid		  ? "as its owner"
		 : doctor_in_group(u, st->st_gid) ? "through group "
						  : "by everyone",
		 st->st_uid != u->uid && doctor_in_group(u, st->st_gid)
		     ? (gr ? gr->gr_name : group)
		     : "");
}

static void daemon_sockets(struct doctor *d, const struct doctor_user *u,
			   const struct listening *l, bool bus_matters)
{
	unsigned int open = 0;
	char how[160], fix[600], shown[TEXT_FIELD_MAX];

	for (size_t i = 0; i < l->count; i++) {
		const char *path = l->paths[i];
		struct doctor_masking fallback;
		struct stat st;

		/*
		 * A socket the user owns is the user's own process (a tmux
		 * server, an agent): where it runs is outside-processes'
		 * question, not a host daemon's.
		 */
		if (is_name_service(path) || !unmasked_by(u, path, &fallback) ||
		    !reachable(u, path, &st) || st.st_uid == u->uid ||
		    strncmp(path, "/run/systemd/journal/", 21) == 0 ||
		    (strcmp(path, SYSTEM_BUS) == 0 && !bus_matters))
			continue;
		open++;
		/* Any user may name a socket: never raw to a terminal. */
		text_escape(shown, sizeof(shown), path);
		describe(u, &st, how, sizeof(how));
		snprintf(fix, sizeof(fix),
			 "mask=%s in the rule (or the "
			 "module's arguments), or a mode or group that leaves "
			 "%s out",
			 shown, u->name);
		doctor_add(
		    d, u, "daemon-socket", DOC_OPEN, fix, "%s (%s)%s%s", shown,
		    how,
		    strstr(path, "docker.sock")
			? "; group docker is root-equivalent"
			: "",
		    strcmp(path, SYSTEM_BUS) == 0
			? "; NetworkManager or systemd-resolved is on the "
			  "system bus"
			: "");
	}
	if (!open)
		doctor_add(d, u, "daemon-socket", DOC_CLOSED, NULL,
			   "none of the host's %zu listening pathname "
			   "socket(s) is open to %s and unmasked",
			   l->count, u->name);
}

/*
 * A D-Bus policy that denies org.freedesktop.resolve1 to a group of @u
 * (the drop-in nonet ships): the name of the file, or NULL.
 */
static const char *resolve1_denied(const struct doctor_user *u, char *file,
				   size_t size)
{
	static const char *const dirs[] = {"/etc/dbus-1/system.d",
					   "/usr/share/dbus-1/system.d"};
	char path[PATH_MAX], text[16384];

	for (size_t i = 0; i < 2; i++) {
		DIR *dir = opendir(dirs[i]);
		struct dirent *e;

		while (dir && (e = readdir(dir))) {
			FILE *f;
			size_t n;
			char *p = text;

			snprintf(path, sizeof(path), "%s/%s", dirs[i],
				 e->d_name);
			f = fopen(path, "re");
			if (!f)
				continue;
			n = fread(text, 1, sizeof(text) - 1, f);
			fclose(f);
			text[n] = '\0';
			while ((p = strstr(p, "<policy group=\""))) {
				char group[64] = "", *end;
				struct group *gr;

				sscanf(p + 15, "%63[^\"]", group);
				end = strstr(p, "</policy>");
				p += 15;
				if (!end)
					break;
				*end = '\0';
				gr = getgrnam(group);
				if (gr && doctor_in_group(u, gr->gr_gid) &&
				    strstr(p, "<deny send_destination=\""
					      "org.freedesktop.resolve1\"")) {
					closedir(dir);
					snprintf(file, size, "%s", path);
					return file;
				}
				p = end + 1;
			}
		}
		if (dir)
			closedir(dir);
	}
	return NULL;
}

/* Why @m leaves a name-service socket reachable, and what closes it. */
static void why_open(const struct doctor_masking *m, char *why, size_t wsize,
		     char *fix, size_t fsize)
{
	bool arg = m->arg_nomask;

	if (!nomask(m)) {
		snprintf(why, wsize, "%s", "the default masks do not cover it");
		snprintf(fix, fsize, "%s", "mask= its directory");
		return;
	}
	snprintf(why, wsize, "%s says nomask%s%s",
		 arg ? "pam_nonet's line" : "the rule",
		 m->service[0] ? " for PAM service " : "", m->service);
	snprintf(fix, fsize, "drop nomask from %s%s%s",
		 arg ? "pam_nonet's arguments" : "the rule",
		 arg ? " in the stack of " : "", arg ? m->service : "");
}

static void name_service(struct doctor *d, const struct doctor_user *u,
			 bool resolved)
{
	unsigned int seen = 0;
	char file[PATH_MAX], real[NSOCKETS][PATH_MAX], why[256], fix[256];

	for (size_t i = 0; i < NSOCKETS; i++) {
		const char *path = name_service_sockets[i];
		const struct doctor_masking *m;
		struct doctor_masking fallback;
		struct stat st;
		bool again = false;

		real[i][0] = '\0';
		if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode) ||
		    !realpath(path, real[i]))
			continue;
		for (size_t j = 0; j < i; j++)
			again = again || strcmp(real[i], real[j]) == 0;
		if (again)
			continue; /* /var/run/nscd/socket is /run/nscd/socket */
		seen++;
		m = unmasked_by(u, path, &fallback);
		if (!m) {
			doctor_add(d, u, "name-service", DOC_CLOSED, NULL,
				   "%s is masked in %s's sessions", path,
				   u->name);
			continue;
		}
		why_open(m, why, sizeof(why), fix, sizeof(fix));
		doctor_add(d, u, "name-service", DOC_OPEN, fix,
			   "%s is reachable: %s", path, why);
	}
	if (resolved && resolve1_denied(u, file, sizeof(file)))
		doctor_add(d, u, "name-service", DOC_CLOSED, NULL,
			   "org.freedesktop.resolve1 is denied to %s by %s",
			   u->name, file);
	else if (resolved)
		doctor_add(d, u, "name-service", DOC_OPEN,
			   "install nonet's D-Bus drop-in that denies "
			   "org.freedesktop.resolve1 to the group nonet",
			   "systemd-resolved runs and org.freedesktop.resolve1 "
			   "on the system bus answers %s",
			   u->name);
	else if (!seen)
		doctor_add(d, u, "name-service", DOC_NA, NULL,
			   "neither nscd's nor systemd-resolved's socket "
			   "exists, and systemd-resolved does not run");
}

void doctor_sockets(struct doctor *d)
{
	struct listening l;
	bool resolved = running("systemd-resolve");
	bool bus = resolved || running("NetworkManager");
	int err = read_listening(&l) < 0 ? errno : 0;

	for (size_t i = 0; i < d->nusers; i++) {
		const struct doctor_user *u = &d->users[i];

		if (!u->rule && !u->njoins)
			continue;
		if (err)
			doctor_add(d, u, "daemon-socket", DOC_UNKNOWN, NULL,
				   "cannot read /proc/2/net/unix: %s",
				   strerror(err));
		else
			daemon_sockets(d, u, &l, bus);
		name_service(d, u, resolved);
	}
	free(l.paths);
}
