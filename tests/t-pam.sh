#!/bin/bash
# PAM tier: the real module in a real PAM stack (pam_start_confdir through
# `nonet session --confdir`); iproute2's `ip -j addr`, run inside the
# session as the user, is the oracle for what the session got.
. "$(dirname "$0")/lib.sh"
plan 18

user=nobody
host_ino=$(host_netns_inode)
svc=$(make_service nonet-t-pam "session required $MODULE conf=$T_POLICY_ALL")
make_service nonet-t-ipv6 "session required $MODULE conf=$T_POLICY_ALL ipv6" >/dev/null
make_service nonet-t-bogus "session required $MODULE conf=$T_POLICY_ALL debug bogus" >/dev/null
# Succeeds only if the module returns PAM_IGNORE (see pam.conf(5) actions).
make_service nonet-t-ignore "session [ignore=1 default=die] $MODULE conf=$T_POLICY_ALL" \
	"session requisite pam_deny.so" "session required pam_permit.so" >/dev/null

in_session() { # SERVICE USER CMD...
	local service=$1 who=$2
	shift 2
	nonet session -u "$who" --confdir "$svc" -s "$service" -- "$@"
}

# Judges `ip -j addr` output: exactly lo, UP, with exactly the addresses given.
judge_ip_json() { python3 "$T_SRC/tests/ip_verdict.py" --want "$@"; } # WANT-ADDRS...

out=$(in_session nonet-t-pam "$user" ip -j addr show)
expect_eq "private session: only lo, UP, 127.0.0.1/8, no ::1 (ip -j)" good \
	"$(printf '%s' "$out" | judge_ip_json "inet 127.0.0.1/8")"

out=$(in_session nonet-t-ipv6 "$user" ip -j addr show)
expect_eq "ipv6 argument: lo carries 127.0.0.1/8 and ::1/128 (ip -j)" good \
	"$(printf '%s' "$out" | judge_ip_json "inet 127.0.0.1/8" "inet6 ::1/128")"

ino=$(in_session nonet-t-pam "$user" stat -L -c %i /proc/self/ns/net)
if [ -n "$ino" ] && [ "$ino" != "$host_ino" ]; then
	ok "the session's namespace ($ino) is not the host's ($host_ino)"
else
	fail "the session's namespace is not the host's" "session: $ino host: $host_ino"
fi
# Two sessions at once (the kernel reuses a freed namespace's inode).
# The first holds its session until the second has ended (at most 60 s).
go=$T_ROOT/second-done
in_session nonet-t-pam "$user" sh -c "stat -L -c %i /proc/self/ns/net
	i=0; while [ ! -e $go ] && [ \$i -lt 1200 ]; do sleep 0.05; i=\$((i + 1)); done" >"$T_ROOT/ino1" &
first=$!
on_exit "kill $first"
for _ in $(seq 600); do [ -s "$T_ROOT/ino1" ] && break; sleep 0.05; done
ino2=$(in_session nonet-t-pam "$user" stat -L -c %i /proc/self/ns/net)
touch "$go"
wait $first
ino1=$(cat "$T_ROOT/ino1")
if [ -n "$ino1" ] && [ -n "$ino2" ] && [ "$ino1" != "$ino2" ]; then
	ok "two private sessions at once have two namespaces"
else
	fail "two private sessions at once have two namespaces" "$ino1 / $ino2"
fi

ids=$(in_session nonet-t-pam "$user" id -u)
expect_eq "the command runs as the user" "$(id -u $user)" "$ids"

# Docker's --network none picture, line for line: the default command.
want='1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever'
expect_eq "default command shows Docker's --network none picture" "$want" \
	"$(nonet session -u "$user" --confdir "$svc" -s nonet-t-pam)"

ino=$(in_session nonet-t-ignore root stat -L -c %i /proc/self/ns/net)
rc=$?
expect_eq "root: PAM_IGNORE (the stack passes only on ignore)" 0 "$rc"
expect_eq "root: the session stays in the host namespace" "$host_ino" "$ino"

err=$(in_session nonet-t-ignore "$user" true 2>&1)
expect_eq "a user to isolate: not PAM_IGNORE (same stack refuses)" 111 "$?"

err=$(in_session nonet-t-bogus "$user" true 2>&1)
expect_eq "unknown module argument: the session is refused (111)" 111 "$?"
expect_match "the refused user is told why, without detail" \
	"^Network isolation could not be set up for this session" "$err"
make_service nonet-t-bogus-ignore "session [ignore=1 default=die] $MODULE conf=$T_POLICY_ALL bogus" \
	"session requisite pam_deny.so" "session required pam_permit.so" >/dev/null
ino=$(in_session nonet-t-bogus-ignore root stat -L -c %i /proc/self/ns/net)
expect_eq "unknown module argument: root still gets in (PAM_IGNORE)" "0 $host_ino" "$? $ino"

# No pipeline in the shell: its pipe would be one of its descriptors.
fds=$(in_session nonet-t-pam "$user" sh -c 'ls /proc/$$/fd; :' | sort -n | tr '\n' ' ')
expect_eq "no descriptor but 0,1,2 reaches the session's command" "0 1 2 " "$fds"

# The tool's own process holds what the module left open: look at it while
# the session's command runs.
pidfile=$T_ROOT/pid
: >"$pidfile"
chmod 0666 "$pidfile"
in_session nonet-t-pam "$user" sh -c "echo \$PPID >$pidfile; sleep 3" &
sess=$!
on_exit "kill $sess"
for _ in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.05; done
ppid=$(cat "$pidfile")
if [ -n "$ppid" ]; then
	# valgrind keeps descriptors of its own above 1000.
	fds=$(cd /proc/"$ppid"/fd && for f in *; do [ "$f" -lt 1000 ] && printf '%s ' "$f"; done)
	expect_eq "the calling process keeps no descriptor from the module" "0 1 2 " "$fds"
	fmode=$(ls -l /proc/"$ppid"/fd | grep -c -E 'netlink|/proc/' || true)
	expect_eq "no netlink socket or /proc file left open" 0 "$fmode"
else
	fail "the calling process keeps no descriptor from the module" "no pid"
fi
wait "$sess"
expect_eq "the session's command ended well" 0 "$?"

rc=0
in_session nonet-t-pam "$user" sh -c 'exit 7' || rc=$?
expect_eq "nonet session exits with the command's status" 7 "$rc"
rc=0
in_session nonet-t-pam "$user" sh -c 'kill -TERM $$' || rc=$?
expect_eq "nonet session exits 128+N when signal N ends the command" 143 "$rc"
