/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netns: network-namespace operations on the calling thread.
 * Each function returns 0 on success, -1 with errno set on failure.
 */
#ifndef NONET_NETNS_H
#define NONET_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Sets *@has to whether the calling thread has @cap (CAP_SYS_ADMIN, needed
 * to create or enter a network namespace; CAP_NET_ADMIN, to set up the lo
 * of a new one) in its effective set.
 */
int netns_have_cap(int cap, bool *has);

/*
 * Sets *@possible to whether @cap is in the calling thread's bounding set:
 * if not, no program it runs (root's included) can ever gain it.
 */
int netns_cap_possible(int cap, bool *possible);

/* Moves the calling thread into a new, empty network namespace. */
int netns_unshare(void);

/*
 * Sets *@present to whether the kernel has IPv6 (/proc/sys/net/ipv6).  A
 * kernel without it is no error: there is no ::1 to remove.
 */
int netns_ipv6_present(bool *present);

/*
 * Writes the disable_ipv6 sysctls (all, default, lo) of the calling thread's
 * namespace: 1 when @enable is false, 0 when it is true.  Must run before lo
 * goes up, so that the kernel never adds ::1.  Requires IPv6 in the kernel.
 */
int netns_set_ipv6(bool enable);

/*
 * Enables IPv6 on link @ifname alone (its disable_ipv6 to 0), in a
 * namespace whose other links netns_set_ipv6() may have left without.
 */
int netns_enable_link_ipv6(const char *ifname);

/* The inode number of the calling thread's network namespace. */
int netns_self_inode(ino_t *ino);

/*
 * Sets *@initial to whether the calling thread's network namespace is the
 * initial one (the host's).  With privilege it compares with kthreadd's
 * (PID 2); without, it uses sysctls the kernel registers only in the
 * initial namespace.  *@method, if not NULL, names the method used.
 */
int netns_is_initial(bool *initial, const char **method);

/*
 * The device and inode of the initial network namespace, read from
 * kthreadd's (PID 2).  Needs privilege (EACCES otherwise); ESRCH when PID 2
 * is not kthreadd (inside a PID namespace).
 */
int netns_initial_identity(dev_t *dev, ino_t *ino);

#endif
