#!/bin/bash
# The escape that hides in a namespace of its own (issue 13, part 2): a
# process of an audited user in the host's namespace opens a UDP socket,
# moves into a user namespace with a network namespace of its own
# (unshare(CLONE_NEWUSER|CLONE_NEWNET)), raises its lo, and keeps sending
# through the first socket (tests/helpers/nonet-t-sockescape.c).  The
# oracles: a listener on the host's 127.0.0.1 that counts the datagrams,
# the namespace inodes in /proc, and the PIDs the test started.  `nonet
# audit`, `check -u` and `check -p` must each call it an escape, and
# `audit --kill` must end it.  A control: the same kind of namespace made
# from inside an isolated session is as prescribed.
. "$(dirname "$0")/lib.sh"
plan 22

host_ino=$(host_netns_inode)
U=nonet-se-$$
W=$T_ROOT/w
mkdir -m 1777 "$W"
PIDS=()
cleanup() {
	local pid f
	pkill -KILL -U "$U" # only this test's own, uniquely named user
	for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	for f in /run/nonet/sessions/*; do
		grep -qx "user $U" "$f" 2>/dev/null && rm -f "$f"
	done
	userdel "$U"
}
on_exit cleanup
useradd -M -N -s /bin/sh "$U" || { fail "useradd $U"; exit 1; }

HELPER=$T_ROOT/nonet-t-sockescape
if ! out=$(gcc -O2 -Wall -Wextra -Werror -o "$HELPER" \
	"$T_SRC/tests/helpers/nonet-t-sockescape.c" 2>&1); then
	fail "build tests/helpers/nonet-t-sockescape.c" "$out"
	exit 1
fi
chmod 0755 "$HELPER"
pol=$(make_policy sockescape "private $U")
svc=$(make_service nonet-t-se "session required $MODULE conf=$pol")

wait_file() { # FILE: until it is not empty (20 s)
	local i
	for i in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}
count() { wc -l <"$W/received" 2>/dev/null || echo 0; }

# The listener on the host's loopback: one line per datagram received.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(100).decode(errors="replace") + "\n")
' "$W/port" "$W/received" &
PIDS+=($!)
wait_file "$W/port" || { fail "the UDP listener did not start"; exit 1; }
port=$(cat "$W/port")

# --- the escape ---------------------------------------------------------------
setpriv --reuid="$U" --regid=65534 --clear-groups "$HELPER" "$port" "$W/esc" \
	2>"$W/esc.err" &
PIDS+=($!)
wait_file "$W/esc" || { fail "the escape did not start" "$(cat "$W/esc.err")"; exit 1; }
read -r esc esc_ino <"$W/esc"
before=$(count)
sleep 1
after=$(count)
if [ "$after" -gt "$before" ] && [ "$esc_ino" != "$host_ino" ]; then
	ok "the escape is real: in net:[$esc_ino], not the host's, yet $((after - before)) datagrams reached the host's 127.0.0.1 in a second"
else
	fail "the escape is real" "ns $esc_ino host $host_ino, $before -> $after datagrams"
fi
expect_eq "... its namespace's owner is not the initial user namespace (lsns oracle)" "yes" \
	"$([ "$(stat -L -c %i /proc/"$esc"/ns/user)" != "$(stat -L -c %i /proc/2/ns/user)" ] && echo yes)"

if [ "$NONET_TIER" = valgrind ]; then
	skip_rest "audit, check -u, check -p, audit --kill and the control on the escape" \
		"valgrind 3.19 does not know pidfd_open/pidfd_getfd (ENOSYS): the tool cannot tell where a socket is and exits 2 there"
fi

py() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# audit: exit 1, the process an escape, the cause names the host's socket.
json=$(nonet audit --conf "$pol" --all -J)
expect_eq "audit: exit 1 with the escape" 1 "$?"
got=$(printf '%s' "$json" | py "[(p['verdict'], p['netns']) for p in d['processes'] if p['pid'] == $esc]")
expect_eq "audit -J: the process is an escape, in its own namespace" "[('escape', $esc_ino)]" "$got"
cause=$(printf '%s' "$json" | py "[p['cause'] for p in d['processes'] if p['pid'] == $esc][0]")
expect_match "audit: the cause: holds a socket in the host's namespace" \
	"holds a socket in net:\[$host_ino\] \(the host's\)" "$cause"
expect_match "... and its namespace is of its own user namespace, come from the host's" \
	"in net:\[$esc_ino\] of a user namespace of its own, come from net:\[$host_ino\]" "$cause"
out=$(nonet audit --conf "$pol")
expect_match "audit (table): the escape's row with its cause" "^ *$esc .*holds a socket" "$out"

# check -u: NOT as prescribed, with both reasons.
out=$(nonet check -u "$U" --conf "$pol")
expect_eq "check -u: exit 1" 1 "$?"
expect_match "check -u: its namespace NOT as prescribed" "net:\[$esc_ino\] NOT as prescribed" "$out"
expect_match "... the process holds a socket in the host's" \
	"process $esc holds a socket in net:\[$host_ino\] \(the host's\)" "$out"
expect_match "... and comes from a namespace not prescribed" \
	"process $esc comes from net:\[$host_ino\]" "$out"
expect_eq "check -u -j: 1 process not as prescribed" 1 \
	"$(nonet check -u "$U" --conf "$pol" -j | py "d['not_prescribed']")"

# check -p: not isolated, why.
out=$(nonet check -p "$esc")
expect_eq "check -p: exit 1 (not isolated)" 1 "$?"
expect_match "check -p: the process holds a socket in the host's" \
	"the process holds a socket in net:\[$host_ino\] \(the host's\)" "$out"
expect_match "check -p: a user namespace of a user owns its namespace" \
	"a user namespace other than the initial one owns it" "$out"

# audit --kill ends it; the datagrams stop.
out=$(nonet audit --conf "$pol" --kill)
expect_eq "audit --kill: exit 1 (an escape was found)" 1 "$?"
for _ in $(seq 50); do kill -0 "$esc" 2>/dev/null || break; sleep 0.1; done
expect_eq "audit --kill: the escape is gone" "" "$(ps -o pid= -p "$esc")"
n1=$(count)
sleep 0.5
expect_eq "... and no datagram arrives any more" "$n1" "$(count)"
out=$(nonet audit --conf "$pol")
expect_eq "audit afterwards: exit 0" 0 "$?"

# --- the control: a namespace of its own made inside an isolated session ------
nonet session -u "$U" --confdir "$svc" -s nonet-t-se -- unshare -Urn sh -c \
	"ip link set lo up; stat -L -c %i /proc/self/ns/net >$W/ctl.tmp; mv $W/ctl.tmp $W/ctl; exec sleep 600" \
	>"$W/ctl.out" 2>&1 &
PIDS+=($!)
if wait_file "$W/ctl"; then
	ctl=$(pgrep -U "$U" -x sleep)
	json=$(nonet audit --conf "$pol" --all -J)
	rc=$?
	got=$(printf '%s' "$json" | py "[p['verdict'] for p in d['processes'] if p['pid'] == ${ctl:-0}]")
	expect_eq "control: a user namespace's own netns under an isolated session: prescribed, audit exit 0" \
		"0 ['prescribed']" "$rc $got"
	out=$(nonet check -u "$U" --conf "$pol")
	expect_eq "control: check -u exit 0" 0 "$?"
	expect_match "... its namespace as prescribed" "net:\[$(cat "$W/ctl")\] as prescribed" "$out"
else
	fail "control: the session did not start" "$(cat "$W/ctl.out")"
fi
