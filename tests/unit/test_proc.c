// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_proc: lib/proc.c against /proc itself.
 *
 * A process chooses its own command name (prctl PR_SET_NAME), and
 * /proc/PID/stat prints it raw between parentheses: a child takes each
 * hostile name (spaces, parentheses, newlines, fake fields after a ')'),
 * and proc_read_stat must give back the name /proc/PID/comm shows, and
 * the fields after it (state, parent, start time) as an independent parse
 * read them while the child still had a harmless name.  Then the real uid
 * of a process whose effective uid differs, and a thread
 * that moved to a network namespace of its own, which proc_netns and
 * proc_scan must see apart from the main thread, and proc_same_mntns on
 * this process and on a child in a mount namespace of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "proc.h"
#include "text.h"
#include "unit.h"

#define HARMLESS "harmless"
#define NOBODY 65534

/*
 * Reads /proc/@pid/@file whole into @buf (through stdio: the oracle shares
 * no code with proc.c); its length, or -1.
 */
static ssize_t slurp(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (ssize_t)n;
}

/* fork(), with nothing of the parent's output left to print twice. */
static pid_t fork_flushed(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	return pid;
}

/* Waits until @pid stops (SIGSTOP); false if it exited instead. */
static bool stopped(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, WUNTRACED) < 0)
		if (errno != EINTR)
			return false;
	return WIFSTOPPED(status);
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/*
 * The child: stops under a harmless name, then takes the name the parent
 * writes (with its NUL) and stops again.
 */
static void __attribute__((noreturn)) renamed_child(int in)
{
	char name[64] = "";

	prctl(PR_SET_NAME, HARMLESS);
	raise(SIGSTOP);
	if (read(in, name, sizeof(name) - 1) <= 0)
		_exit(1);
	prctl(PR_SET_NAME, name);
	raise(SIGSTOP);
	_exit(0);
}

/*
 * The start time of @pid read without proc.c, while its name is
 * HARMLESS: "PID (harmless) STATE PPID ..." split at spaces, field 22.
 */
static bool plain_start(pid_t pid, unsigned long long *start)
{
	char buf[1024], prefix[64], *save = NULL, *field;
	size_t len;

	snprintf(prefix, sizeof(prefix), "%d (" HARMLESS ") ", (int)pid);
	len = strlen(prefix);
	if (slurp(pid, "stat", buf, sizeof(buf)) <= 0 ||
	    strncmp(buf, prefix, len) != 0)
		return false;
	field = strtok_r(buf + len, " ", &save); /* field 3, the state */
	for (int i = 3; field && i < 22; i++)
		field = strtok_r(NULL, " ", &save);
	if (!field)
		return false;
	*start = strtoull(field, NULL, 10);
	return true;
}

/* /proc/@pid/comm without the newline the kernel adds. */
static bool comm_file(pid_t pid, char *comm, size_t size)
{
	ssize_t n = slurp(pid, "comm", comm, size);

	if (n <= 0 || comm[n - 1] != '\n')
		return false;
	comm[n - 1] = '\0';
	return true;
}

/* Three checks: one child named @name. */
static void check_name(const char *name)
{
	char shown[TEXT_FIELD_MAX], want[16], oracle[PROC_COMM] = "";
	unsigned long long start = 0;
	struct proc_stat st = {0};
	int pipefd[2];
	bool ok;
	pid_t pid;

	text_escape(shown, sizeof(shown), name);
	snprintf(want, sizeof(want), "%s", name); /* TASK_COMM_LEN cuts it */
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		abort();
	pid = fork_flushed();
	if (pid == 0) {
		close(pipefd[1]);
		renamed_child(pipefd[0]);
	}
	close(pipefd[0]);
	ok = stopped(pid) && plain_start(pid, &start) &&
	     write(pipefd[1], name, strlen(name) + 1) > 0 &&
	     kill(pid, SIGCONT) == 0 && stopped(pid) &&
	     comm_file(pid, oracle, sizeof(oracle));
	close(pipefd[1]);
	if (!ok || proc_read_stat(pid, &st) < 0) {
		unit_ok(false,
			"\"%s\": the child renamed itself and its stat "
			"was read: %m",
			shown);
		unit_ok(false, "\"%s\": (not compared)", shown);
		unit_ok(false, "\"%s\": (not compared)", shown);
		reap(pid);
		return;
	}
	if (!unit_ok(strcmp(st.comm, oracle) == 0,
		     "\"%s\": the command /proc/PID/comm shows", shown)) {
		unit_diag("want: ", text_escape(shown, sizeof(shown), oracle));
		unit_diag("got:  ", text_escape(shown, sizeof(shown), st.comm));
		text_escape(shown, sizeof(shown), name);
	}
	unit_ok(strcmp(st.comm, want) == 0,
		"\"%s\": the name it set (cut to 15 bytes)", shown);
	if (!unit_ok(
		st.state == 'T' && st.ppid == getpid() && st.start == start,
		"\"%s\": state T, parent and start time after the name", shown))
		printf("#   state %c ppid %d start %llu, want T %d %llu\n",
		       st.state, (int)st.ppid, st.start, (int)getpid(), start);
	reap(pid);
}

/* A process that ended reads as gone, not as an error of another kind. */
static void check_ended(void)
{
	struct proc_stat st;
	pid_t pid = fork_flushed();
	int ret;

	if (pid == 0)
		_exit(0);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	ret = proc_read_stat(pid, &st);
	unit_ok(ret < 0 && (errno == ENOENT || errno == ESRCH),
		"an ended process: -1 with ENOENT or ESRCH");
}

/*
 * One check: a child with real uid NOBODY and effective uid @euid.  The
 * owner of /proc/PID is the effective one, whether dumpable or not.
 */
static void check_uid(uid_t euid)
{
	char path[64];
	struct stat st = {0};
	uid_t uid = 0;
	pid_t pid = fork_flushed();

	if (pid == 0) {
		if (setresuid(NOBODY, euid, euid) < 0)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (!unit_ok(
		stopped(pid) && proc_read_uid(pid, &uid) == 0 && uid == NOBODY,
		"real uid %d, effective uid %u", NOBODY, (unsigned int)euid))
		printf("#   read %u; /proc/PID is owned by %u\n",
		       (unsigned int)uid,
		       stat(path, &st) == 0 ? (unsigned int)st.st_uid : 0U);
	reap(pid);
}

/*
 * proc_same_mntns: this process is in its own mount namespace; a child
 * that unshared one (root only) is not.
 */
static void check_mntns(bool root)
{
	bool same = false;
	pid_t pid;

	unit_ok(proc_same_mntns(getpid(), &same) == 0 && same,
		"proc_same_mntns: this process is in its own mount namespace");
	if (!root)
		return;
	pid = fork_flushed();
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	same = true;
	unit_ok(stopped(pid) && proc_same_mntns(pid, &same) == 0 && !same,
		"proc_same_mntns: a child after unshare(CLONE_NEWNS) is not");
	reap(pid);
}

struct mover {
	int ready[2], done[2];
	pid_t tid;
	ino_t ino;
};

/* A thread that leaves for a new network namespace, then waits. */
static void *move_thread(void *data)
{
	struct mover *m = data;
	struct stat st;
	char c = 1;

	m->tid = gettid();
	if (unshare(CLONE_NEWNET) == 0 &&
	    stat("/proc/thread-self/ns/net", &st) == 0)
		m->ino = st.st_ino;
	if (write(m->ready[1], &c, 1) != 1 || read(m->done[0], &c, 1) < 0)
		m->ino = 0;
	return NULL;
}

struct seen {
	pid_t pid, tid, main_tid;
	ino_t ino, main_ino;
	bool found, main_found;
};

static int on_thread(void *data, const struct proc_thread *t)
{
	struct seen *s = data;

	if (t->pid != s->pid)
		return 0;
	if (t->tid == s->tid)
		s->found = t->ino == s->ino;
	if (t->tid == s->main_tid)
		s->main_found = t->ino == s->main_ino;
	return 0;
}

/* Three checks: proc_netns and proc_scan tell the two threads apart. */
static void check_threads(void)
{
	struct mover m = {.tid = 0};
	struct seen s = {.pid = getpid(), .main_tid = gettid()};
	struct stat self;
	pthread_t thread;
	dev_t dev = 0;
	ino_t ino = 0;
	char c = 0;

	if (pipe2(m.ready, O_CLOEXEC) < 0 || pipe2(m.done, O_CLOEXEC) < 0 ||
	    stat("/proc/thread-self/ns/net", &self) < 0 ||
	    pthread_create(&thread, NULL, move_thread, &m) != 0)
		abort();
	if (read(m.ready[0], &c, 1) != 1 || !m.ino)
		unit_ok(false, "a thread moved to a new network namespace");
	else
		unit_ok(proc_netns(getpid(), m.tid, &dev, &ino) == 0 &&
			    ino == m.ino && ino != self.st_ino,
			"proc_netns: the moved thread's namespace");
	unit_ok(proc_netns(getpid(), 0, &dev, &ino) == 0 &&
		    dev == self.st_dev && ino == self.st_ino,
		"proc_netns: the main thread's namespace (tid 0)");
	s.tid = m.tid;
	s.ino = m.ino;
	s.main_ino = self.st_ino;
	unit_ok(proc_scan(on_thread, &s) == 0 && s.found && s.main_found,
		"proc_scan: each thread with its own namespace");
	if (write(m.done[1], &c, 1) != 1)
		abort();
	pthread_join(thread, NULL);
	close(m.ready[0]);
	close(m.ready[1]);
	close(m.done[0]);
	close(m.done[1]);
}

int main(void)
{
	static const char *const names[] = {
	    "a b",	  /* a space: fields split at it */
	    "x) R 1 2 3", /* a fake end of the name, fake fields */
	    "(",
	    "(((",
	    ")",
	    "))((",
	    "a\nb",		    /* a newline: a line-based parse breaks */
	    "\n) Z 0 0 0 0 0",	    /* both, and a fake zombie */
	    "",			    /* no name at all */
	    "0123456789)abcdefghi", /* longer than TASK_COMM_LEN */
	    "\t\x7f\xff",	    /* control and high bytes */
	};
	size_t n = sizeof(names) / sizeof(names[0]);

	unit_start("test_proc", (unsigned int)(3 * n + 1 + 1 + 3 + 1 + 3));
	for (size_t i = 0; i < n; i++)
		check_name(names[i]);
	check_ended();
	check_mntns(geteuid() == 0);
	if (geteuid() != 0) {
		for (int i = 0; i < 7; i++)
			unit_skip("real uids and namespaces of other processes",
				  "needs root (setresuid, unshare)");
		return unit_done();
	}
	check_uid(NOBODY);
	check_uid(0);
	check_uid(1); /* a set-user-ID program of another user */
	check_threads();
	return unit_done();
}
