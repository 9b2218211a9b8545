#!/bin/bash
# Container tier: a real systemd.  A root of this machine's own release
# (tests/debroot, cached; an overlay that vanishes with a private mount
# namespace) gets the build installed as the package installs it (the
# module, the tool, the shipped policy, the pam-auth-update profile, the
# package's postinst) and boots with
#   systemd-nspawn -b --register=no --keep-unit --private-network
# Logins are `su -` run by the container's own systemd (nsenter into the
# container, then systemd-run --wait), so the container's capabilities
# apply and the session goes through its logind; the users linger, so PID 1
# starts their `systemd --user` managers through the systemd-user stack.
#   kid  member of nonet: the shipped rule, private
#   pal  a `shared` rule before it
#   ctl  named by no rule: the control
# Checked: the su session, the user manager (user@UID.service) and a
# `systemd-run --user --wait` unit are each in a namespace that is not the
# container's (/proc/PID/ns/net inodes) with only lo and 127.0.0.1/8 (`ip -j
# addr` there); with `shared` all three in one; ctl's three are on the
# container's network (which has a veth pair besides lo, so "only lo"
# means something); `nonet check --user` and `nonet audit` inside agree.
# Then uplink t1 (exa's rule names it) and the mount namespace `nonet
# uplink up` runs in: from a unit with PrivateTmp=yes, up warns, PID 1's
# mount namespace has no namespace on the pin and exa's login is refused,
# down run in the unit's mount namespace takes it all down (run in PID 1's,
# it leaves the table and forwarding); from a plain unit, no warning, exa's
# login gets the link, down takes it all down.
# Then one boot sharing the host's network (no CAP_NET_ADMIN in the
# container): kid's login is refused with one line naming CAP_NET_ADMIN,
# ctl's works, and `nonet check` there says why isolation cannot work.  The container is stopped at the end, also on failure.
. "$(dirname "$0")/lib.sh"

host_plain_only "booted container" "plain tier only: the container's su and systemd load the module (no valgrind, no ASan runtime there); one boot per run"
for p in systemd-nspawn nsenter; do
	command -v "$p" >/dev/null || skip_all_strict "no $p (make deps: systemd-container)"
done

# --- outside: the root, then this script again in its mount namespace -----
if [ -z "${DEBROOT:-}" ]; then
	release=$(host_release)
	if ! root=$(debroot "$release" $DEBROOT_BOOT 2>"$T_ROOT/debroot.err"); then
		skip_all_strict "no $release root: $(tail -3 "$T_ROOT/debroot.err" | tr '\n' ' ')"
	fi
	plan 46
	# The inner instance records each container's leader: stopped here
	# too, should the inner instance be killed before its own cleanup.
	export T_OUTER=$T_ROOT
	on_exit 'for f in "$T_OUTER"/leader.*; do kill -KILL "$(cat "$f")"; done'
	in_debroot "$root" bash "$0"
	exit $?
fi

# --- inside: $DEBROOT is the container's root -------------------------------
R=$DEBROOT
host_ino=$(host_netns_inode)
pamdir=$(dirname "$(find "$R/usr/lib" "$R/lib" -name pam_unix.so -print -quit 2>/dev/null)")
if [ ! -d "$pamdir" ]; then
	fail "the root's PAM module directory (where pam_unix.so is)"
	exit 0
fi
# As debian/rules installs it, then the package's own postinst.
install -m 0755 "$NONET" "$R/usr/bin/nonet" &&
	install -m 0644 "$MODULE" "$pamdir/pam_nonet.so" &&
	install -D -m 0644 "$T_SRC/config/nonet.conf" "$R/etc/security/nonet.conf" &&
	install -D -m 0644 "$T_SRC/debian/pam-configs/nonet" "$R/usr/share/pam-configs/nonet" &&
	install -m 0755 "$T_SRC/debian/libpam-nonet.postinst" "$R/tmp/postinst" ||
	{ fail "install the build into the root"; exit 0; }
if ! out=$(chroot "$R" /tmp/postinst configure 2>&1) ||
	! grep -q pam_nonet "$R/etc/pam.d/common-session-noninteractive"; then
	fail "the package's postinst enables pam_nonet in the root" "$out"
	exit 0
fi
# pal's rule goes before the shipped one: the first match decides.
sed -i 's/^private[[:space:]]*@nonet/shared  pal\n&/' "$R/etc/security/nonet.conf"
# exa sits an exam: its sessions get a link to uplink t1.
echo 'private exa uplink=t1' >>"$R/etc/security/nonet.conf"
for u in kid pal ctl exa; do
	chroot "$R" useradd -m -s /bin/bash "$u" || { fail "useradd $u in the root"; exit 0; }
done
chroot "$R" usermod -aG nonet kid && chroot "$R" usermod -aG nonet pal
mkdir -p "$R/var/lib/systemd/linger" && touch "$R"/var/lib/systemd/linger/{kid,pal,ctl}
uid() { chroot "$R" id -u "$1"; }

LEADER= NSPAWN=
# boot NAME [NSPAWN-OPTION...]: boots the root; sets LEADER (the container's
# PID 1 as this namespace sees it) and NSPAWN.
boot() {
	local name=$1 t0 i
	shift
	t0=$(date +%s%N)
	systemd-nspawn -b -D "$R" --register=no --keep-unit -M "nonet-$name-$$" \
		--console=read-only "$@" >"$T_ROOT/console.$name" 2>&1 &
	NSPAWN=$!
	LEADER=
	# The container's PID 1: the child of nspawn that is PID 1 of a PID
	# namespace of its own (nspawn's other children come and go).
	for i in $(seq 300); do
		for c in $(pgrep -P "$NSPAWN"); do
			awk '/^NSpid:/ { exit !(NF > 2 && $NF == 1) }' \
				"/proc/$c/status" 2>/dev/null && LEADER=$c
		done
		[ -n "$LEADER" ] && break
		sleep 0.1
	done
	[ -n "$LEADER" ] || return 1
	echo "$LEADER" >"$T_OUTER/leader.$name"
	for i in $(seq 120); do
		state=$(nsenter -t "$LEADER" -a timeout 60 systemctl is-system-running --wait 2>/dev/null)
		case $state in running | degraded) break ;; esac
		kill -0 "$NSPAWN" 2>/dev/null || return 1
		sleep 0.5
	done
	BOOT_MS=$((($(date +%s%N) - t0) / 1000000))
	case $state in running | degraded) return 0 ;; esac
	return 1
}
# booted NAME DESC [NSPAWN-OPTION...]: boot, as one TAP line with the boot
# time; ends the script when the root does not boot.  Sets ct_ino, the
# container's network namespace.
booted() {
	local name=$1 desc=$2
	shift 2
	if ! boot "$name" "$@"; then
		fail "$desc" "state: ${state:-none}" "$(tail -30 "$T_ROOT/console.$name")"
		exit 0
	fi
	ok "$desc (in $BOOT_MS ms: $state)"
	echo "# t-container: $desc: $BOOT_MS ms"
	ct_ino=$(stat -L -c %i "/proc/$LEADER/ns/net")
}
# halt: powers the container off; kills it when it does not stop in 30 s.
halt() {
	[ -n "$NSPAWN" ] || return 0
	nsenter -t "$LEADER" -a systemctl poweroff --no-block >/dev/null 2>&1
	for _ in $(seq 150); do
		kill -0 "$NSPAWN" 2>/dev/null || break
		sleep 0.2
	done
	# SIGKILL to a PID namespace's init ends every process in it.
	kill -KILL "$LEADER" 2>/dev/null
	for _ in $(seq 50); do
		kill -0 "$NSPAWN" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$NSPAWN" 2>/dev/null
	wait "$NSPAWN" 2>/dev/null
	rm -f "$T_OUTER"/leader.*
	NSPAWN=
}
on_exit halt
# inct CMD...: CMD as root in the container, outside its systemd (checks).
inct() { nsenter -t "$LEADER" -a "$@"; }
# unit CMD...: CMD as a unit of the container's systemd (its capabilities).
unit() { inct systemd-run --wait -P -q "$@"; }
# nsprobe TAG (in the root): one line, TAG, the namespace inode and the
# `ip -j addr` of the process that runs it.
cat >"$R/usr/local/bin/nsprobe" <<'EOF'
#!/bin/sh
echo "$1 $(stat -L -c %i /proc/self/ns/net) $(ip -j addr show | tr -d '\n')"
EOF
chmod 0755 "$R/usr/local/bin/nsprobe"
# login USER: `su - USER` run by the container's systemd: the SESSION line,
# then the UNIT line of a `systemd-run --user --wait` unit started in it.
login() {
	unit su - "$1" -c 'nsprobe SESSION; systemd-run --user --wait -P -q nsprobe UNIT' 2>&1
}
# manager USER: the MANAGER line of user@UID.service's main process.
manager() {
	local pid
	pid=$(inct systemctl show -P MainPID "user@$(uid "$1").service")
	inct nsenter -t "$pid" -n nsprobe MANAGER 2>&1
}
# procs_of USER: PID and command of each process of USER in the container.
procs_of() {
	inct sh -c 'for d in /proc/[0-9]*; do
		[ "$(stat -c %u "$d" 2>/dev/null)" = "$1" ] && echo "${d#/proc/} $(cat "$d/comm")"
	done' sh "$(uid "$1")" 2>/dev/null
}
field() { printf '%s\n' "$2" | sed -n "s/^$1 //p" | head -1; }
# judge "INODE JSON": container (its own namespace), isolated (another
# one with only lo, UP, 127.0.0.1/8), or what else it is.
judge() {
	printf '%s' "$1" | sed '1s/ /\n/' | python3 "$T_SRC/tests/ip_verdict.py" "$ct_ino" |
		sed 's/^host$/container/'
}

# --- boot 1: the container has its own network ------------------------------
booted private "the $(host_release) root boots with --private-network" --private-network
if [ "$ct_ino" != "$host_ino" ]; then ok "the container has a network namespace of its own"; else fail "the container has a network namespace of its own" "$ct_ino"; fi
# Besides lo the container's network gets a veth pair with an address:
# "only lo" in a session then differs from "the container's network".
inct ip link add nn0 type veth peer name nn1 && inct ip addr add 192.0.2.1/24 dev nn0 &&
	inct ip link set nn0 up && inct ip link set nn1 up ||
	fail "a veth pair in the container's namespace"

declare -A S M U
for u in kid pal ctl; do
	out=$(login "$u")
	S[$u]=$(field SESSION "$out") U[$u]=$(field UNIT "$out")
	M[$u]=$(field MANAGER "$(manager "$u")")
	[ -n "${S[$u]}" ] && [ -n "${U[$u]}" ] && [ -n "${M[$u]}" ] ||
		fail "$u logs in with su - (its session, manager and --user unit report)" "$out" "$(manager "$u")"
done
for u in kid pal; do
	expect_eq "$u: the su - session has only lo, UP, 127.0.0.1/8, not the container's" \
		isolated "$(judge "${S[$u]}")"
	expect_eq "$u: the user manager (user@$(uid "$u").service via systemd-user) likewise" \
		isolated "$(judge "${M[$u]}")"
	expect_eq "$u: a systemd-run --user --wait unit likewise" isolated "$(judge "${U[$u]}")"
	expect_eq "$u: the unit is in its manager's namespace" "${M[$u]%% *}" "${U[$u]%% *}"
done
if [ "${S[kid]%% *}" != "${M[kid]%% *}" ]; then
	ok "kid (private): the session's namespace is its own, not the manager's"
else
	fail "kid (private): the session's namespace is its own, not the manager's" "${S[kid]%% *}"
fi
expect_eq "pal (shared): session and manager in one namespace" "${M[pal]%% *}" "${S[pal]%% *}"
expect_eq "pal (shared): it is the pinned /run/netns/nonet-pal" "${M[pal]%% *}" \
	"$(inct stat -L -c %i /run/netns/nonet-pal 2>&1)"
for what in "session ${S[ctl]}" "manager ${M[ctl]}" "unit ${U[ctl]}"; do
	expect_eq "ctl (no rule): the ${what%% *} is on the container's network" \
		container "$(judge "${what#* }")"
	expect_match "... and sees the container's veth" '"ifname":"nn0"' "$what"
done

# nonet check --user and nonet audit, run by the container's systemd, with
# a session of kid's open: both see kid's processes where the policy says.
inct systemd-run -q --unit=nonet-t-hold su - kid -c 'exec sleep 600' >/dev/null 2>&1
for _ in $(seq 50); do procs_of kid | grep -q ' sleep$' && break; sleep 0.1; done
check_out=$(unit nonet check -u kid -j 2>"$T_ROOT/check.err")
audit_out=$(unit nonet audit --all -j 2>"$T_ROOT/audit.err")
# Agreement: check names the namespaces of kid's processes, each as
# prescribed; audit judges the same processes, each "prescribed", no escape.
agree=$(printf '%s\n%s\n' "$check_out" "$audit_out" | python3 -c '
import json, sys
text = sys.stdin.read()
try:
    dec = json.JSONDecoder()
    check, end = dec.raw_decode(text)
    audit, _ = dec.raw_decode(text[end:].lstrip())
except ValueError as e:
    sys.exit("not two JSON documents (%s)" % e)
cp = sorted(p["pid"] for n in check.get("namespaces", []) if n["prescribed"]
            for p in n["processes"])
wrong = check.get("not_prescribed")
ap = sorted(p["pid"] for p in audit["processes"]
            if p["user"] == "kid" and p["verdict"] == "prescribed")
other = [p for p in audit["processes"] if p["user"] == "kid" and p["verdict"] != "prescribed"]
print("check: %d process(es) as prescribed, %s not; audit: %s, %d otherwise, %s escaped" %
      (len(cp), wrong, len(ap), len(other), audit["escaped_by_user"].get("kid")))
if cp and cp == ap and wrong == 0 and not other and audit["escaped_by_user"].get("kid") == 0:
    print("agree")
' 2>&1)
desc="nonet check --user kid and nonet audit agree: every process of kid where the policy says"
case $agree in
*$'\n'agree) ok "$desc" ;;
*) fail "$desc" "$agree" "check: $check_out" "$(cat "$T_ROOT/check.err")" \
	"audit: $audit_out" "$(cat "$T_ROOT/audit.err")" ;;
esac

# --- the uplink's pin and the mount namespace `uplink up` runs in ----------
# The pin is a mount: made by a unit with PrivateTmp= (a mount namespace
# of its own, a slave of PID 1's) it never reaches PID 1's, where logins
# start.  `up` warns then, and only then; down run where the pin was made
# takes everything down.  Oracles: the pin's inode in each mount namespace,
# nft and the forwarding sysctl in the container's network namespace.
PIN=/run/nonet/uplinks/t1/netns
fwd_was=$(inct cat /proc/sys/net/ipv4/ip_forward)
# cursor: where the container's journal ends now.
cursor() { inct journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
# pam_lines CURSOR: pam_nonet's lines for su - since CURSOR.
pam_lines() { inct journalctl -q -o cat --after-cursor="$1" | grep -F 'pam_nonet(su-l:session)'; }
# gone: what is left of uplink t1 (its directory, its table, forwarding).
gone() {
	inct test -e /run/nonet/uplinks/t1 && echo "/run/nonet/uplinks/t1 is there"
	nsenter -t "$LEADER" -n nft list tables | grep -F nonet_t1
	[ "$(inct cat /proc/sys/net/ipv4/ip_forward)" = "$fwd_was" ] ||
		echo "ip_forward is $(inct cat /proc/sys/net/ipv4/ip_forward), was $fwd_was"
}

# private_up: uplink up t1 in a service with PrivateTmp=yes that stays
# (upid, its process); /run/t-up.{rc,out,err} (/run is not private).
private_up() {
	inct rm -f /run/t-up.rc
	inct systemd-run -q --unit=nonet-t-uplink -p PrivateTmp=yes sh -c \
		'nonet uplink up t1 192.0.2.1 >/run/t-up.out 2>/run/t-up.err; echo $? >/run/t-up.rc; exec sleep 600' \
		>/dev/null 2>&1
	for _ in $(seq 100); do inct test -s /run/t-up.rc && break; sleep 0.1; done
	upid=$(inct systemctl show -P MainPID nonet-t-uplink.service)
}

private_up
err=$(inct cat /run/t-up.err 2>&1)
printf '%s\n' "$err" | sed 's/^/# up in a PrivateTmp= unit, stderr: /'
expect_eq "uplink up in a unit with PrivateTmp=yes succeeds" "0 uplink t1 up:" \
	"$(inct cat /run/t-up.rc 2>&1) $(inct cut -d' ' -f1-3 /run/t-up.out 2>&1)"
expect_match "... and warns that its pin is not in PID 1's mount namespace" \
	"^nonet: warning: uplink t1 is pinned in a mount namespace that is not PID 1's: .* are refused \(\"cannot open the uplink's namespace\"\)" "$err"
expect_eq "... where the unit runs, the pin is the container's network namespace" "$ct_ino" \
	"$(inct nsenter -t "$upid" -m stat -L -c %i $PIN 2>&1)"
expect_eq "... in PID 1's mount namespace the pin is an empty file, no namespace" \
	"regular empty file" "$(inct stat -c %F $PIN 2>&1)"
expect_match "... uplink show there lists it (its conf is on /run), saying its pin holds nothing here" \
	"^uplink t1: namespace net:\[$ct_ino\].* no namespace on its pin in this mount namespace \(pinned in another one\): logins started here are refused" \
	"$(inct nonet uplink show t1 2>&1 | tr '\n' ' ')"
cur=$(cursor)
out=$(unit su - exa -c 'nsprobe SESSION' 2>&1)
rc=$?
if [ "$rc" != 0 ] && [ -z "$(field SESSION "$out")" ]; then
	ok "exa's su - login (uplink=t1) is refused"
else
	fail "exa's su - login (uplink=t1) is refused" "status $rc" "$out"
fi
for _ in $(seq 50); do pam_lines "$cur" | grep -q exa && break; sleep 0.1; done
lines=$(pam_lines "$cur")
echo "$lines" | sed 's/^/# pam_nonet: /'
expect_match "... pam_nonet says why" \
	"cannot open the uplink's namespace for exa .*uplink t1" "$lines"
out=$(inct nsenter -t "$upid" -m nonet uplink down --force t1 2>&1)
expect_match "uplink down --force in the unit's mount namespace takes it down" \
	"^uplink t1 down: table inet nonet_t1 deleted, .* forwarding restored$" "$out"
inct systemctl stop nonet-t-uplink.service
expect_eq "... nothing is left: directory, table, forwarding" "" "$(gone 2>&1)"

out=$(unit nonet uplink up t1 192.0.2.1 2>"$T_ROOT/up.err")
rc=$?
expect_eq "uplink up in a unit without PrivateTmp= succeeds, nothing on stderr (no warning)" \
	"0 uplink t1 up: []" "$rc $(printf '%s\n' "$out" | cut -d' ' -f1-3) [$(cat "$T_ROOT/up.err")]"
expect_eq "... PID 1's mount namespace sees the pin" "$ct_ino" "$(inct stat -L -c %i $PIN 2>&1)"
expect_match "... and uplink show there names the container's namespace" \
	"^uplink t1: namespace net:\[$ct_ino\]" "$(inct nonet uplink show t1 2>&1)"
out=$(unit su - exa -c 'nsprobe SESSION' 2>&1)
expect_match "exa's su - login gets the uplink's link" \
	'"ifname":"eth0"' "$(field SESSION "$out") (output: $out)"
out=$(unit nonet uplink down --force t1 2>&1)
expect_match "uplink down --force takes it down" \
	"^uplink t1 down: table inet nonet_t1 deleted, .* forwarding restored$" "$out"
expect_eq "... nothing is left: directory, table, forwarding" "" "$(gone 2>&1)"

# down in PID 1's mount namespace cannot reach a pin made in a service's.
private_up
out=$(inct nonet uplink down --force t1 2>&1)
expect_match "uplink down in PID 1's mount namespace, the pin made in a PrivateTmp= unit: files only" \
	"^uplink t1 down: removed what was left; no namespace is pinned here" "$out"
expect_eq "... the table and forwarding stay in the container's namespace" \
	"table inet nonet_t1|ip_forward is 1, was $fwd_was" "$(gone 2>&1 | paste -sd'|')"
nsenter -t "$LEADER" -n nft delete table inet nonet_t1
inct sh -c "echo $fwd_was >/proc/sys/net/ipv4/ip_forward"
inct systemctl stop nonet-t-uplink.service
# --- boot 2: the container shares the host's network ------------------------
halt
booted hostnet "the root boots sharing the host's network"
expect_eq "... in the host's network namespace" "$host_ino" "$ct_ino"
out=$(login kid)
rc=$?
if [ "$rc" != 0 ] && [ -z "$(field SESSION "$out")" ]; then
	ok "kid's su - login is refused: the container has no CAP_NET_ADMIN"
else
	fail "kid's su - login is refused: the container has no CAP_NET_ADMIN" "status $rc" "$out"
fi
lines=$(inct journalctl -b -q -o cat | grep -F 'pam_nonet(su-l:session)')
expect_eq "... with one line from pam_nonet" 1 "$(printf '%s\n' "$lines" | grep -c .)"
expect_match "... that names CAP_NET_ADMIN" 'CAP_NET_ADMIN' "$lines"
expect_eq "no process of kid runs (fails closed; its lingering manager too)" "" \
	"$(procs_of kid)"
expect_eq "ctl's su - session is on the container's (= the host's) network" container \
	"$(judge "$(field SESSION "$(login ctl)")")"
# nonet check, run by the container's systemd, explains why no login can
# be isolated here: the bounding set has no CAP_NET_ADMIN.
out=$(unit nonet check 2>&1)
rc=$?
expect_eq "nonet check in this container: not isolated (exit 1)" 1 "$rc"
expect_match "... and says isolation cannot be set up here, for want of CAP_NET_ADMIN" \
	'isolation cannot be set up here: .*CAP_NET_ADMIN' "$out"
