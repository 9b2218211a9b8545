#!/bin/bash
# nonet check: the verdict on a namespace by itself, as root and as nobody,
# in namespaces built here with ip(8).
. "$(dirname "$0")/lib.sh"
plan 19

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

verdict() { # CMD... -> "RC: first line of output"
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	printf '%s: %s' "$rc" "$(printf '%s' "$out" | tr '\n' '|')"
}

got=$(verdict nonet check)
expect_match "host namespace as root: not isolated (1), says why" \
	"^1: .*this is the host's network namespace" "$got"
got=$(verdict as_nobody "$NONET" check)
expect_match "host namespace as nobody: not isolated (1), says why" \
	"^1: .*this is the host's network namespace" "$got"

got=$(verdict unshare -n $NONET_WRAP "$NONET" check)
expect_eq "new namespace with lo down: not isolated, two reasons" \
	"1: lo is down|lo does not carry 127.0.0.1/8" "$got"

got=$(verdict unshare -n sh -c "ip link set lo up && $NONET_WRAP $NONET check")
expect_eq "lo up in a new namespace: isolated" "0: isolated" "$got"
got=$(verdict unshare -n sh -c "ip link set lo up && setpriv --reuid=nobody --regid=nogroup --clear-groups $NONET check")
expect_eq "lo up in a new namespace, as nobody: isolated" "0: isolated" "$got"
got=$(verdict unshare -n sh -c "ip link set lo up && ip addr add ::1/128 dev lo 2>/dev/null; $NONET check")
expect_eq "::1 on lo does not matter" "0: isolated" "$got"

ns=$(make_netns check)
ip -n "$ns" link set lo up
ip -n "$ns" link add nonet-v0 type veth peer name nonet-v1
got=$(verdict ip netns exec "$ns" $NONET_WRAP "$NONET" check)
expect_match "a veth pair besides lo: not isolated (1), names nonet-v0" \
	"^1: (.*\|)?interface nonet-v0 exists besides lo" "$got"
expect_match "... and nonet-v1" "interface nonet-v1 exists besides lo" "$got"
got=$(verdict ip netns exec "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups "$NONET" check)
expect_match "the same as nobody" "^1: interface nonet-v" "$got"

ns2=$(make_netns check2)
ip -n "$ns2" link set lo up
ip -n "$ns2" addr del 127.0.0.1/8 dev lo
got=$(verdict ip netns exec "$ns2" "$NONET" check)
expect_eq "lo up without 127.0.0.1/8: not isolated" \
	"1: lo does not carry 127.0.0.1/8" "$got"

json=$(ip netns exec "$ns" "$NONET" check -j)
expect_eq "check -j: valid JSON with the verdict and the reasons" \
	"False 2 $(ip netns exec "$ns" stat -L -c %i /proc/self/ns/net)" \
	"$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["isolated"], len(d["reasons"]), d["netns"])')"
json=$(unshare -n sh -c "ip link set lo up && $NONET check --json")
expect_eq "check --json when isolated" "True []" \
	"$(printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["isolated"], d["reasons"])')"

got=$(verdict nonet check extra)
expect_match "an extra argument is a usage error (2) pointing at --help" \
	"^2: .*Try 'nonet --help'" "$got"
got=$(verdict nonet frobnicate)
expect_match "an unknown command is a usage error (2)" "^2: nonet: unknown command" "$got"
out=$(nonet --help)
expect_eq "--help exits 0" 0 "$?"
missing=
for word in show check session --json --pretty --user --service --confdir --rhost --tty --version; do
	case $out in *"$word"*) ;; *) missing="$missing $word" ;; esac
done
expect_eq "--help mentions every command and option" "" "$missing"
expect_match "--version" '^nonet [0-9]+\.[0-9]+' "$(nonet --version)"
if [ -w /dev/full ]; then
	got=$(verdict sh -c "$NONET --help >/dev/full")
	expect_match "a write error on stdout is an error (2)" "^2: nonet: write error" "$got"
else
	skip_strict "a write error on stdout is an error (2)" "no writable /dev/full"
fi

# Fallback tunnel devices (tunl0, sit0, gre0, ...): a kernel with the
# tunnel modules loaded puts them, down, in every new namespace while
# net.core.fb_tunnels_only_for_init_net is 0.  They are inert: check says
# isolated and names each one, as ip shows them.  (Canned dumps of such a
# namespace: tests/unit/test_fallback.c.)
fb=$(unshare -n ip -j link show 2>/dev/null | python3 -c '
import json, sys
print(" ".join(l["ifname"] for l in json.load(sys.stdin) if l["ifname"] != "lo"))')
if [ -z "$fb" ]; then
	skip "check on a namespace with fallback tunnel devices" \
		"a new namespace has none here: no tunnel module (ipip, sit, ip_gre, ip6_tunnel, ip_vti) is loaded or net.core.fb_tunnels_only_for_init_net is $(cat /proc/sys/net/core/fb_tunnels_only_for_init_net 2>/dev/null || echo absent)"
else
	json=$(unshare -n sh -c "ip link set lo up && $NONET check --json")
	expect_eq "check: a new namespace with the fallback devices ($fb) is isolated, each named inert" \
		"True [] $fb" "$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["isolated"], d["reasons"], " ".join(i.split()[0] for i in d["inert"]))')"
fi
