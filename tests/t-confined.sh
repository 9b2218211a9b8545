#!/bin/bash
# Confined tier: a caller confined as in a system container.  Without
# CAP_NET_ADMIN (a container sharing the host's network) the module says so
# in one line before trying, and `nonet check` explains it; with only a
# read-only /proc/sys (nspawn, Docker, LXC's proc:mixed) the session still
# gets exactly lo, UP, 127.0.0.1/8 and ::1 only with `ipv6`.  Oracles: the
# captured syslog lines, and `ip -j addr` and the sysctl read inside the
# session.  The read-only /proc/sys is a read-only bind in a private mount
# namespace; the missing capability is capsh --drop (the bounding set).
. "$(dirname "$0")/lib.sh"
plan 17

user=nobody
conf=$(make_service nonet-t-conf "session required $MODULE conf=$T_POLICY_ALL")
make_service nonet-t-conf6 \
	"session required $MODULE conf=$T_POLICY_ALL ipv6" >/dev/null
log=$T_ROOT/syslog
outf=$T_ROOT/stdout
errf=$T_ROOT/stderr

# --- (a) no CAP_NET_ADMIN: one line, before trying -------------------------
cmd="$NONET_WRAP '$NONET' session -u $user --confdir '$conf' -s nonet-t-conf -- echo ran"
with_devlog "$log" capsh --drop=cap_net_admin -- -c "$cmd" >"$outf" 2>"$errf"
expect_eq "without CAP_NET_ADMIN the session is refused (111)" 111 "$?"
want="pam_nonet(nonet-t-conf:session): cannot isolate the session of $user: the calling process lacks CAP_NET_ADMIN (a container that shares the host's network, or a capability-bounded service)"
expect_eq "... with exactly one line naming the cause" 1 \
	"$(grep -cF -- "$want" "$log")"
if grep -q 'cannot add\|cannot bring\|cannot disable' "$log"; then
	fail "... logged before trying: no failed set-up step" "$(cat "$log")"
else
	ok "... logged before trying: no failed set-up step"
fi
expect_eq "... and the command did not run" "" "$(cat "$outf")"

# `nonet check` where no process can get CAP_NET_ADMIN: one more reason.
out=$(capsh --drop=cap_net_admin -- -c "$NONET_WRAP '$NONET' check" 2>&1)
expect_eq "check without CAP_NET_ADMIN: exit 1 (not isolated)" 1 "$?"
expect_match "... and a reason says isolation cannot be set up here, and why" \
	'^isolation cannot be set up here: no process here can have CAP_NET_ADMIN' "$out"
out=$("$NONET" check 2>&1)
if printf '%s\n' "$out" | grep -q 'cannot be set up'; then
	fail "control: with CAP_NET_ADMIN, check gives no such reason" "$out"
else
	ok "control: with CAP_NET_ADMIN, check gives no such reason"
fi
# An isolated namespace stays isolated: the verdict's meaning is unchanged.
ns=$(make_netns conf) || { fail "make namespace"; exit 1; }
on_exit "ip netns delete '$ns'"
ip -n "$ns" link set lo up
out=$(ip netns exec "$ns" capsh --drop=cap_net_admin -- \
	-c "$NONET_WRAP '$NONET' check" 2>&1)
expect_eq "check of an isolated namespace without CAP_NET_ADMIN: isolated" \
	isolated "$out"

# --- (b) a read-only /proc/sys ----------------------------------------------
# ro_session SERVICE: `nonet session` in a mount namespace whose /proc/sys
# is read-only (checked: a write there fails); the session prints `ip -j
# addr` and lo's disable_ipv6.  $NONET_WRAP is split on purpose.
ro_session() {
	with_devlog "$log" unshare -m --propagation private bash -c '
		mount --bind /proc/sys /proc/sys &&
			mount -o remount,bind,ro /proc/sys || exit 97
		if echo 0 2>/dev/null >/proc/sys/net/ipv6/conf/all/disable_ipv6
		then
			exit 98
		fi
		"$@"' ro $NONET_WRAP "$NONET" session -u "$user" \
		--confdir "$conf" -s "$1" -- sh -c \
		'ip -j addr; cat /proc/sys/net/ipv6/conf/lo/disable_ipv6' \
		>"$outf" 2>"$errf"
}
# The links ip -j shows ("lo:UP"), then the addresses ("lo:ADDR/LEN").
IP_ADDRS='
import json, sys
links = json.loads(sys.stdin.readline())
print(" ".join(l["ifname"] + (":UP" if "UP" in l["flags"] else "")
               for l in links))
print(" ".join("%s:%s/%d" % (l["ifname"], a["local"], a["prefixlen"])
               for l in links for a in l.get("addr_info", [])))
'

ro_session nonet-t-conf
expect_eq "read-only /proc/sys, ipv6 off: the session opens" 0 "$?"
seen=$(head -1 "$outf" | python3 -c "$IP_ADDRS" 2>&1)
expect_eq "... ip -j addr: only lo, up, with only 127.0.0.1/8" \
	"lo:UP
lo:127.0.0.1/8" "$seen"
expect_eq "... IPv6 stayed enabled (the sysctl was not written)" 0 \
	"$(sed -n 2p "$outf")"
expect_match "... the log says ::1 was removed instead" \
	"/proc/sys is read-only: IPv6 stays enabled in the network namespace for $user, ::1 is removed from lo instead" \
	"$(cat "$log")"
expect_match "... and the session is isolated with ipv6=off" \
	"isolated the session of $user: .* ipv6=off" "$(cat "$log")"

ro_session nonet-t-conf6
expect_eq "read-only /proc/sys, ipv6: the session opens" 0 "$?"
seen=$(head -1 "$outf" | python3 -c "$IP_ADDRS" 2>&1)
expect_eq "... ip -j addr: only lo, up, with 127.0.0.1/8 and ::1/128" \
	"lo:UP
lo:127.0.0.1/8 lo:::1/128" "$seen"
if grep -q 'read-only' "$log"; then
	fail "... no notice: nothing to work around" "$(cat "$log")"
else
	ok "... no notice: nothing to work around"
fi
expect_match "... and the session is isolated with ipv6=on" \
	"isolated the session of $user: .* ipv6=on" "$(cat "$log")"
