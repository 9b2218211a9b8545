#!/bin/bash
# An exam room at scale, and its evidence.  An uplink (nonet uplink up) in a
# namespace of the test (lab, entered with nsenter: the pin must be seen
# from every mount namespace), a test exam server in another (srv) behind a
# veth; logins through the real module with `private @GROUP uplink=NAME`:
#   - N logins at once get N distinct leases and N distinct addresses (ip -j
#     inside each session), and close gives every lease, link and nft
#     element back;
#   - one candidate's blocked attempts (another port of the server, the
#     host side of its link) show in `nonet list`, `nonet audit -J` and the
#     Prometheus file (tests/prom_check.py) with the count of the uplink's
#     own nft counter (`nft -j` in the lab namespace, the oracle);
#   - a session whose caller is SIGKILLed leaves its lease, which `nonet
#     prune` reclaims (link, nft elements, lease file), and only that one;
#   - `uplink down` then leaves no table, link, route, lease or pin.
# N is 50 in the plain and ASan tiers; under valgrind each login is a
# valgrind process of its own, so N is 5 there (same checks).
#
# The users and group are added in an overlay over /etc inside the private
# mount namespace of with_devlog: the host's files never change.
. "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || skip_all_strict "no nft (make deps installs nftables)"
devlog_script
plan 26
# The interpreter itself, once: a version-manager shim on PATH costs a
# second a call on a loaded machine, and this script calls it often.
py3=$(python3 -c 'import sys; print(sys.executable)')
python3() { "$py3" "$@"; }
# 50 logins at once in the plain tier (the issue's room); fewer under the
# sanitizer and valgrind, which find what they find in the first few.
N=50
case $NONET_TIER in asan) N=10 ;; valgrind) N=5 ;; esac
tag=nonet-t-$$-r
group=${tag}g
users=("${tag}1" "${tag}2" "${tag}3" "${tag}4" "${tag}5")
A=${users[0]} # the candidate who tries what is not allowed
up=r$(($$ % 10000000))
dir=/run/nonet/uplinks/$up
W=$T_ROOT/room
mkdir -m 1777 "$W"

if ! overlay_etc 2>"$T_ROOT/etc.err"; then
	fail "an overlay over /etc (private mount namespace)" "$(cat "$T_ROOT/etc.err")"
	exit 1
fi
# Another test's useradd may hold the lock in the lower /etc a moment.
# Ids of our own, far above what useradd hands out: other tests cannot see
# these users and may give their own the same next free id (and kill its
# processes); -l: no lastlog/faillog entry (those files are not overlaid).
retry() { local i; for i in $(seq 50); do "$@" 2>/dev/null && return 0; sleep 0.2; done; "$@"; }
id0=$((3000000 + ($$ % 100000) * 8))
retry groupadd -g "$id0" "$group" || { fail "groupadd"; exit 1; }
for i in "${!users[@]}"; do
	retry useradd -l -M -N -u $((id0 + i + 1)) -g "$group" -s /bin/sh "${users[i]}" ||
		{ fail "useradd ${users[i]}"; exit 1; }
done
# Processes of the users that a failed run may leave (by uid: the names
# go with the overlay).
uids=$(for u in "${users[@]}"; do id -u "$u"; done | tr '\n' ',')
on_exit "pkill -KILL -U '${uids%,}'"

exam_lab
in_lab() { nsenter --net=/run/netns/"$lab" "$@"; }
ip -n "$srv" route add 100.127.0.0/16 via 198.18.0.1
# The exam server: port 8080 answers; nothing is allowed to reach 9090.
ip netns exec "$srv" "$py3" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.0.2", 8080)); s.listen(64)
while True:
    c, _ = s.accept(); c.sendall(b"port 8080\n"); c.close()' &
server=$!
on_exit "kill $server"
for _ in $(seq 100); do
	ip netns exec "$srv" ss -ltn | grep -q '198.18.0.2:8080' && break
	sleep 0.05
done

# Whatever a failed run leaves: the pin keeps the lab namespace alive.
on_exit "umount '$dir/netns'; rm -rf '$dir'"
on_exit "in_lab $NONET uplink down --force $up"
if out=$(in_lab $NONET_WRAP "$NONET" uplink up "$up" --pool 100.127.0.0/24 \
	198.18.0.2:8080/tcp 2>&1); then
	ok "uplink up $up in the lab namespace"
else
	fail "uplink up $up in the lab namespace" "$out"
	exit 0
fi
policy=$(make_policy room "private @$group uplink=$up")
svc=$(make_service room "session required $MODULE conf=$policy")
# A control: a private session of the same users without an uplink.
plain=$(make_policy plain "private @$group")
make_service plain "session required $MODULE conf=$plain" >/dev/null

# The oracle: what the uplink's nft table counted for each host link, read
# with nft itself in the lab namespace ({LINK: packets}, JSON).
cat >"$T_ROOT/counters.py" <<'EOF'
import json, subprocess, sys
table = "nonet_" + sys.argv[1]
def nft(*args):
    return json.loads(subprocess.run(["nft", "-j", "list", *args], check=True,
                                     capture_output=True).stdout)["nftables"]
links = {}
for item in nft("map", "inet", table, "blocked"):
    for elem in item.get("map", {}).get("elem", []):
        links[elem[0]] = elem[1]
packets = {c["counter"]["name"]: c["counter"]["packets"]
           for c in nft("counters", "table", "inet", table) if "counter" in c}
print(json.dumps({link: packets.get(name) for link, name in links.items()}))
EOF
counters() { in_lab "$py3" "$T_ROOT/counters.py" "$up"; }
set_elems() { # the elements of the set links
	in_lab nft -j list set inet "nonet_$up" links |
		python3 -c 'import json,sys; print(" ".join(sorted(str(e) for x in json.load(sys.stdin)["nftables"] for e in x.get("set", {}).get("elem", []))))'
}
host_links() { ip -n "$lab" -j link | python3 -c "import json,sys; print(' '.join(sorted(l['ifname'] for l in json.load(sys.stdin) if l['ifname'].startswith('n$up-'))))"; }
leases() { ls "$dir/leases" 2>/dev/null | sort -n | tr '\n' ' '; }
uplink_rows() { # KEY...: those fields of the sessions on this uplink (list -J)
	nonet list --conf "$policy" -J -o ID,USER,NETNS,UPLINK,LEASE,BLOCKED,STALE |
		py "sorted([s[k] for k in '$*'.split()] for s in d['sessions'] if s['uplink'] == '$up')"
}
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# --- N logins at once ---------------------------------------------------------
cat >"$T_ROOT/cand" <<EOF
#!/bin/sh
# cand I: one candidate's session; I=1 also tries what is not allowed.
o=$W/\$1
$(command -v ip) -j addr show dev eth0 >"\$o.addr" 2>&1
stat -L -c %i /proc/self/ns/net >"\$o.ino"
if [ "\$1" = 1 ]; then
	python3 "$T_ROOT/attempts.py" >"\$o.probe" 2>&1
fi
: >"\$o.ready"
while [ ! -e "$W/go" ]; do sleep 0.1; done
EOF
cat >"$T_ROOT/attempts.py" <<'EOF'
# The allowed port, then what the uplink must drop: another port of the
# server (TCP, and 3 UDP datagrams), the host side of the session's link.
import ipaddress, json, socket, subprocess
def tcp(host, port):
    try:
        s = socket.create_connection((host, port), timeout=1)
        return s.recv(100).decode().strip()
    except OSError as e:
        return "no: " + type(e).__name__
addr = json.loads(subprocess.run(["ip", "-j", "addr", "show", "dev", "eth0"],
                                 capture_output=True).stdout)
inside = [a["local"] for a in addr[0]["addr_info"] if a["family"] == "inet"][0]
host_side = str(ipaddress.ip_address(inside) - 1)
print("allowed:", tcp("198.18.0.2", 8080))
print("other port:", tcp("198.18.0.2", 9090))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(3):
    u.sendto(b"answer", ("198.18.0.2", 9090))
print("host side:", tcp(host_side, 22))
EOF
chmod 0755 "$T_ROOT/cand" "$T_ROOT/attempts.py"
nonet session -u "$A" --confdir "$svc" -s plain -- sh -c \
	"stat -L -c %i /proc/self/ns/net >'$W/ctl.netns'; while [ ! -e '$W/go' ]; do sleep 0.1; done" \
	>"$W/ctl.out" 2>&1 &
pids=($!)
for i in $(seq "$N"); do
	u=${users[$(( (i - 1) % ${#users[@]} ))]}
	nonet session -u "$u" --confdir "$svc" -s room -- "$T_ROOT/cand" "$i" \
		>"$W/$i.out" 2>&1 &
	pids+=($!)
done
on_exit "touch '$W/go'"
ready=0
for _ in $(seq 6000); do # 10 minutes: the machine may be loaded
	ready=$(ls "$W" | grep -c '\.ready$')
	[ "$ready" -ge "$N" ] && break
	failed=$(for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || echo "$p"; done | wc -l)
	[ "$failed" -gt 0 ] && break
	sleep 0.1
done
if [ "$ready" = "$N" ]; then
	ok "$N concurrent logins with uplink=$up all opened"
else
	fail "$N concurrent logins with uplink=$up all opened" "$ready ready" \
		"$(cat "$W"/*.out | sort | uniq -c | head -20)"
	skip_rest "the logins" "not every session opened"
fi
got=$(uplink_rows lease | python3 -c 'import ast,sys; l=ast.literal_eval(sys.stdin.read()); print(len(l), len(set(x[0] for x in l)))')
expect_eq "list: $N sessions on the uplink, with $N distinct leases" "$N $N" "$got"
expect_eq "... and $N lease files, 0 to $((N - 1))" "$(seq 0 $((N - 1)) | tr '\n' ' ')" "$(leases)"
cat >"$T_ROOT/addrs.py" <<'EOF'
# addrs.py DIR N: the IPv4 addresses on eth0 inside the sessions (ip -j):
# "COUNT DISTINCT IN_POOL/31"
import ipaddress, json, sys
w, n = sys.argv[1], int(sys.argv[2])
seen = []
for i in range(1, n + 1):
    for a in json.load(open("%s/%d.addr" % (w, i)))[0]["addr_info"]:
        if a["family"] == "inet":
            seen.append((a["local"], a["prefixlen"]))
pool = ipaddress.ip_network("100.127.0.0/24")
print(len(seen), len(set(seen)),
      sum(ipaddress.ip_address(l) in pool and p == 31 for l, p in seen))
EOF
expect_eq "inside the sessions (ip -j): $N distinct /31 addresses from the pool" \
	"$N $N $N" "$(python3 "$T_ROOT/addrs.py" "$W" "$N" 2>&1)"
expect_eq "$N distinct namespaces" "$N" "$(cat "$W"/*.ino | sort -u | wc -l)"

# --- the blocked attempts, three ways, against nft's own counter -------------
probe=$(cat "$W/1.probe")
expect_match "the candidate reaches the exam port" "^allowed: port 8080" "$probe"
expect_match "... not another port of the server, nor the host side of its link" \
	"other port: no: .*host side: no: " "$(echo $probe)"
ino1=$(cat "$W/1.ino")
lease1=$(uplink_rows netns lease | python3 -c "import ast,sys; print([l for n, l in ast.literal_eval(sys.stdin.read()) if n == $ino1][0])")
oracle=$(counters | py "d.get('n$up-$lease1')")
case $oracle in
[4-9] | [1-9][0-9]*) ok "nft counted the attempts of the candidate's link n$up-$lease1 ($oracle packets)" ;;
*) fail "nft counted the attempts of the candidate's link n$up-$lease1" "got: $oracle" "$(counters)" ;;
esac
expect_eq "list: BLOCKED of that session is nft's count" "$oracle" \
	"$(uplink_rows netns blocked | python3 -c "import ast,sys; print([b for n, b in ast.literal_eval(sys.stdin.read()) if n == $ino1][0])")"
expect_match "list (text): the BLOCKED column" " $oracle( |$)" \
	"$(nonet list --conf "$policy" -n -o NETNS,UPLINK,BLOCKED | grep -E "^ *$ino1 ")"
ctl=$(cat "$W/ctl.netns")
expect_match "list (text): a session without an uplink shows BLOCKED -" "^ *$ctl +- *\$" \
	"$(nonet list --conf "$policy" -n -o NETNS,BLOCKED,UPLINK | grep "^ *$ctl ")"
prom=$T_ROOT/metrics/nonet.prom
mkdir -p "$T_ROOT/metrics"
json=$(nonet audit --conf "$policy" -J --prometheus "$prom")
rc=$?
want=$(printf '%s' "$json" | py "[(u['blocked'], u['lease'], u['user']) for u in d['uplinks'] if u['uplink'] == '$up' and u['lease'] == $lease1]")
expect_eq "audit -J: the session's blocked is nft's count (exit $rc)" \
	"[($oracle, $lease1, '$A')] 0" "$want $rc"
if samples=$(python3 "$T_SRC/tests/prom_check.py" "$prom" 2>&1); then
	ok "audit --prometheus: the file passes the strict exposition parser"
else
	fail "audit --prometheus: the file passes the strict exposition parser" "$samples"
fi
# Per user: the sum over the user's sessions, each counter as nft says.
cat >"$T_ROOT/peruser.py" <<'EOF'
# peruser.py SAMPLES UPLINK COUNTERS: the metric per user against nft's
# counters summed over the user's leases (list -J on stdin); "same" or why.
import json, sys
samples, up = json.loads(sys.argv[1]), sys.argv[2]
counters, rows = json.loads(sys.argv[3]), json.load(sys.stdin)["sessions"]
want = {}
for r in rows:
    if r["uplink"] == up:
        want[r["user"]] = want.get(r["user"], 0) + counters["n%s-%d" % (up, r["lease"])]
got = {l["user"]: v for n, l, v in samples
       if n == "nonet_uplink_blocked_packets" and l.get("uplink") == up}
print("same" if want == got else "want %s got %s" % (want, got))
EOF
expect_eq "nonet_uplink_blocked_packets{user,uplink}: nft's counters summed per user" same \
	"$(nonet list --conf "$policy" -J -o USER,UPLINK,LEASE | python3 "$T_ROOT/peruser.py" "$samples" "$up" "$(counters)" 2>&1)"

# --- the way back from the uplink's namespace ---------------------------------
# list reads each counter inside the uplink's namespace: setns in, setns
# back.  When the way back fails (tests/fault: the 2nd setns, the first
# one back), list stops with that reason and prints no table, rather than
# go on reading /proc and the records from the uplink's namespace.
if [ "$NONET_TIER" = valgrind ]; then
	skip_n 2 "list when the way back fails" "an LD_PRELOAD interposer under valgrind adds nothing to the plain tier"
elif ! preload=$(fault_preload 2>&1); then
	fail "list when the way back fails: the fault interposer builds" "$preload"
	skip "... and says why" "no interposer"
else
	out=$(env NONET_FAULT=setns:2 NONET_FAULT_ARM=always LD_PRELOAD="$preload" \
		"$NONET" list --conf "$policy" -n -o NETNS,UPLINK,BLOCKED 2>"$T_ROOT/back.err")
	rc=$?
	expect_eq "list stops when it cannot go back from the uplink's namespace (exit 2, no table)" \
		"2 ||" "$rc |$out|"
	expect_match "... and says why" "nonet: reading the blocked packets: cannot go back to the caller's network namespace" \
		"$(cat "$T_ROOT/back.err")"
fi

# --- close: everything given back --------------------------------------------
touch "$W/go"
# Each session's own status: 0, or under valgrind 99 for an error it found.
bad=
for i in "${!pids[@]}"; do wait "${pids[i]}" || bad+=" $i:$?"; done
if [ -z "$bad" ]; then
	ok "every session ended well (exit 0$([ "$NONET_TIER" = valgrind ] && echo ', no valgrind error'))"
else
	first=${bad# } first=${first%%:*}
	[ "$first" = 0 ] && first=ctl # pids[0] is the control session
	fail "every session ended well" "session:status$bad" \
		"$(head -30 "$W/$first.out" 2>/dev/null)"
fi
expect_eq "after close: no lease, no host link, no element in the set" \
	"leases=[] links=[] elements=[]" "leases=[$(leases)] links=[$(host_links)] elements=[$(set_elems)]"
expect_eq "after close: no session on the uplink in list" "[]" "$(uplink_rows id)"

# --- a caller killed: prune reclaims its lease, and only its ------------------
rm -f "$W/go" "$W"/*.ready
# Not through the nonet function: $! must be the calling process itself
# (valgrind runs the tool in its own process).
$NONET_WRAP "$NONET" session -u "$A" --confdir "$svc" -s room -- "$T_ROOT/cand" 101 \
	>"$W/101.out" 2>&1 &
live=$!
on_exit "kill $live"
wait_ready() { local i; for i in $(seq 600); do [ -e "$W/$1.ready" ] && return 0; sleep 0.1; done; return 1; }
wait_ready 101
$NONET_WRAP "$NONET" session -u "$A" --confdir "$svc" -s room -- "$T_ROOT/cand" 102 \
	>"$W/102.out" 2>&1 &
victim=$!
wait_ready 102
lease_of() { grep -l "^pid $1\$" "$dir"/leases/* 2>/dev/null | xargs -r -n1 basename; }
klease=$(lease_of "$victim")
llease=$(lease_of "$live")
kill -KILL "$victim"
wait "$victim" 2>/dev/null
expect_eq "the killed caller's lease stays: file, link, element" \
	"lease=$klease link=n$up-$klease element=yes" \
	"lease=$(ls "$dir/leases" | grep -x "$klease") link=$(host_links | tr ' ' '\n' | grep -x "n$up-$klease") element=$(set_elems | grep -qw "n$up-$klease" && echo yes)"
out=$(nonet prune 2>&1)
expect_match "prune: says it removed the lease, the link and the elements" \
	"removed $dir/leases/$klease \(stale: process $victim .*link n$up-$klease deleted" "$out"
expect_eq "after prune: the killed session's lease, link and element are gone; the live one's stay" \
	"leases=$llease links=n$up-$llease elements=n$up-$llease" \
	"leases=$(leases | tr -d ' ') links=$(host_links) elements=$(set_elems)"
touch "$W/go"
wait "$live"
pkill -KILL -u "$A" # the killed session's command, cut off by prune
expect_eq "the live session closed: nothing left on the uplink" "leases=[] links=[]" \
	"leases=[$(leases)] links=[$(host_links)]"

# --- down: nothing left ------------------------------------------------------
out=$(in_lab $NONET_WRAP "$NONET" uplink down "$up" 2>&1)
expect_eq "uplink down $up: exit 0" "0" "$?"
tables=$(in_lab nft -j list tables | py "[t['table']['name'] for t in d['nftables'] if t.get('table', {}).get('name') == 'nonet_$up']")
routes=$(ip -n "$lab" -j route | py "[r['dst'] for r in d if r['dst'].startswith('100.127.')]")
pin=$(grep -c " $dir/netns " /proc/self/mountinfo)
expect_eq "after down: no table, link, route, lease directory or pin; forwarding back to 0" \
	"tables=[] links= routes=[] dir=no pin=0 forward=0" \
	"tables=$tables links=$(host_links) routes=$routes dir=$([ -e "$dir" ] && echo yes || echo no) pin=$pin forward=$(in_lab sysctl -n net.ipv4.ip_forward)"
