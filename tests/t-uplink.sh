#!/bin/bash
# nonet uplink up|down|show in a namespace the test makes (lab, entered with
# nsenter: `ip netns exec` would hide the pin in a mount namespace).  The
# oracles: nft -j in lab for the table, the pin's inode against lab's,
# /proc/sys in lab for forwarding, ip -j for the links, the files under
# /run/nonet/uplinks.  A lease is taken with the library (nonet-t-lease),
# as the module takes one, without a session.
. "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || skip_all_strict "no nft (make deps installs nftables)"
LEASE=$NONET_BUILD/helpers/nonet-t-lease
[ -x "$LEASE" ] || skip_all_strict "no $LEASE (make test-libs builds it)"
plan 47

U=u$(($$ % 1000000)) # [a-z][a-z0-9]{0,7}, room for one more letter
DIR=/run/nonet/uplinks/$U
lab=$(make_netns lab)
in_lab() { nsenter --net=/run/netns/"$lab" "$@"; }
lab_nonet() { in_lab $NONET_WRAP "$NONET" "$@"; }
# Whatever a failed test left: the uplink (its pin keeps lab alive), a
# table made by hand.
on_exit "in_lab nft delete table inet nonet_$U"
on_exit "umount -l '$DIR/netns'; rm -rf '$DIR'"
on_exit "in_lab '$NONET' uplink down --force $U"
fwd4=/proc/sys/net/ipv4/ip_forward fwd6=/proc/sys/net/ipv6/conf/all/forwarding
host_fwd=$(cat $fwd4)
lab_fwd() { in_lab cat $fwd4 $fwd6 | tr '\n' ' '; }
# nothing_left: no table, directory, pin mount, link n$U-* in lab.
nothing_left() {
	local what=
	in_lab nft list table inet nonet_$U >/dev/null 2>&1 && what+="table "
	[ -e "$DIR" ] && what+="directory "
	grep -q " $DIR/netns " /proc/self/mountinfo && what+="pin-mount "
	in_lab ip -j link | grep -q "\"n$U-" && what+="link "
	echo "${what:-nothing}"
}

# --- refusals before anything is made ------------------------------------------
out=$(lab_nonet uplink up $U 198.18.0.2/24 2>&1)
expect_eq "a bad ALLOW word is refused, naming it and why" \
	"nonet: uplink up: ALLOW '198.18.0.2/24': the address has bits set past its prefix" "$out"
out=$(lab_nonet uplink up $U 198.18.0.2:http 2>&1)
expect_eq "a port that is not a number is refused" \
	"nonet: uplink up: ALLOW '198.18.0.2:http': the port is not 1 to 65535" "$out"
out=$(lab_nonet uplink up $U 0.0.0.0/0 2>&1)
expect_match "an ALLOW of every address is refused" "a /0 prefix allows every address" "$out"
out=$(lab_nonet uplink up Bad-Name 198.18.0.2 2>&1)
expect_match "a bad uplink name is refused" "'Bad-Name' is not an uplink name" "$out"
expect_eq "the refusals left nothing" "nothing" "$(nothing_left)"

# --- up ------------------------------------------------------------------------------
expect_eq "lab starts with forwarding off" "0 0 " "$(lab_fwd)"
check "uplink up builds the uplink" \
	lab_nonet uplink up $U 198.18.0.2:8080/tcp '[2001:db8::2]:8080' 198.18.0.3
table=$(in_lab nft -j list table inet nonet_$U 2>&1)
got=$(printf '%s' "$table" | python3 -c '
import json, sys
items = json.load(sys.stdin)["nftables"]
sets = sorted(i["set"]["name"] for i in items if "set" in i)
maps = sorted(i["map"]["name"] for i in items if "map" in i)
chains = sorted(i["chain"]["name"] + ("@" + i["chain"]["hook"] if "hook" in i["chain"] else "") for i in items if "chain" in i)
print(sets, maps, chains)' 2>&1)
expect_eq "the table has the links set, the blocked map and its chains" \
	"['links'] ['blocked'] ['forward@forward', 'from_session', 'input@input', 'output@output', 'postrouting@postrouting']" "$got"
allowed=$(printf '%s' "$table" | python3 -c '
import json, sys
out = []
for i in json.load(sys.stdin)["nftables"]:
    r = i.get("rule")
    if not r or r["chain"] != "from_session" or "accept" not in r["expr"][-1]:
        continue
    words = []
    for e in r["expr"]:
        m = e.get("match")
        if m:
            left = m["left"].get("payload", m["left"].get("meta", m["left"].get("ct", {})))
            right = m["right"]
            words.append("%s=%s" % (left.get("field", left.get("key")), right if not isinstance(right, list) else ",".join(right)))
    out.append(" ".join(words))
print("; ".join(out))' 2>&1)
expect_eq "from_session accepts replies and exactly the ALLOW list" \
	"state=established,related; daddr=198.18.0.2 dport=8080; daddr=2001:db8::2 l4proto={'set': ['tcp', 'udp']} dport=8080; daddr=198.18.0.3" \
	"$allowed"
expect_eq "the pin is lab's namespace" "$(stat -L -c %i /run/netns/"$lab")" \
	"$(stat -L -c %i "$DIR/netns" 2>&1)"
expect_eq "the conf records the allow-list, pools and forwarding found" \
	"allow 198.18.0.2:8080/tcp|allow [2001:db8::2]:8080|allow 198.18.0.3|pool4 100.127.0.0/16|pool6 fd6e:6f6e:6574::/64|nat yes|forward 0|forward6 0" \
	"$(grep -E '^(allow|pool|nat|forward)' "$DIR/conf" | paste -sd'|')"
expect_eq "forwarding is on in lab (IPv4 and IPv6)" "1 1 " "$(lab_fwd)"
expect_eq "the host's forwarding is untouched" "$host_fwd" "$(cat $fwd4)"
out=$(nonet uplink show $U 2>&1)
expect_match "show names the uplink, its namespace and leases" \
	"^uplink $U: namespace net:\[$(stat -L -c %i /run/netns/"$lab")\], leases 0 of 32768$" "$out"
expect_match "show gives the allow-list in canonical form" \
	"^  allow 198.18.0.2:8080/tcp \[2001:db8::2\]:8080 198.18.0.3$" "$out"
got=$(nonet uplink show -J $U | json_get 'd["uplinks"][0]["name"], d["uplinks"][0]["allow"], d["uplinks"][0]["pool"], d["uplinks"][0]["nat"], d["uplinks"][0]["forward_was"], d["uplinks"][0]["leases"]' 2>&1)
expect_eq "show -J says the same" \
	"('$U', ['198.18.0.2:8080/tcp', '[2001:db8::2]:8080', '198.18.0.3'], '100.127.0.0/16', True, 0, [])" "$got"
expect_match "uplink show without names lists it" "^uplink $U:" "$(nonet uplink show 2>&1)"
expect_eq "... pinned here (a mount at the pin in this mount namespace): pinned_here true" \
	"1 True" "$(grep -c " $DIR/netns " /proc/self/mountinfo) $(nonet uplink show -J $U | json_get 'd["uplinks"][0]["pinned_here"]')"
out=$(lab_nonet uplink up $U 198.18.0.9 2>&1)
rc=$?
expect_match "up twice is refused" "^nonet: uplink up: uplink $U is up already" "$out (rc=$rc)"
expect_eq "... and the first one is intact" "1 1 |['links']" \
	"$(lab_fwd)|$(in_lab nft -j list sets table inet nonet_$U | json_get '[s["set"]["name"] for s in d["nftables"] if "set" in s]')"

# --- a lease blocks down, --force ends it ------------------------------------------
lease=$("$LEASE" $U rec-$$ 2>&1)
expect_eq "a lease taken with the library gets index 0 and its link name" "0 n$U-0" "$lease"
in_lab ip link add n$U-0 type veth peer name x$$
expect_eq "its link is in the table's links set" "['n$U-0']" \
	"$(in_lab nft -j list set inet nonet_$U links | json_get '[s["set"].get("elem") for s in d["nftables"] if "set" in s][0]')"
got=$(nonet uplink show -J $U | json_get '[(l["index"], l["link"], l["host"], l["address"], l["host6"], l["session"], l["blocked"]) for l in d["uplinks"][0]["leases"]]' 2>&1)
expect_eq "show -J lists the lease: link, addresses, session, 0 blocked" \
	"[(0, 'n$U-0', '100.127.0.0', '100.127.0.1', 'fd6e:6f6e:6574::', 'rec-$$', 0)]" "$got"
out=$(lab_nonet uplink down $U 2>&1)
rc=$?
expect_match "down is refused while a lease exists, naming it" \
	"lease 0: link n$U-0, process [0-9]+, session rec-$$" "$out"
expect_eq "... with exit status 2, and the table is still there" "2 yes" \
	"$rc $(in_lab nft list table inet nonet_$U >/dev/null 2>&1 && echo yes)"
check "down --force takes it down" lab_nonet uplink down --force $U
expect_eq "after down: no table, directory, pin or link" "nothing" "$(nothing_left)"
expect_eq "... and the session end of the link went with it" "" \
	"$(in_lab ip -j link | grep -o "\"x$$\"")"
expect_eq "... forwarding is back to what up found" "0 0 " "$(lab_fwd)"
out=$(nonet uplink show $U 2>&1)
expect_eq "show says it is not up" "nonet: uplink show: uplink $U is not up" "$out"
out=$(lab_nonet uplink down $U 2>&1)
expect_match "down of an uplink that is not up says so" "uplink $U is not up" "$out"

# A directory left by an up that was killed midway (no conf, no pin).
mkdir -p "$DIR/leases"
out=$(lab_nonet uplink up $U 198.18.0.2 2>&1)
expect_match "a leftover directory makes up refuse, pointing at down" \
	"uplink $U is up already \($DIR exists; \`nonet uplink down $U\` first\)" "$out"
out=$(lab_nonet uplink down $U 2>&1)
expect_eq "... and down removes it, saying so" \
	"uplink $U down: removed what was left; no namespace is pinned here (an interrupted up, or a pin made in another mount namespace), so no table or link was deleted|nothing" \
	"$out|$(nothing_left)"
# An up made in a mount namespace that has ended: its pin is an empty file
# here.  down removes the files and says why it deleted no table.
unshare -m --propagation private nsenter --net=/run/netns/"$lab" "$NONET" uplink up $U 198.18.0.2 >/dev/null 2>&1
# show from here: listed (its conf), but no namespace on the pin here, as
# this mount namespace's mountinfo says (no mount at the pin).
mounted=$(grep -c " $DIR/netns " /proc/self/mountinfo)
out=$(nonet uplink show $U 2>&1)
expect_eq "show of a pin made in a mount namespace now ended: no mount here, pinned_here false, a line saying so" \
	"0 False 1" "$mounted $(nonet uplink show -J $U | json_get 'd["uplinks"][0]["pinned_here"]') $(printf '%s\n' "$out" | grep -c 'no namespace on its pin in this mount namespace')"
in_lab nft delete table inet nonet_$U 2>/dev/null
in_lab sysctl -qw net.ipv4.ip_forward=0
out=$(lab_nonet uplink down $U 2>&1)
expect_match "a pin whose mount namespace ended: down removes the files, saying so" \
	"^uplink $U down: removed what was left; no namespace is pinned here.*\\|nothing$" \
	"$out|$(nothing_left)"

# --- several uplinks in one namespace -------------------------------------------
# IPv4 forwarding on before (so a second uplink may join), IPv6 off: A has
# IPv6 leases and guards IPv6; B is IPv4 only and may come up beside it; C
# with IPv6 leases is refused (A's guard would drop its packets).  Down A
# restores IPv6 forwarding (nobody left uses it), IPv4 stays on for B.
UA=${U}a UB=${U}b UC=${U}c
for u in $UA $UB $UC; do on_exit "in_lab '$NONET' uplink down --force $u"; done
in_lab sysctl -qw net.ipv4.ip_forward=1
out=$(lab_nonet uplink up $UA 198.18.0.2:8080 '[2001:db8::2]:80' 2>&1 &&
	lab_nonet uplink up $UB 198.18.0.3:8080 2>&1)
expect_eq "A (IPv6, guarding it) and B (IPv4 only) up in one namespace" "0|1 1 " "$?|$(lab_fwd)"
out=$(lab_nonet uplink up $UC '[2001:db8::3]:80' 2>&1)
expect_match "C with IPv6 leases is refused, naming A's guard" \
	"uplink $UA is up in this namespace and forwarding was off before it" "$out"
lab_nonet uplink down $UA >/dev/null 2>&1
expect_eq "down A: IPv6 forwarding back off, IPv4 left on for B" "1 0 " "$(lab_fwd)"
lab_nonet uplink down $UB >/dev/null 2>&1
expect_eq "down B: IPv4 as A found it (on)" "1 0 " "$(lab_fwd)"
in_lab sysctl -qw net.ipv4.ip_forward=0

# --- failures midway leave nothing ----------------------------------------------------
in_lab nft add table inet nonet_$U
out=$(lab_nonet uplink up $U 198.18.0.2 2>&1)
expect_match "up fails when its table cannot be made (one is there)" \
	"cannot create table inet nonet_$U: File exists" "$out"
in_lab nft delete table inet nonet_$U
expect_eq "... and leaves nothing: no directory, pin, forwarding" "nothing|0 0 " \
	"$(nothing_left)|$(lab_fwd)"
if [ "$NONET_TIER" = valgrind ]; then
	skip_n 6 "faults injected into up" "an LD_PRELOAD interposer under valgrind adds nothing to the plain tier"
	exit 0
fi
if ! PRELOAD=$(fault_preload 2>&1); then
	fail "build the interposer tests/fault/fault.c" "$PRELOAD"
	skip_n 5 "faults injected into up" "no interposer"
	exit 0
fi
# up_fault DESC REGEX SPEC: up fails with REGEX on stderr, leaves nothing.
up_fault() {
	local out
	out=$(in_lab env NONET_FAULT="$3" NONET_FAULT_ARM=always LD_PRELOAD="$PRELOAD" \
		"$NONET" uplink up $U 198.18.0.2:8080 '[2001:db8::2]:80' 2>&1)
	expect_match "$1" "$2" "$out"
	expect_eq "... and leaves nothing (forwarding as it was)" "nothing|0 0 " \
		"$(nothing_left)|$(lab_fwd)"
}
up_fault "up fails when the pin cannot be mounted" \
	"cannot pin this network namespace at $DIR/netns" "mount:1:EPERM:$DIR/netns"
up_fault "up fails when its conf cannot be written (after the table)" \
	"cannot write $DIR/conf: No space left on device" "rename:1:ENOSPC:$DIR/conf"
up_fault "up fails when IPv6 forwarding cannot be set (after IPv4's)" \
	"cannot turn forwarding on \($fwd6\)" "open:1:EACCES:$fwd6"
