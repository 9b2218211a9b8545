/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockns: the network namespaces a process's sockets belong to, and
 * whether a network namespace is one nonet could have made.
 *
 * A socket keeps the namespace it was created in: a process that moved
 * into a namespace of its own (unshare(CLONE_NEWUSER|CLONE_NEWNET)) keeps
 * sending through a socket it opened in the host's.  Its /proc/PID/ns/net
 * says nothing of that; the socket's own namespace does.
 *
 * Each socket is asked directly: pidfd_getfd() copies the descriptor into
 * this process, and SIOCGSKNS on the copy opens the socket's namespace.
 * (sock_diag was the other way: a dump per namespace and per address
 * family, matched by inode; it misses families without a diag module and
 * every namespace nobody is in.)  The kernel allows the copy to whoever
 * may ptrace the process (PTRACE_MODE_ATTACH_REALCREDS) and SIOCGSKNS to
 * whoever has CAP_NET_ADMIN in the user namespace that owns the socket's
 * namespace (net/socket.c, sock_ioctl): in practice, root.
 */
#ifndef NONET_SOCKNS_H
#define NONET_SOCKNS_H

#include <sys/types.h>

/* One namespace some socket of the process is in. */
struct sockns {
	dev_t dev;
	ino_t ino;
	int fd;	    /* the namespace, open (O_CLOEXEC) */
	int sockfd; /* the process's first descriptor found in it */
};

struct sockns_list {
	struct sockns *items;
	size_t count;
};

/*
 * Fills @l with each namespace the sockets of @pid are in, once each
 * (descriptors closed meanwhile are skipped; a thread with a descriptor
 * table of its own is not looked at).  A socket that @pid shares with its
 * parent, when another user owns the parent, is left out: it was opened
 * by whoever opened the session (sshd's connection, which the monitor's
 * unprivileged child inherits; the session's own channel, which no
 * namespace can close).  Returns 0, or -1 with errno (the
 * list then empty): ESRCH when @pid has ended, EPERM or EACCES without
 * the privilege above.
 */
int sockns_read(pid_t pid, struct sockns_list *l);
void sockns_free(struct sockns_list *l);

/*
 * Whether the network namespace open at @nsfd is owned by the initial
 * user namespace: 1 yes, 0 no (a user made it with CLONE_NEWUSER, and
 * nonet never does), -1 when it cannot tell (errno).  Compares with the
 * user namespace of kthreadd (PID 2, root only); without privilege, a
 * namespace whose owner has a parent is not the initial one's.
 */
int sockns_owner_initial(int nsfd);

#endif
