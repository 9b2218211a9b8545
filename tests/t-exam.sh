#!/bin/bash
# The README's exam room, for real: docs/examples/exam-netns builds a
# namespace whose only way out is the exam server; a join= session reaches
# the server's exam port and nothing else, and reads the namespace's own
# resolv.conf.  The "host" of the recipe is a test namespace (lab, entered
# with nsenter: `ip netns exec` would hide the pin in a mount namespace), the
# exam server another (srv): nothing on this machine's network changes.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "runs once, in the plain tier"
fi
command -v nft >/dev/null || skip_all_strict "no nft (make deps installs nftables)"
plan 8
user=nonet-t-$$-e
exam=nonet-t-exam-$$
export EXAM_HOST_IF=exh$$
on_exit "userdel '$user'"
useradd -M -N -s /bin/sh "$user" || { fail "useradd"; exit 0; }
lab=$(make_netns lab)
srv=$(make_netns srv)
ip link add a$$ netns "$lab" type veth peer name b$$ netns "$srv"
ip -n "$lab" addr add 198.18.0.1/24 dev a$$
ip -n "$srv" addr add 198.18.0.2/24 dev b$$
for ns in "$lab" "$srv"; do ip -n "$ns" link set lo up; done
ip -n "$lab" link set a$$ up
ip -n "$srv" link set b$$ up
# The exam server: port 8080 is the exam, 9090 anything else.
ip netns exec "$srv" python3 -c '
import socket, threading
def serve(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("198.18.0.2", port)); s.listen()
    while True:
        c, _ = s.accept(); c.sendall(b"port %d\n" % port); c.close()
for p in (8080, 9090):
    threading.Thread(target=serve, args=(p,), daemon=True).start()
threading.Event().wait(300)' &
server=$!
on_exit "kill $server"
for _ in $(seq 100); do
	ip netns exec "$srv" ss -ltn | grep -q '198.18.0.2:9090' && break
	sleep 0.05
done
on_exit "nsenter --net=/run/netns/'$lab' env EXAM_NETNS='$exam' '$T_SRC/docs/examples/exam-netns' down"
etc_existed=no
[ -d /etc/netns ] && etc_existed=yes
[ "$etc_existed" = yes ] || on_exit "rmdir /etc/netns"
if nsenter --net=/run/netns/"$lab" env EXAM_NETNS="$exam" "$T_SRC/docs/examples/exam-netns" up 198.18.0.2 8080 \
	>"$T_ROOT/up.log" 2>&1; then
	ok "exam-netns up builds the namespace"
else
	fail "exam-netns up builds the namespace" "$(cat "$T_ROOT/up.log")"
	exit 0
fi
policy=$(make_policy exam "join=$exam $user")
svc=$(make_service exam "session required $MODULE conf=$policy")
probe='import socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    s = socket.create_connection((host, port), timeout=2)
    print(s.recv(100).decode().strip())
except OSError as e:
    print("no:", type(e).__name__)'
in_exam() { nonet session -u "$user" --confdir "$svc" -s exam -- "$@" 2>&1; }
expect_eq "the session reaches the exam server's exam port" "port 8080" \
	"$(in_exam python3 -c "$probe" 198.18.0.2 8080)"
expect_match "... but not another port of the server" "^no:" \
	"$(in_exam python3 -c "$probe" 198.18.0.2 9090)"
expect_match "... nor the host side of the link" "^no:" \
	"$(in_exam python3 -c "$probe" 198.18.0.1 8080)"
expect_match "... nor the host's own loopback listener (another namespace)" "^no:" \
	"$(in_exam python3 -c "$probe" 127.0.0.1 8080)"
expect_eq "the session reads the namespace's resolv.conf" \
	"# exam-netns: no resolver; use the server's address" "$(in_exam cat /etc/resolv.conf)"
expect_eq "the host's /etc/resolv.conf is untouched" "$(sha256sum </etc/resolv.conf)" \
	"$(sha256sum </etc/resolv.conf)"
links=$(in_exam ip -j link | python3 -c 'import json,sys; print(" ".join(sorted(l["ifname"] for l in json.load(sys.stdin))))')
expect_eq "the session sees lo and the exam link" "eth0 lo" "$links"
