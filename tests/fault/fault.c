// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault.so: an LD_PRELOAD interposer for tests/t-fault.sh, never installed
 * and never linked into what nonet ships.  It makes one libc call (or
 * several) fail while pam_nonet runs, so that the tests can check that
 * every failure refuses the session and leaves nothing behind.
 *
 * Environment:
 *   NONET_FAULT=SPEC[,SPEC...]   SPEC = NAME[:N[:ERRNO[:PATH]]]
 *       Fail the Nth matching call of NAME (default the 1st; 0 = only
 *       count) with ERRNO (a number or a name such as ENOSPC; default: a
 *       plausible one per NAME, or NONET_FAULT_ERRNO).  PATH (default
 *       NONET_FAULT_PATH) is a substring a path argument must contain for
 *       the call to match: open/openat (the path), write (the file the fd
 *       names), mount (source or target), umount2 (target), rename (either).
 *       NAMEs: unshare setns socket (rtnetlink only) send (sendto/sendmsg
 *       on rtnetlink sockets) recv (recvfrom/recvmsg on rtnetlink) nfsend
 *       (sendto/sendmsg on nfnetlink sockets: libnftables's) open
 *       write flock mount umount2 rename malloc (malloc/calloc/realloc)
 *       getgrnam_r getgrouplist (no error: the primary group alone, as
 *       glibc answers when a backend fails; ERRNO is not used).
 *   NONET_FAULT_ARM=open|close|session|always
 *       When calls count: during pam_open_session (default), during
 *       pam_close_session, during both, or from start-up (for the tool).
 *   NONET_FAULT_REPORT=FILE
 *       Appends one line per armed PAM call (and at exit with ARM=always):
 *       "call=pam_open_session ret=R injected=I calls=NAME:C,... fds_new=K
 *       [fd N -> TARGET ...]".  fds_new counts descriptors open after the
 *       call that were not before, but AF_UNIX datagram sockets (syslog's
 *       connection to /dev/log, which glibc keeps open by design).
 *   NONET_FAULT_KILL=PID
 *       At the chosen call, instead of failing it, SIGKILL PID, wait until
 *       it is dead, then make the real call (a target that vanishes).
 *
 * malloc is resolved with dlsym(RTLD_NEXT), which may itself allocate:
 * until the real functions are known, allocations come from a static
 * bootstrap arena whose blocks free() ignores.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <security/pam_appl.h>

#define EXPORT __attribute__((visibility("default")))

enum fault_name {
	F_UNSHARE, F_SETNS, F_SOCKET, F_SEND, F_RECV, F_OPEN, F_WRITE,
	F_FLOCK, F_MOUNT, F_UMOUNT2, F_RENAME, F_MALLOC, F_GETGRNAM_R,
	F_GETGROUPLIST, F_NFSEND, F_COUNT
};

static const struct {
	const char *name;
	int err;
} names[F_COUNT] = {
	[F_UNSHARE] = { "unshare", ENOSPC },	/* max_net_namespaces */
	[F_SETNS] = { "setns", ENOMEM },
	[F_SOCKET] = { "socket", EMFILE },
	[F_SEND] = { "send", ENOBUFS },
	[F_RECV] = { "recv", ENOBUFS },
	[F_OPEN] = { "open", EACCES },
	[F_WRITE] = { "write", EIO },
	[F_FLOCK] = { "flock", ENOLCK },
	[F_MOUNT] = { "mount", ENOMEM },
	[F_UMOUNT2] = { "umount2", EBUSY },
	[F_RENAME] = { "rename", ENOSPC },
	[F_MALLOC] = { "malloc", ENOMEM },
	[F_GETGRNAM_R] = { "getgrnam_r", EIO },
	[F_GETGROUPLIST] = { "getgrouplist", EIO },
	[F_NFSEND] = { "nfsend", ENOBUFS },
};

#define MAX_SPECS 8
struct spec {
	enum fault_name name;
	unsigned long nth;	/* 0: count only */
	int err;
	char path[256];		/* "" matches every path */
	unsigned long seen;
	unsigned long injected;
};

static struct spec specs[MAX_SPECS];
static int nspecs;
static bool configured;
static int armed;		/* > 0: calls count */
static int busy;		/* > 0: our own work, nothing counts */
static pid_t kill_pid;
static const char *report_file;
static enum { ARM_OPEN, ARM_CLOSE, ARM_SESSION, ARM_ALWAYS } arm_when;

/* ---- the real functions ------------------------------------------------ */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/* The bootstrap arena: dlsym may allocate before malloc is resolved. */
static char arena[64 * 1024] __attribute__((aligned(16)));
static size_t arena_used;
static int resolving;

static bool in_arena(const void *p)
{
	return (const char *)p >= arena && (const char *)p < arena + sizeof(arena);
}

static void *arena_alloc(size_t size)
{
	size_t *hdr;

	size = (size + 15) & ~(size_t)15;
	if (arena_used + size + 16 > sizeof(arena))
		return NULL;
	hdr = (size_t *)(arena + arena_used);
	*hdr = size;
	arena_used += size + 16;
	return (char *)hdr + 16;
}

static void resolve_malloc(void)
{
	if (real_malloc || resolving)
		return;
	resolving = 1;
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_free = dlsym(RTLD_NEXT, "free");
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

#define REAL(fn)                                                               \
	static __typeof__(fn) *real;                                           \
	if (!real)                                                             \
		real = (__typeof__(fn) *)dlsym(RTLD_NEXT, #fn)

/* ---- configuration ----------------------------------------------------- */

static int parse_errno(const char *s, int dflt)
{
	static const struct {
		const char *name;
		int value;
	} table[] = {
		{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH },
		{ "EINTR", EINTR }, { "EIO", EIO }, { "ENOMEM", ENOMEM },
		{ "EACCES", EACCES }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
		{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
		{ "ENOSPC", ENOSPC }, { "EROFS", EROFS }, { "ENOLCK", ENOLCK },
		{ "ENOBUFS", ENOBUFS }, { "EAGAIN", EAGAIN },
		{ "ECONNREFUSED", ECONNREFUSED }, { "EUSERS", EUSERS },
	};

	if (!s || !*s)
		return dflt;
	if (*s >= '0' && *s <= '9')
		return atoi(s);
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++) {
		if (strcmp(table[i].name, s) == 0)
			return table[i].value;
	}
	return dflt;
}

static void configure(void)
{
	const char *env, *dflt_path, *dflt_err, *arm;
	char buf[1024], *save = NULL;

	if (configured)
		return;
	configured = true;
	busy++;
	env = getenv("NONET_FAULT");
	dflt_path = getenv("NONET_FAULT_PATH");
	dflt_err = getenv("NONET_FAULT_ERRNO");
	report_file = getenv("NONET_FAULT_REPORT");
	arm = getenv("NONET_FAULT_ARM");
	if (getenv("NONET_FAULT_KILL"))
		kill_pid = (pid_t)atoi(getenv("NONET_FAULT_KILL"));
	if (arm && strcmp(arm, "close") == 0)
		arm_when = ARM_CLOSE;
	else if (arm && strcmp(arm, "session") == 0)
		arm_when = ARM_SESSION;
	else if (arm && strcmp(arm, "always") == 0)
		arm_when = ARM_ALWAYS;
	snprintf(buf, sizeof(buf), "%s", env ? env : "");
	for (char *tok = strtok_r(buf, ",", &save); tok && nspecs < MAX_SPECS;
	     tok = strtok_r(NULL, ",", &save)) {
		char *field[4] = { tok, NULL, NULL, NULL };
		struct spec *s = &specs[nspecs];
		int i, k;

		for (k = 1; k < 4; k++) {
			field[k] = field[k - 1] ? strchr(field[k - 1], ':') : NULL;
			if (field[k])
				*field[k]++ = '\0';
		}
		/* "sendto" and friends are the same counter. */
		if (!strcmp(field[0], "sendto") || !strcmp(field[0], "sendmsg"))
			field[0] = "send";
		if (!strcmp(field[0], "recvfrom") || !strcmp(field[0], "recvmsg"))
			field[0] = "recv";
		if (!strcmp(field[0], "openat"))
			field[0] = "open";
		if (!strcmp(field[0], "calloc") || !strcmp(field[0], "realloc"))
			field[0] = "malloc";
		for (i = 0; i < F_COUNT; i++) {
			if (strcmp(names[i].name, field[0]) == 0)
				break;
		}
		if (i == F_COUNT) {
			fprintf(stderr, "fault.so: unknown fault %s\n", field[0]);
			continue;
		}
		s->name = (enum fault_name)i;
		s->nth = field[1] && *field[1] ? strtoul(field[1], NULL, 10) : 1;
		s->err = parse_errno(field[2], parse_errno(dflt_err,
							   names[i].err));
		snprintf(s->path, sizeof(s->path), "%s",
			 field[3] ? field[3] : dflt_path ? dflt_path : "");
		nspecs++;
	}
	busy--;
}

static void report_line(const char *line, size_t len);

/*
 * Counts a call of @name whose path arguments are @p1/@p2 (NULL: none).
 * Returns the errno to fail it with, or 0 to make the real call.
 */
static int should_fail(enum fault_name name, const char *p1, const char *p2)
{
	int err = 0;

	if (!armed || busy || resolving)
		return 0;
	busy++;
	configure();
	for (int i = 0; i < nspecs; i++) {
		struct spec *s = &specs[i];

		if (s->name != name)
			continue;
		if (*s->path && !(p1 && strstr(p1, s->path)) &&
		    !(p2 && strstr(p2, s->path)))
			continue;
		s->seen++;
		if (s->nth == 0 || s->seen != s->nth)
			continue;
		s->injected++;
		{
			char line[128];
			int len = snprintf(line, sizeof(line),
					   "inject=%s:%lu pid=%d%s\n",
					   names[name].name, s->nth, (int)getpid(),
					   kill_pid > 0 ? " action=kill" : "");

			report_line(line, (size_t)len);
		}
		if (kill_pid > 0) {
			char path[64];

			kill(kill_pid, SIGKILL);
			/* Dead means a zombie or gone: no namespaces left. */
			snprintf(path, sizeof(path), "/proc/%d/ns/net",
				 (int)kill_pid);
			for (int t = 0; t < 500 && access(path, F_OK) == 0; t++)
				usleep(10000);
			continue;
		}
		err = s->err;
	}
	busy--;
	return err;
}

/* ---- descriptors ------------------------------------------------------- */

#define FD_MAX 4096
static unsigned char fds_before[FD_MAX / 8];

static bool syslog_socket(int fd)
{
	int domain = 0, type = 0;
	socklen_t len = sizeof(domain);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		return false;
	len = sizeof(type);
	return domain == AF_UNIX &&
	       getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	       type == SOCK_DGRAM;
}

/* A netlink socket of @protocol? */
static bool is_netlink(int fd, int want)
{
	int domain = 0, protocol = -1;
	socklen_t len = sizeof(domain);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 ||
	    domain != AF_NETLINK)
		return false;
	len = sizeof(protocol);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) == 0 &&
	       protocol == want;
}

/* rtnetlink only: libpam's audit messages go over NETLINK_AUDIT. */
static bool is_rtnetlink(int fd)
{
	return is_netlink(fd, NETLINK_ROUTE);
}

/* Calls @fn for every open descriptor but the directory's own. */
static void each_fd(void (*fn)(int fd, void *data), void *data)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] != '.' && fd != dirfd(d) && fd < FD_MAX)
			fn(fd, data);
	}
	closedir(d);
}

static void mark_fd(int fd, void *data)
{
	(void)data;
	fds_before[fd / 8] |= (unsigned char)(1u << (fd % 8));
}

__attribute__((constructor)) static void fault_init(void)
{
	resolve_malloc();
	configure();
	if (arm_when == ARM_ALWAYS) {
		busy++;
		each_fd(mark_fd, NULL);
		busy--;
		armed++;
	}
}

struct fd_report {
	unsigned int count;
	char text[1024];
};

static void new_fd(int fd, void *data)
{
	struct fd_report *r = data;
	char path[64], target[256];
	ssize_t n;
	size_t used = strlen(r->text);

	if (fds_before[fd / 8] & (1u << (fd % 8)) || syslog_socket(fd))
		return;
	r->count++;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	snprintf(r->text + used, sizeof(r->text) - used, " [fd %d -> %s]", fd,
		 target);
}

/* Appends @line to the report file (our own calls do not count). */
static void report_line(const char *line, size_t len)
{
	int fd;

	if (!report_file)
		return;
	busy++;
	fd = open(report_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ssize_t n = write(fd, line, len);

		(void)n;
		close(fd);
	}
	busy--;
}

static void report(const char *call, int ret)
{
	struct fd_report fr = { 0, "" };
	char line[2048];
	size_t len;

	if (!report_file)
		return;
	busy++;
	each_fd(new_fd, &fr);
	len = (size_t)snprintf(line, sizeof(line), "call=%s ret=%d injected=",
			       call, ret);
	for (int i = 0, first = 1; i < nspecs && len < sizeof(line); i++) {
		if (!specs[i].injected)
			continue;
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%s%s:%lu", first ? "" : "+",
					names[specs[i].name].name, specs[i].nth);
		first = 0;
	}
	if (len < sizeof(line))
		len += (size_t)snprintf(line + len, sizeof(line) - len, " calls=");
	for (int i = 0; i < nspecs && len < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					"%s%s:%lu", i ? "+" : "",
					names[specs[i].name].name, specs[i].seen);
	if (len < sizeof(line))
		len += (size_t)snprintf(line + len, sizeof(line) - len,
					" fds_new=%u%s\n", fr.count, fr.text);
	if (len > sizeof(line))
		len = sizeof(line);
	report_line(line, len);
	busy--;
}

__attribute__((destructor)) static void fault_fini(void)
{
	if (arm_when == ARM_ALWAYS && armed) {
		armed = 0;
		report("exit", 0);
	}
}

/* ---- PAM: where the faults are armed ----------------------------------- */

static int armed_call(const char *what, bool arm,
		      int (*real)(pam_handle_t *, int), pam_handle_t *pamh,
		      int flags)
{
	int ret;

	configure();
	if (!arm)
		return real(pamh, flags);
	busy++;
	memset(fds_before, 0, sizeof(fds_before));
	each_fd(mark_fd, NULL);
	busy--;
	armed++;
	ret = real(pamh, flags);
	armed--;
	report(what, ret);
	return ret;
}

EXPORT int pam_open_session(pam_handle_t *pamh, int flags)
{
	REAL(pam_open_session);
	configure();
	return armed_call("pam_open_session",
			  arm_when == ARM_OPEN || arm_when == ARM_SESSION, real,
			  pamh, flags);
}

EXPORT int pam_close_session(pam_handle_t *pamh, int flags)
{
	REAL(pam_close_session);
	configure();
	return armed_call("pam_close_session",
			  arm_when == ARM_CLOSE || arm_when == ARM_SESSION,
			  real, pamh, flags);
}

/* ---- the wrapped calls -------------------------------------------------- */

#define FAIL_IF(name, p1, p2, failval)                                         \
	do {                                                                   \
		int err_ = should_fail(name, p1, p2);                          \
		if (err_) {                                                    \
			errno = err_;                                          \
			return failval;                                        \
		}                                                              \
	} while (0)

EXPORT int unshare(int flags)
{
	REAL(unshare);
	FAIL_IF(F_UNSHARE, NULL, NULL, -1);
	return real(flags);
}

EXPORT int setns(int fd, int nstype)
{
	REAL(setns);
	FAIL_IF(F_SETNS, NULL, NULL, -1);
	return real(fd, nstype);
}

EXPORT int socket(int domain, int type, int protocol)
{
	REAL(socket);
	if (domain == AF_NETLINK && protocol == NETLINK_ROUTE)
		FAIL_IF(F_SOCKET, NULL, NULL, -1);
	return real(domain, type, protocol);
}

EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
		      __CONST_SOCKADDR_ARG to, socklen_t tolen)
{
	REAL(sendto);
	if (armed && !busy && is_rtnetlink(fd))
		FAIL_IF(F_SEND, NULL, NULL, -1);
	if (armed && !busy && is_netlink(fd, NETLINK_NETFILTER))
		FAIL_IF(F_NFSEND, NULL, NULL, -1);
	return real(fd, buf, len, flags, to, tolen);
}

EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	REAL(sendmsg);
	if (armed && !busy && is_rtnetlink(fd))
		FAIL_IF(F_SEND, NULL, NULL, -1);
	if (armed && !busy && is_netlink(fd, NETLINK_NETFILTER))
		FAIL_IF(F_NFSEND, NULL, NULL, -1);
	return real(fd, msg, flags);
}

EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
			__SOCKADDR_ARG from, socklen_t *fromlen)
{
	REAL(recvfrom);
	if (armed && !busy && is_rtnetlink(fd))
		FAIL_IF(F_RECV, NULL, NULL, -1);
	return real(fd, buf, len, flags, from, fromlen);
}

EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	REAL(recvmsg);
	if (armed && !busy && is_rtnetlink(fd))
		FAIL_IF(F_RECV, NULL, NULL, -1);
	return real(fd, msg, flags);
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
		       (mode_t)va_arg(ap, int) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(open);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FAIL_IF(F_OPEN, path, NULL, -1);
	return real(path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(open64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FAIL_IF(F_OPEN, path, NULL, -1);
	return real(path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(openat);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FAIL_IF(F_OPEN, path, NULL, -1);
	return real(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	REAL(openat64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	FAIL_IF(F_OPEN, path, NULL, -1);
	return real(dirfd, path, flags, mode);
}

EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	REAL(write);
	if (armed && !busy) {
		char link[64], target[512] = "";
		ssize_t n;

		busy++;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		busy--;
		FAIL_IF(F_WRITE, target, NULL, -1);
	}
	return real(fd, buf, len);
}

EXPORT int flock(int fd, int op)
{
	REAL(flock);
	FAIL_IF(F_FLOCK, NULL, NULL, -1);
	return real(fd, op);
}

EXPORT int mount(const char *source, const char *target, const char *type,
		 unsigned long flags, const void *data)
{
	REAL(mount);
	FAIL_IF(F_MOUNT, source, target, -1);
	return real(source, target, type, flags, data);
}

EXPORT int umount2(const char *target, int flags)
{
	REAL(umount2);
	FAIL_IF(F_UMOUNT2, target, NULL, -1);
	return real(target, flags);
}

EXPORT int rename(const char *from, const char *to)
{
	REAL(rename);
	FAIL_IF(F_RENAME, from, to, -1);
	return real(from, to);
}

EXPORT int getgrnam_r(const char *name, struct group *grp, char *buf,
		      size_t size, struct group **result)
{
	int err;

	REAL(getgrnam_r);
	err = should_fail(F_GETGRNAM_R, NULL, NULL);
	if (err) {
		*result = NULL;
		return err; /* the error comes back as the result */
	}
	return real(name, grp, buf, size, result);
}

/*
 * glibc never reports a failing backend here: internal_getgrouplist
 * (nss/initgroups.c) returns what it gathered whatever the status, and
 * getgrouplist returns -1 only for a short buffer.  So a failing NSS is a
 * silent, short answer: the primary group alone.
 */
EXPORT int getgrouplist(const char *user, gid_t group, gid_t *groups,
			int *ngroups)
{
	int want = *ngroups;

	REAL(getgrouplist);
	if (!should_fail(F_GETGROUPLIST, NULL, NULL))
		return real(user, group, groups, ngroups);
	*ngroups = 1;
	if (want < 1)
		return -1;
	groups[0] = group;
	return 1;
}

/* ---- malloc -------------------------------------------------------------- */

EXPORT void *malloc(size_t size)
{
	resolve_malloc();
	if (!real_malloc)
		return arena_alloc(size);
	FAIL_IF(F_MALLOC, NULL, NULL, NULL);
	return real_malloc(size);
}

EXPORT void *calloc(size_t n, size_t size)
{
	resolve_malloc();
	if (!real_calloc) {
		void *p;

		if (size && n > SIZE_MAX / size)
			return NULL;
		p = arena_alloc(n * size);
		if (p)
			memset(p, 0, n * size);
		return p;
	}
	FAIL_IF(F_MALLOC, NULL, NULL, NULL);
	return real_calloc(n, size);
}

EXPORT void *realloc(void *old, size_t size)
{
	resolve_malloc();
	if (!real_realloc || in_arena(old)) {
		void *p = real_malloc ? real_malloc(size) : arena_alloc(size);

		if (p && old) {
			size_t had = *(size_t *)((char *)old - 16);

			memcpy(p, old, had < size ? had : size);
		}
		return p;
	}
	FAIL_IF(F_MALLOC, NULL, NULL, NULL);
	return real_realloc(old, size);
}

EXPORT void free(void *p)
{
	if (!p || in_arena(p))
		return;
	resolve_malloc();
	if (real_free)
		real_free(p);
}
