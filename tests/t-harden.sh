#!/bin/bash
# Hardening tier: the rule options nonewprivs, lockdown, sysfs and hidepid
# (nonet.conf(5), OPTIONS), end to end through the real module in a real
# PAM stack (`nonet session --confdir`).  Each effect is shown next to a
# control that differs only in the option:
#   nonewprivs  a setuid-root probe (tests/helpers/nonet-t-suid.c, built
#               here) stays the user; a copy with cap_net_raw+ep cannot open
#               a raw socket; NoNewPrivs: 1
#   lockdown    the setuid-root probe is root but cannot setns into the
#               host's namespace, unshare one, or add a link; CapBnd lacks
#               the listed capabilities
#   sysfs       /sys/class/net is only lo, cgroup mounts are kept, the host's
#               /sys is untouched, host mounts made later still propagate
#   hidepid     other users' processes are invisible in /proc, the user's
#               own (also outside the session) are not
# Then combinations, shared namespaces with private mount namespaces, the
# options as module arguments, and failures (refusal + syslog line).
. "$(dirname "$0")/lib.sh"
plan 50

host_ino=$(host_netns_inode)
tag=nonet-t-$$
U1=$tag-h1 U2=$tag-h2
VALGRIND=
[ "$NONET_TIER" = valgrind ] && VALGRIND=1
# The controls (sessions without the option under test, the host's view)
# are slow under valgrind and test nothing of nonet's memory use there.
CONTROL_WHY="a control without the option under test: the plain and ASan tiers run it"

# --- users, and what their sessions may leave behind ------------------------
declare -A BG_OF # bg_sess NAME -> its pid
BG_PIDS=()  # background `nonet session`s and sleeps we started
PID_FILES=() # files holding the pid of a session's command
W=$T_ROOT/w # scratch space the users can write to
mkdir -m 1777 "$W"

stop_background() {
	local f p i
	: >"$W/go" # lets waiting session commands finish by themselves
	for f in "${PID_FILES[@]}"; do
		p=$(cat "$f" 2>/dev/null) && [ -n "$p" ] && kill "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${BG_PIDS[@]}"; do
		for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
}
remove_user() { # NAME: its pin and lock too, if a session left them
	local u=$1 i
	for i in 1 2 3; do umount -l "/run/netns/nonet-$u" 2>/dev/null || break; done
	rm -f "/run/netns/nonet-$u" "/run/nonet/nonet-$u.lock"
	userdel "$u"
}
for u in "$U1" "$U2"; do
	if getent passwd "$u" >/dev/null; then
		fail "the test users do not exist yet" "user $u exists"
		exit 1
	fi
done
on_exit "remove_user '$U1'"
on_exit "remove_user '$U2'"
if ! out=$(useradd -M -N -s /bin/sh "$U1" 2>&1 && useradd -M -N -s /bin/sh "$U2" 2>&1); then
	fail "create the test users" "$out"
	exit 1
fi
on_exit stop_background
UID1=$(id -u "$U1") UID2=$(id -u "$U2") GID1=$(id -g "$U1") GID2=$(id -g "$U2")

# --- the probe: setuid root, and a copy with a file capability -------------
TOKEN=nonet-t-$$-$RANDOM$RANDOM
SUID=$T_ROOT/nonet-t-suid
CAPBIN=$T_ROOT/nonet-t-cap
on_exit "rm -f '$SUID' '$CAPBIN'"
if ! out=$(cc -O1 -Wall -Werror -DNONET_T_TOKEN="\"$TOKEN\"" \
	-DNONET_T_UIDS="{0,$UID1,$UID2}" -o "$SUID" \
	"$T_SRC/tests/helpers/nonet-t-suid.c" 2>&1); then
	fail "build the setuid probe" "$out"
	exit 1
fi
cp "$SUID" "$CAPBIN"
chown root:root "$SUID" "$CAPBIN"
chmod 4755 "$SUID"
chmod 0755 "$CAPBIN"
setcap cap_net_raw+ep "$CAPBIN"
expect_match "the capability copy carries cap_net_raw+ep (getcap)" \
	"cap_net_raw[=+]ep" "$(getcap "$CAPBIN")"
out=$(setpriv --reuid="$UID1" --regid="$GID1" --init-groups "$SUID" "$TOKEN" id raw)
expect_eq "control: the setuid probe outside any session runs with euid 0" \
	"probe ruid=$UID1 euid=0 raw=ok" "$out"
out=$(setpriv --reuid="$UID1" --regid="$GID1" --init-groups "$CAPBIN" "$TOKEN" id raw)
expect_eq "control: the cap_net_raw copy outside any session opens a raw socket" \
	"probe ruid=$UID1 euid=$UID1 raw=ok" "$out"
# The host's network namespace under a name the user can open (nsfs files
# are 0444), since /proc/2/ns/net needs ptrace rights.
HOSTNS=$T_ROOT/hostns
touch "$HOSTNS"
on_exit "umount -l '$HOSTNS'"
mount --bind /proc/self/ns/net "$HOSTNS"

# --- services: one per policy ----------------------------------------------
svc() { # NAME POLICY-LINE... : a service whose module reads its own policy
	local name=$1 p
	shift
	p=$(make_policy "$name" "$@")
	PAMD=$(make_service "$name" "session required $MODULE conf=$p" \
		"session required pam_permit.so")
}
svc plain "private $U1" "private $U2"
svc nnp "private $U1 nonewprivs"
svc lock "private $U1 lockdown"
svc sysfs "private $U1 sysfs"
svc hide "private $U1 hidepid"
svc all "private $U1 sysfs hidepid nonewprivs lockdown"
svc shared "shared $U1 sysfs hidepid"
svc shlock "shared $U1 lockdown"
P_ARGS=$(make_policy args "private $U1" "shared $U2")
make_service args "session required $MODULE conf=$P_ARGS nonewprivs lockdown" \
	"session required pam_permit.so" >/dev/null
make_service argsfs "session required $MODULE conf=$P_ARGS sysfs hidepid" \
	"session required pam_permit.so" >/dev/null

sess() { # SERVICE USER CMD...
	local s=$1 u=$2
	shift 2
	nonet session -u "$u" --confdir "$PAMD" -s "$s" -- "$@"
}
# bg_sess NAME SERVICE USER [SCRIPT]: a session in the background whose
# command writes its pid to $W/NAME.pid, runs SCRIPT, then waits for
# $W/NAME.go (at most 30 s).  Waits until the pid is there.
bg_sess() {
	local name=$1 s=$2 u=$3 script=${4:-:} i
	rm -f "$W/$name.pid" "$W/$name.go"
	PID_FILES+=("$W/$name.pid")
	sess "$s" "$u" sh -c "echo \$\$ >$W/$name.pid.tmp; $script; mv $W/$name.pid.tmp $W/$name.pid
		i=0; while [ ! -e $W/$name.go ] && [ ! -e $W/go ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done" &
	BG_PIDS+=($!)
	BG_OF[$name]=$!
	for i in $(seq 200); do [ -s "$W/$name.pid" ] && break; sleep 0.05; done
}
bg_end() { # NAME: lets bg_sess NAME finish and waits for its nonet
	: >"$W/$1.go"
	wait "${BG_OF[$1]}" 2>/dev/null
}
capbnd_has() { # HEX BIT: prints 1 or 0
	echo $(((16#$1 >> $2) & 1))
}
status_field() { # STATUS-TEXT FIELD
	printf '%s\n' "$1" | sed -n "s/^$2:[[:space:]]*//p"
}

# --- 1. nonewprivs ---------------------------------------------------------
out=$(sess nnp "$U1" sh -c "grep '^NoNewPrivs' /proc/self/status; $SUID $TOKEN id; $CAPBIN $TOKEN raw")
expect_eq "nonewprivs: NoNewPrivs is 1 in the session" 1 "$(status_field "$out" NoNewPrivs)"
expect_match "nonewprivs: the setuid-root probe keeps the user's euid" \
	"^probe ruid=$UID1 euid=$UID1\$" "$out"
expect_match "nonewprivs: the cap_net_raw+ep copy cannot open a raw socket" \
	"^probe raw=EPERM\$" "$out"
if [ -z "$VALGRIND" ]; then
	out=$(sess plain "$U1" sh -c "grep '^NoNewPrivs' /proc/self/status; $SUID $TOKEN id; $CAPBIN $TOKEN raw")
	expect_eq "control (private, no option): NoNewPrivs is 0" 0 "$(status_field "$out" NoNewPrivs)"
	expect_match "control (private, no option): the setuid probe gets euid 0" \
		"^probe ruid=$UID1 euid=0\$" "$out"
	expect_match "control (private, no option): the cap_net_raw copy opens a raw socket" \
		"^probe raw=ok\$" "$out"
else
	skip_n 3 "control (private, no option)" "$CONTROL_WHY"
fi

# --- 2. lockdown (without nonewprivs, so the probe does become root) -------
STEPS="id setns $HOSTNS setns /proc/2/ns/net unshare link"
out=$(sess lock "$U1" sh -c "grep '^CapBnd' /proc/self/status; $SUID $TOKEN $STEPS")
bnd=$(status_field "$out" CapBnd)
probe=$(printf '%s\n' "$out" | grep '^probe')
bad=
for cap in 21:cap_sys_admin 12:cap_net_admin 19:cap_sys_ptrace 16:cap_sys_module \
	17:cap_sys_rawio 39:cap_bpf 38:cap_perfmon 22:cap_sys_boot; do
	[ "$(capbnd_has "${bnd:-0}" "${cap%%:*}")" = 0 ] || bad+=" ${cap#*:}"
done
expect_eq "lockdown: CapBnd ($bnd) lacks sys_admin, net_admin, sys_ptrace, sys_module, sys_rawio, bpf, perfmon, sys_boot" \
	"" "$bad"
kept=
for cap in 0:cap_chown 7:cap_setuid 13:cap_net_raw; do
	[ "$(capbnd_has "${bnd:-0}" "${cap%%:*}")" = 1 ] || kept+=" ${cap#*:}"
done
expect_eq "lockdown: CapBnd keeps the others (chown, setuid, net_raw)" "" "$kept"
expect_match "lockdown: the setuid probe is still root (no nonewprivs)" \
	"^probe ruid=$UID1 euid=0 " "$probe"
expect_match "lockdown: setns into the host's namespace (bind-mounted) fails with EPERM" \
	"^probe ruid=$UID1 euid=0 setns=EPERM netns=[0-9]+ " "$probe"
sess_ino=$(printf '%s\n' "$probe" | grep -Eo 'netns=[0-9]+' | head -1)
if [ -n "$sess_ino" ] && [ "${sess_ino#netns=}" != "$host_ino" ]; then
	ok "lockdown: the probe is still outside the host's namespace after trying"
else
	fail "lockdown: the probe is still outside the host's namespace after trying" "$probe"
fi
expect_match "lockdown: /proc/2/ns/net cannot be entered (open EACCES or setns EPERM)" \
	" (open=EACCES|setns=EPERM) netns=[0-9]+ unshare" "$probe"
expect_match "lockdown: unshare(CLONE_NEWNET) fails with EPERM, ip link add fails" \
	" unshare=EPERM link=fail\$" "$probe"

out=$(sess plain "$U1" sh -c "grep '^CapBnd' /proc/self/status; $SUID $TOKEN $STEPS")
bnd=$(status_field "$out" CapBnd)
probe=$(printf '%s\n' "$out" | grep '^probe')
expect_eq "control (no lockdown): CapBnd has sys_admin and net_admin" "1 1" \
	"$(capbnd_has "${bnd:-0}" 21) $(capbnd_has "${bnd:-0}" 12)"
expect_eq "control (no lockdown): the same probe enters the host's namespace both ways, unshares, adds a link" \
	"probe ruid=$UID1 euid=0 setns=ok netns=$host_ino setns=ok netns=$host_ino unshare=ok link=ok" "$probe"

# Processes for hidepid: another user's, root's, and the user's own
# outside any session.
setpriv --reuid="$UID2" --regid="$GID2" --init-groups sleep 60 &
other=$!
BG_PIDS+=("$other")
sleep 60 &
rootp=$!
BG_PIDS+=("$rootp")
setpriv --reuid="$UID1" --regid="$GID1" --init-groups sleep 60 &
own=$!
BG_PIDS+=("$own")
PROBE_PROC='for p in '"$other $rootp $own"'; do
	if ls /proc/$p >/dev/null 2>&1; then v=seen; else v=hidden; fi
	if cat /proc/$p/net/dev >/dev/null 2>&1; then n=net; else n=nonet; fi
	printf "%s:%s,%s " $p $v $n
done; echo'
want_hidden="$other:hidden,nonet $rootp:hidden,nonet $own:seen,net "

pin=/run/netns/nonet-$U1 pin2=/run/netns/nonet-$U2

# Can the sessions get their private mounts in this tier?  valgrind 3.19
# does not know open_tree(2) (syscall 428) and fails it with ENOSYS.
# Only that message skips: any other failure of the probe session runs the
# sections below, which then fail with their own words.
MOUNTS_OK=1
if [ -n "$VALGRIND" ] && ! sess sysfs "$U1" true >"$T_ROOT/vg.out" 2>&1; then
	MOUNTS_WHY=$(grep -Eo 'unhandled [a-z0-9_-]+ syscall: [0-9]+' "$T_ROOT/vg.out" | head -1)
	if [ -n "$MOUNTS_WHY" ]; then
		MOUNTS_OK=
		MOUNTS_WHY="valgrind cannot run the sysfs/hidepid mounts here ($MOUNTS_WHY)"
	fi
fi

section_sysfs() {
	host_sys_before=$(findmnt -l -R -n -o TARGET,FSTYPE,PROPAGATION /sys; ls /sys/class/net)
	# What is visible at each of the host's cgroup mount points (the session's
	# mount table also lists the covered host /sys with its own copies).
	CG_TARGETS=$(findmnt -l -R -n -o TARGET /sys/fs/cgroup | tr '\n' ' ')
	CG_PROBE="for t in $CG_TARGETS; do printf '%s %s\n' \$t \$(stat -f -c %T \$t); done"
	host_cg=$(sh -c "$CG_PROBE")
	host_links=$(ls /sys/class/net | tr '\n' ' ')
	# Propagation from the host: a shared mount of our own, mounted under later.
	PROP=$T_ROOT/prop
	mkdir -p "$PROP"
	on_exit "umount -R -l '$PROP'"
	mount --bind "$PROP" "$PROP" && mount --make-shared "$PROP"
	mkdir "$PROP/sub"
	bg_sess sysfs sysfs "$U1" "ls /sys/class/net >$W/sysfs.links; $CG_PROBE >$W/sysfs.cg; findmnt -n -o FSTYPE /sys/fs/cgroup | tail -1 >$W/sysfs.cgtype; findmnt -n -o FSTYPE,OPTIONS /sys | tail -1 >$W/sysfs.sys"
	spid=$(cat "$W/sysfs.pid" 2>/dev/null)
	expect_eq "sysfs: /sys/class/net in the session is exactly lo (host: $host_links)" \
		"lo" "$(cat "$W/sysfs.links" 2>/dev/null)"
	if [ "$host_links" = "lo " ]; then
		fail "the host has more links than lo" "$host_links"
	fi
	expect_eq "sysfs: /sys/fs/cgroup is a mount of the host's type (findmnt)" \
		"$(findmnt -n -o FSTYPE /sys/fs/cgroup | tail -1)" "$(cat "$W/sysfs.cgtype" 2>/dev/null)"
	expect_eq "sysfs: /sys/fs/cgroup and each submount show the same filesystem as on the host" \
		"$host_cg" "$(cat "$W/sysfs.cg" 2>/dev/null)"
	expect_match "sysfs: the session's /sys is a sysfs, nosuid,nodev,noexec" \
		"^sysfs +.*nosuid,nodev,noexec" "$(cat "$W/sysfs.sys" 2>/dev/null)"
	if [ -n "$spid" ] && [ "$(readlink /proc/"$spid"/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]; then
		ok "sysfs: the session has a mount namespace of its own"
		mount -t tmpfs -o size=1m nonet-t-prop "$PROP/sub" && echo later >"$PROP/sub/mark"
		expect_eq "sysfs: a mount the host makes later (under a shared mount) reaches the session" \
			"tmpfs later" \
			"$(findmnt --task "$spid" -n -o FSTYPE "$PROP/sub") $(nsenter -t "$spid" -m cat "$PROP/sub/mark" 2>&1)"
		expect_eq "sysfs: the session's /sys stays there (slave, not undone by the host)" "lo" \
			"$(nsenter -t "$spid" -m -n ls /sys/class/net | tr '\n' ' ' | sed 's/ $//')"
		umount "$PROP/sub"
	else
		fail "sysfs: the session has a mount namespace of its own" "pid '$spid'"
	fi
	bg_end sysfs
	expect_eq "sysfs: the host's /sys mounts and /sys/class/net are unchanged afterwards" \
		"$host_sys_before" "$(findmnt -l -R -n -o TARGET,FSTYPE,PROPAGATION /sys; ls /sys/class/net)"
	host_root_prop=$(findmnt -n -o PROPAGATION /)
	if [ "$host_root_prop" != shared ]; then
		echo "# note: the host's / is '$host_root_prop' here, so only mounts under a shared mount (as above) can propagate anywhere"
	fi
	many_submounts
}

# sysfs with 100 submounts under /sys (a container has many), one of them
# with a mountinfo line longer than 4095 bytes: each of the 100 paths is
# still a tmpfs in the session, on its fresh /sys (stat -f: what the
# session sees there).  Made in a private mount namespace of the test.
many_submounts() {
	local out
	out=$(unshare -m --propagation private bash -c '
		n=0 long=$(printf "x%.0s" $(seq 4090))
		: >"$1/subs"
		for d in $(ls -d /sys/module/*/ /sys/bus/*/ /sys/class/*/ | sed "s:/$::"); do
			[ $n = 100 ] && break
			# /sys/class/net: the session shows its own there.
			[ "$d" = /sys/class/net ] || mountpoint -q "$d" && continue
			src=nonet-t-$n
			[ $n = 0 ] && src=$long
			# mount(2): util-linux 2.39+ uses fsconfig(2) by default,
			# whose strings stop at 256 bytes (Debian 13).
			LIBMOUNT_FORCE_MOUNT2=always mount -t tmpfs -o size=4k "$src" "$d" || exit 97
			echo "$d" >>"$1/subs"
			n=$((n + 1))
		done
		awk "length(\$0) > 4095" /proc/self/mountinfo | wc -l >"$1/subs.long"
		dir=$1
		shift
		"$@" sh -c "stat -f -c %T \$(cat $dir/subs) | sort | uniq -c"
	' sh "$W" $NONET_WRAP "$NONET" session -u "$U1" --confdir "$PAMD" -s sysfs -- 2>&1)
	if [ "$(wc -l <"$W/subs")" != 100 ] || [ "$(cat "$W/subs.long")" != 1 ]; then
		fail "sysfs: 100 submounts under /sys set up, one with a line over 4095 bytes" "$out"
		return
	fi
	expect_eq "sysfs: all 100 submounts under /sys (one with a mountinfo line over 4095 bytes) are kept" \
		"100 tmpfs" "$(echo $out)"
}

# --- 4. hidepid ------------------------------------------------------------
section_hidepid() {
	out=$(sess hide "$U1" sh -c "$PROBE_PROC; findmnt -n -o OPTIONS /proc | tail -1")
	expect_eq "hidepid: other users' processes (and their /proc/PID/net) are invisible, the user's own outside the session is not" \
		"$want_hidden" "$(printf '%s\n' "$out" | head -1)"
	expect_match "hidepid: /proc in the session is mounted hidepid=invisible" \
		"hidepid=invisible" "$(printf '%s\n' "$out" | tail -1)"
	if [ -z "$VALGRIND" ]; then
		out=$(sess plain "$U1" sh -c "$PROBE_PROC")
		expect_eq "control (no hidepid): the same processes are visible" \
			"$other:seen,net $rootp:seen,net $own:seen,net " "$out"
		out=$(findmnt -n -o OPTIONS /proc)
		if printf '%s' "$out" | grep -q hidepid; then
			fail "hidepid: the host's /proc is untouched" "$out"
		else
			ok "hidepid: the host's /proc is untouched"
		fi
	else
		skip_n 2 "control (no hidepid), the host's /proc" "$CONTROL_WHY"
	fi
}

# --- 5. combinations -------------------------------------------------------
section_combined() {
	out=$(sess all "$U1" sh -c "grep -E '^(NoNewPrivs|CapBnd)' /proc/self/status
		echo links=\$(ls /sys/class/net)
		findmnt -n -o OPTIONS /proc | tail -1
		$PROBE_PROC
		$SUID $TOKEN id unshare")
	rc=$?
	bnd=$(status_field "$out" CapBnd)
	expect_eq "all options: the session opens" 0 "$rc"
	expect_eq "all options: NoNewPrivs 1, no cap_sys_admin/net_admin in CapBnd, links=lo" \
		"1 0 0 links=lo" \
		"$(status_field "$out" NoNewPrivs) $(capbnd_has "${bnd:-0}" 21) $(capbnd_has "${bnd:-0}" 12) $(printf '%s\n' "$out" | grep '^links=')"
	expect_match "all options: /proc is hidepid=invisible" "hidepid=invisible" "$out"
	expect_match "all options: other users' processes are hidden" "^$want_hidden\$" "$out"
	expect_match "all options: the setuid probe stays the user, cannot unshare" \
		"^probe ruid=$UID1 euid=$UID1 unshare=EPERM\$" "$out"

	# shared + sysfs + hidepid: two sessions, one namespace, the pin goes at the end.
	if [ -e "$pin" ]; then
		fail "no pin for $U1 before its first session" "$(ls -l "$pin")"
	fi
	bg_sess sh1 shared "$U1" "stat -L -c %i /proc/self/ns/net >$W/sh1.ino; ls /sys/class/net >$W/sh1.links"
	out=$(sess shared "$U1" sh -c "stat -L -c %i /proc/self/ns/net; ls /sys/class/net; $PROBE_PROC")
	ino1=$(cat "$W/sh1.ino" 2>/dev/null)
	ino2=$(printf '%s\n' "$out" | head -1)
	if [ -n "$ino1" ] && [ "$ino1" = "$ino2" ] && [ "$ino1" != "$host_ino" ]; then
		ok "shared+sysfs+hidepid: two sessions are in one namespace ($ino1), not the host's"
	else
		fail "shared+sysfs+hidepid: two sessions are in one namespace" "$ino1 / $ino2 (host $host_ino)"
	fi
	expect_eq "shared+sysfs+hidepid: both see only lo; others' processes hidden" \
		"lo|lo|$want_hidden" "$(cat "$W/sh1.links" 2>/dev/null)|$(printf '%s\n' "$out" | sed -n 2p)|$(printf '%s\n' "$out" | sed -n 3p)"
	expect_eq "shared+sysfs+hidepid: the pin is a mount in the host's mount namespace while in use" \
		"nsfs" "$(findmnt -n -o FSTYPE "$pin" | tail -1)"
	bg_end sh1
	if [ ! -e "$pin" ] && ! grep -q " $pin " /proc/self/mountinfo; then
		ok "shared+sysfs+hidepid: after the last close no pin is left on the host"
	else
		fail "shared+sysfs+hidepid: after the last close no pin is left on the host" \
			"$(ls -l "$pin" 2>&1)" "$(grep " $pin " /proc/self/mountinfo)"
	fi
}

if [ -n "$MOUNTS_OK" ]; then
	section_sysfs
	section_hidepid
	section_combined
else
	skip_n 9 "sysfs" "$MOUNTS_WHY"
	skip_n 4 "hidepid" "$MOUNTS_WHY"
	skip_n 9 "all options, shared+sysfs+hidepid" "$MOUNTS_WHY"
fi

# Module arguments: every isolated session gets them, a non-isolated one not.
out1=$(sess args "$U1" grep -E '^(NoNewPrivs|CapBnd)' /proc/self/status)
out2=$(sess args "$U2" grep -E '^(NoNewPrivs|CapBnd)' /proc/self/status)
b1=$(status_field "$out1" CapBnd) b2=$(status_field "$out2" CapBnd)
expect_eq "module arguments nonewprivs lockdown: the private and the shared session both get them" \
	"1 0|1 0" \
	"$(status_field "$out1" NoNewPrivs) $(capbnd_has "${b1:-0}" 21)|$(status_field "$out2" NoNewPrivs) $(capbnd_has "${b2:-0}" 21)"
if [ -z "$VALGRIND" ]; then
	out=$(sess args root sh -c "grep -E '^(NoNewPrivs|CapBnd)' /proc/self/status; stat -L -c %i /proc/self/ns/net")
	b=$(status_field "$out" CapBnd)
	expect_eq "module arguments: root (no rule) is not isolated and gets none of them" \
		"0 1 $host_ino" \
		"$(status_field "$out" NoNewPrivs) $(capbnd_has "${b:-0}" 21) $(printf '%s\n' "$out" | tail -1)"
	if [ -n "$MOUNTS_OK" ]; then
		out=$(sess argsfs "$U2" sh -c "ls /sys/class/net; findmnt -n -o OPTIONS /proc | tail -1")
		expect_match "module arguments sysfs hidepid: the shared session gets both" \
			"^lo
.*hidepid=invisible" "$out"
	else
		skip "module arguments sysfs hidepid: the shared session gets both" "$MOUNTS_WHY"
	fi
else
	skip_n 2 "module arguments: root, and the shared session's sysfs hidepid" "$CONTROL_WHY"
fi
expect_eq "module arguments: the shared session's pin is gone after it" "absent" \
	"$([ -e "$pin2" ] && echo present || echo absent)"

# lockdown leaves the caller's effective capabilities: the close still unpins.
out=$(sess shlock "$U1" grep '^CapBnd' /proc/self/status)
rc=$?
b=$(status_field "$out" CapBnd)
expect_eq "shared+lockdown: the session opens without cap_sys_admin, and its close removes the pin" \
	"0 0 absent" "$rc $(capbnd_has "${b:-0}" 21) $([ -e "$pin" ] && echo present || echo absent)"

# --- 6. failures -----------------------------------------------------------
LOG=$T_ROOT/syslog
run_logged() { # SERVICE USER PREFIX-CMD: nonet session under PREFIX, logged
	with_devlog "$LOG" capsh --drop=cap_setpcap -- -c \
		"$NONET_WRAP $NONET session -u $2 --confdir $PAMD -s $1 -- sh -c 'echo ran >$W/ran.$1'" \
		>"$T_ROOT/out" 2>&1
}
rm -f "$W/ran.lock"
run_logged lock "$U1"
rc=$?
got="$rc $([ -e "$W/ran.lock" ] && echo yes || echo no)"
if [ "$got" = "111 no" ]; then
	ok "lockdown without CAP_SETPCAP: the session is refused (111), its command never runs"
else
	fail "lockdown without CAP_SETPCAP: the session is refused (111), its command never runs" \
		"want: 111 no" "got:  $got" "$(cat "$T_ROOT/out")"
fi
expect_match "lockdown without CAP_SETPCAP: logged as 'lockdown: cannot drop ...'" \
	"lockdown: cannot drop cap_[a-z_]+ from the bounding set for $U1: Operation not permitted" \
	"$(cat "$LOG")"
if [ -z "$VALGRIND" ]; then
	run_logged plain "$U1"
	expect_eq "control: without CAP_SETPCAP a session without lockdown opens" \
		"0 ran" "$? $(cat "$W/ran.plain" 2>/dev/null)"
	run_logged shlock "$U1"
	rc=$?
	expect_eq "shared+lockdown refused (111): no pin is left for the user" \
		"111 absent" "$rc $([ -e "$pin" ] && echo present || echo absent)"
	out=$(sess shared "$U1" sh -c "ls /sys/class/net")
	expect_eq "after the refused shared session, the next one opens and leaves no pin" \
		"0 lo absent" "$? $out $([ -e "$pin" ] && echo present || echo absent)"
else
	skip_n 3 "without CAP_SETPCAP: plain and shared+lockdown sessions" \
		"three more sessions under valgrind are slow: the plain and ASan tiers run them"
fi
