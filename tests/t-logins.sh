#!/bin/bash
# Login tier: the real login programs of Debian, end to end, with the
# module in the PAM stacks they really read: util-linux su (-l) and runuser
# -l, shadow's login in a pty, a real cron daemon running a job, and the
# display managers' and systemd --user's stacks (Debian's own files, through
# `nonet session --confdir`).  The oracle runs inside each session as the
# user: `ip -j addr show` (only lo, UP, 127.0.0.1/8) and the inode of
# /proc/self/ns/net against the host's (/proc/2/ns/net); the module's
# syslog line names the PAM service the program used.
#
# Nothing under /etc changes: every program runs in a sandbox (see
# $T_ROOT/logins-sandbox below): a private mount namespace in which the test
# stacks are bind-mounted over /etc/pam.d/<service> (and /etc/crontab,
# /etc/cron.d, the cron spool), /run and /var/log are overlays whose writes
# (utmp, wtmp, lastlog, motd.dynamic, crond.pid, session records) land in a
# tmpfs of the test, /dev/pts is a fresh devpts instance where a pty is
# needed, and a PID namespace with --kill-child guarantees that no login,
# shell or cron process outlives it.
#
# Users of our own (nonet-t-PID-x, in the policy; nonet-t-PID-y, not in it),
# removed with their homes at exit.
. "$(dirname "$0")/lib.sh"

if [ "$NONET_TIER" != plain ]; then
	skip_all "plain tier only: the real login programs (su, runuser, login, cron, DM and systemd-user stacks) exercise PAM stacks, not memory"
fi

# The whole script runs inside one with_devlog (a private mount namespace
# whose /dev/log appends to $T_SYSLOG), as t-policy.sh does.
devlog_script
plan 44
SYSLOG=$T_SYSLOG

host_ino=$(host_netns_inode)
tag=nonet-t-$$
U=$tag-x # isolated by the policy
V=$tag-y # not in the policy: the control
OUT=$T_ROOT/out # the probes write here, as the users
STK=$T_ROOT/stacks
mkdir -p "$OUT" "$STK"
chmod 1777 "$OUT"

# --- users and policy ------------------------------------------------------
for n in "$U" "$V"; do
	if getent passwd "$n" >/dev/null; then
		fail "the test users do not exist yet" "user $n exists"
		exit 1
	fi
done
# Registered before creating, so also removed after a failure half-way; run
# after every sandbox below is gone (cleanup runs in reverse order).
for n in "$U" "$V"; do on_exit "userdel -r '$n'"; done
for n in "$U" "$V"; do
	if ! out=$(useradd -m -s /bin/bash "$n" 2>&1); then
		fail "create the test user $n" "$out"
		exit 1
	fi
done
POLICY=$(make_policy logins "private $U")
LINE="session required $MODULE conf=$POLICY"

# probe NAME: run as the user inside a session; writes NAME.{user,ino,ip}
# under $OUT, then NAME.done.
PROBE=$T_ROOT/probe
cat >"$PROBE" <<EOF
#!/bin/sh
o=$OUT/\$1
id -un >"\$o.user"
stat -L -c %i /proc/self/ns/net >"\$o.ino"
$(command -v ip) -j addr show >"\$o.ip" 2>&1
: >"\$o.done"
EOF
chmod 0755 "$PROBE"

# --- the sandbox -----------------------------------------------------------
# logins-sandbox PRIVDIR [--bind SRC DST]... [--pty] -- CMD...: runs as PID 1
# of a new PID namespace in a new private mount namespace (see SANDBOX).
cat >"$T_ROOT/logins-sandbox" <<'EOF'
#!/bin/bash
set -eu
priv=$1
shift
mount -t tmpfs -o mode=0755 nonet-t-sandbox "$priv"
mkdir "$priv/run.up" "$priv/run.work" "$priv/log.up" "$priv/log.work"
mount -t overlay overlay -o "lowerdir=/run,upperdir=$priv/run.up,workdir=$priv/run.work" /run
mount -t overlay overlay -o "lowerdir=/var/log,upperdir=$priv/log.up,workdir=$priv/log.work" /var/log
while [ $# -gt 0 ]; do
	case $1 in
	--bind) mount --bind "$2" "$3"; shift 3 ;;
	--pty)
		tty_gid=$(getent group tty | cut -d: -f3)
		mount -t devpts -o "newinstance,ptmxmode=0666,mode=0620,gid=${tty_gid:-5}" devpts /dev/pts
		mount --bind /dev/pts/ptmx /dev/ptmx
		shift ;;
	--) shift; break ;;
	*) echo "logins-sandbox: bad argument $1" >&2; exit 97 ;;
	esac
done
set +e
"$@"
EOF
chmod 0755 "$T_ROOT/logins-sandbox"
# unshare blocks SIGTERM while it waits: stop a background sandbox with
# SIGKILL to unshare, which --kill-child turns into SIGKILL for PID 1 of the
# namespace, and so for every process in it.
SANDBOX=(unshare --mount --propagation private --pid --fork --kill-child --mount-proc
	"$T_ROOT/logins-sandbox")
sandbox() { # [--bind SRC DST]... [--pty] -- CMD...
	"${SANDBOX[@]}" "$(mktemp -d "$T_ROOT/sandbox.XXXXXX")" "$@"
}

# --- test stacks -------------------------------------------------------------
# with_line SRC REGEX OUT: SRC with $LINE inserted after the single line that
# matches REGEX (an ERE), or appended when REGEX is "END".
with_line() {
	local src=$1 re=$2 out=$3
	if [ "$re" = END ]; then
		{ cat "$src" && printf '%s\n' "$LINE"; } >"$out"
	else
		awk -v re="$re" -v line="$LINE" '{ print } $0 ~ re { print line; n++ }
			END { exit n == 1 ? 0 : 1 }' "$src" >"$out"
	fi || { echo "$src: no single line matching $re" >&2; return 1; }
	chmod 0644 "$out"
}
INC_SESSION='^@include[[:space:]]+common-session[[:space:]]*$'
INC_NONINTERACTIVE='^@include[[:space:]]+common-session-noninteractive[[:space:]]*$'

# --- oracles -----------------------------------------------------------------
# Judges `ip -j addr` output: exactly lo, UP, with exactly the addresses given.
judge_ip_json() { python3 "$T_SRC/tests/ip_verdict.py" --want "$@"; } # WANT-ADDRS...

# The transcript of a login (its stdout and stderr) and the syslog, for a
# failure's detail.
details() { # NAME
	echo "transcript: $(tail -c 2000 "$OUT/$1.log" 2>/dev/null)"
	echo "syslog (last lines): $(tail -n 8 "$SYSLOG")"
}

# expect_logged DESC REGEX: a line of the syslog matches REGEX (grep -E).
expect_logged() {
	if grep -Eq -- "$2" "$SYSLOG"; then
		ok "$1"
	else
		fail "$1" "want a syslog line matching: $2" \
			"pam_nonet's last lines: $(grep pam_nonet "$SYSLOG" | tail -n 4)"
	fi
}

# expect_isolated NAME SERVICE DESC: the probe NAME ran as $U in a namespace
# of its own with Docker's --network none picture, and the module logged
# the session under SERVICE.
expect_isolated() {
	local name=$1 svc=$2 desc=$3 user ino
	user=$(cat "$OUT/$name.user" 2>/dev/null)
	ino=$(cat "$OUT/$name.ino" 2>/dev/null)
	if [ "$user" = "$U" ] && [ -n "$ino" ] && [ "$ino" != "$host_ino" ]; then
		ok "$desc: the command ran as the user, not in the host's namespace"
	else
		fail "$desc: the command ran as the user, not in the host's namespace" \
			"user: '$user' (want $U)" "netns: '$ino' host: $host_ino" "$(details "$name")"
	fi
	expect_eq "$desc: only lo, UP, 127.0.0.1/8, no ::1 (ip -j)" good \
		"$(judge_ip_json "inet 127.0.0.1/8" <"$OUT/$name.ip" 2>&1)"
	# The module's line names the service and the namespace it made and
	# checked: the one the probe ran in.
	expect_logged "$desc: the module logged it as service $svc, in the probe's namespace" \
		"pam_nonet\\($svc:session\\): isolated the session of $U: mode=private rule=$POLICY:1 netns=net:\\[${ino:-none}\\]"
}

# expect_host NAME WHO DESC: the probe NAME ran as WHO in the host's namespace.
expect_host() {
	local name=$1 who=$2 desc=$3 user ino
	user=$(cat "$OUT/$name.user" 2>/dev/null)
	ino=$(cat "$OUT/$name.ino" 2>/dev/null)
	if [ "$user" = "$who" ] && [ "$ino" = "$host_ino" ]; then
		ok "$desc"
	else
		fail "$desc" "user: '$user' (want $who)" "netns: '$ino' host: $host_ino" "$(details "$name")"
	fi
}

# ============================================================================
# pam_loginuid (required in Debian's login, cron, gdm, lightdm and
# systemd-user stacks) writes /proc/self/loginuid, which needs
# CAP_AUDIT_CONTROL and a loginuid that may still change.  If this machine
# does not allow it (we are inside a session whose loginuid is immutable),
# the line is dropped from those test copies: it is not what is under test.
if bash -c "echo $(id -u "$U") >/proc/self/loginuid" 2>/dev/null; then
	no_loginuid() { cat; }
else
	echo "# pam_loginuid cannot set the loginuid here: dropped from the test stacks"
	no_loginuid() { grep -Ev '^[[:space:]]*-?session[[:space:]].*pam_loginuid\.so'; }
fi

# ============================================================================
# cron first: its job runs at the next minute boundary; the other logins are
# tested while it waits, and its result is collected at the end.
#
# The daemon is Debian's /usr/sbin/cron in a sandbox whose /etc/pam.d/cron is
# Debian's + our line, whose /etc/crontab holds one job of $U, whose
# /etc/cron.d and spool (/var/spool/cron/crontabs) are empty test dirs.  It
# writes /run/crond.pid (and /run/crond.reboot); it has no option for
# another path, so it writes them into the sandbox's /run overlay: the
# host's /run never sees them, and its lock is on that copy, so a cron
# already running on the host neither stops ours nor is disturbed by it.
# `timeout 150` bounds its life even if this script is killed with SIGKILL.
cron_pid=
stop_cron() {
	[ -n "$cron_pid" ] || return 0
	kill -KILL "$cron_pid"
	wait "$cron_pid" 2>/dev/null
	cron_pid=
}
if [ ! -x /usr/sbin/cron ] || [ ! -f /etc/crontab ] || [ ! -d /etc/cron.d ] ||
	[ ! -d /var/spool/cron/crontabs ] || [ ! -f /etc/pam.d/cron ]; then
	cron_skip="Debian's cron is not installed (make deps installs it)"
elif ! no_loginuid </etc/pam.d/cron >"$STK/cron.debian" ||
	! with_line "$STK/cron.debian" "$INC_NONINTERACTIVE" "$STK/cron" 2>"$OUT/cron.log"; then
	cron_skip="cannot make the test stack: $(cat "$OUT/cron.log")"
else
	cron_skip=
	printf '%s\n' "SHELL=/bin/sh" "PATH=/usr/local/bin:/usr/bin:/bin" \
		"* * * * * $U $PROBE cron >/dev/null 2>&1" >"$STK/crontab"
	chmod 0644 "$STK/crontab"
	mkdir -m 0755 "$STK/cron.d"
	mkdir -m 1730 "$STK/crontabs"
	chgrp crontab "$STK/crontabs" 2>/dev/null
	"${SANDBOX[@]}" "$(mktemp -d "$T_ROOT/sandbox.XXXXXX")" \
		--bind "$STK/cron" /etc/pam.d/cron --bind "$STK/crontab" /etc/crontab \
		--bind "$STK/cron.d" /etc/cron.d --bind "$STK/crontabs" /var/spool/cron/crontabs \
		-- timeout 150 /usr/sbin/cron -f -L 15 >"$OUT/cron.log" 2>&1 &
	cron_pid=$!
	cron_start=$(date +%s)
	on_exit stop_cron
fi

# ============================================================================
# 1. su -l and su (util-linux): services su-l and su.  Debian's su-l is
# "session include su" after pam_keyinit, so our line, added to su after its
# "@include common-session", reaches both; su-l itself stays Debian's.
if [ ! -f /etc/pam.d/su ] || [ ! -f /etc/pam.d/su-l ]; then
	skip_strict_n 12 "su -l and su" "no /etc/pam.d/su or su-l"
elif ! err=$(with_line /etc/pam.d/su "$INC_SESSION" "$STK/su" 2>&1); then
	fail "a test copy of /etc/pam.d/su with our line" "$err"
else
	su_stack=(--bind "$STK/su" /etc/pam.d/su)
	expect_eq "su-l includes su (so the line in su reaches su -l)" 1 \
		"$(grep -Ec '^session[[:space:]]+include[[:space:]]+su[[:space:]]*$' /etc/pam.d/su-l)"

	sandbox "${su_stack[@]}" -- su -l "$U" -c "$PROBE su-l" >"$OUT/su-l.log" 2>&1
	expect_eq "su -l: exits 0" 0 "$?"
	expect_isolated su-l su-l "su -l"

	sandbox "${su_stack[@]}" -- su "$U" -c "$PROBE su" >"$OUT/su.log" 2>&1
	expect_eq "su: exits 0" 0 "$?"
	expect_isolated su su "su"

	# Control: Debian's stacks as they are (no nonet in them).
	sandbox -- su -l "$U" -c "$PROBE su-l-debian" >"$OUT/su-l-debian.log" 2>&1
	expect_host su-l-debian "$U" "su -l through Debian's stack without our line: host namespace"

	# 7. Control: a user the policy does not name, through our su stack.
	sandbox "${su_stack[@]}" -- su -l "$V" -c "$PROBE su-l-other" >"$OUT/su-l-other.log" 2>&1
	expect_host su-l-other "$V" "su -l of a user not in the policy, our stack: host namespace"
	expect_logged "su -l of a user not in the policy: the module says no rule matched" \
		"pam_nonet\\(su-l:session\\): not isolating the session of $V: rule=none-matched"
fi

# ============================================================================
# 2. runuser -l: Debian's runuser and runuser-l include neither
# common-session file, so the line goes into runuser-l itself, at its end
# (after "session include runuser").
if [ ! -f /etc/pam.d/runuser-l ]; then
	skip_strict_n 5 "runuser -l" "no /etc/pam.d/runuser-l"
elif ! err=$(with_line /etc/pam.d/runuser-l END "$STK/runuser-l" 2>&1); then
	fail "a test copy of /etc/pam.d/runuser-l with our line" "$err"
else
	sandbox --bind "$STK/runuser-l" /etc/pam.d/runuser-l -- \
		runuser -l "$U" -c "$PROBE runuser-l" >"$OUT/runuser-l.log" 2>&1
	expect_eq "runuser -l: exits 0" 0 "$?"
	expect_isolated runuser-l runuser-l "runuser -l"

	sandbox -- runuser -l "$U" -c "$PROBE runuser-l-debian" >"$OUT/runuser-l-debian.log" 2>&1
	expect_host runuser-l-debian "$U" "runuser -l through Debian's stack without our line: host namespace"
fi

# ============================================================================
# 3. login (shadow's on Debian 12, util-linux's on Debian 13): always
# service "login".  `login -f USER` as root, in the pty of script(1) (a
# fresh devpts instance in the sandbox); the login shell reads the probe
# from the pty.  login is exec'd, as getty does, so it leads the pty's
# session: util-linux login starts with setpgrp() (login.c, 2.41), which
# in a child of script's shell (`$SHELL -c CMD`; dash, which script runs
# when SHELL is unset as in t-release's root, forks for it) makes it a
# background process group of its own tty, and its tcsetattr() then stops it with
# SIGTTOU before any session.  Debian's stack is kept whole: it has no
# pam_securetty, and pam_nologin refuses only while /etc/nologin exists.
if [ ! -x /bin/login ] || [ ! -f /etc/pam.d/login ] || ! command -v script >/dev/null; then
	skip_strict_n 3 "login" "no /bin/login, /etc/pam.d/login or script(1)"
elif ! err=$(no_loginuid </etc/pam.d/login >"$STK/login.debian" &&
	with_line "$STK/login.debian" "$INC_SESSION" "$STK/login" 2>&1); then
	fail "a test copy of /etc/pam.d/login with our line" "$err"
else
	# The input waits until the shell has started (login may flush the
	# tty's input queue while it sets the terminal up), and is sent again
	# if the probe has not run 2 s later.
	{
		sleep 1
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			printf '%s\n' "$PROBE login; exit"
			for _ in $(seq 20); do [ -e "$OUT/login.done" ] && break 2; sleep 0.1; done
		done
		sleep 0.5
	} |
		sandbox --bind "$STK/login" /etc/pam.d/login --pty -- \
			timeout 30 script -qec "exec login -f $U" /dev/null >"$OUT/login.log" 2>&1
	expect_isolated login login "login -f (in a pty)"
fi

# ============================================================================
# 5. Display managers: Debian's stacks from the lightdm and gdm3 packages.
# libpam 1.5.2 (bookworm) resolves @include in /etc/pam.d even with a
# confdir (pam_start_confdir applies only to the service file itself; newer
# libpam reads includes from the confdir): so a common-session copy in the
# confdir would not be read, and our line goes into each DM stack directly,
# after its "@include common-session", where pam-auth-update's line in
# common-session would take effect.  The confdir still holds copies of the
# common-* files, unchanged, for a libpam that reads includes from it.
DEBS=$T_ROOT/debs
mkdir -p "$DEBS/x"
chown _apt "$DEBS" 2>/dev/null
confdir_probe=$T_ROOT/incprobe
mkdir "$confdir_probe"
printf 'session required pam_permit.so\n' >"$confdir_probe/nonet-t-only-here"
printf '@include nonet-t-only-here\n' >"$confdir_probe/probe"
if nonet session -u "$U" --confdir "$confdir_probe" -s probe -- true >/dev/null 2>&1; then
	echo "# this libpam reads @include from the confdir"
else
	echo "# this libpam reads @include from /etc/pam.d, not from the confdir"
fi

DM=$T_ROOT/dm
mkdir "$DM"
for f in /etc/pam.d/common-*; do cp "$f" "$DM/"; done
if ! out=$(cd "$DEBS" && timeout 120 apt-get download lightdm gdm3 2>&1); then
	dm_skip="apt-get download lightdm gdm3 failed: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
elif ! out=$(for d in "$DEBS"/*.deb; do dpkg-deb -x "$d" "$DEBS/x" || exit 1; done 2>&1); then
	dm_skip="dpkg-deb -x failed: $out"
else
	dm_skip=
fi
for svc in lightdm lightdm-autologin gdm-password gdm-autologin; do
	if [ -n "$dm_skip" ]; then
		skip_strict_n 4 "display manager stack $svc" "$dm_skip"
		continue
	fi
	# No line needs stripping: the modules these stacks name that are not
	# installed here (pam_gnome_keyring, pam_gdm) are optional or "-"
	# lines, which libpam skips when missing.
	if ! err=$(no_loginuid <"$DEBS/x/etc/pam.d/$svc" >"$DM/$svc.debian" &&
		with_line "$DM/$svc.debian" "$INC_SESSION" "$DM/$svc" 2>&1); then
		fail "$svc: a test copy of Debian's stack with our line" "$err"
		continue
	fi
	sandbox -- "$NONET" session -u "$U" -s "$svc" --confdir "$DM" -- "$PROBE" "$svc" \
		>"$OUT/$svc.log" 2>&1
	expect_eq "$svc stack (nonet session): the session opens (exit 0)" 0 "$?"
	expect_isolated "$svc" "$svc" "$svc stack"
done

# ============================================================================
# 6. systemd --user: Debian's systemd-user stack (systemd puts it in
# /usr/lib/pam.d; an admin's copy in /etc/pam.d wins).  It includes
# common-session-noninteractive, where pam-auth-update puts our line: so in
# the copy our line follows that include (pam_keyinit and pam_systemd come
# after it, as they would).  systemd is not PID 1 here: only the stack's
# composition is tested, not the user manager.
SDU=$T_ROOT/systemd-user
mkdir "$SDU"
for f in /etc/pam.d/common-*; do cp "$f" "$SDU/"; done
su_src=
for f in /etc/pam.d/systemd-user /usr/lib/pam.d/systemd-user; do
	[ -f "$f" ] && { su_src=$f; break; }
done
if [ -z "$su_src" ] && (cd "$DEBS" && timeout 120 apt-get download systemd >/dev/null 2>&1 &&
	dpkg-deb -x systemd_*.deb "$DEBS/x"); then
	for f in "$DEBS/x/etc/pam.d/systemd-user" "$DEBS/x/usr/lib/pam.d/systemd-user"; do
		[ -f "$f" ] && { su_src=$f; break; }
	done
fi
if [ -z "$su_src" ]; then
	skip_strict_n 4 "systemd-user stack" "no systemd-user PAM file on the machine, and apt-get download systemd failed"
elif ! err=$(no_loginuid <"$su_src" >"$SDU/systemd-user.debian" &&
	with_line "$SDU/systemd-user.debian" "$INC_NONINTERACTIVE" "$SDU/systemd-user" 2>&1); then
	fail "systemd-user: a test copy of Debian's stack with our line" "$err"
else
	sandbox -- "$NONET" session -u "$U" -s systemd-user --confdir "$SDU" -- "$PROBE" systemd-user \
		>"$OUT/systemd-user.log" 2>&1
	expect_eq "systemd-user stack (nonet session): the session opens (exit 0)" 0 "$?"
	expect_isolated systemd-user systemd-user "systemd-user stack ($su_src)"
fi

# ============================================================================
# 4. cron, collected: at most 75 s after the daemon started.
if [ -n "$cron_skip" ]; then
	skip_strict_n 4 "cron job" "$cron_skip"
else
	while [ ! -e "$OUT/cron.done" ] && [ $(($(date +%s) - cron_start)) -lt 75 ] &&
		kill -0 "$cron_pid" 2>/dev/null; do
		sleep 1
	done
	sleep 0.2
	if [ -e "$OUT/cron.done" ]; then
		ok "cron ran the job of the crontab (after $(($(date +%s) - cron_start)) s)"
	else
		fail "cron ran the job of the crontab" "cron: $(cat "$OUT/cron.log")" \
			"syslog: $(grep -i cron "$SYSLOG" | tail -n 10)"
	fi
	expect_isolated cron cron "cron job"
	stop_cron
fi
exit 0
