#!/bin/bash
# The exam room of issue 16, for real: an exam server in a namespace of its
# own (srv), reached over a veth from a lab namespace that plays the host;
# `nonet uplink up` in lab; two candidates log in through the real PAM
# stack (`nonet session`, run inside lab) under `private @GROUP uplink=U`.
# Each reaches the allowed TCP and UDP port of the server and nothing else:
# not another port, not the lab's addresses, not the other candidate (TCP,
# UDP, abstract socket).  Oracles: `ip -j` inside the session (exactly lo
# and eth0 with the lease's address, the host end's in lab plus one),
# /proc/self/ns/net inodes, the lease files, `ip -n lab link` and `nft list
# table` in lab, and the syslog lines (with_devlog).  Closing removes link,
# lease and nftables elements; an uplink that is not up refuses; a fault in
# each new step (tests/fault) refuses and leaves nothing.
#
# Users and group are added in an overlay over /etc inside the private
# mount namespace of with_devlog: the host's files never change.
. "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || skip_all_strict "no nft (make deps installs nftables)"
devlog_script
plan 35

tag=nonet-t-$$
G=$tag-g A=$tag-a B=$tag-b
U=x$(($$ % 1000000)) # the uplink: [a-z][a-z0-9]{0,7}
NOTUP=y$(($$ % 1000000))
IP=$(command -v ip)
LEASES=/run/nonet/uplinks/$U/leases
LOG=$T_ROOT/syslog

# --- users and group, in an overlay over /etc (this mount namespace) ------
if ! overlay_etc 2>"$T_ROOT/etc.err"; then
	fail "an overlay over /etc (private mount namespace)" "$(cat "$T_ROOT/etc.err")"
	exit 1
fi
# Uids of our own: tests running beside this one add users in their own
# overlays, where useradd would pick the same next free uid.
uid=$((T_UID_BASE + 40000 + ($$ % 10000) * 2))
while getent passwd "$uid" >/dev/null || getent passwd $((uid + 1)) >/dev/null; do
	uid=$((uid + 2))
done
groupadd "$G" && useradd -M -N -u "$uid" -g "$G" -s /bin/sh "$A" &&
	useradd -M -N -u $((uid + 1)) -g "$G" -s /bin/sh "$B"
expect_eq "candidates $A and $B in group $G" "$G $G" "$(id -gn "$A") $(id -gn "$B")"

# --- lab (the host of the recipe) and srv (the exam server) ---------------
exam_lab
in_lab() { nsenter --net=/run/netns/"$lab" "$@"; }
# TCP 8080 and UDP 5353 are the exam; 9090 and 5454 anything else.  The lab
# answers on every address it has (the sessions must not reach it).  Both
# listen on IPv4 and IPv6.
servers='
import socket, sys, threading
def tcp(port, text):
    s = socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True)
    while True:
        c, _ = s.accept(); c.sendall(text); c.close()
def udp(port, text):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); s.bind(("::", port))
    while True:
        _, peer = s.recvfrom(100); s.sendto(text, peer)
def dns(port, addr):
    # A resolver for one name: exam.test A is the address given.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", port))
    while True:
        q, peer = s.recvfrom(512)
        end = q.index(b"\0", 12) + 5
        name, qtype = q[12:end - 5], q[end - 4:end - 2]
        hit = name.lower() == b"\4exam\4test" and qtype == b"\0\1"
        head = q[:2] + (b"\x81\x80" if hit else b"\x81\x83") + b"\0\1" + (b"\0\1" if hit else b"\0\0") + b"\0\0\0\0"
        answer = b"\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4" + socket.inet_aton(addr) if hit else b""
        s.sendto(head + q[12:end] + answer, peer)
who = sys.argv[1]
for fn, port in ((tcp, 8080), (tcp, 9090), (udp, 5353), (udp, 5454)):
    text = ("%s %s %d\n" % (who, fn.__name__, port)).encode()
    threading.Thread(target=fn, args=(port, text), daemon=True).start()
threading.Thread(target=dns, args=(53, sys.argv[3]), daemon=True).start()
open(sys.argv[2], "w").close()
threading.Event().wait(600)'
ip netns exec "$srv" python3 -c "$servers" srv "$T_ROOT/srv.ready" 198.18.0.2 &
on_exit "kill $!"
ip netns exec "$lab" python3 -c "$servers" lab "$T_ROOT/lab.ready" 198.18.0.1 &
on_exit "kill $!"
for _ in $(seq 200); do [ -e "$T_ROOT/srv.ready" ] && [ -e "$T_ROOT/lab.ready" ] && break; sleep 0.05; done
# The README's advice: allow-list a resolver.  resolv.conf (in this mount
# namespace's /etc, which the sessions inherit) names the lab's resolver
# first, then the exam server's: only the allowed one may answer a session,
# while the lab itself gets the first one's answer.
rm -f /etc/resolv.conf
printf 'nameserver 198.18.0.1\nnameserver 198.18.0.2\noptions timeout:1 attempts:1\n' >/etc/resolv.conf

# --- the uplink -----------------------------------------------------------
on_exit "in_lab '$NONET' uplink down --force $U"
out=$(in_lab $NONET_WRAP "$NONET" uplink up "$U" 198.18.0.2:8080/tcp 198.18.0.2:5353/udp 198.18.0.2:53/udp 2>&1)
rc=$?
if [ $rc = 0 ] && [ -d "$LEASES" ]; then
	ok "nonet uplink up $U (in lab) with the exam's TCP and UDP port"
else
	fail "nonet uplink up $U (in lab)" "exit $rc" "$out"
	exit 0
fi
policy=$(make_policy exam "private @$G uplink=$U")
make_policy notup "private @$G uplink=$NOTUP" >/dev/null
svc=$(make_service exam "session required $MODULE conf=$policy")
make_service notup "session required $MODULE conf=$T_ROOT/notup.conf" >/dev/null
cp "$T_SRC/tests/helpers/nonet-t-exam.py" "$T_ROOT/exam.py"
mkdir -m 0777 "$T_ROOT/out"

# login SERVICE USER CMD...: a PAM session inside lab.
login() {
	local s=$1 who=$2
	shift 2
	in_lab $NONET_WRAP "$NONET" session -u "$who" --confdir "$svc" -s "$s" -- "$@"
}
# What is left of the uplink's sessions in lab: links, leases, nft elements.
left() {
	ip -n "$lab" -o link show 2>/dev/null | grep -o "n$U-[0-9]*" | sed 's/^/link /'
	ls "$LEASES" 2>/dev/null | sed 's/^/lease /'
	in_lab nft list table inet "nonet_$U" 2>/dev/null | grep -o "n$U-[0-9]*" | sed 's/^/nft element /'
}
probes="exam-tcp=tcp:198.18.0.2:8080 exam-udp=udp:198.18.0.2:5353
	other-tcp=tcp:198.18.0.2:9090 other-udp=udp:198.18.0.2:5454
	lab-tcp=tcp:198.18.0.1:8080 lab-udp=udp:198.18.0.1:5353
	name-exam=name:exam.test:0"

# --- two candidates at once ------------------------------------------------
OA=$T_ROOT/out/a OB=$T_ROOT/out/b
# wait_file FILE: until it exists (at most 60 s).
wait_file() { for _ in $(seq 1200); do [ -e "$1" ] && return; sleep 0.05; done; }
devlog_begin
login exam "$A" python3 "$T_ROOT/exam.py" serve "$OA" "$OA.ready" "$T_ROOT/out/done" "$IP" $probes \
	>"$T_ROOT/a.log" 2>&1 &
sess_a=$!
on_exit "kill $sess_a"
wait_file "$OA.ready"
addr_a=$(python3 -c 'import json,sys
for l in json.load(open(sys.argv[1])):
    for a in l.get("addr_info", []):
        if l["ifname"] == "eth0" and a["family"] == "inet": print(a["local"])' "$OA.json" 2>/dev/null)
# B probes A's sockets too: its TCP and UDP port, its loopback, its
# abstract socket (@a, named after its output file).
login exam "$B" python3 "$T_ROOT/exam.py" serve "$OB" "$OB.ready" "$T_ROOT/out/done" "$IP" $probes \
	"peer-tcp=tcp:${addr_a:-0.0.0.0}:7000" "peer-udp=udp:${addr_a:-0.0.0.0}:7001" \
	"peer-lo-tcp=tcp:127.0.0.1:7000" "peer-abstract=abstract:a:0" \
	>"$T_ROOT/b.log" 2>&1 &
sess_b=$!
on_exit "kill $sess_b"
wait_file "$OB.ready"
# Both open: the host ends in lab, and the lease files.
host_ends=$(ip -n "$lab" -j addr show | python3 -c 'import json,sys
for l in json.load(sys.stdin):
    if l["ifname"].startswith(sys.argv[1]):
        for a in l["addr_info"]: print(l["ifname"], a["local"], a["prefixlen"])' "n$U-")
leases_open=$(ls "$LEASES" | wc -l)
# The tool's judge: the session's link is accepted only as its lease's,
# and by check --user only under a rule with that uplink=.
pid_a=$(sed -n 's/^pid //p' "$OA")
# Under valgrind these three run unwrapped: valgrind 3.19 does not know
# pidfd_open (syscall 434), by which check finds a process's sockets (the
# tool then refuses: ENOSYS); the sessions themselves run under it.
check_tool() {
	if [ "$NONET_TIER" = valgrind ]; then "$NONET" "$@"; else nonet "$@"; fi
}
check_p=$(check_tool check -p "${pid_a:-0}" 2>&1)
check_p_rc=$?
check_u=$(check_tool check -u "$A" --conf "$policy" 2>&1)
check_u_rc=$?
plain=$(make_policy plain "private @$G")
check_plain=$(check_tool check -u "$A" --conf "$plain" 2>&1)
check_plain_rc=$?
touch "$T_ROOT/out/done"
wait $sess_a
rc_a=$?
wait $sess_b
rc_b=$?
devlog_end "$LOG"
if [ "$rc_a $rc_b" = "0 0" ]; then
	ok "both sessions ran and ended well$([ "$NONET_TIER" = valgrind ] && echo ' (no valgrind error)')"
else
	fail "both sessions ran and ended well" "exit $rc_a $rc_b" \
		"$(tail -25 "$T_ROOT/a.log")" "$(tail -25 "$T_ROOT/b.log")"
fi
for c in a b; do
	o=$T_ROOT/out/$c
	expect_eq "candidate $c reaches the exam server's TCP port" "srv tcp 8080" \
		"$(sed -n 's/^exam-tcp //p' "$o")"
	expect_eq "candidate $c reaches the exam server's UDP port" "srv udp 5353" \
		"$(sed -n 's/^exam-udp //p' "$o")"
	expect_match "... but not another port of the server (TCP 9090, UDP 5454)" \
		'^other-tcp no: .*other-udp no: ' "$(grep '^other-' "$o" | tr '\n' ' ')"
	expect_match "... nor the lab's address (TCP, UDP)" \
		'^lab-tcp no: .*lab-udp no: ' "$(grep '^lab-' "$o" | tr '\n' ' ')"
	expect_eq "candidate $c resolves exam.test through the allowed resolver only" \
		"198.18.0.2" "$(sed -n 's/^name-exam //p' "$o")"
done
expect_eq "... while the lab, unfiltered, gets its own resolver's answer first" "198.18.0.1" \
	"$(in_lab python3 -c 'import socket; print(socket.getaddrinfo("exam.test", None, socket.AF_INET)[0][4][0])' 2>&1)"
expect_match "B reaches none of A's sockets (TCP, UDP, loopback, abstract)" \
	'^peer-tcp no: .*peer-udp no: .*peer-lo-tcp no: .*peer-abstract no: ' \
	"$(grep '^peer-' "$OB" | tr '\n' ' ')"
# ip -j inside each session: lo with 127.0.0.1/8, eth0 with one /31 whose
# other half is the host end of one of the uplink's links in lab.
judge_ip='import json, sys, ipaddress
d = json.load(open(sys.argv[1])); hosts = sys.argv[2].split("\n")
got = sorted((l["ifname"], [(a["family"], a["local"], a["prefixlen"]) for a in l.get("addr_info", [])]) for l in d)
if [x[0] for x in got] != ["eth0", "lo"]: print("links:", got); sys.exit()
if got[1][1] != [("inet", "127.0.0.1", 8)]: print("lo:", got[1]); sys.exit()
e = got[0][1]
if len(e) != 1 or e[0][0] != "inet" or e[0][2] != 31: print("eth0:", e); sys.exit()
peer = str(ipaddress.ip_address(e[0][1]) - 1)
match = [h.split()[0] for h in hosts if h.split()[1:] == [peer, "31"]]
print("good " + match[0] if match else "no host end %s/31 in lab: %s" % (peer, hosts))'
va=$(python3 -c "$judge_ip" "$OA.json" "$host_ends" 2>&1)
vb=$(python3 -c "$judge_ip" "$OB.json" "$host_ends" 2>&1)
expect_match "ip -j in A's session: exactly lo and eth0 with the lease's /31" '^good ' "$va"
expect_match "ip -j in B's session: exactly lo and eth0 with the lease's /31" '^good ' "$vb"
if [ "${va#good }" != "${vb#good }" ] && [ "$(sed -n 's/^netns //p' "$OA")" != "$(sed -n 's/^netns //p' "$OB")" ]; then
	ok "two sessions, two namespaces, two leases (${va#good }, ${vb#good })"
else
	fail "two sessions, two namespaces, two leases" "$va / $vb" "$(grep netns "$OA" "$OB")"
fi
expect_eq "two lease files while both sessions were open" 2 "$leases_open"
expect_eq "nonet check -p: A's namespace (lo and its lease's link) is isolated" "0 isolated" \
	"$check_p_rc $check_p"
if [ "$check_u_rc" = 0 ]; then
	ok "nonet check -u: A's processes are as prescribed (uplink=$U)"
else
	fail "nonet check -u: A's processes are as prescribed (uplink=$U)" "exit $check_u_rc" "$check_u"
fi
expect_match "... but not under a rule without uplink= (exit 1, the reason)" \
	"^1 .*it has the link of uplink $U, but no rule for the user says uplink=$U" \
	"$check_plain_rc $(echo $check_plain)"
expect_eq "the info lines name the uplink and the lease" 2 \
	"$(grep -Ec "isolated the session of ($A|$B): mode=private .* uplink=$U lease=[0-9]+" "$LOG")"
expect_eq "closing both sessions leaves no link, lease or nftables element" "" "$(left)"

# --- an uplink that is not up ------------------------------------------------
links_before=$(ip -n "$lab" -o link show | wc -l)
devlog_begin
out=$(login notup "$A" true 2>&1)
rc=$?
devlog_end "$LOG"
expect_eq "uplink $NOTUP not up: the session is refused (111)" 111 "$rc"
expect_match "... logged as such" "refusing the session of $A: uplink $NOTUP is not up" "$(cat "$LOG")"
if [ ! -e "/run/nonet/uplinks/$NOTUP" ] && [ "$(ip -n "$lab" -o link show | wc -l)" = "$links_before" ]; then
	ok "... and leaves nothing (no uplink directory, no link in lab)"
else
	fail "... and leaves nothing" "$(ls -d /run/nonet/uplinks/$NOTUP 2>&1)" "$(ip -n "$lab" -o link show)"
fi

# --- an IPv6 allow-list ---------------------------------------------------------
# A second uplink, in a second lab (an uplink made where forwarding was off
# refuses a second one beside it: see nonet(8)), whose exam port is the
# server's IPv6 address: the session gets a /127 besides its /31 (IPv6 on
# eth0 only, no link-local address), reaches that port over IPv6 and
# nothing else of the server or the lab.
lab6=$(make_netns lab6)
in_lab6() { nsenter --net=/run/netns/"$lab6" "$@"; }
ip link add c$$ netns "$lab6" type veth peer name d$$ netns "$srv"
ip -n "$lab6" addr add fd00:5f::1/64 dev c$$ nodad
ip -n "$srv" addr add fd00:5f::2/64 dev d$$ nodad
ip -n "$lab6" link set lo up
ip -n "$lab6" link set c$$ up
ip -n "$srv" link set d$$ up
ip netns exec "$lab6" python3 -c "$servers" lab6 "$T_ROOT/lab6.ready" &
on_exit "kill $!"
for _ in $(seq 200); do [ -e "$T_ROOT/lab6.ready" ] && break; sleep 0.05; done
U6=w$(($$ % 1000000))
on_exit "in_lab6 '$NONET' uplink down --force $U6"
if out=$(in_lab6 $NONET_WRAP "$NONET" uplink up "$U6" "[fd00:5f::2]:8080/tcp" 2>&1); then
	ok "nonet uplink up $U6 with an IPv6 allow entry"
else
	fail "nonet uplink up $U6 with an IPv6 allow entry" "$out"
fi
policy6=$(make_policy exam6 "private @$G uplink=$U6")
svc6=$(make_service exam6 "session required $MODULE conf=$policy6")
O6=$T_ROOT/out/six
devlog_begin
in_lab6 $NONET_WRAP "$NONET" session -u "$A" --confdir "$svc6" -s exam6 -- \
	python3 "$T_ROOT/exam.py" probe "$O6" "$IP" "exam6-tcp=tcp:[fd00:5f::2]:8080" \
	"other6-tcp=tcp:[fd00:5f::2]:9090" "exam6-udp=udp:[fd00:5f::2]:5353" \
	"lab6-tcp=tcp:[fd00:5f::1]:8080" "exam4-tcp=tcp:198.18.0.2:8080" \
	>"$T_ROOT/six.log" 2>&1
rc=$?
devlog_end "$LOG"
expect_eq "the IPv6 candidate reaches the server's IPv6 TCP port" "0 srv tcp 8080" \
	"$rc $(sed -n 's/^exam6-tcp //p' "$O6" 2>&1)"
expect_match "... and nothing else: another port, UDP, the lab, the server's IPv4 address" \
	'^other6-tcp no: .*exam6-udp no: .*lab6-tcp no: .*exam4-tcp no: ' \
	"$(grep -E '^(other6|exam6-udp|lab6|exam4)' "$O6" 2>&1 | tr '\n' ' ')"
v6=$(python3 -c 'import json, sys
d = {l["ifname"]: [(a["family"], a["prefixlen"], a.get("scope")) for a in l.get("addr_info", [])] for l in json.load(open(sys.argv[1]))}
print(sorted(d), sorted(d.get("eth0", [])))' "$O6.json" 2>&1)
expect_eq "ip -j in the session: eth0 has one /31 and one global /127, no link-local" \
	"['eth0', 'lo'] [('inet', 31, 'global'), ('inet6', 127, 'global')]" "$v6"

# --- a fault in each new step ---------------------------------------------------
if [ "$NONET_TIER" = valgrind ]; then
	skip_n 4 "fault injection" "an LD_PRELOAD interposer under valgrind adds nothing to the plain tier"
	exit 0
fi
if ! PRELOAD=$(fault_preload 2>&1); then
	fail "build the interposer tests/fault/fault.c" "$PRELOAD"
	exit 1
fi
REP=$T_ROOT/report PROBE=$T_ROOT/out/fault
# fault_login SPEC: one session of A under the interposer, which probes the
# exam port into $PROBE; its status.
fault_login() {
	: >"$REP"
	rm -f "$PROBE"
	devlog_begin
	in_lab env NONET_FAULT="$1" NONET_FAULT_REPORT="$REP" LD_PRELOAD="$PRELOAD" \
		"$NONET" session -u "$A" --confdir "$svc" -s exam -- \
		python3 "$T_ROOT/exam.py" probe "$PROBE" "$IP" exam-tcp=tcp:198.18.0.2:8080 \
		>/dev/null 2>&1
	local rc=$?
	devlog_end "$LOG"
	return $rc
}
# calls NAME: how many calls of NAME a good session makes.
calls() {
	fault_login "$1:0" >/dev/null
	sed -n "s/.*calls=\\([^ ]*\\).*/\\1/p" "$REP" | tr '+' '\n' | sed -n "s/^$1://p" | head -1
}
# sweep NAME [ERRNO]: fails each call of NAME in turn.  Each session is
# refused (111) with a log line, or, where the library retries the call
# (libnftables fetches its cache again), is whole: logged as isolated and
# reaching the exam port.  Either way no descriptor leaks and nothing is
# left once it ends.
sweep() {
	local name=$1 err=${2:+:$2} n i rc problems=() steps= retried=0
	n=$(calls "$name")
	if ! [ "${n:-0}" -ge 1 ] 2>/dev/null; then
		fail "$name: calls in a good session" "counted '${n:-}': $(cat "$REP")"
		return
	fi
	for ((i = 1; i <= n; i++)); do
		fault_login "$name:$i$err"
		rc=$?
		grep -q "^inject=$name:$i " "$REP" || problems+=("$name:$i not injected: $(cat "$REP")")
		grep -q "fds_new=0$" "$REP" || problems+=("$name:$i: descriptors leaked: $(cat "$REP")")
		case $rc in
		111)
			grep -q "isolated the session of $A" "$LOG" && problems+=("$name:$i: refused, but logged 'isolated'")
			grep -Eq "pam_nonet\\(exam:session\\): (cannot|refusing|the network namespace)" "$LOG" ||
				problems+=("$name:$i: no error line: $(cat "$LOG")")
			steps+="$(grep -Eo '(cannot|refusing) [^:(]*' "$LOG" | head -1 | sed 's/ for .*//'); " ;;
		0)
			retried=$((retried + 1))
			grep -q "isolated the session of $A: .* uplink=$U lease=" "$LOG" ||
				problems+=("$name:$i: let in, but no info line: $(cat "$LOG")")
			grep -qx "exam-tcp srv tcp 8080" "$PROBE" 2>/dev/null ||
				problems+=("$name:$i: let in, but the exam port is not reached: $(cat "$PROBE" 2>&1)") ;;
		*) problems+=("$name:$i: exit $rc") ;;
		esac
		while read -r line; do
			[ -n "$line" ] && problems+=("$name:$i: left behind: $line")
		done < <(left)
	done
	if [ ${#problems[@]} = 0 ]; then
		ok "each of the $n $name calls failed in turn: refused and logged ($steps), or retried to a whole session ($retried); nothing left"
	else
		fail "each $name call failed in turn: refused, logged, nothing left" "${problems[@]}"
	fi
}
sweep send
sweep setns
sweep nfsend EIO
# The lease file (O_EXCL under the leases directory).
fault_login "open:1:EACCES:/leases/"
rc=$?
expect_eq "the lease file cannot be made: refused (111), nothing left, logged" \
	"111  1" "$rc $(left) $(grep -c "cannot take a lease of uplink $U for $A" "$LOG")"
