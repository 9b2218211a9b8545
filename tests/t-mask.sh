#!/bin/bash
# Mask tier: the sockets of host daemons that resolve names for the caller
# (nonet.conf(5), MASKS) are masked in every isolated session, end to end
# through the real module, against the real nscd (Debian's package):
#   - nscd runs with a resolver that records every query name, both in a
#     network namespace of their own (the "host" side): a name reaches the
#     resolver only through nscd;
#   - from an un-isolated control session the name arrives (the path
#     works); from a private, a shared and a join= session it does not,
#     `getent hosts` returns within a second, nscd's socket (both
#     /run/nscd/socket and /var/run/nscd/socket) and listening sockets at
#     systemd-resolved's varlink paths are not there (their directories
#     are covered), and resolved's directory shows only its regular file
#     stub-resolv.conf, to which /etc/resolv.conf links (as on Debian);
#   - the restart gap: nscd and the varlink listeners restarted on the
#     "host" while a session runs (new sockets, new inodes) stay out of
#     its reach, and the name does not arrive; a control session reaches
#     the new nscd;
#   - join=NAME resolves through /etc/netns/NAME/resolv.conf inside its
#     namespace (bound over the stub file the link leads to, and kept by
#     the cover of resolved's directory); mask= (rule and module argument) covers an extra socket
#     and a directory; nomask leaves nscd reachable; a mask= path that does
#     not exist is skipped; nothing propagates back to the "host";
#   - fault injection (tests/fault/fault.c): the mount namespace and every
#     mount step of a mask, made to fail, refuse the session with a syslog
#     line naming the path and the error; a bad mask= (rule or module
#     argument) refuses every session.
# Everything runs in a private mount namespace (with_devlog) with an
# overlay over /etc, a tmpfs over /run, and a private network namespace:
# no host file changes, no daemon starts on the host.
. "$(dirname "$0")/lib.sh"

if [ -z "${T_MASK_SYSLOG:-}" ]; then
	export T_MASK_SYSLOG=$T_ROOT/syslog.all
	with_devlog "$T_MASK_SYSLOG" unshare -n bash "$T_SRC/tests/$T_NAME.sh"
	exit $?
fi
for tool in nscd getent nsenter; do
	if ! command -v $tool >/dev/null; then
		skip_all_strict "$tool is not installed (make deps)"
	fi
done
plan 54
PY=/usr/bin/python3 # not a shim in root's home: the users run it too
HELPERS=$T_ROOT/helpers
mkdir -m 0755 "$HELPERS"
cp "$T_SRC"/tests/helpers/nonet-t-*.py "$HELPERS/"
chmod 0755 "$HELPERS"/*
ip link set lo up

# --- a private /etc and /run -----------------------------------------------
mkdir "$T_ROOT/etc"
on_exit "umount -l '$T_ROOT/etc'"
if ! out=$(mount -t tmpfs tmpfs "$T_ROOT/etc" 2>&1 &&
	mkdir "$T_ROOT/etc/up" "$T_ROOT/etc/work" &&
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T_ROOT/etc/up,workdir=$T_ROOT/etc/work" /etc 2>&1 &&
	mount -t tmpfs -o mode=0755 tmpfs /run 2>&1 && mount --make-shared /run 2>&1); then
	fail "an overlay over /etc, a tmpfs over /run (private mount namespace)" "$out"
	exit 1
fi
on_exit "umount -l /run; umount -l /etc; umount -l '$T_ROOT/etc'"
# /etc/resolv.conf links to resolved's stub file, as on Debian with
# systemd-resolved: the masks must keep it (join= binds over it).
RES=/run/systemd/resolve
mkdir -p $RES
rm -f /etc/resolv.conf /etc/nsswitch.conf
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >$RES/stub-resolv.conf
ln -s ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >/etc/nsswitch.conf

tag=nonet-t-$$
U=$tag-u C=$tag-c
uid=
for n in $(seq $((T_UID_BASE + 62000)) $((T_UID_BASE + 62999))); do
	if ! getent passwd "$n" >/dev/null && ! getent passwd $((n + 1)) >/dev/null &&
		! getent group "$n" >/dev/null; then
		uid=$n
		break
	fi
done
printf '%s\n' "$U:x:$uid:65534::/:/bin/sh" "$C:x:$((uid + 1)):65534::/:/bin/sh" >>/etc/passwd
expect_eq "test users $U and $C (overlay /etc)" "$uid $((uid + 1))" "$(id -u "$U") $(id -u "$C")"

# --- the "host" side: nscd and a recording resolver in a namespace of their own
DNS_LOG=$T_ROOT/dns.log JOIN_LOG=$T_ROOT/join-dns.log
: >"$DNS_LOG"
: >"$JOIN_LOG"
chmod 0644 "$DNS_LOG" "$JOIN_LOG"
ip netns add daemons
on_exit "ip netns delete daemons"
ip -n daemons link set lo up
wait_file() { # FILE: at most 10 s
	local i
	for i in $(seq 200); do [ -e "$1" ] && return 0; sleep 0.05; done
	return 1
}
nsenter --net=/run/netns/daemons $PY "$HELPERS/nonet-t-dns.py" "$DNS_LOG" 127.0.0.1 "$T_ROOT/dns.ready" &
on_exit "kill $!"
mkdir -p /run/nscd
printf '%s\n' "enable-cache hosts yes" "persistent hosts no" "shared hosts yes" \
	"enable-cache passwd no" "enable-cache group no" "enable-cache services no" \
	"enable-cache netgroup no" >"$T_ROOT/nscd.conf"
start_nscd() {
	nsenter --net=/run/netns/daemons nscd -F -f "$T_ROOT/nscd.conf" 2>>"$T_ROOT/nscd.err" &
	NSCD=$!
	on_exit "kill $NSCD"
}
start_nscd
# systemd-resolved's varlink sockets, and the extra ones for mask=
mkdir -p "$T_ROOT/maskdir"
chmod 0755 "$T_ROOT/maskdir"
EXTRA=$T_ROOT/extra.sock INNER=$T_ROOT/maskdir/inner.sock
start_varlink() {
	rm -f $RES/io.systemd.Resolve $RES/io.systemd.Resolve.Monitor "$T_ROOT/varlink.ready"
	nsenter --net=/run/netns/daemons $PY "$HELPERS/nonet-t-unix.py" listen "$T_ROOT/varlink.ready" \
		$RES/io.systemd.Resolve $RES/io.systemd.Resolve.Monitor &
	VARLINK=$!
	on_exit "kill $VARLINK"
}
start_varlink
nsenter --net=/run/netns/daemons $PY "$HELPERS/nonet-t-unix.py" listen "$T_ROOT/unix.ready" \
	"$EXTRA" "$INNER" &
on_exit "kill $!"
if ! wait_file "$T_ROOT/dns.ready" || ! wait_file /run/nscd/socket || ! wait_file "$T_ROOT/unix.ready" ||
	! wait_file "$T_ROOT/varlink.ready"; then
	fail "nscd, the resolver and the varlink listeners start" "$(cat "$T_ROOT/nscd.err")"
	exit 1
fi

# The join= namespace, with its own resolver at 127.0.0.2 and its own
# /etc/netns/NAME/resolv.conf naming it.
JOIN=t-mask-join-$$
ip netns add "$JOIN"
on_exit "ip netns delete $JOIN"
ip -n "$JOIN" link set lo up
mkdir -p "/etc/netns/$JOIN"
printf 'nameserver 127.0.0.2\noptions timeout:1 attempts:1\n' >"/etc/netns/$JOIN/resolv.conf"
nsenter --net="/run/netns/$JOIN" $PY "$HELPERS/nonet-t-dns.py" "$JOIN_LOG" 127.0.0.2 "$T_ROOT/join.ready" &
on_exit "kill $!"
wait_file "$T_ROOT/join.ready"

# --- services ----------------------------------------------------------------
svc() { # NAME MODULE-ARGS POLICY-LINE...
	local name=$1 args=$2 p
	shift 2
	p=$(make_policy "$name" "$@")
	PAMD=$(make_service "$name" "session required $MODULE conf=$p $args" \
		"session required pam_permit.so")
}
svc private "" "private $U" "none $C"
svc shared "" "shared $U"
svc join "" "join=$JOIN $U"
svc nomask "" "private $U nomask"
svc extra "" "private $U mask=$EXTRA,$T_ROOT/maskdir,/nonexistent/nonet-t.sock"
svc argmask "mask=$EXTRA nomask" "private $U"
svc bad "" "private $U mask=relative/x.sock"
svc badarg "mask=/a mask=/b" "private $U"

SOCKS="/run/nscd/socket /var/run/nscd/socket $RES/io.systemd.Resolve $RES/io.systemd.Resolve.Monitor"
# in SERVICE USER NAME: one session that probes the sockets, then looks
# NAME up and prints "rc=R ms=M" and getent's answer.
in_session() {
	nonet session -u "$2" --confdir "$PAMD" -s "$1" -- sh -c "
		$HELPERS/nonet-t-unix.py probe $SOCKS $EXTRA $T_ROOT/maskdir $RES
		s=\$(date +%s%N); a=\$(getent hosts $3); rc=\$?; e=\$(date +%s%N)
		echo \"rc=\$rc ms=\$(((e - s) / 1000000))\"; echo \"\$a\"" 2>>"$T_ROOT/sessions.err"
}
name() { echo "$1-$$-$RANDOM$RANDOM.example"; }
arrived() { grep -qxF "$2" "$1" && echo arrived || echo absent; }
probe_of() { printf '%s\n' "$1" | sed -n 1p; }
fast() { # OUTPUT: "fast" when getent returned within a second
	local ms
	ms=$(printf '%s\n' "$1" | sed -n 's/^rc=[0-9]* ms=\([0-9]*\)$/\1/p')
	[ -n "$ms" ] && [ "$ms" -lt 1000 ] && echo fast || echo "slow (${ms:-?} ms)"
}
# The defaults cover the daemons' directories: no socket is there at all.
ALL_REFUSED="/run/nscd/socket:ENOENT /var/run/nscd/socket:ENOENT $RES/io.systemd.Resolve:ENOENT $RES/io.systemd.Resolve.Monitor:ENOENT"

# --- the control: not isolated, the name goes out through nscd --------------
n=$(name control)
out=$(in_session private "$C" "$n")
expect_match "control (not isolated): getent answers through nscd" "192\.0\.2\.7 +$n" "$out"
expect_eq "control: the resolver behind nscd received the name" arrived "$(arrived "$DNS_LOG" "$n")"
expect_eq "control: nscd's and resolved's sockets and the extra ones accept" \
	"/run/nscd/socket:ok /var/run/nscd/socket:ok $RES/io.systemd.Resolve:ok $RES/io.systemd.Resolve.Monitor:ok $EXTRA:ok $T_ROOT/maskdir:dir=1 $RES:dir=3" \
	"$(probe_of "$out")"
n=$(name direct)
out=$(getent -s dns hosts "$n")
expect_eq "control: without nscd (getent -s dns) nothing answers here, nothing arrives" \
	"|absent" "$out|$(arrived "$DNS_LOG" "$n")"

# --- private, shared, join ---------------------------------------------------
for mode in private shared; do
	n=$(name $mode)
	out=$(in_session $mode "$U" "$n")
	expect_eq "$mode: nscd (both paths) and resolved's varlink sockets are gone, only stub-resolv.conf is left" \
		"$ALL_REFUSED $EXTRA:ok $T_ROOT/maskdir:dir=1 $RES:dir=1" "$(probe_of "$out")"
	expect_eq "$mode: the name never reaches the resolver" absent "$(arrived "$DNS_LOG" "$n")"
	expect_match "$mode: getent hosts fails (rc 2)" "^rc=2 " "$out"
	expect_eq "$mode: getent hosts returns within a second" fast "$(fast "$out")"
done
n=$(name join)
out=$(in_session join "$U" "$n")
expect_eq "join: nscd and resolved's sockets are gone" "$ALL_REFUSED $EXTRA:ok $T_ROOT/maskdir:dir=1 $RES:dir=1" \
	"$(probe_of "$out")"
expect_match "join: getent answers through /etc/netns/$JOIN/resolv.conf (bound over the stub file, kept by the mask)" \
	"192\.0\.2\.7 +$n" "$out"
expect_eq "join: the join namespace's resolver got the name, the one behind nscd did not" \
	"arrived absent" "$(arrived "$JOIN_LOG" "$n") $(arrived "$DNS_LOG" "$n")"

# --- mask=, nomask -----------------------------------------------------------
n=$(name extra)
out=$(in_session extra "$U" "$n")
expect_eq "mask= (rule): the extra socket refuses, the directory is empty, the defaults stay masked" \
	"$ALL_REFUSED $EXTRA:ECONNREFUSED $T_ROOT/maskdir:dir=0 $RES:dir=1" "$(probe_of "$out")"
expect_match "mask= (rule): a path that does not exist is skipped, the session opens" "^rc=2 " "$out"
n=$(name nomask)
out=$(in_session nomask "$U" "$n")
expect_eq "nomask: nscd's socket is reachable (the admin's choice)" \
	"/run/nscd/socket:ok" "$(probe_of "$out" | cut -d' ' -f1)"
expect_eq "nomask: the name reaches the resolver through nscd, from an isolated session" \
	arrived "$(arrived "$DNS_LOG" "$n")"
n=$(name argmask)
out=$(in_session argmask "$U" "$n")
expect_eq "module arguments mask=PATH nomask: only that path is masked" \
	"/run/nscd/socket:ok $EXTRA:ECONNREFUSED" \
	"$(probe_of "$out" | tr ' ' '\n' | grep -E '^(/run/nscd/socket|'"$EXTRA"'):' | tr '\n' ' ' | sed 's/ $//')"

# --- the restart gap: daemons restarted while a session runs -----------------
# The session starts, waits until nscd and the varlink listeners have
# been restarted on the "host" (each unlinks its socket and binds a new
# one), then probes and looks a name up.
W=$T_ROOT/w # the sessions' commands write their marks there
mkdir -m 1777 "$W"
section_restart() {
	local n old spid out old_pid=$NSCD
	n=$(name restart)
	old=$(stat -c %i /run/nscd/socket)
	nonet session -u "$U" --confdir "$PAMD" -s private -- sh -c "
		: >$W/started; while [ ! -e $W/go ]; do sleep 0.05; done
		$HELPERS/nonet-t-unix.py probe $SOCKS $RES
		getent hosts $n; echo rc=\$?" >"$T_ROOT/restart.out" 2>>"$T_ROOT/sessions.err" &
	spid=$!
	if ! wait_file "$W/started"; then
		fail "restart: the session starts" "$(cat "$T_ROOT/sessions.err")"
		exit 1
	fi
	kill "$NSCD" "$VARLINK"
	wait "$NSCD" "$VARLINK" 2>/dev/null
	start_nscd
	start_varlink
	wait_file "$T_ROOT/varlink.ready"
	for _ in $(seq 200); do
		[ -S /run/nscd/socket ] && [ "$(stat -c %i /run/nscd/socket)" != "$old" ] && break
		sleep 0.05
	done
	expect_eq "restart: nscd bound a new socket on the \"host\" (another inode), the old nscd is gone" \
		"new gone" "$([ "$(stat -c %i /run/nscd/socket 2>/dev/null)" != "$old" ] && echo new) $(kill -0 "$old_pid" 2>/dev/null || echo gone)"
	: >"$W/go"
	wait "$spid"
	out=$(cat "$T_ROOT/restart.out")
	expect_eq "restart: the running session still finds no socket of nscd or resolved" \
		"$ALL_REFUSED $RES:dir=1" "$(probe_of "$out")"
	expect_eq "restart: its lookup fails (rc 2), the name never reaches the resolver" \
		"rc=2 absent" "$(printf '%s\n' "$out" | tail -1) $(arrived "$DNS_LOG" "$n")"
	n=$(name restart-control)
	out=$(in_session private "$C" "$n")
	expect_eq "restart: a control session reaches the new nscd, its name arrives" \
		"/run/nscd/socket:ok arrived" "$(probe_of "$out" | cut -d' ' -f1) $(arrived "$DNS_LOG" "$n")"
}
section_restart

# --- nothing propagated back ------------------------------------------------
expect_eq "no mask is left on the \"host\" (/run is shared here): no mount at the paths" "0" \
	"$(grep -cE " (/run/nscd|$RES|$EXTRA|$T_ROOT/maskdir)(/[^ ]*)? " /proc/self/mountinfo)"
expect_eq "the \"host\" still reaches every socket" \
	"/run/nscd/socket:ok $RES/io.systemd.Resolve:ok $EXTRA:ok" \
	"$($HELPERS/nonet-t-unix.py probe /run/nscd/socket $RES/io.systemd.Resolve "$EXTRA")"

# --- the D-Bus drop-in (config/nonet-resolve1.conf) on a private bus -------
# The real dbus-daemon loads it next to a default policy that allows
# everything; a helper owns org.freedesktop.resolve1 and never answers: a
# call the policy lets through times out, one it stops gets AccessDenied.
section_dbus() {
	local d=$T_ROOT/dbus out_u out_c
	mkdir -m 0755 "$d" "$d/system.d"
	cp "$T_SRC/config/nonet-resolve1.conf" "$d/system.d/"
	if getent group nonet >/dev/null; then
		gpasswd -a "$U" nonet >/dev/null
	else
		printf 'nonet:x:%s:%s\n' "$uid" "$U" >>/etc/group
	fi
	cat >"$d/bus.conf" <<-EOF
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <listen>unix:path=$d/bus.sock</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow user="*"/>
	    <allow own="*"/>
	    <allow send_destination="*"/>
	    <allow receive_sender="*"/>
	  </policy>
	  <includedir>$d/system.d</includedir>
	</busconfig>
	EOF
	check "D-Bus drop-in: well-formed XML (xmllint)" xmllint --noout "$d/system.d/nonet-resolve1.conf"
	dbus-daemon --config-file="$d/bus.conf" --nofork 2>"$d/err" &
	on_exit "kill $!"
	wait_file "$d/bus.sock"
	"$HELPERS/nonet-t-busname.py" "$d/bus.sock" org.freedesktop.resolve1 "$d/owned" 2>>"$d/err" &
	on_exit "kill $!"
	wait_file "$d/owned"
	call() { # USER
		setpriv --reuid="$1" --regid=65534 --init-groups dbus-send \
			--bus="unix:path=$d/bus.sock" --reply-timeout=1500 --print-reply \
			--dest=org.freedesktop.resolve1 /org/freedesktop/resolve1 \
			org.freedesktop.DBus.Peer.Ping 2>&1 | grep -o 'org\.freedesktop\.DBus\.Error\.[A-Za-z.]*' | head -1
	}
	out_u=$(call "$U") out_c=$(call "$C")
	expect_eq "D-Bus drop-in: a member of group nonet is denied org.freedesktop.resolve1" \
		org.freedesktop.DBus.Error.AccessDenied "$out_u"
	expect_eq "D-Bus drop-in: a user outside the group reaches it (the owner never answers)" \
		org.freedesktop.DBus.Error.NoReply "$out_c"
	# Its log also holds the refusal above, and a failure to raise its fd
	# limit (root lacks CAP_SYS_RESOURCE here): neither is a complaint.
	if grep -v "fd limit\|Rejected send message" "$d/err" | grep -qi "unknown\|error\|warn\|fail"; then
		fail "D-Bus drop-in: dbus-daemon loads it without complaint" "$(cat "$d/err")"
	else
		ok "D-Bus drop-in: dbus-daemon loads it without complaint"
	fi
}
if command -v dbus-daemon >/dev/null && command -v dbus-send >/dev/null && command -v xmllint >/dev/null; then
	section_dbus
else
	skip_strict_n 4 "D-Bus drop-in on a private bus" "dbus-daemon, dbus-send or xmllint is not installed (make deps)"
fi

# --- refusals ------------------------------------------------------------------
LOG=$T_ROOT/syslog
mark() { logger -u /dev/log -t nonet-t-mark -- "$1"; }
# refused DESC SERVICE LOG-REGEX [VAR=VALUE...]: the session is refused
# (111), its command never runs, and syslog says why.
refused() {
	local desc=$1 s=$2 regex=$3 m1 m2 rc
	shift 3
	m1=begin-$BASHPID-$EPOCHREALTIME m2=end-$BASHPID-$EPOCHREALTIME
	rm -f "$W/ran"
	mark "$m1"
	env "$@" $NONET_WRAP "$NONET" session -u "$U" --confdir "$PAMD" -s "$s" -- \
		sh -c "echo ran >$W/ran" >"$T_ROOT/out" 2>&1
	rc=$?
	mark "$m2"
	for _ in $(seq 500); do grep -q -- "$m2" "$T_MASK_SYSLOG" && break; sleep 0.01; done
	sed -n "/$m1\$/,/$m2\$/p" "$T_MASK_SYSLOG" | grep -av nonet-t-mark >"$LOG"
	expect_eq "$desc: refused (111), the command never ran" "111 no" \
		"$rc $([ -e "$W/ran" ] && echo yes || echo no)"
	expect_match "$desc: syslog says why" "$regex" "$(cat "$LOG")"
}
refused "mask= with a relative path" bad "$T_ROOT/bad.conf:1: mask= needs absolute paths .*relative/x.sock"
refused "module argument mask= given twice" badarg \
	'duplicate module argument "mask=/b"'

if [ "$NONET_TIER" = valgrind ]; then
	skip_rest "fault injection into the mount steps" "an LD_PRELOAD interposer under valgrind adds nothing to the plain tier"
fi
if ! PRELOAD=$(fault_preload 2>&1); then
	fail "build the interposer tests/fault/fault.c" "$PRELOAD"
	exit 1
fi
fault() { # DESC SERVICE SPEC LOG-REGEX
	refused "fault $3 ($1)" "$2" "$4" NONET_FAULT="$3" LD_PRELOAD="$PRELOAD"
}
fault "the mount namespace" private unshare:2:ENOMEM \
	"cannot make a private mount namespace for $U: Cannot allocate memory"
# With /run as the path: the slave step (on the mount point /run), the
# tmpfs over /run/nscd, the bind of its one regular file (nscd.pid, made
# here if nscd did not write it) back into it, the read-only remount.
[ -f /run/nscd/nscd.pid ] || : >/run/nscd/nscd.pid
expect_eq "/run/nscd holds one regular file (the fault counts below rest on it)" 1 \
	"$(find /run/nscd -maxdepth 1 -type f | wc -l)"
fault "slave step" private mount:1:EPERM:/run \
	"mask: cannot make the mount under /run/nscd a slave for $U: Operation not permitted"
fault "cover step" private mount:2:ENOMEM:/run \
	"mask: cannot cover /run/nscd for $U: Cannot allocate memory"
fault "binding nscd.pid back into the cover" private mount:3:EIO:/run \
	"mask: cannot keep the files of /run/nscd for $U: Input/output error"
fault "read-only step" private mount:4:EIO:/run \
	"mask: cannot make read-only the cover of /run/nscd for $U: Input/output error"
fault "resolved's directory's cover" private mount:6:ENOSPC:/run \
	"mask: cannot cover $RES for $U: No space left on device"
fault "a regular file put back into the cover" private open:1:EACCES:stub-resolv.conf \
	"mask: cannot keep the files of $RES for $U: Permission denied"
fault "the tmpfs over a mask= directory" extra mount:1:ENOMEM:maskdir \
	"mask: cannot cover $T_ROOT/maskdir for $U: Cannot allocate memory"
fault "join's /etc/netns slave step, before the masks" join mount:1:EPERM \
	"cannot make the mounts slaves for /etc/netns/$JOIN: Operation not permitted"
