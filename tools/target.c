// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * target: find the namespaces to look at, and read them from a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "iface.h"
#include "netns.h"
#include "nl.h"
#include "pin.h"
#include "proc.h"
#include "target.h"
#include "text.h"

static int add_target(struct target_list *list, const char *path, dev_t dev,
		      ino_t ino)
{
	struct target *items =
	    reallocarray(list->items, list->count + 1, sizeof(*items));
	struct target *t;

	if (!items)
		return -1;
	list->items = items;
	t = &items[list->count++];
	memset(t, 0, sizeof(*t));
	snprintf(t->path, sizeof(t->path), "%s", path);
	t->dev = dev;
	t->ino = ino;
	return 0;
}

static int add_from_path(struct target_list *list, const char *path)
{
	struct stat st;

	memset(list, 0, sizeof(*list));
	if (stat(path, &st) < 0)
		return -1;
	return add_target(list, path, st.st_dev, st.st_ino);
}

int target_by_pid(pid_t pid, struct target_list *list)
{
	char path[PROC_PATH_MAX];

	return add_from_path(list, proc_netns_path(path, sizeof(path), pid, 0));
}

int target_by_name(const char *name, struct target_list *list)
{
	char path[PIN_PATH_MAX];
	const char *why = NULL;
	int fd;

	memset(list, 0, sizeof(*list));
	if (pin_path(path, sizeof(path), name) < 0 ||
	    pin_open_netns(path, &fd, &why) < 0)
		return -1;
	close(fd);
	if (add_from_path(list, path) < 0)
		return -1;
	snprintf(list->items[0].name, sizeof(list->items[0].name), "%s", name);
	return 0;
}

void target_list_free(struct target_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].procs);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* The escaped command name of @pid, or "?" if it is gone. */
static void command_of(pid_t pid, char *comm, size_t size)
{
	struct proc_stat st;

	if (proc_read_stat(pid, &st) == 0)
		text_escape(comm, size, st.comm);
	else
		snprintf(comm, size, "?");
}

static struct target *find(struct target_list *list, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < list->count; i++) {
		if (list->items[i].dev == dev && list->items[i].ino == ino)
			return &list->items[i];
	}
	return NULL;
}

static int add_proc(struct target *t, pid_t pid, const char *comm)
{
	struct target_proc *procs;

	if (t->nprocs && t->procs[t->nprocs - 1].pid == pid)
		return 0; /* another thread of the same process */
	procs = reallocarray(t->procs, t->nprocs + 1, sizeof(*procs));
	if (!procs)
		return -1;
	t->procs = procs;
	procs[t->nprocs].pid = pid;
	snprintf(procs[t->nprocs].comm, sizeof(procs[0].comm), "%s", comm);
	t->nprocs++;
	return 0;
}

struct by_user {
	struct target_list *list;
	uid_t uid;
	pid_t last; /* the process whose owner was read last */
	bool mine;
	char comm[PROCTAB_COMM];
};

/* Files each thread of the user's processes under its namespace. */
static int user_thread(void *data, const struct proc_thread *t)
{
	struct by_user *u = data;
	char path[PROC_PATH_MAX];
	struct target *target;
	uid_t owner;

	if (t->pid != u->last) {
		u->last = t->pid;
		u->mine = proc_read_uid(t->pid, &owner) == 0 && owner == u->uid;
		if (u->mine)
			command_of(t->pid, u->comm, sizeof(u->comm));
	}
	if (!u->mine)
		return 0;
	target = find(u->list, t->dev, t->ino);
	if (!target) {
		proc_netns_path(path, sizeof(path), t->pid, t->tid);
		if (add_target(u->list, path, t->dev, t->ino) < 0)
			return -1;
		target = &u->list->items[u->list->count - 1];
	}
	return add_proc(target, t->pid, u->comm) < 0 ? -1 : 0;
}

int target_by_user(uid_t uid, struct target_list *list)
{
	struct by_user u = {.list = list, .uid = uid};

	memset(list, 0, sizeof(*list));
	if (proc_scan(user_thread, &u) < 0) {
		target_list_free(list);
		return -1;
	}
	return 0;
}

/* What the child sends back: errno (0 on success), then the table. */
struct table_header {
	int err;
	size_t nlinks;
	size_t naddrs;
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The child: enter, dump, send, exit. */
static void __attribute__((noreturn)) child_dump(int nsfd, int out)
{
	struct table_header h = {0};
	struct iface_table table = {0};
	struct nl_sock *sock = NULL;

	if (setns(nsfd, CLONE_NEWNET) < 0 || nl_open(&sock) < 0 ||
	    iface_table_read(sock, &table) < 0)
		h.err = errno ? errno : EIO;
	h.nlinks = table.nlinks;
	h.naddrs = table.naddrs;
	if (write_all(out, &h, sizeof(h)) < 0 ||
	    write_all(out, table.links, h.nlinks * sizeof(*table.links)) < 0 ||
	    write_all(out, table.addrs, h.naddrs * sizeof(*table.addrs)) < 0)
		_exit(1);
	nl_close(sock);
	iface_table_free(&table);
	_exit(0);
}

static int receive_table(int in, struct iface_table *table)
{
	struct table_header h;

	memset(table, 0, sizeof(*table));
	if (read_all(in, &h, sizeof(h)) < 0)
		return -1;
	if (h.err) {
		errno = h.err;
		return -1;
	}
	table->links = calloc(h.nlinks + 1, sizeof(*table->links));
	table->addrs = calloc(h.naddrs + 1, sizeof(*table->addrs));
	if (!table->links || !table->addrs ||
	    read_all(in, table->links, h.nlinks * sizeof(*table->links)) < 0 ||
	    read_all(in, table->addrs, h.naddrs * sizeof(*table->addrs)) < 0) {
		iface_table_free(table);
		return -1;
	}
	table->nlinks = h.nlinks;
	table->naddrs = h.naddrs;
	return 0;
}

/* Is @t the namespace we are in?  Then no child is needed. */
static bool is_own(const struct target *t)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 &&
	       st.st_dev == t->dev && st.st_ino == t->ino;
}

static int read_own(struct iface_table *table)
{
	struct nl_sock *sock = NULL;
	int ret;

	if (nl_open(&sock) < 0)
		return -1;
	ret = iface_table_read(sock, table);
	nl_close(sock);
	return ret;
}

int target_read_table(const struct target *t, struct iface_table *table)
{
	int pipefd[2], nsfd, ret, status = 0, saved;
	pid_t pid;

	if (is_own(t))
		return read_own(table);
	nsfd = open(t->path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		close(nsfd);
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		child_dump(nsfd, pipefd[1]);
	}
	close(nsfd);
	close(pipefd[1]);
	ret = pid < 0 ? -1 : receive_table(pipefd[0], table);
	saved = errno;
	close(pipefd[0]);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	errno = saved;
	return ret;
}

/*
 * Inside a PID namespace (a container) PID 2 is not kthreadd: a child enters
 * @t and asks the sysctls that only the initial namespace registers.
 * 1 yes, 0 no, -1 unknown (EIO when the child could not tell).
 */
static int initial_from_inside(const struct target *t)
{
	int nsfd, status = 0;
	pid_t pid;

	nsfd = open(t->path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		bool initial = false;

		if (setns(nsfd, CLONE_NEWNET) < 0 ||
		    netns_is_initial(&initial, NULL) < 0)
			_exit(2);
		_exit(initial ? 1 : 0);
	}
	close(nsfd);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		errno = EIO;
		return -1;
	}
	return WEXITSTATUS(status);
}

int target_is_initial(const struct target *t)
{
	bool initial = false;
	dev_t dev;
	ino_t ino;

	/* Our own namespace can be judged without privilege. */
	if (is_own(t))
		return netns_is_initial(&initial, NULL) < 0 ? -1 : initial;
	if (netns_initial_identity(&dev, &ino) < 0)
		return errno == ESRCH ? initial_from_inside(t) : -1;
	return dev == t->dev && ino == t->ino;
}

int target_self(struct target_list *list)
{
	return add_from_path(list, "/proc/thread-self/ns/net");
}
