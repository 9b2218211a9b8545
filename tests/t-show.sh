#!/bin/bash
# t-show.sh: `nonet show` against iproute2 itself, in namespaces built with
# `ip`.  Text must be byte-for-byte `ip addr show` / `ip link show`; JSON
# must decode to what `ip -j` decodes to (ours strictly, ip's leniently:
# ip writes control bytes raw), and `-j -p` must keep ip's layout.
. "$(dirname "$0")/lib.sh"
plan 34

# The JSON comparison: decoded equality, then the bytes, once ip's raw
# control bytes are written as \u00XX like ours.  Bytes that are not UTF-8
# (a name may hold any) are carried through with surrogateescape.
JSON_CMP='
import json, re, sys
ip, ours = (open(f, "rb").read() for f in sys.argv[1:3])
def load(b, strict):
    return json.loads(b.decode("utf-8", "surrogateescape"), strict=strict)
try:
    mine = load(ours, True)
except ValueError as e:
    sys.exit("nonet JSON is not valid: %s" % e)
if load(ip, False) != mine:
    sys.exit("decoded JSON differs")
fixed = re.sub(rb"[\x00-\x09\x0b-\x1f]", lambda m: b"\\u%04x" % m.group()[0], ip)
if fixed != ours:
    sys.exit("JSON decodes equal but its bytes differ from ip'"'"'s")
'

# same KIND IPFILE: whether nonet.out matches IPFILE (text: the bytes; json:
# see JSON_CMP); the reason in $T_ROOT/why when not.
same() {
	if [ "$1" = text ]; then
		diff -a "$2" "$T_ROOT/nonet.out" >"$T_ROOT/why"
	else
		python3 -c "$JSON_CMP" "$2" "$T_ROOT/nonet.out" >"$T_ROOT/why" 2>&1 ||
			{ diff -a "$2" "$T_ROOT/nonet.out" >>"$T_ROOT/why"; false; }
	fi
}

# nonet show prints what iproute2 6.4 and later print (nonet(8)): the
# address protocol (IFA_PROTO) as " proto kernel_lo " and "protocol".  An
# older ip (Debian 12's 6.1) omits it; there, that one documented
# difference is taken out of nonet's output before comparing, nothing else.
if ip address help 2>&1 | grep -q ADDRPROTO; then
	IP_PROTO=yes
else
	IP_PROTO=no
fi
STRIP_PROTO='
import re, sys
f = sys.argv[1]
b = open(f, "rb").read()
b = re.sub(rb"\"protocol\": ?\"(kernel_lo|kernel_ra|kernel_ll|unspec|0x[0-9a-f]+)\",(\n *)?", b"", b)
open(f, "wb").write(b)
'
strip_proto() {
	if [ "$1" = text ]; then
		sed -Ei '/^    inet6? /s/ proto (kernel_lo|kernel_ra|kernel_ll|0x[0-9a-f]+) / /' \
			"$T_ROOT/nonet.out"
	else
		python3 -c "$STRIP_PROTO" "$T_ROOT/nonet.out"
	fi
}

# compare DESC NS KIND "IP ARGS" "NONET SHOW ARGS": ip -n NS IP ARGS against
# nonet show NONET SHOW ARGS run inside NS (both word-split).  Finite address
# lifetimes tick every second, and nonet may run slowly (valgrind): ip runs
# before and after nonet, either may match, and a mismatch is retried.
compare() {
	local desc=$1 ns=$2 kind=$3 ipargs=$4 args=$5 try
	for try in 1 2 3 4 5; do
		# ip warns on stderr about pins being made by other tests meanwhile.
		ip -n "$ns" $ipargs >"$T_ROOT/ip1.out" 2>"$T_ROOT/ip.err"
		if ! ip netns exec "$ns" $NONET_WRAP "$NONET" show $args \
			>"$T_ROOT/nonet.out" 2>"$T_ROOT/nonet.err"; then
			fail "$desc" "nonet failed: $(cat "$T_ROOT/nonet.err")"
			return
		fi
		ip -n "$ns" $ipargs >"$T_ROOT/ip2.out" 2>"$T_ROOT/ip.err"
		[ "$IP_PROTO" = yes ] || strip_proto "$kind"
		if same "$kind" "$T_ROOT/ip2.out" || same "$kind" "$T_ROOT/ip1.out"; then
			ok "$desc"
			return
		fi
	done
	fail "$desc" "ip $ipargs" "$(cat "$T_ROOT/why")"
}

# detail CHECK DESC ARG...: a case whose code path another case already
# takes (every format runs under valgrind on the namespace with many
# links); skipped under valgrind, where each nonet call takes seconds.
detail() {
	if [ "$NONET_TIER" = valgrind ]; then
		skip "$2" "valgrind tier: too slow; the plain and asan tiers run it"
	else
		"$@"
	fi
}

# every_format LABEL NS [KEEP]: the text and JSON forms of addr and link.
# Under valgrind only the forms named in KEEP run (all: every form).
every_format() {
	local label=$1 ns=$2 keep=${3:-all} args name kind ipargs nargs
	local -a forms=(
		"show|text|addr show|"
		"show link|text|link show|link"
		"show -j|json|-j addr show|-j"
		"show addr -j -p|json|-j -p addr show|addr -j -p"
		"show link -j|json|-j link show|link -j"
		"show link -j -p|json|-j -p link show|link -j -p"
	)
	for args in "${forms[@]}"; do
		IFS='|' read -r name kind ipargs nargs <<<"$args"
		if [ "$keep" = all ] || [[ "|$keep|" == *"|$name|"* ]]; then
			compare "$label: $name" "$ns" "$kind" "$ipargs" "$nargs"
		else
			detail compare "$label: $name" "$ns" "$kind" "$ipargs" "$nargs"
		fi
	done
}

# make_netns runs in a $(...) subshell here, where its on_exit is lost:
# the removal is registered again in this shell.
for v in A B C; do
	ns=$(make_netns "show-$v") || { fail "make namespace $v"; exit 1; }
	on_exit "ip netns delete '$ns'"
	printf -v "$v" %s "$ns"
done

# 1. A fresh namespace: lo down, no address.
# Under valgrind: the forms of an empty address list (text and JSON).
every_format "fresh namespace" "$A" "show|show -j"

# 2. lo up: 127.0.0.1/8 and ::1 with their trailing "scope host ".
ip -n "$A" link set lo up
# Under valgrind the namespace with many links (lo up there too) covers it.
every_format "lo up" "$A" none

# The kernel (6.3 and later) marks the ::1 it adds when lo goes up with
# IFA_PROTO kernel_lo; nonet shows it whichever ip is installed.
kernel=$(uname -r)
major=${kernel%%.*} minor=${kernel#*.} minor=${minor%%[!0-9]*}
if [ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 3 ]; }; then
	got=$(ip netns exec "$A" $NONET_WRAP "$NONET" show 2>&1)
	expect_match "lo up: ::1 shown with proto kernel_lo (IFA_PROTO)" \
		'inet6 ::1/128 scope host proto kernel_lo ' "$got"
	got=$(ip netns exec "$A" $NONET_WRAP "$NONET" show -j 2>&1)
	expect_match "lo up: ::1 has \"protocol\":\"kernel_lo\" in JSON" \
		'"local":"::1","prefixlen":128,"scope":"host","protocol":"kernel_lo"' "$got"
else
	skip "lo up: ::1 shown with proto kernel_lo" "kernel $kernel sends no IFA_PROTO (6.3+)"
	skip "lo up: ::1 has \"protocol\" in JSON" "kernel $kernel sends no IFA_PROTO (6.3+)"
fi

# 3. Everything this kernel can make, with hostile names.
# An unnamed namespace (held by a process) shows as "link-netnsid N".
netns_holder 600
HOLDER=$T_HOLDER
ctrl=$(printf 'c\001d') notutf8=$(printf 'h\377i')
build_a() {
	ip -n "$A" link add v0 type veth peer name v1 &&
	ip -n "$A" link add br0 type bridge &&
	ip -n "$A" link set v1 master br0 &&
	ip -n "$A" link set br0 up &&
	ip -n "$A" link set v0 up &&
	ip -n "$A" link property add dev v0 altname a-long-alternative-name &&
	ip -n "$A" link property add dev br0 $(printf 'altname br0-alt-%s ' $(seq 12)) &&
	ip -n "$A" addr add 10.1.0.1/24 brd + dev v0 label v0:foo &&
	ip -n "$A" addr add 10.1.0.2/24 dev v0 &&
	ip -n "$A" addr add 10.0.0.5 peer 10.0.0.6/32 dev v0 &&
	ip -n "$A" addr add 10.7.0.1/16 dev v0 scope link &&
	ip -n "$A" addr add 2001:db8::1/64 dev v0 nodad noprefixroute &&
	ip -n "$A" addr add 2001:db8:1::1/64 dev v0 valid_lft 3000 preferred_lft 2000 &&
	ip -n "$A" link add p0 type veth peer name p1 &&
	ip -n "$A" link set p1 netns "$HOLDER" &&
	ip -n "$A" link add ifb0 type ifb &&
	ip -n "$A" link set ifb0 group 5 &&
	ip -n "$A" tuntap add tun0 mode tun &&
	ip -n "$A" link set tun0 up &&
	ip -n "$A" tuntap add tap0 mode tap &&
	ip -n "$A" link set tap0 mtu 9000 txqueuelen 0 promisc on &&
	ip -n "$A" addr add fe80::1/64 dev tap0 home mngtmpaddr &&
	ip -n "$A" addr add 2001:db8:2::1/64 dev tap0 nodad valid_lft 100 preferred_lft 0 &&
	ip -n "$A" link add vx0 type vxlan id 42 dstport 4789 dev v0 &&
	ip -n "$A" link set vx0 protodown on &&
	ip -n "$A" link add "a\"b'c\\d" type veth peer name "é€x" &&
	ip -n "$A" link add "$ctrl" type ifb &&
	ip -n "$A" link add "$notutf8" type ifb
}
# Addresses with a protocol of their own: iproute2 6.4+ can add them.
build_proto() {
	[ "$IP_PROTO" = no ] ||
		{ ip -n "$A" addr add 10.9.0.1/24 dev v0 proto 0x12 &&
		  ip -n "$A" addr add 2001:db8:9::1/64 dev v0 proto kernel_ra nodad; }
}
if out=$(build_a 2>&1 && build_proto 2>&1); then
	ok "namespace with veth, bridge, ifb, tun, tap, vxlan built"
	every_format "many links" "$A"
	expect_eq "show -j: all 12 altnames of br0, as ip -j shows them" \
		"$(ip -n "$A" -j link show dev br0 | json_get "d[0]['altnames']")" \
		"$(ip netns exec "$A" $NONET_WRAP "$NONET" show link -j | json_get "[l for l in d if l['ifname'] == 'br0'][0].get('altnames')")"
else
	fail "namespace with veth, bridge, ifb, tun, tap, vxlan built" "$out"
fi

# 4. A peer in a named namespace: ip prints "link-netns NAME", a name the
# table does not carry (nonet prints "link-netnsid N"); JSON is the same.
ip -n "$B" link add n0 type veth peer name n1 netns "$C" 2>/dev/null
detail compare "peer in a named namespace: show -j" "$B" json "-j addr show" "-j"
compare "peer in a named namespace: show link -j -p" "$B" json \
	"-j -p link show" "link --pretty --json"

# 5. 200 links with 20 addresses each (one batch), in a namespace of its own.
big=$(make_netns show-big) || { fail "make namespace big"; exit 1; }
on_exit "ip netns delete '$big'"
for l in $(seq 200); do
	echo "link add b$l type ifb"
	echo "link set b$l up"
	for a in $(seq 20); do echo "addr add 10.$((l / 200)).$((l % 200)).$a/24 dev b$l"; done
done >"$T_ROOT/big.batch"
if ip -n "$big" -batch "$T_ROOT/big.batch" >"$T_ROOT/big.log" 2>&1; then
	# Under valgrind: one dump of many parts of each kind (addr, link).
	every_format "200 links x 20 addresses" "$big" "show|show link -j -p"
else
	fail "200 links with 20 addresses each built" "$(head -5 "$T_ROOT/big.log")"
fi

# 6. An unprivileged user inside the namespace reads the same table.
want=$(ip -n "$A" link show)
got=$(ip netns exec "$A" setpriv --reuid=nobody --regid=nogroup \
	--clear-groups $NONET_WRAP "$NONET" show link 2>&1)
expect_eq "user nobody: show link equals ip link show" "$want" "$got"
got=$(ip netns exec "$A" setpriv --reuid=nobody --regid=nogroup \
	--clear-groups $NONET_WRAP "$NONET" show -j 2>&1) &&
	printf '%s\n' "$got" | python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8","surrogateescape"))' 2>/dev/null
if [ $? = 0 ]; then ok "user nobody: show -j is valid JSON"; else fail "user nobody: show -j is valid JSON" "$got"; fi

# 7. Option spellings.
compare "show -J addr" "$A" json "-j addr show" "-J addr"
check_fails "show with an unknown object fails" \
	ip netns exec "$A" "$NONET" show route
