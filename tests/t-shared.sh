#!/bin/bash
# Shared and join= tier: `shared` puts every session of a user into one
# namespace pinned at /run/netns/nonet-USER (made once under a per-user
# lock, removed after the last session), `join=NAME` enters an admin's
# /run/netns/NAME with /etc/netns/NAME over /etc.  The oracles are the
# namespace inodes (stat -L /proc/self/ns/net), iproute2 (`ip -j`,
# `ip netns`, nsenter), findmnt, TCP connections made with python3, and the
# module's syslog lines (with_devlog).  Also `nonet show|check` with
# -p/-u/-n compared with ip's JSON, `nonet check --user` and `nonet prune`.
# The concurrency test opens 50 first logins at once (10 in the valgrind
# tier, where each nonet call takes about a second).
. "$(dirname "$0")/lib.sh"
plan 104

PY=/usr/bin/python3 # the users cannot reach root's pyenv shims
host_ino=$(host_netns_inode)

# --- Users, and everything they may leave behind ---------------------------
ua=nonet-t-$$-a
ub=nonet-t-$$-b
pin_a=/run/netns/nonet-$ua
pin_b=/run/netns/nonet-$ub
# kill_job PID: kills PID if it is still an unreaped child of ours.
kill_job() { jobs -p | grep -qx -- "$1" && kill "$1"; }
created_users=()

# Stops what the test started and removes the users' pins and locks: first
# the users' processes (so their sessions close by themselves), then the
# background `nonet session`s (which close the PAM sessions), then the pins.
cleanup_users() {
	local u pid i
	# A ^C during with_devlog orphans its listener (a background job, so
	# it ignores SIGINT): end those of this test, found by their log files.
	for pid in $(pgrep -f -- "$T_ROOT/syslog-"); do
		kill "$pid"
	done
	for u in "${created_users[@]}"; do
		# Only this test's own, uniquely named users.
		pkill -KILL -U "$u"
	done
	# Our background jobs (the sessions) end when their commands do: up to
	# 15 s for all (valgrind is slow).  Only unreaped children are listed,
	# so no PID here can have been reused by another process.
	for i in $(seq 150); do
		[ -z "$(jobs -pr)" ] && break
		sleep 0.1
	done
	for pid in $(jobs -pr); do kill -KILL "$pid"; done
	for u in "${created_users[@]}"; do
		for i in 1 2 3 4; do umount -l "/run/netns/nonet-$u" 2>/dev/null || break; done
		rm -rf "/run/netns/nonet-$u"
		rm -f "/run/nonet/nonet-$u.lock"
		userdel "$u"
	done
}
on_exit cleanup_users
for u in "$ua" "$ub"; do
	useradd -M -N -s /bin/sh "$u" || { fail "useradd $u"; exit 1; }
	created_users+=("$u")
done

# Scratch space the users can write to; helpers for python3 as the users.
W=$T_ROOT/w
mkdir -m 1777 "$W"
cat >"$T_ROOT/server.py" <<'EOF'
import os, socket, sys, time
port, ready = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
s.settimeout(1)
with open(ready + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(ready + ".tmp", ready)
deadline = time.time() + 90
while time.time() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.sendall(b"pong\n")
    c.close()
EOF
cat >"$T_ROOT/client.py" <<'EOF'
import socket, sys
try:
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    print(c.recv(100).decode().strip())
except ConnectionRefusedError:
    print("refused")
except Exception as e:
    print("error: %s" % e)
EOF

pol_shared=$(make_policy shared "shared $ua" "shared $ub")
pol_ipv6=$(make_policy shared6 "shared $ua ipv6" "shared $ub ipv6")
svc=$(make_service nonet-t-shared "session required $MODULE conf=$pol_shared")
make_service nonet-t-shared6 "session required $MODULE conf=$pol_ipv6" >/dev/null

# in_session SERVICE USER CMD...: a session through the test stack.
in_session() {
	local service=$1 who=$2
	shift 2
	nonet session -u "$who" --confdir "$svc" -s "$service" -- "$@"
}
# bg_session OUTFILE SERVICE USER CMD...: the same in the background (not
# through the `nonet` function, so that $! is the session's own process).
bg_session() {
	local outf=$1 service=$2 who=$3
	shift 3
	$NONET_WRAP "$NONET" session -u "$who" --confdir "$svc" -s "$service" -- "$@" >"$outf" 2>&1 &
}
# logged_session LOG SERVICE USER CMD...: in_session with syslog captured
# in LOG, the output in LOG.out and LOG.err.  Never inside a
# $(...): with_devlog's listener is a background job, which ignores SIGINT;
# after a ^C it would outlive with_devlog, hold the pipe open and hang us.
logged_session() {
	local log=$1 service=$2 who=$3
	shift 3
	with_devlog "$log" $NONET_WRAP "$NONET" session -u "$who" --confdir "$svc" \
		-s "$service" -- "$@" >"$log.out" 2>"$log.err"
}
# wait_file FILE [TENTHS]: until FILE is non-empty.
wait_file() {
	local i
	for i in $(seq "${2:-300}"); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}
# wait_gone PID: until the process has ended.
wait_gone() {
	local i
	for i in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	return 1
}
lock_count() { cat "/run/nonet/nonet-$1.lock" 2>/dev/null || echo none; }
pin_ino() { stat -L -c %i "$1" 2>/dev/null; }
netns_listed() { ip netns list | awk '{print $1}' | grep -Fxc -- "$1"; }
mounts_of() { findmnt -rn -o TARGET | grep -Fc -- "$1"; }
# nonet show prints the address protocol as iproute2 6.4+ does (nonet(8));
# an older ip (Debian 12's 6.1) omits it: then that key alone is dropped.
ip address help 2>&1 | grep -q ADDRPROTO && IP_PROTO=yes || IP_PROTO=no
json_equal() { # A B: equal after json.loads
	"$PY" -c 'import json,sys
a, b = (json.loads(x) for x in sys.argv[2:])
if sys.argv[1] == "no":
    for link in a if isinstance(a, list) else []:
        for addr in link.get("addr_info", []):
            addr.pop("protocol", None)
print("equal" if a == b else "differ")' "$IP_PROTO" "$1" "$2" 2>&1
}
only_lo() { # ip -j link on stdin -> the list of names
	"$PY" -c 'import json,sys; print(",".join(l["ifname"] for l in json.load(sys.stdin)))' 2>&1
}
waitall() { local p; for p in "$@"; do wait "$p"; done; }

# A port nothing on the host listens on.
port=$((20000 + $$ % 20000))
while [ "$("$PY" "$T_ROOT/client.py" "$port")" != refused ]; do port=$((port + 1)); done

# --- Two sessions of one user: one namespace -------------------------------
ready=$W/ready-a
bg_session "$W/sess-a.out" nonet-t-shared "$ua" \
	sh -c "stat -L -c %i /proc/self/ns/net; exec $PY $T_ROOT/server.py $port $ready"
sess_a=$!
if wait_file "$ready"; then
	server=$(cat "$ready")
	ino_a=$(head -n1 "$W/sess-a.out")
	out=$(in_session nonet-t-shared "$ua" sh -c "stat -L -c %i /proc/self/ns/net; $PY $T_ROOT/client.py $port")
	ino_a2=$(printf '%s\n' "$out" | head -n1)
	reply=$(printf '%s\n' "$out" | sed -n 2p)
	if [ -n "$ino_a" ] && [ "$ino_a" != "$host_ino" ] && [ "$ino_a" = "$ino_a2" ]; then
		ok "two sessions of $ua at once: the same namespace ($ino_a), not the host's"
	else
		fail "two sessions of one user at once: the same namespace" "first: $ino_a second: $ino_a2 host: $host_ino"
	fi
	expect_eq "the pin /run/netns/nonet-$ua is that namespace" "$ino_a" "$(pin_ino "$pin_a")"
	expect_eq "a TCP server on 127.0.0.1:$port in one session is reached from the other" pong "$reply"
	out=$(in_session nonet-t-shared "$ub" sh -c "stat -L -c %i /proc/self/ns/net; $PY $T_ROOT/client.py $port")
	ino_b=$(printf '%s\n' "$out" | head -n1)
	if [ -n "$ino_b" ] && [ "$ino_b" != "$ino_a" ] && [ "$ino_b" != "$host_ino" ]; then
		ok "another user's shared session has a namespace of its own ($ino_b)"
	else
		fail "another user's shared session has a namespace of its own" "$ua: $ino_a $ub: $ino_b host: $host_ino"
	fi
	expect_eq "... from which 127.0.0.1:$port is refused" refused "$(printf '%s\n' "$out" | sed -n 2p)"
	expect_eq "the host's 127.0.0.1:$port is refused too" refused "$("$PY" "$T_ROOT/client.py" "$port")"
	expect_eq "the session count of $ua is 1 while one session is open" 1 "$(lock_count "$ua")"
	kill "$server"
else
	fail "a shared session runs a TCP server" "$(cat "$W/sess-a.out")"
fi
wait "$sess_a"
if [ -e "$pin_a" ] || [ -e "$pin_b" ]; then
	fail "after the last sessions closed, no pin is left" "$(ls -l /run/netns)"
else
	ok "after the last sessions of $ua and $ub closed, no pin is left"
fi
expect_eq "the session count of $ua is 0 after the close" 0 "$(lock_count "$ua")"

# --- One session alone -----------------------------------------------------
ino=$(in_session nonet-t-shared "$ua" stat -L -c %i /proc/self/ns/net)
rc=$?
if [ "$rc" = 0 ] && [ -n "$ino" ] && [ "$ino" != "$host_ino" ] && [ ! -e "$pin_a" ]; then
	ok "one session opened and closed alone: isolated, and no pin right after the close"
else
	fail "one session opened and closed alone leaves no pin" "rc=$rc ino=$ino host=$host_ino" "$(ls -l /run/netns)"
fi

# --- Many first logins at once ---------------------------------------------
n=50
[ "$NONET_TIER" = valgrind ] && n=10
rm -rf "$W/many"
mkdir -m 1777 "$W/many"
pids=()
for i in $(seq "$n"); do
	# Each session waits (up to 60 s) until all have entered, so that they
	# overlap whatever the speed of the tier.
	(
		$NONET_WRAP "$NONET" session -u "$ua" --confdir "$svc" -s nonet-t-shared -- sh -c "
			ip -j link >$W/many/link.$i
			stat -L -c %i /proc/self/ns/net >$W/many/ino.$i
			t=0
			while [ \$(ls $W/many | grep -c '^ino') -lt $n ] && [ \$t -lt 600 ]; do
				sleep 0.1; t=\$((t + 1))
			done
			sleep 1" >"$W/many/out.$i" 2>&1
		echo $? >"$W/many/rc.$i"
	) &
	pids+=($!)
done
waitall "${pids[@]}"
good=$(cat "$W"/many/rc.* 2>/dev/null | grep -cx 0)
if [ "$good" = "$n" ]; then
	ok "$n concurrent first logins of $ua: all succeed"
else
	fail "$n concurrent first logins of $ua: all succeed" "$good succeeded" \
		"$(grep -vx 0 "$W"/many/rc.*; cat "$W"/many/out.* | sort | uniq -c | head -20)"
fi
inos=$(cat "$W"/many/ino.* 2>/dev/null | sort -u)
expect_eq "$n concurrent first logins: exactly one namespace" 1 "$(printf '%s\n' "$inos" | grep -c .)"
if [ -n "$inos" ] && ! printf '%s\n' "$inos" | grep -qx "$host_ino"; then
	ok "$n concurrent first logins: not the host's namespace"
else
	fail "$n concurrent first logins: not the host's namespace" "$inos"
fi
bad=0 seen=""
for i in $(seq "$n"); do
	l=$(only_lo <"$W/many/link.$i")
	[ "$l" = lo ] || { bad=$((bad + 1)); seen="$seen $i:$l"; }
done
expect_eq "$n concurrent first logins: each session sees only lo (ip -j link)" "0" "$bad${seen:+ ($seen)}"
left=$(pgrep -U "$ua" | tr '\n' ' ')
expect_eq "... all sessions closed and their processes are gone" "" "$left"
expect_eq "... the session count of $ua is back to 0" 0 "$(lock_count "$ua")"
if [ -e "$pin_a" ]; then
	echo "# the pin survived the last close of the $n sessions (left for nonet prune)"
else
	echo "# the pin went with the last close of the $n sessions"
fi
nonet prune >/dev/null
rc=$?
expect_eq "nonet prune after the $n sessions: exit 0" 0 "$rc"
if [ ! -e "$pin_a" ] && [ "$(netns_listed "nonet-$ua")" = 0 ] && [ "$(mounts_of "nonet-$ua")" = 0 ]; then
	ok "after the $n sessions: no pin, not in ip netns list, no mount in findmnt"
else
	fail "after the $n sessions: no pin left" "$(ls -l /run/netns)" "$(ip netns list)" "$(findmnt -rn -o TARGET | grep nonet-)"
fi

# --- A process that outlives its session keeps the pin ---------------------
pidf=$W/linger.pid
rm -f "$pidf"
in_session nonet-t-shared "$ua" sh -c "setsid sleep 60 </dev/null >/dev/null 2>&1 & echo \$! >$pidf; stat -L -c %i /proc/self/ns/net >$W/linger.ino"
linger=$(cat "$pidf" 2>/dev/null)
ino=$(cat "$W/linger.ino" 2>/dev/null)
if [ -n "$linger" ] && kill -0 "$linger" 2>/dev/null; then
	expect_eq "a process left running after the close: the pin stays, on its namespace" \
		"$ino" "$(pin_ino "$pin_a")"
	expect_eq "... ip netns exec reaches it" "$ino" \
		"$(ip netns exec "nonet-$ua" stat -L -c %i /proc/self/ns/net 2>&1)"
	out=$(nonet prune)
	rc=$?
	if [ "$rc" = 0 ] && [ -e "$pin_a" ] && ! printf '%s' "$out" | grep -q "nonet-$ua"; then
		ok "nonet prune keeps the pin while the process lives"
	else
		fail "nonet prune keeps the pin while the process lives" "rc=$rc" "$out" "$(ls -l /run/netns)"
	fi
	kill "$linger"
	wait_gone "$linger"
	out=$(nonet prune)
	rc=$?
	expect_eq "nonet prune after the process ended: exit 0" 0 "$rc"
	expect_match "... says it removed /run/netns/nonet-$ua" "removed $pin_a" "$out"
	if [ ! -e "$pin_a" ] && [ "$(netns_listed "nonet-$ua")" = 0 ] && [ "$(mounts_of "nonet-$ua")" = 0 ]; then
		ok "... and the pin and its mount are gone"
	else
		fail "... and the pin and its mount are gone" "$(ls -l /run/netns)" "$(findmnt -rn -o TARGET | grep nonet-)"
	fi
	out=$(nonet prune -j)
	expect_eq "nonet prune -j with nothing to do: []" "[]" "$(printf '%s' "$out" | tr -d ' \n')"
else
	fail "a process left running after the close keeps the pin" "no process: '$linger'"
fi

# --- Foreign things at the pin path: refused, nothing joined -----------------
# refused_case DESC [prune]: the session of $ua must be refused (111),
# print no inode, leave the count alone and log why; with "prune", nonet
# prune must leave the thing alone too (run only for some cases: prune
# looks at every nonet-* pin on the machine).
refused_case() {
	local desc=$1 log=$T_ROOT/syslog-foreign.log out rc
	logged_session "$log" nonet-t-shared "$ua" stat -L -c %i /proc/self/ns/net
	rc=$?
	out=$(cat "$log.out" "$log.err")
	if [ "$rc" = 111 ] && ! printf '%s\n' "$out" | grep -qE '^[0-9]+$'; then
		ok "$desc: the session is refused (111), nothing joined"
	else
		fail "$desc: the session is refused (111)" "rc=$rc" "$out"
	fi
	expect_match "$desc: the log says why" "$pin_a is .*refusing|cannot|not isolated" "$(cat "$log")"
	expect_eq "$desc: the session count stays 0" 0 "$(lock_count "$ua")"
	[ "${2:-}" = prune ] || return 0
	out=$(nonet prune 2>"$T_ROOT/prune.err")
	expect_eq "$desc: nonet prune leaves it alone (exit 0, nothing removed)" "0 " \
		"$? $out$(grep -v '^==' "$T_ROOT/prune.err")"
	[ -e "$pin_a" ] || [ -L "$pin_a" ] || fail "$desc: nonet prune leaves it in place" "$(ls -l /run/netns)"
}
# detail_refused DESC: refused_case (without prune, 3 results) for a
# foreign thing whose refusal takes the path of another case; skipped
# under valgrind, where each session takes seconds.
detail_refused() {
	if [ "$NONET_TIER" = valgrind ]; then
		skip_n 3 "$1: refused, logged, count 0" "valgrind tier: too slow; the plain and asan tiers run it"
	else
		refused_case "$1"
	fi
}
echo "not a namespace" >"$pin_a"
refused_case "a root-owned file with content at $pin_a" prune
expect_eq "... the file is left as it was" "not a namespace" "$(cat "$pin_a")"
rm -f "$pin_a"

ln -s /proc/1/ns/net "$pin_a"
refused_case "a symlink (to the host's namespace) at $pin_a" prune
[ -L "$pin_a" ] && ok "... the symlink is left as it was" || fail "... the symlink is left as it was"
rm -f "$pin_a"

: >"$pin_a"
chown nobody "$pin_a"
detail_refused "an empty file owned by nobody at $pin_a"
rm -f "$pin_a"

echo "some file" >"$T_ROOT/bindsrc"
: >"$pin_a"
mount --bind "$T_ROOT/bindsrc" "$pin_a"
detail_refused "a bind mount of a plain file over $pin_a"
expect_eq "... the mount is left as it was" "some file" "$(cat "$pin_a")"
umount "$pin_a"
rm -f "$pin_a"

# An empty root-owned file bind-mounted over the path is a mount, not the
# leftover of an interrupted creation.
: >"$T_ROOT/emptysrc"
: >"$pin_a"
mount --bind "$T_ROOT/emptysrc" "$pin_a"
refused_case "a bind mount of an empty root-owned file over $pin_a" prune
expect_match "... logged as a foreign thing, not as a leftover to remove" \
	"$pin_a is .*refusing to use it" "$(cat "$T_ROOT/syslog-foreign.log")"
[ "$(mounts_of "$pin_a")" = 1 ] && ok "... the mount is left as it was" || fail "... the mount is left as it was" "$(findmnt -rn -o TARGET | grep nonet-)"
umount "$pin_a"
rm -f "$pin_a"

: >"$pin_a"
mount --bind /proc/self/ns/uts "$pin_a"
refused_case "a bind mount of a UTS namespace over $pin_a"
umount "$pin_a"
rm -f "$pin_a"

mkdir "$pin_a"
detail_refused "a directory at $pin_a"
rmdir "$pin_a"

# --- The leftover of an interrupted creation ------------------------------
: >"$pin_a"
out=$(in_session nonet-t-shared "$ua" stat -L -c %i /proc/self/ns/net "$pin_a")
rc=$?
ino=$(printf '%s\n' "$out" | head -n1)
if [ "$rc" = 0 ] && [ -n "$ino" ] && [ "$ino" != "$host_ino" ] &&
	[ "$(printf '%s\n' "$out" | sed -n 2p)" = "$ino" ]; then
	ok "an empty root-owned file at the pin (a leftover): the session succeeds in a real namespace pinned there"
else
	fail "a leftover at the pin is replaced by a real namespace" "rc=$rc" "$out" "host: $host_ino"
fi
[ ! -e "$pin_a" ] && ok "... and the new pin went with its session" || fail "... and the new pin went with its session" "$(ls -l /run/netns)"

# nonet prune removes such a leftover too.
: >"$pin_a"
out=$(nonet prune)
expect_match "nonet prune removes a leftover file" "removed $pin_a" "$out"
[ ! -e "$pin_a" ] && ok "... it is gone" || { fail "... it is gone"; rm -f "$pin_a"; }

# --- A pin the admin made by hand ------------------------------------------
veth=ntv$$
if ip netns add "nonet-$ua" && ip -n "nonet-$ua" link add "${veth}a" type veth peer name "${veth}b"; then
	# A process inside, so that a `nonet prune` run by anyone meanwhile
	# leaves the namespace alone (prune takes any unused nonet-*).
	ip netns exec "nonet-$ua" sleep 300 &
	holder=$!
	on_exit "kill_job $holder"
	log=$T_ROOT/syslog-hand.log
	logged_session "$log" nonet-t-shared "$ua" stat -L -c %i /proc/self/ns/net
	rc=$?
	out=$(cat "$log.out")
	expect_eq "a hand-made nonet-$ua with a veth inside: refused (111)" 111 "$rc"
	expect_match "... because it is not isolated (log)" "not isolated" "$(cat "$log")"
	expect_eq "... the pin is left alone" "$(ip netns exec "nonet-$ua" stat -L -c %i /proc/self/ns/net)" "$(pin_ino "$pin_a")"
	expect_eq "... the session count stays 0" 0 "$(lock_count "$ua")"
	ip -n "nonet-$ua" link del "${veth}a"
	ip -n "nonet-$ua" link set lo up
	want=$(ip netns exec "nonet-$ua" stat -L -c %i /proc/self/ns/net)
	got=$(in_session nonet-t-shared "$ua" stat -L -c %i /proc/self/ns/net)
	expect_eq "a hand-made nonet-$ua with only lo up: joined (the same inode as ip netns exec)" "$want" "$got"
	kill "$holder"
	wait "$holder"
else
	fail "ip netns add nonet-$ua with a veth inside"
fi
umount -l "$pin_a" 2>/dev/null
rm -f "$pin_a"

# --- ipv6 ------------------------------------------------------------------
out=$(in_session nonet-t-shared6 "$ub" ip -j addr show)
expect_match "shared $ub ipv6: lo carries ::1" '"local": ?"::1"' "$out"
expect_match "shared $ub ipv6: and 127.0.0.1" '"local": ?"127.0.0.1"' "$out"
out=$(in_session nonet-t-shared "$ub" ip -j addr show)
if printf '%s' "$out" | grep -q '"::1"'; then
	fail "shared $ub without ipv6: no ::1" "$out"
else
	ok "shared $ub without ipv6: no ::1"
fi

rm -f "$W/v6.ino"
bg_session "$W/v6.out" nonet-t-shared "$ua" sh -c "echo \$\$ >$W/v6.pid; stat -L -c %i /proc/self/ns/net >$W/v6.ino; exec sleep 60"
v6sess=$!
if wait_file "$W/v6.ino"; then
	log=$T_ROOT/syslog-v6.log
	logged_session "$log" nonet-t-shared6 "$ua" sh -c 'stat -L -c %i /proc/self/ns/net; ip -j addr show'
	rc=$?
	out=$(cat "$log.out")
	expect_eq "ipv6 mismatch: a second session asking for ipv6 joins the first's namespace" \
		"0 $(cat "$W/v6.ino")" "$rc $(printf '%s\n' "$out" | head -n1)"
	if printf '%s' "$out" | grep -q '"::1"'; then
		fail "ipv6 mismatch: the first session's settings hold (no ::1)" "$out"
	else
		ok "ipv6 mismatch: the first session's settings hold (no ::1)"
	fi
	expect_match "ipv6 mismatch: a warning says the first session's settings hold" \
		"ipv6 off.*asked for on.*first session's settings hold" "$(cat "$log")"
else
	fail "a shared session holding sleep" "$(cat "$W/v6.out")"
fi
# The session's only process: when it has been reaped, nothing is left in
# the namespace at the close.
kill "$(cat "$W/v6.pid")"
wait "$v6sess"
[ ! -e "$pin_a" ] && ok "after the ipv6 sessions, no pin is left" || fail "after the ipv6 sessions, no pin is left" "$(ls -l /run/netns)"

# --- join=NAME ------------------------------------------------------------
ns=$(make_netns exam)
peer=$(make_netns peer)
on_exit "rm -f '/run/nonet/$ns.lock' '/run/nonet/$peer.lock'" # made by any prune
# Processes inside both, so that a `nonet prune` run by anyone meanwhile
# leaves them alone (prune takes any unused nonet-*, and the veth goes with
# either end).
for n in "$ns" "$peer"; do
	ip netns exec "$n" sleep 300 &
	on_exit "kill_job $!"
done
ve=nte$$
ip link add "${ve}a" netns "$ns" type veth peer name "${ve}b" netns "$peer"
ip -n "$ns" addr add 198.51.100.1/24 dev "${ve}a"
ip -n "$ns" link set "${ve}a" up
ip -n "$ns" link set lo up
ip -n "$peer" addr add 198.51.100.2/24 dev "${ve}b"
ip -n "$peer" link set "${ve}b" up
# The comparisons below read the namespace twice (nonet, then ip): wait
# until it stops changing (the veth's carrier, IPv6 DAD's "tentative").
for _ in $(seq 100); do
	ip -n "$ns" addr show dev "${ve}a" | grep -q 'state UP' &&
		! ip -n "$ns" addr show | grep -q tentative && break
	sleep 0.1
done
if [ ! -d /etc/netns ]; then
	mkdir /etc/netns
	on_exit "rmdir /etc/netns"
fi
mkdir "/etc/netns/$ns"
on_exit "rm -rf '/etc/netns/$ns'"
echo "nameserver 198.51.100.53 # $ns" >"/etc/netns/$ns/resolv.conf"
host_resolv=$(sha256sum /etc/resolv.conf 2>&1)
pol_join=$(make_policy join "join=$ns $ua")
make_service nonet-t-join "session required $MODULE conf=$pol_join" >/dev/null
make_service nonet-t-missing "session required $MODULE conf=$(make_policy missing "join=nonet-t-missing-$$ $ua")" >/dev/null
make_service nonet-t-notns "session required $MODULE conf=$(make_policy notns "join=nonet-t-notns-$$ $ua")" >/dev/null

rm -f "$W/join.ready"
bg_session "$W/join.out" nonet-t-join "$ua" sh -c "
	stat -L -c %i /proc/self/ns/net >$W/join.ino
	ip -j link >$W/join.link
	cat /etc/resolv.conf >$W/join.resolv
	echo \$\$ >$W/join.ready
	exec sleep 60"
joinsess=$!
if wait_file "$W/join.ready"; then
	sh_pid=$(cat "$W/join.ready")
	expect_eq "join=$ns: the session is in /run/netns/$ns" "$(pin_ino "/run/netns/$ns")" "$(cat "$W/join.ino")"
	expect_match "join=$ns: the session sees the admin's veth (ip -j link)" "\"ifname\": ?\"${ve}a\"" "$(cat "$W/join.link")"
	expect_eq "join=$ns: /etc/netns/$ns/resolv.conf is the session's /etc/resolv.conf" \
		"nameserver 198.51.100.53 # $ns" "$(cat "$W/join.resolv")"
	expect_eq "join=$ns: the host's /etc/resolv.conf is unchanged" "$host_resolv" "$(sha256sum /etc/resolv.conf 2>&1)"
	out=$(nonet check --user "$ua" --conf "$pol_join" 2>&1)
	rc=$?
	expect_eq "nonet check --user $ua --conf (join=$ns): the session's processes as prescribed (exit 0)" 0 "$rc"
	expect_match "... says so" "as prescribed \(join" "$out"
	out=$(nonet check --user "$ua" --conf "$pol_join" -j)
	expect_eq "... JSON: no process not as prescribed, $sh_pid among them" "0 True" \
		"$(printf '%s' "$out" | json_get "d['not_prescribed'], any(p['pid'] == $sh_pid for n in d['namespaces'] for p in n['processes'])" | tr -d '(),')"
	# nonet show/check -n on a namespace with a veth: ip's view, not isolated.
	a=$(nonet show -n "$ns" -j)
	b=$(ip -n "$ns" -j addr show)
	expect_eq "nonet show -n $ns -j equals ip -n $ns -j addr" equal "$(json_equal "$a" "$b")"
	a=$(nonet show --netns "$ns" -j link)
	b=$(ip -n "$ns" -j link show)
	expect_eq "nonet show --netns $ns -j link equals ip -n $ns -j link" equal "$(json_equal "$a" "$b")"
	a=$(nonet show -p "$sh_pid" -j)
	b=$(nsenter -t "$sh_pid" -n ip -j addr show)
	expect_eq "nonet show -p PID -j (the join session) equals nsenter -t PID -n ip -j addr" equal "$(json_equal "$a" "$b")"
	out=$(nonet check -n "$ns")
	rc=$?
	expect_eq "nonet check -n $ns: not isolated (exit 1)" 1 "$rc"
	expect_match "... names the veth" "${ve}a" "$out"
	kill "$sh_pid"
else
	fail "a join=$ns session" "$(cat "$W/join.out")"
fi
wait "$joinsess"
expect_eq "join=$ns: the admin's namespace stays after the session" "$(ip netns exec "$ns" stat -L -c %i /proc/self/ns/net)" "$(pin_ino "/run/netns/$ns")"

log=$T_ROOT/syslog-missing.log
logged_session "$log" nonet-t-missing "$ua" stat -L -c %i /proc/self/ns/net
expect_eq "join= a namespace that does not exist: refused (111)" 111 "$?"
expect_match "... logged" "nonet-t-missing-$$" "$(cat "$log")"
notns=/run/netns/nonet-t-notns-$$
echo "plain" >"$notns"
on_exit "rm -f '$notns'"
log=$T_ROOT/syslog-notns.log
logged_session "$log" nonet-t-notns "$ua" stat -L -c %i /proc/self/ns/net
expect_eq "join= a plain file in /run/netns: refused (111)" 111 "$?"
expect_match "... logged: not a network namespace" "not a network namespace" "$(cat "$log")"
rm -f "$notns"

# --- nonet show/check -p, -u, -n on a shared session ------------------------
rm -f "$W/show.pid"
bg_session "$W/show.out" nonet-t-shared "$ua" sh -c "echo \$\$ >$W/show.pid; exec sleep 60"
showsess=$!
setpriv --reuid="$ua" --regid=nogroup --clear-groups sleep 60 &
hostproc=$!
if wait_file "$W/show.pid"; then
	spid=$(cat "$W/show.pid")
	sino=$(stat -L -c %i "/proc/$spid/ns/net")
	for i in $(seq 50); do [ "$(stat -c %u "/proc/$hostproc" 2>/dev/null)" = "$(id -u "$ua")" ] && break; sleep 0.1; done
	a=$(nonet show -p "$spid" -j)
	b=$(nsenter -t "$spid" -n ip -j addr show)
	expect_eq "nonet show -p PID -j equals nsenter -t PID -n ip -j addr" equal "$(json_equal "$a" "$b")"
	if [ "$NONET_TIER" = valgrind ]; then
		skip "nonet show --pid PID -j: the same" "valgrind tier: too slow; the plain and asan tiers run it"
	else
		a=$(nonet show --pid "$spid" -j)
		expect_eq "nonet show --pid PID -j: the same" equal "$(json_equal "$a" "$b")"
	fi
	a=$(nonet show -n "nonet-$ua" -j)
	b=$(ip -n "nonet-$ua" -j addr show)
	expect_eq "nonet show -n nonet-$ua -j equals ip -n nonet-$ua -j addr" equal "$(json_equal "$a" "$b")"
	for t in "-p $spid" "--pid $spid" "-n nonet-$ua" "--netns nonet-$ua"; do
		if [ "$NONET_TIER" = valgrind ] && [ "${t#--}" != "$t" ]; then
			skip "nonet check $t -j: isolated" "valgrind tier: too slow; the plain and asan tiers run it"
			continue
		fi
		# shellcheck disable=SC2086
		out=$(nonet check $t -j)
		rc=$?
		expect_eq "nonet check $t -j: isolated, the session's namespace (exit 0)" "0 True $sino" \
			"$rc $(printf '%s' "$out" | json_get "d['isolated'], d['netns']" | tr -d '(),')"
	done
	# -u: one entry per namespace, each with its processes.
	out=$(nonet show -u "$ua" -j)
	rc=$?
	got=$(printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted("%s:%s:%s" % (n["netns"], ",".join(str(p["pid"]) for p in n["processes"]),
                                    ",".join(l["ifname"] for l in n["links"])) for n in d)))' 2>&1)
	want=$(printf '%s\n' "$host_ino:$hostproc:HOST" "$sino:$spid:lo" | sort | tr '\n' ' ' | sed 's/ $//')
	# The host's link list is whatever it is: compare it separately.
	hostlinks=$(ip -j link show | only_lo)
	want=${want/HOST/$hostlinks}
	expect_eq "nonet show -u $ua -j: each namespace with its processes and links" "0 $want" "$rc $got"
	out=$(nonet show --user "$ua")
	expect_match "nonet show --user $ua (text) names both namespaces" "net:\[$sino\].*$spid" "$out"
	# check --user: the host-namespace process is reported.
	out=$(nonet check --user "$ua" --conf "$pol_shared")
	rc=$?
	expect_eq "nonet check --user $ua with a process in the host's namespace: exit 1" 1 "$rc"
	expect_match "... lists that process" "^ +$hostproc sleep" "$out"
	if printf '%s\n' "$out" | grep -qE "^ +$spid "; then
		fail "... and not the session's" "$out"
	else
		ok "... and not the session's"
	fi
	out=$(nonet check --user "$ua" --conf "$pol_shared" -j)
	expect_eq "nonet check --user -j: one process not as prescribed" 1 "$(printf '%s' "$out" | json_get "d['not_prescribed']")"
	kill "$hostproc"
	wait "$hostproc" 2>/dev/null
	out=$(nonet check -u "$ua" --conf "$pol_shared")
	expect_eq "nonet check -u $ua with only the session left: exit 0" "0" "$?"
	# Someone else's process, as nobody: permission.
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups $NONET_WRAP "$NONET" check -p "$spid" 2>&1)
	rc=$?
	expect_eq "nonet check -p PID as nobody on $ua's process: exit 2" 2 "$rc"
	expect_match "... with a message about permission" "[Pp]ermission" "$out"
	kill "$spid"
else
	fail "a shared session for show/check" "$(cat "$W/show.out")"
fi
wait "$showsess"
[ ! -e "$pin_a" ] && ok "after the show/check session, no pin is left" || fail "after the show/check session, no pin is left" "$(ls -l /run/netns)"
