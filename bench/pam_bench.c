// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pam_bench: times PAM sessions and the kernel work they stand on, for
 * `make bench`.  Not installed, not part of the product.
 *
 *   pam_bench time   -c DIR -u USER -n N TARGET...   interleaved timings
 *   pam_bench hold   -c DIR -u USER[,USER...] -n N TARGET
 *   pam_bench storm  -c DIR -u USER -n N TARGET
 *   pam_bench policy -u USER -f FILE -n N
 *
 * A TARGET is a PAM service in DIR (open+close of a session in a fresh
 * child), "@floor" (the same kernel work as a private session, in-process:
 * unshare, the IPv6 sysctls, 127.0.0.1/8, lo up), or "@setns=PATH" (a
 * bare setns into the namespace at PATH).  Times are printed in
 * microseconds, one JSON object per line.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <security/pam_appl.h>

#include "loopback.h"
#include "netns.h"
#include "nl.h"
#include "policy.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int converse(int num, const struct pam_message **msg,
		    struct pam_response **resp, void *data)
{
	(void)num;
	(void)msg;
	(void)data;
	*resp = NULL;
	return PAM_SUCCESS;
}

struct session {
	pam_handle_t *pamh;
};

static int session_open(const char *dir, const char *service,
			const char *user, struct session *s)
{
	static const struct pam_conv conv = { converse, NULL };

	if (pam_start_confdir(service, user, &conv, dir, &s->pamh) !=
	    PAM_SUCCESS)
		return -1;
	if (pam_open_session(s->pamh, PAM_SILENT) != PAM_SUCCESS) {
		pam_end(s->pamh, PAM_SESSION_ERR);
		return -1;
	}
	return 0;
}

static void session_close(struct session *s)
{
	pam_close_session(s->pamh, PAM_SILENT);
	pam_end(s->pamh, PAM_SUCCESS);
}

/* The kernel floor of a private session, in the calling process. */
static int floor_work(void)
{
	struct nl_sock *sock = NULL;
	int ret;

	if (netns_unshare() < 0 || netns_set_ipv6(false) < 0 ||
	    nl_open(&sock) < 0)
		return -1;
	ret = loopback_setup(sock, LOOPBACK_INET6_LEAVE, NULL);
	nl_close(sock);
	return ret;
}

static int setns_work(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = setns(fd, CLONE_NEWNET);
	close(fd);
	return ret;
}

/* One target once, in this process: open and close, or the floor. */
static int run_target(const char *dir, const char *target, const char *user)
{
	struct session s;

	if (strcmp(target, "@floor") == 0)
		return floor_work();
	if (strncmp(target, "@setns=", 7) == 0)
		return setns_work(target + 7);
	if (session_open(dir, target, user, &s) < 0)
		return -1;
	session_close(&s);
	return 0;
}

/* Runs one target in a fresh child; returns its time, or -1 on failure. */
static double timed_child(const char *dir, const char *target,
			  const char *user)
{
	int pipefd[2], status = 0;
	double us = -1;
	pid_t pid;

	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		double t0 = now_us(), t;
		int ok = run_target(dir, target, user) == 0;

		t = ok ? now_us() - t0 : -1;
		if (write(pipefd[1], &t, sizeof(t)) != sizeof(t))
			_exit(2);
		_exit(ok ? 0 : 1);
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], &us, sizeof(us)) != sizeof(us))
		us = -1;
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	return status == 0 ? us : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Prints the median and p99 of @n samples (sorted here), and failures. */
static void report(const char *what, const char *target, double *v, size_t n,
		   unsigned int failures)
{
	double median = 0, p99 = 0;

	qsort(v, n, sizeof(*v), cmp_double);
	if (n) {
		median = v[n / 2];
		p99 = v[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	}
	printf("{\"bench\":\"%s\",\"target\":\"%s\",\"n\":%zu,\"median_us\":%.1f,"
	       "\"p99_us\":%.1f,\"failures\":%u}\n", what, target, n, median,
	       p99, failures);
	fflush(stdout);
}

/* time: every target once per round, N rounds, so noise hits all alike. */
static int cmd_time(const char *dir, const char *user, int n, char **targets,
		    int ntargets)
{
	double *v = calloc((size_t)(n * ntargets), sizeof(*v));
	size_t *count = calloc((size_t)ntargets, sizeof(*count));
	unsigned int *failures = calloc((size_t)ntargets, sizeof(*failures));

	if (!v || !count || !failures)
		return 2;
	for (int round = 0; round < n; round++) {
		for (int t = 0; t < ntargets; t++) {
			double us = timed_child(dir, targets[t], user);

			if (us < 0)
				failures[t]++;
			else
				v[t * n + (int)count[t]++] = us;
		}
	}
	for (int t = 0; t < ntargets; t++)
		report("time", targets[t], v + t * n, count[t], failures[t]);
	free(v);
	free(count);
	free(failures);
	return 0;
}

struct meminfo {
	long available_kb;
	long slab_kb;
};

static void read_meminfo(struct meminfo *m)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "re");

	memset(m, 0, sizeof(*m));
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "MemAvailable: %ld kB", &m->available_kb);
		sscanf(line, "Slab: %ld kB", &m->slab_kb);
	}
	if (f)
		fclose(f);
}

/* Active objects of the net_namespace slab cache: live namespaces. */
static long live_netns(void)
{
	char line[512];
	long active = -1;
	FILE *f = fopen("/proc/slabinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "net_namespace ", 14) == 0)
			sscanf(line + 14, "%ld", &active);
	}
	if (f)
		fclose(f);
	return active;
}

/* A child of hold/storm: waits at @gate, then runs its part. */
static void __attribute__((noreturn)) holder(const char *dir,
					     const char *target,
					     const char *user, int ready,
					     int release)
{
	struct session s = { 0 };
	char c = 'F', buf;
	int ok;

	if (target[0] == '@')
		ok = run_target(dir, target, user) == 0;
	else
		ok = session_open(dir, target, user, &s) == 0;
	if (ok)
		c = 'R';
	if (write(ready, &c, 1) != 1)
		_exit(2);
	/* Held until the parent closes the release pipe. */
	while (read(release, &buf, 1) > 0)
		;
	if (ok && target[0] != '@')
		session_close(&s);
	_exit(ok ? 0 : 1);
}

static char **split_users(char *users, int *n)
{
	char **list = calloc(strlen(users) / 2 + 2, sizeof(*list));
	char *save = NULL;

	*n = 0;
	for (char *u = strtok_r(users, ",", &save); list && u;
	     u = strtok_r(NULL, ",", &save))
		list[(*n)++] = u;
	return list;
}

static void wait_children(int n)
{
	for (int i = 0; i < n; i++)
		while (wait(NULL) < 0 && errno == EINTR)
			;
}

/* hold: N sessions open at once; time, memory, and time until freed. */
static int cmd_hold(const char *dir, char *users, int n, const char *target)
{
	int ready[2], release[2], nusers, opened = 0, failed = 0;
	char **list = split_users(users, &nusers);
	struct meminfo before, after;
	long ns_before = live_netns(), ns_after, ns_now;
	double t0, t1, t2, last_change;

	if (!list || pipe(ready) < 0 || pipe(release) < 0)
		return 2;
	read_meminfo(&before);
	t0 = now_us();
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			close(release[1]);
			holder(dir, target, list[i % nusers], ready[1],
			       release[0]);
		}
	}
	close(release[0]);
	for (int i = 0; i < n; i++) {
		char c;

		if (read(ready[0], &c, 1) != 1)
			break;
		c == 'R' ? opened++ : failed++;
	}
	t1 = now_us();
	sleep(1); /* let deferred allocations settle before reading */
	read_meminfo(&after);
	ns_after = live_netns();
	close(release[1]);
	wait_children(n);
	t2 = now_us();
	/*
	 * The slab's active count is approximate (per-CPU slabs count as
	 * active), so it need not come back to where it was: measure until
	 * it stops falling for a second, and report what is left.
	 */
	ns_now = live_netns();
	last_change = now_us();
	while (now_us() - last_change < 1e6 && now_us() - t2 < 20e6) {
		long n = live_netns();

		if (n != ns_now) {
			ns_now = n;
			last_change = now_us();
		}
		usleep(10000);
	}
	printf("{\"bench\":\"hold\",\"target\":\"%s\",\"n\":%d,\"opened\":%d,"
	       "\"failures\":%d,\"open_all_ms\":%.1f,\"mem_per_session_kb\":%.1f,"
	       "\"slab_per_session_kb\":%.1f,\"netns_created\":%ld,"
	       "\"freed_after_close_ms\":%.1f,\"netns_left\":%ld}\n", target,
	       n, opened, failed, (t1 - t0) / 1e3,
	       (double)(before.available_kb - after.available_kb) / n,
	       (double)(after.slab_kb - before.slab_kb) / n,
	       ns_after - ns_before, (last_change - t2) / 1e3,
	       ns_now - ns_before);
	free(list);
	return failed ? 1 : 0;
}

/* A child of storm: waits at the gate, then times one session. */
static void __attribute__((noreturn)) stormer(const char *dir,
					      const char *target,
					      const char *user, int gate,
					      int out)
{
	double t0, us;
	char buf;
	int ok;

	while (read(gate, &buf, 1) > 0)
		;
	t0 = now_us();
	ok = run_target(dir, target, user) == 0;
	us = ok ? now_us() - t0 : -1;
	if (write(out, &us, sizeof(us)) != sizeof(us))
		_exit(2);
	_exit(ok ? 0 : 1);
}

/* storm: N logins released at the same moment. */
static int cmd_storm(const char *dir, const char *user, int n,
		     const char *target)
{
	double *v = calloc((size_t)n, sizeof(*v));
	int gate[2], out[2];
	unsigned int failures = 0;
	size_t count = 0;

	if (!v || pipe(gate) < 0 || pipe(out) < 0)
		return 2;
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			close(gate[1]);
			stormer(dir, target, user, gate[0], out[1]);
		}
	}
	close(gate[0]);
	close(out[1]);
	close(gate[1]); /* go */
	for (int i = 0; i < n; i++) {
		double us;

		if (read(out[0], &us, sizeof(us)) != sizeof(us))
			break;
		if (us < 0)
			failures++;
		else
			v[count++] = us;
	}
	wait_children(n);
	failures += (unsigned int)(n - (int)count - (int)failures);
	report("storm", target, v, count, failures);
	free(v);
	return failures ? 1 : 0;
}

/* policy: the decision alone, in-process, against real NSS. */
static int cmd_policy(const char *user, const char *file, int n)
{
	struct policy_diag diag = { 0 };
	struct policy_decision d = { 0 };
	struct policy *p = NULL;
	struct passwd *pw = getpwnam(user);
	struct policy_login l;
	double t0, *v = calloc((size_t)n, sizeof(*v));

	if (!pw || !v || policy_load(file, &diag, &p) < 0)
		return 2;
	l = (struct policy_login){ .user = pw->pw_name, .uid = pw->pw_uid,
				   .gid = pw->pw_gid, .service = "sshd" };
	for (int i = 0; i < n; i++) {
		t0 = now_us();
		if (policy_decide(p, &l, &policy_nss_lookup, &d) < 0)
			return 2;
		v[i] = now_us() - t0;
	}
	printf("{\"bench\":\"policy\",\"rules\":%zu,\"action\":\"%s\","
	       "\"line\":%u,\"groups_looked_up\":%s}\n", p->nrules,
	       policy_action_name(d.action), d.rule ? d.rule->line : 0,
	       d.groups_looked_up ? "true" : "false");
	report("policy", file, v, (size_t)n, 0);
	policy_free(p);
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *file = NULL;
	char *user = NULL;
	int n = 100, c;

	if (argc < 2)
		return 2;
	optind = 2;
	while ((c = getopt(argc, argv, "c:u:n:f:")) != -1) {
		if (c == 'c')
			dir = optarg;
		else if (c == 'u')
			user = optarg;
		else if (c == 'n')
			n = atoi(optarg);
		else if (c == 'f')
			file = optarg;
		else
			return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!user || n <= 0)
		return 2;
	if (strcmp(argv[1], "time") == 0 && optind < argc)
		return cmd_time(dir, user, n, argv + optind, argc - optind);
	if (strcmp(argv[1], "hold") == 0 && optind < argc)
		return cmd_hold(dir, user, n, argv[optind]);
	if (strcmp(argv[1], "storm") == 0 && optind < argc)
		return cmd_storm(dir, user, n, argv[optind]);
	if (strcmp(argv[1], "policy") == 0 && file)
		return cmd_policy(user, file, n);
	return 2;
}
