#!/bin/bash
# Escape tier: an unprivileged user inside a private session tries to get
# back to the host's network: setns into a host process's namespace
# (directly and from a user namespace of its own), a TCP listener on the
# host's 127.0.0.1, a host abstract UNIX socket.  Each attempt has a
# control that shows the same thing works from outside the session, so a
# refusal means isolation, not a broken probe.  The oracles are the kernel's
# own: /proc/PID/ns/net inodes, `ip -j`, and connect(2)'s errno.
. "$(dirname "$0")/lib.sh"
plan 20

user=nobody
group=$(id -gn "$user")
uid=$(id -u "$user")
host_ino=$(host_netns_inode)
conf=$(make_service nonet-t-escape "session required $MODULE conf=$T_POLICY_ALL")
abstract="nonet-test-$$"

in_session() { # CMD...: as $user inside a fresh private session
	nonet session -u "$user" --confdir "$conf" -s nonet-t-escape -- "$@"
}
as_user() { # CMD...: as $user in the host namespace
	setpriv --reuid="$user" --regid="$group" --clear-groups "$@"
}

# Waits until PID runs COMM as uid $uid (setpriv has switched and exec'd).
wait_user_proc() { # PID COMM
	local _
	for _ in $(seq 200); do
		if [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] &&
		   [ "$(awk '/^Uid:/ {print $2}' "/proc/$1/status" 2>/dev/null)" = "$uid" ]; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# --- a process of the same user in the host namespace ---------------------
setpriv --reuid="$user" --regid="$group" --clear-groups sleep 300 &
pid=$!
on_exit "kill $pid; wait $pid"
if ! wait_user_proc "$pid" sleep; then
	fail "a host process of $user is running" "pid $pid: $(cat /proc/$pid/status 2>&1 | head -9)"
	exit 1
fi
expect_eq "control: the $user process (pid $pid) is in the host namespace" \
	"$host_ino" "$(stat -L -c %i "/proc/$pid/ns/net")"

# --- (d) the session's own namespace ---------------------------------------
out=$(in_session sh -c '
	stat -L -c %i /proc/self/ns/net
	[ -e /proc/sys/net/core/netdev_max_backlog ] && echo init-sysctls || echo no-init-sysctls
	ip -j addr show')
rc=$?
expect_eq "a session opens (exit status of its command)" 0 "$rc"
sess_ino=$(printf '%s\n' "$out" | sed -n 1p)
if [ -n "$sess_ino" ] && [ "$sess_ino" != "$host_ino" ]; then
	ok "/proc/self/ns/net in the session ($sess_ino) is not the host's ($host_ino)"
else
	fail "/proc/self/ns/net in the session is not the host's" \
		"session: '$sess_ino' host: '$host_ino'"
fi
expect_eq "the session lacks the sysctls only the initial namespace has" \
	no-init-sysctls "$(printf '%s\n' "$out" | sed -n 2p)"
got=$(printf '%s\n' "$out" | sed -n '3,$p' | python3 -c '
import json, sys
links = json.load(sys.stdin)
print(" ".join("%s:%s" % (l["ifname"], ",".join(
    "%s/%d" % (a["local"], a["prefixlen"]) for a in l.get("addr_info", [])))
    for l in links))' 2>&1)
expect_eq "ip -j addr in the session: only lo, with 127.0.0.1/8 only" \
	"lo:127.0.0.1/8" "$got"

# --- (a) setns into the host namespace -------------------------------------
out=$(nsenter --net="/proc/$pid/ns/net" stat -L -c %i /proc/self/ns/net 2>&1)
expect_eq "control: root outside the session can nsenter the $user process's namespace" \
	"$host_ino" "$out"
out=$(as_user nsenter --net="/proc/$pid/ns/net" true 2>&1)
expect_match "control: $user outside the session cannot either (no CAP_SYS_ADMIN)" \
	"Operation not permitted" "$out"

out=$(in_session sh -c '
	stat -L -c %i "/proc/$1/ns/net" || exit 3
	nsenter --net="/proc/$1/ns/net" true 2>&1 && exit 0
	exit 1' sh "$pid")
rc=$?
expect_eq "the session can see the host process's namespace file" \
	"$host_ino" "$(printf '%s\n' "$out" | sed -n 1p)"
expect_eq "in the session, nsenter --net=/proc/$pid/ns/net fails" 1 "$rc"
expect_match "... with EPERM (not some other failure of the probe)" \
	"Operation not permitted" "$out"

out=$(in_session sh -c 'nsenter -t "$1" -n true 2>&1 && exit 0; exit 1' sh "$pid")
expect_eq "in the session, nsenter -t $pid -n fails" 1 "$?"

# --- (b) a user namespace of its own ---------------------------------------
uns=$(in_session unshare -Urn true 2>&1)
if [ $? != 0 ]; then
	for d in "unshare -Urn: nsenter into the host still fails" \
		 "unshare -Urn gives another namespace" \
		 "unshare -Urn gives an empty namespace"; do
		skip "$d" "unshare -Urn fails for $user here: $uns"
	done
else
	out=$(in_session unshare -Urn sh -c \
		'nsenter --net="/proc/$1/ns/net" true 2>&1 && exit 0; exit 1' sh "$pid")
	rc=$?
	expect_eq "unshare -Urn: nsenter into the host still fails" 1 "$rc"
	# Refused at open(2) (EACCES: the ptrace check against an ancestor
	# user namespace) or at setns(2) (EPERM); either is a permission error.
	expect_match "... refused for lack of permission" \
		"Operation not permitted|Permission denied" "$out"

	out=$(in_session sh -c '
		stat -L -c %i /proc/self/ns/net
		unshare -Urn sh -c "stat -L -c %i /proc/self/ns/net; ip -j addr show"')
	outer=$(printf '%s\n' "$out" | sed -n 1p)
	inner=$(printf '%s\n' "$out" | sed -n 2p)
	if [ -n "$inner" ] && [ "$inner" != "$host_ino" ] && [ "$inner" != "$outer" ]; then
		ok "unshare -Urn gives another namespace ($inner; session $outer, host $host_ino)"
	else
		fail "unshare -Urn gives another namespace" \
			"inner '$inner' session '$outer' host '$host_ino'"
	fi
	got=$(printf '%s\n' "$out" | sed -n '3,$p' | python3 -c '
import json, sys
links = json.load(sys.stdin)
print(" ".join("%s:%s:%d" % (l["ifname"], "UP" if "UP" in l["flags"] else "DOWN",
    len(l.get("addr_info", []))) for l in links))' 2>&1)
	expect_eq "unshare -Urn gives an empty namespace (only lo, down, no address)" \
		"lo:DOWN:0" "$got"
fi

# --- (c) host listeners on loopback ---------------------------------------
# One python3 process listens on a free port of the host's 127.0.0.1 and on
# the abstract UNIX socket @$abstract, and accepts (and drops) connections.
portfile=$T_ROOT/port
python3 -c '
import os, select, socket, sys
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.bind(("127.0.0.1", 0))
t.listen(16)
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.bind("\0" + sys.argv[2])
u.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % t.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    for s in select.select([t, u], [], [])[0]:
        s.accept()[0].close()
' "$portfile" "$abstract" &
lpid=$!
on_exit "kill $lpid; wait $lpid"
for _ in $(seq 200); do [ -s "$portfile" ] && break; sleep 0.05; done
port=$(cat "$portfile" 2>/dev/null)

# The probe: prints "connected" or connect(2)'s errno name.
probe=$T_ROOT/probe.py
cat >"$probe" <<'EOF'
import errno, socket, sys
kind, where = sys.argv[1], sys.argv[2]
if kind == "tcp":
    s, addr = socket.socket(socket.AF_INET, socket.SOCK_STREAM), ("127.0.0.1", int(where))
else:
    s, addr = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM), "\0" + where
s.settimeout(10)
try:
    s.connect(addr)
    print("connected")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))
EOF
chmod 0644 "$probe"

if [ -z "$port" ]; then
	fail "a host TCP listener on 127.0.0.1 is running" "no port in $portfile"
else
	expect_eq "control: $user on the host reaches 127.0.0.1:$port" connected \
		"$(as_user /usr/bin/python3 "$probe" tcp "$port" 2>&1)"
	expect_eq "the session cannot reach the host's 127.0.0.1:$port (refused)" \
		ECONNREFUSED "$(in_session /usr/bin/python3 "$probe" tcp "$port" 2>&1)"
	expect_eq "control: $user on the host reaches the abstract socket @$abstract" \
		connected "$(as_user /usr/bin/python3 "$probe" unix "$abstract" 2>&1)"
	expect_eq "the session cannot reach the host's abstract socket @$abstract" \
		ECONNREFUSED "$(in_session /usr/bin/python3 "$probe" unix "$abstract" 2>&1)"
	# The listener was alive all along: the refusals were not its death.
	expect_eq "control: still reachable from the host afterwards" connected \
		"$(as_user /usr/bin/python3 "$probe" tcp "$port" 2>&1)"
fi
