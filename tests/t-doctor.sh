#!/bin/bash
# nonet doctor: each check against a real object that flips it from open to
# closed.  The oracles are the objects the test makes: a private
# sshd_config read by the real /usr/sbin/sshd -T, a listening UNIX socket
# with and without group write, PAM directories with required, optional,
# a jump past the module and a service that lacks it, a linger file, a
# join= rule for one user and for two, a process of the user in the
# host's namespace (its PID), a listening socket at nscd's path under
# nomask (rule or module argument) and without, with mask= as a module
# argument in the PAM stack, and a setgid sender program (postdrop)
# present, without its set-id bit, and absent.  sshd -T wants /run/sshd
# and linger files live in /var/lib/systemd/linger: the doctor runs in a
# private mount namespace whose /run and /usr/sbin are overlays and whose
# /var/lib/systemd is a tmpfs, so nothing on the host changes.
. "$(dirname "$0")/lib.sh"
plan 31

PROM_CHECK=$T_SRC/tests/prom_check.py
# The oracles' interpreter: root's PATH may start with a pyenv shim, a bash
# script that costs about half a second of CPU on every call.
PY=$(command -v /usr/bin/python3 || command -v python3)
# valgrind_skip N DESC: in the valgrind tier, N skips and true: for a case
# that only flips a decision whose code path another case there takes
# (nonet doctor takes 2 s or more a run under valgrind).
valgrind_skip() {
	[ "$NONET_TIER" = valgrind ] || return 1
	local why="valgrind tier: too slow, and another case takes its code path; the plain and asan tiers run it"
	if [ "$1" = 1 ]; then skip "$2" "$why"; else skip_n "$1" "$2" "$why"; fi
}
DA=nonet-dr-$$-a
DB=nonet-dr-$$-b
DG=nonet-dr-$$-g
W=$T_ROOT/w
mkdir -m 0755 "$W"
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
	pkill -KILL -U "$DA" # only this test's own, uniquely named users
	userdel "$DA"
	userdel "$DB"
	groupdel "$DG"
}
on_exit cleanup
groupadd "$DG" && useradd -M -N -G "$DG" -s /bin/sh "$DA" &&
	useradd -M -N -s /bin/sh "$DB" || { fail "useradd"; exit 1; }

# doctor [--linger USER] [--nscd] [--sbin NAME:MODE] ARGS...: nonet
# doctor in the private mount namespace described above, with
# LINGER_DIR/USER, a listening socket at /run/nscd/socket, or a copy of
# /bin/true as /usr/sbin/NAME with MODE, when asked.
doctor() {
	local linger= nscd= sbin=
	while :; do
		case $1 in
		--linger) linger=$2; shift 2 ;;
		--nscd) nscd=1; shift ;;
		--sbin) sbin=$2; shift 2 ;;
		*) break ;;
		esac
	done
	PY=$PY unshare -m --propagation private bash -c '
		w=$1 linger=$2 nscd=$3 sbin=$4; shift 4
		d=$(mktemp -d "$w/mnt.XXXXXX")
		mount -t tmpfs tmpfs "$d" || exit 97
		mkdir "$d/up" "$d/work" "$d/lib" "$d/sbin-up" "$d/sbin-work"
		mount -t overlay overlay \
			-o "lowerdir=/run,upperdir=$d/up,workdir=$d/work" /run || exit 97
		mkdir -p /run/sshd
		mount --bind "$d/lib" /var/lib/systemd || exit 97
		mkdir /var/lib/systemd/linger
		[ -z "$linger" ] || : >"/var/lib/systemd/linger/$linger"
		if [ -n "$sbin" ]; then
			mount -t overlay overlay -o \
				"lowerdir=/usr/sbin,upperdir=$d/sbin-up,workdir=$d/sbin-work" /usr/sbin || exit 97
			cp /bin/true "/usr/sbin/${sbin%%:*}" && chmod "${sbin#*:}" "/usr/sbin/${sbin%%:*}" || exit 97
		fi
		if [ -n "$nscd" ]; then
			mkdir -p /run/nscd
			# It hangs up at once: glibc in nonet asks nscd first, and
			# waits about 5 s a lookup for an answer that never comes.
			"$PY" -c "
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(\"/run/nscd/socket\"); s.listen(8)
while True:
    s.accept()[0].close()" &
			for _ in $(seq 100); do [ -S /run/nscd/socket ] && break; sleep 0.05; done
		fi
		"$@"
		rc=$?
		[ -z "$nscd" ] || kill %1
		exit $rc' bash "$W" "$linger" "$nscd" "$sbin" $NONET_WRAP "$NONET" doctor "$@"
}
# rows JSON USER CHECK: "status|evidence" of each finding, one per line.
rows() {
	"$PY" -c '
import json, sys
d = json.load(sys.stdin)
for f in d["findings"]:
    if f["user"] == sys.argv[1] and f["check"] == sys.argv[2]:
        print("%s|%s" % (f["status"], f["evidence"]))' "$1" "$2"
}

ns=$(make_netns dr)
pol=$(make_policy doctor "private $DA,$DB")
pol_join2=$(make_policy doctor-join2 "join=$ns $DA,$DB")
pol_join1=$(make_policy doctor-join1 "join=$ns $DA" "private $DB")
mkdir "$W/pam-open" "$W/pam-closed" "$W/pam-jump"
M=$MODULE
printf 'session required pam_unix.so\nsession required %s\n' "$M" >"$W/pam-open/sshd"
printf 'session optional %s\n' "$M" >"$W/pam-open/su"
printf 'session required pam_unix.so\n' >"$W/pam-open/runuser"
printf 'session required pam_unix.so\nsession required %s\n' "$M" >"$W/pam-closed/common-session"
for s in sshd su runuser; do
	printf '@include common-session\n' >"$W/pam-closed/$s"
done
printf 'session [success=1 default=ignore] pam_succeed_if.so quiet user = nobody\nsession required %s\n' \
	"$M" >"$W/pam-jump/su"
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" || { fail "ssh-keygen"; exit 1; }
printf 'HostKey %s\nAllowStreamLocalForwarding no\nX11Forwarding no\nPermitTunnel no\n' \
	"$W/hostkey" >"$W/sshd_open"
cp "$W/sshd_open" "$W/sshd_match"
printf 'Match Group %s\n\tAllowTcpForwarding no\n' "$DG" >>"$W/sshd_match"
common=(--conf "$pol" --pam-dir "$W/pam-open" --sshd-config "$W/sshd_open")

# --- pam-stack -----------------------------------------------------------------
# json0: the state before the test makes sockets, processes or linger files;
# the kernel and outside-processes checks below read it too.
json=$(doctor "${common[@]}" -J "$DA")
expect_eq "doctor: exit 1 (something is open)" 1 "$?"
json0=$json
got=$(printf '%s' "$json" | rows "$DA" pam-stack)
expect_match "pam-stack: su with an optional pam_nonet is open" "^open\|su: optional at su:1" "$got"
expect_match "pam-stack: runuser, which lacks the module, is open" "^open\|runuser: never reaches pam_nonet" "$got"
expect_eq "pam-stack: sshd (required) is not among the open ones" "" \
	"$(printf '%s\n' "$got" | grep '^open|sshd')"
got=$(doctor --conf "$pol" --pam-dir "$W/pam-closed" -J "$DA" | rows "$DA" pam-stack)
expect_eq "pam-stack: every service through a required line: closed" \
	"closed|3 service(s) reach pam_nonet as required: runuser, sshd, su" "$got"
if ! valgrind_skip 1 "pam-stack: a [success=1] jump over the required line is open"; then
	got=$(doctor --conf "$pol" --pam-dir "$W/pam-jump" -J "$DA" | rows "$DA" pam-stack)
	expect_match "pam-stack: a [success=1] jump over the required line is open" \
		"^open\|su: \[success=1 default=ignore\] pam_succeed_if.so at su:1 may end the stack or jump past" "$got"
fi

# --- ssh-forwarding (the real sshd -T) -----------------------------------------
got=$(printf '%s' "$json" | rows "$DA" ssh-forwarding)
expect_match "ssh-forwarding: without a Match block -R is open" \
	"^open\|sshd -T: allowtcpforwarding yes and permitlisten any" "$got"
json=$(doctor "${common[@]}" --sshd-config "$W/sshd_match" -J "$DA" "$DB")
got=$(printf '%s' "$json" | rows "$DA" ssh-forwarding)
expect_match "ssh-forwarding: Match Group $DG with AllowTcpForwarding no closes it for $DA" \
	"^closed\|sshd -T: allowtcpforwarding no" "$got"
got=$(printf '%s' "$json" | rows "$DB" ssh-forwarding)
expect_match "... and leaves it open for $DB (not in the group)" "^open\|" "$got"

# --- daemon-socket -------------------------------------------------------------
sock=$W/daemon.sock
"$PY" -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[1] + ".up", "w").close()
time.sleep(3600)' "$sock" &
PIDS+=($!)
for _ in $(seq 1000); do [ -e "$sock.up" ] && break; sleep 0.01; done
chgrp "$DG" "$sock"
chmod 0660 "$sock"
got=$(doctor "${common[@]}" -J "$DA" | rows "$DA" daemon-socket)
expect_match "daemon-socket: a listening socket with group write is open to a member" \
	"^open\|$sock \(root:$DG 0660, through group $DG\)" "$got"
chmod 0640 "$sock"
if ! valgrind_skip 1 "daemon-socket: without group write it is not"; then
	got=$(doctor "${common[@]}" -J "$DA" | rows "$DA" daemon-socket)
	expect_eq "daemon-socket: without group write it is not" "" "$(printf '%s\n' "$got" | grep -F "$sock")"
fi
# A socket with a hostile name (ESC, BEL), open through the group: shown
# escaped; the same owned by the user is the user's own, not a daemon's.
evil=$W/$'e\e]0;x\a'.sock
"$PY" -c '
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
open(sys.argv[2], "w").close()
time.sleep(3600)' "$evil" "$W/evil.up" &
PIDS+=($!)
for _ in $(seq 1000); do [ -e "$W/evil.up" ] && break; sleep 0.01; done
chgrp "$DG" "$evil"
chmod 0660 "$evil"
out=$(doctor "${common[@]}" "$DA" 2>&1)
js=$(doctor "${common[@]}" -J "$DA" 2>&1)
expect_eq "daemon-socket: a socket's name is escaped (no ESC or BEL in the table or JSON; \\x1b in the evidence)" "0 yes" \
	"$(printf '%s%s' "$out" "$js" | tr -cd '\033\007' | wc -c) $(printf '%s' "$js" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print("yes" if any("\\x1b]0;x\\x07.sock" in f["evidence"] for f in d["findings"]) else "no")')"
chown "$DA" "$evil"
if ! valgrind_skip 1 "daemon-socket: a socket the user owns is not a host daemon's"; then
	got=$(doctor "${common[@]}" -J "$DA" | rows "$DA" daemon-socket)
	expect_eq "daemon-socket: a socket the user owns is not a host daemon's" "" \
		"$(printf '%s\n' "$got" | grep -F "x07.sock")"
fi

# --- name-service: nscd's socket, nomask in the rule or the PAM stack ----------
pol_nomask=$(make_policy doctor-nomask "private $DA nomask")
mkdir "$W/pam-nomask" "$W/pam-maskarg"
printf 'session required %s nomask\n' "$M" >"$W/pam-nomask/sshd"
printf 'session required %s nomask mask=/run/nscd/socket,%s\n' "$M" "$sock" >"$W/pam-maskarg/sshd"
got=$(doctor --nscd "${common[@]}" -J "$DA" | rows "$DA" name-service)
expect_eq "name-service: nscd's socket under the default masks is closed" \
	"closed|/run/nscd/socket is masked in $DA's sessions" "$got"
# Under valgrind the mask= case below parses a line with nomask too.
if ! valgrind_skip 3 "name-service: nomask in the rule or the stack, no socket"; then
	got=$(doctor --nscd --conf "$pol_nomask" --pam-dir "$W/pam-open" -J "$DA" | rows "$DA" name-service)
	expect_eq "name-service: a rule with nomask leaves it open" \
		"open|/run/nscd/socket is reachable: the rule says nomask for PAM service sshd" "$got"
	got=$(doctor --nscd --conf "$pol" --pam-dir "$W/pam-nomask" -J "$DA" | rows "$DA" name-service)
	expect_eq "name-service: nomask among pam_nonet's arguments in the stack leaves it open" \
		"open|/run/nscd/socket is reachable: pam_nonet's line says nomask for PAM service sshd" "$got"
	got=$(doctor --conf "$pol" --pam-dir "$W/pam-nomask" -J "$DA" | rows "$DA" name-service)
	expect_eq "name-service: without the socket there is nothing to say" \
		"n/a|neither nscd's nor systemd-resolved's socket exists, and systemd-resolved does not run" "$got"
fi
chmod 0660 "$sock"
json=$(doctor --nscd --conf "$pol" --pam-dir "$W/pam-maskarg" -J "$DA")
expect_eq "name-service and daemon-socket: mask= as pam_nonet's argument closes nscd's and the group's socket" \
	"closed|/run/nscd/socket is masked in $DA's sessions|" \
	"$(printf '%s' "$json" | rows "$DA" name-service)|$(printf '%s' "$json" | rows "$DA" daemon-socket | grep -F "$sock")"
if ! valgrind_skip 1 "daemon-socket: ... and open again with the stack's nomask alone"; then
	got=$(doctor --conf "$pol" --pam-dir "$W/pam-nomask" -J "$DA" | rows "$DA" daemon-socket)
	expect_match "daemon-socket: ... and open again with the stack's nomask alone" \
		"^open\|$sock \(root:$DG 0660, through group $DG\)" "$got"
fi
chmod 0640 "$sock"

# --- handoff: a setgid sender program present or not ---------------------------
got=$(doctor --sbin postdrop:2755 "${common[@]}" -J "$DA" | rows "$DA" handoff)
expect_eq "handoff: a setgid /usr/sbin/postdrop is open" \
	"open|/usr/sbin/postdrop (setgid): postfix's pickup sends for the caller (it is not isolated)" "$got"
if ! valgrind_skip 1 "handoff: the same program without its set-id bit is closed"; then
	got=$(doctor --sbin postdrop:0755 "${common[@]}" -J "$DA" | rows "$DA" handoff)
	expect_eq "handoff: the same program without its set-id bit is closed" \
		"closed|no setuid or setgid program that sends for its caller is installed for $DA" "$got"
fi

# --- outside-processes: an escape, and a linger file ---------------------------
setpriv --reuid="$DA" --regid="$(id -g "$DA")" --clear-groups sleep 600 &
esc=$!
PIDS+=($esc)
# Until setpriv has become the user's sleep.
for _ in $(seq 1000); do
	[ "$(stat -c %u "/proc/$esc" 2>/dev/null)/$(cat "/proc/$esc/comm" 2>/dev/null)" = \
		"$(id -u "$DA")/sleep" ] && break
	sleep 0.01
done
json=$(doctor --linger "$DA" "${common[@]}" -J "$DA")
got=$(printf '%s' "$json" | rows "$DA" outside-processes)
expect_match "outside-processes: the process in the host's namespace (the audit's escape)" \
	"^open\|PID $esc \(sleep\) in net:\[$(host_netns_inode)\]" "$got"
expect_match "outside-processes: the linger file" \
	"^open\|/var/lib/systemd/linger/$DA: the user's systemd --user starts at boot" "$got"
kill -KILL "$esc"
wait "$esc" 2>/dev/null
# The state without both: the first run's (json0).
got=$(printf '%s' "$json0" | rows "$DA" outside-processes)
expect_eq "outside-processes: without both: closed" \
	"closed|no process of $DA outside its sessions' namespaces (nonet audit)" "$got"

# --- shared-namespace ------------------------------------------------------------
got=$(doctor --conf "$pol_join2" --pam-dir "$W/pam-open" -J "$DA" "$DB" | rows "$DA" shared-namespace)
expect_match "shared-namespace: join=$ns for two users is open, names the other" \
	"^open\|join=$ns \(.*:1\) puts $DA with $DB: their loopback and abstract sockets are shared" "$got"
if ! valgrind_skip 1 "shared-namespace: join=$ns for one user is closed"; then
	got=$(doctor --conf "$pol_join1" --pam-dir "$W/pam-open" -J "$DA" "$DB" | rows "$DA" shared-namespace)
	expect_match "shared-namespace: join=$ns for one user is closed" "^closed\|join=$ns" "$got"
fi

# --- kernel: Yama's ptrace scope, against /proc ---------------------------------
got=$(printf '%s' "$json0" | rows "$DA" kernel | head -1)
if [ -r /proc/sys/kernel/yama/ptrace_scope ] &&
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope)" -ge 1 ]; then
	want="closed|kernel.yama.ptrace_scope = $(cat /proc/sys/kernel/yama/ptrace_scope)"
elif [ -e /proc/sys/kernel/yama ]; then
	want="open|kernel.yama.ptrace_scope = 0: a session may ptrace its user's processes in the host's namespace, and act there through them"
else
	want="open|no Yama: a session may ptrace its user's processes in the host's namespace, and act there through them"
fi
expect_eq "kernel: ptrace scope as /proc/sys/kernel/yama says" "$want" "$got"

# --- output, exit statuses, metrics ---------------------------------------------
out=$(doctor "${common[@]}" -o USER,CHECK,STATUS -n -r "$DA" | grep ' pam-stack ')
expect_eq "-o USER,CHECK,STATUS -n -r: one raw line per finding" \
	"$DA pam-stack open
$DA pam-stack open" "$out"
out=$(doctor --conf "$pol" -J root)
expect_eq "a user the policy does not isolate: nothing open, exit 0" \
	"0 n/a|the policy isolates no login of root" "$? $(printf '%s' "$out" | rows root policy)"
out=$(doctor --conf "$pol" nonet-dr-no-such-user-$$ 2>&1)
expect_eq "an unknown user: exit 2, says so" "2 nonet: doctor: unknown user nonet-dr-no-such-user-$$" "$? $out"
doctor "${common[@]}" --prometheus "$W/doctor.prom" "$DA" >/dev/null
if samples=$("$PY" "$PROM_CHECK" "$W/doctor.prom"); then
	got=$(printf '%s' "$samples" | "$PY" -c '
import json, sys
s = json.load(sys.stdin)
print(" ".join("%s=%s" % (l["check"], v) for n, l, v in s
               if n == "nonet_ways_out_open" and l["user"] == sys.argv[1]))' "$DA")
	expect_match "--prometheus: nonet_ways_out_open{user,check}, 2 open in pam-stack" \
		"pam-stack=2(\.0)? .*ssh-forwarding=1" "$got"
else
	fail "--prometheus: a valid textfile" "$samples"
fi
