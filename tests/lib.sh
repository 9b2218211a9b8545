# tests/lib.sh: sourced by every tests/t-*.sh.
#
# Prints TAP lines (ok / not ok / ok # SKIP) that tests/run counts against
# the script's plan: each script calls `plan N` once, after its whole-script
# skips and before its first test, N being the number of result lines it
# prints (ok, fail, skip, and each check/expect_*).  Adding a test is one
# edit of N; a block that cannot run prints one skip per test it holds
# (skip_n), so the count does not depend on the machine or the tier.
#
# Skips: `skip` for what cannot run in this tier or this kind of machine
# (valgrind lacks a syscall, the plain tier runs it already); `skip_strict`
# for what this machine should have (make deps installs it, the kernel
# provides it): with STRICT=1 (.ci/run) it fails instead.
# Everything a test creates is registered with on_exit and removed again in
# reverse order when the script ends, also when it fails or is interrupted.
set -u
: "${NONET_BUILD:?run the tests through tests/run}"
# The release's own programs first, also when a script runs alone (see
# tests/run: a python3 shim earlier in PATH costs seconds a call).
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
NONET_WRAP=${NONET_WRAP:-}
NONET_TIER=${NONET_TIER:-plain}
T_NAME=$(basename "$0" .sh)
T_SRC=$(cd "$(dirname "$0")/.." && pwd)

# T_RESULTS counts the results printed (in this shell), for skip_rest.
T_RESULTS=0 T_PLAN=
ok() {
	T_RESULTS=$((T_RESULTS + 1))
	echo "ok - $T_NAME: $1"
}
fail() {
	T_RESULTS=$((T_RESULTS + 1))
	echo "not ok - $T_NAME: $1"
	shift
	local line
	for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}
STRICT=${STRICT:-0}
skip() {
	T_RESULTS=$((T_RESULTS + 1))
	echo "ok - $T_NAME: $1 # SKIP $2"
}
# skip_strict DESC REASON: a skip, or with STRICT=1 a failure.
skip_strict() {
	if [ "$STRICT" = 1 ]; then
		fail "$1" "STRICT=1: this machine should run it, but: $2"
	else
		skip "$1" "$2"
	fi
}
# skip_n COUNT DESC REASON / skip_strict_n: COUNT skip lines for a block of
# COUNT tests that cannot run.
skip_n() {
	local i
	for ((i = 1; i <= $1; i++)); do skip "$2 ($i/$1)" "$3"; done
}
skip_strict_n() {
	local i
	for ((i = 1; i <= $1; i++)); do skip_strict "$2 ($i/$1)" "$3"; done
}

# plan N: the number of results this script prints (see the top).
plan() {
	T_PLAN=$1
	echo "1..$1"
}
# skip_rest DESC REASON: the rest of the plan cannot run here (a tier
# without a syscall): one skip for each result not printed yet.  Exits.
skip_rest() {
	skip_n $((T_PLAN - T_RESULTS)) "$1" "$2"
	exit 0
}
# skip_all REASON / skip_all_strict REASON: the whole script cannot run;
# call it before plan.  Exits.
skip_all() {
	echo "1..0 # SKIP $T_NAME: $1"
	exit 0
}
skip_all_strict() {
	if [ "$STRICT" = 1 ]; then
		plan 1
		fail "$T_NAME runs" "STRICT=1: this machine should run it, but: $1"
		exit 1
	fi
	skip_all "$1"
}

# check DESC CMD...: passes when CMD exits 0.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else fail "$desc" "command: $*" "$out"; fi
}

# check_fails DESC CMD...: passes when CMD exits non-zero.
check_fails() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then fail "$desc" "command succeeded: $*" "$out"; else ok "$desc"; fi
}

# expect_eq DESC WANT GOT
expect_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else fail "$1" "want: $2" "got:  $3"; fi
}

# expect_match DESC REGEX TEXT (grep -E on the whole text)
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else fail "$1" "want match: $2" "got: $3"; fi
}

T_CLEANUP=()
on_exit() { T_CLEANUP+=("$1"); }
run_cleanup() {
	local i
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[i]}" >/dev/null 2>&1 || true
	done
	T_CLEANUP=()
}
trap run_cleanup EXIT
trap 'exit 130' INT TERM HUP

# A world-readable copy of the build: the checkout may sit in a 0700 home,
# and commands run as other users must reach the tool.
# Added to the fixed UIDs scripts pick (t-fault, t-hostile, t-mask, t-exam):
# t-release's roots run beside the host's tiers, and their users must never
# share a UID with the host's (audit and list judge processes by UID).
T_UID_BASE=${NONET_UID_BASE:-0}
T_ROOT=$(mktemp -d /tmp/nonet-test.XXXXXX)
chmod 0755 "$T_ROOT"
on_exit "rm -rf '$T_ROOT'"
cp "$NONET_BUILD/nonet" "$NONET_BUILD/pam_nonet.so" "$T_ROOT/"
chmod 0755 "$T_ROOT/nonet" "$T_ROOT/pam_nonet.so"
NONET=$T_ROOT/nonet
MODULE=$T_ROOT/pam_nonet.so

# nonet ARGS...: the tool, under valgrind in the valgrind tier.
nonet() { $NONET_WRAP "$NONET" "$@"; }

# make_service NAME LINE...: a PAM service file in $T_ROOT/pam.d; prints the
# dir.  A bare module line uses the default policy (only group nonet): pass
# conf=$T_POLICY_ALL to isolate everyone but root.
make_service() {
	local name=$1
	shift
	mkdir -p "$T_ROOT/pam.d"
	printf '%s\n' "$@" >"$T_ROOT/pam.d/$name"
	echo "$T_ROOT/pam.d"
}

# make_policy NAME LINE...: a policy file (root-owned, 0644); prints its path.
make_policy() {
	local file=$T_ROOT/$1.conf
	shift
	printf '%s\n' "$@" >"$file"
	chmod 0644 "$file"
	echo "$file"
}
# A policy that isolates everyone but root, for tests about the mechanism.
T_POLICY_ALL=$(make_policy all "private ALL")

# make_netns NAME: creates the network namespace nonet-t-NAME-PID and prints
# its name.  Usually called as $(make_netns x), i.e. in a subshell: so the
# name goes into a list that the cleanup registered here reads.
T_NETNS_LIST=$T_ROOT/netns.list
: >"$T_NETNS_LIST"
on_exit 'while read -r ns; do ip netns delete "$ns"; done <"$T_NETNS_LIST"'
make_netns() {
	local ns=nonet-t-$1-$$
	ip netns add "$ns" || return 1
	echo "$ns" >>"$T_NETNS_LIST"
	echo "$ns"
}

host_netns_inode() { stat -L -c %i /proc/2/ns/net; }

# The JSON checks use python3, which make deps installs.
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# with_devlog LOGFILE CMD...: runs CMD in a private mount namespace whose
# /dev/log is a datagram socket appending each syslog message (one per
# line) to LOGFILE.  The machine has no syslog daemon; nothing changes on
# the host: /dev is overlaid only inside that mount namespace.  When CMD
# ends, a marker datagram goes last into the socket: the listener stops
# when it reads it, so every earlier line has been written (a unix
# datagram socket keeps the order).
T_DEVLOG_END=nonet-t-devlog-end
with_devlog() {
	local logfile=$1 dir
	shift
	dir=$(mktemp -d "$T_ROOT/devlog.XXXXXX")
	: >"$logfile"
	unshare -m --propagation private bash -c '
		dir=$1 logfile=$2 end=$3; shift 3
		mount -t tmpfs tmpfs "$dir" || exit 97
		mkdir "$dir/up" "$dir/work"
		mount -t overlay overlay \
			-o "lowerdir=/dev,upperdir=$dir/up,workdir=$dir/work" /dev || exit 97
		python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/dev/log\")
out = open(sys.argv[1], \"ab\", buffering=0)
end = sys.argv[2].encode()
while True:
    msg = s.recv(65536)
    if msg == end:
        break
    out.write(msg.rstrip(b\"\\n\") + b\"\\n\")
" "$logfile" "$end" &
		listener=$!
		for _ in $(seq 100); do [ -S /dev/log ] && break; sleep 0.05; done
		"$@"
		rc=$?
		python3 -c "
import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(sys.argv[1].encode(), \"/dev/log\")
" "$end"
		for _ in $(seq 100); do kill -0 $listener 2>/dev/null || break; sleep 0.05; done
		kill $listener 2>/dev/null
		wait $listener 2>/dev/null
		exit $rc
	' with_devlog "$dir" "$logfile" "$T_DEVLOG_END" "$@"
}

# devlog_script: runs the calling script again inside one with_devlog (one
# listener for all its logins rather than one each) and exits with its
# status; in that run T_SYSLOG is the capture file.  Call it after lib.sh,
# before plan.
devlog_script() {
	if [ -z "${T_SYSLOG:-}" ]; then
		export T_SYSLOG=$T_ROOT/syslog.all
		with_devlog "$T_SYSLOG" bash "$0"
		exit $?
	fi
	if [ ! -S /dev/log ]; then
		plan 1
		fail "with_devlog provides /dev/log" "no socket at /dev/log"
		exit 1
	fi
}

# devlog_begin / devlog_end FILE: FILE gets the syslog lines of what ran in
# between (in a devlog_script), cut out between two marker messages.
devlog_mark() { logger -u /dev/log -t nonet-t-mark -- "$1"; }
devlog_begin() {
	T_MARK=$BASHPID-$EPOCHREALTIME
	devlog_mark "begin-$T_MARK"
}
devlog_end() {
	# Lines queued on /dev/log before the step ended come before the end
	# marker.
	devlog_mark "end-$T_MARK"
	for _ in $(seq 500); do
		grep -aq -- "end-$T_MARK\$" "$T_SYSLOG" && break
		sleep 0.01
	done
	sed -n "/begin-$T_MARK\$/,/end-$T_MARK\$/p" "$T_SYSLOG" |
		grep -av nonet-t-mark >"$1"
}

# netns_holder SECONDS: starts `unshare -n sleep SECONDS` in the
# background, removed on exit, and returns once it is in its own network
# namespace (at most 10 s); T_HOLDER is its PID.
netns_holder() {
	local host ino i
	host=$(stat -L -c %i /proc/self/ns/net)
	unshare -n sleep "$1" &
	T_HOLDER=$!
	on_exit "kill $T_HOLDER"
	for ((i = 0; i < 1000; i++)); do
		ino=$(stat -L -c %i "/proc/$T_HOLDER/ns/net" 2>/dev/null)
		[ -n "$ino" ] && [ "$ino" != "$host" ] && return 0
		sleep 0.01
	done
	return 1
}

# fault_preload: builds the interposer tests/fault/fault.c into
# $T_ROOT/fault.so and prints what LD_PRELOAD must hold in this tier
# (ASan's runtime must come first; its malloc is then the one that counts).
fault_preload() {
	local so=$T_ROOT/fault.so
	cc -shared -fPIC -O1 -g -Wall -Wextra -Werror -o "$so" \
		"$T_SRC/tests/fault/fault.c" -ldl >&2 || return 1
	chmod 0755 "$so"
	if [ "$NONET_TIER" = asan ]; then
		echo "$(ldd "$NONET" | awk '/libasan/ {print $3}') $so"
	else
		echo "$so"
	fi
}

# --- Debian roots (tests/debroot) -------------------------------------------
# The packages of the cached roots.  A root of the host's release runs the
# package (t-deb: DEBROOT_RUN) and boots as a container (t-container:
# DEBROOT_BOOT adds the user bus that `systemd-run --user --wait` needs); a
# root of the other release also builds the tree and runs the tiers
# (t-release), so it holds what `make deps` installs there (make deps is
# then a no-op in it), and DEBROOT_RUN too (t-deb runs inside it).  A root
# is reused when it holds every package asked for: keep the lists nested.
DEBROOT_RUN="libpam-runtime passwd login iproute2 libcap2 libmnl0 libsmartcols1 libnftables1
	systemd systemd-sysv dbus libpam-systemd"
DEBROOT_BOOT="$DEBROOT_RUN dbus-user-session"
debroot_build_packages() {
	local rt
	case $1 in
	bookworm) rt=libclang-rt-14-dev ;;
	trixie) rt=libclang-rt-19-dev ;;
	*) return 1 ;;
	esac
	# The Makefile's own list (make deps inside then finds everything), plus
	# the clang runtime that make deps would pick there.
	echo $DEBROOT_RUN $(make -s --no-print-directory -C "$T_SRC" print-deb-deps) $rt
}

# host_release: this system's Debian codename (bookworm, trixie, ...).
host_release() { (. /etc/os-release && echo "${VERSION_CODENAME:-}"); }

# debroot RELEASE PACKAGE...: prints the path of the cached root (tests/debroot
# builds it once); the reason on stderr when it cannot.
debroot() { "$T_SRC/tests/debroot" "$@"; }

# copy_tree DEST: the source tree without its build output (the files git
# knows, or the whole tree outside a checkout, e.g. in t-release's root).
copy_tree() {
	local dest=$1
	mkdir -p "$dest" || return 1
	if git -C "$T_SRC" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$T_SRC" && { git ls-files -z; git ls-files -z --others --exclude-standard; } |
			xargs -0 tar -cf - | tar -xf - -C "$dest")
	else
		(cd "$T_SRC" && tar --exclude=./build -cf - .) | tar -xf - -C "$dest"
	fi || return 1
	rm -rf "$dest/build"
}

# in_debroot [--api] ROOT CMD...: runs CMD in a private mount namespace in
# which an overlay over ROOT is mounted at $DEBROOT (a mount point of its
# own); the writes go to a tmpfs, so the cached root never changes and
# everything vanishes with the namespace.  --api also mounts /proc, /sys,
# /dev and /run in it (for chroot; systemd-nspawn mounts its own).  A shared
# lock on ROOT.lock keeps tests/debroot from replacing the root meanwhile.
in_debroot() {
	local api=
	[ "$1" != --api ] || { api=1; shift; }
	local root=$1 dir
	shift
	dir=$(mktemp -d "$T_ROOT/debroot.XXXXXX") || return 1
	flock -s "$root.lock" unshare -m --propagation private bash -c '
		api=$1 root=$2 dir=$3; shift 3
		mount -t tmpfs -o mode=0755 debroot "$dir" || exit 97
		mkdir "$dir/upper" "$dir/work" "$dir/root"
		mount -t overlay overlay -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" \
			"$dir/root" || exit 97
		if [ -n "$api" ]; then
			mount -t proc proc "$dir/root/proc" &&
			mount --rbind /sys "$dir/root/sys" &&
			mount --rbind /dev "$dir/root/dev" &&
			mount -t tmpfs -o mode=0755 run "$dir/root/run" || exit 97
		fi
		DEBROOT=$dir/root "$@"
	' in_debroot "$api" "$root" "$dir" "$@"
}

# host_plain_only WHAT WHY: for the tiers that run once per `make check`, on
# the host itself: ends the script with a skip (WHY says why) outside the
# plain tier, and inside t-release's root of the other release.
host_plain_only() {
	if [ "$NONET_TIER" != plain ]; then
		skip_all "$1: $2"
	fi
	if [ -n "${NONET_OUTER_RELEASE:-}" ]; then
		skip_all "$1: runs on the host only (this is the $NONET_OUTER_RELEASE host's other-release tier)"
	fi
}

# overlay_etc: an overlay over /etc in the calling (private) mount
# namespace, removed on exit, so that useradd and groupadd change nothing on
# the host.  Returns non-zero, after printing why, when it cannot.
overlay_etc() {
	mkdir "$T_ROOT/etc" || return 1
	on_exit "umount -l '$T_ROOT/etc'"
	mount -t tmpfs tmpfs "$T_ROOT/etc" &&
		mkdir "$T_ROOT/etc/up" "$T_ROOT/etc/work" &&
		mount -t overlay overlay \
			-o "lowerdir=/etc,upperdir=$T_ROOT/etc/up,workdir=$T_ROOT/etc/work" /etc ||
		return 1
	on_exit "umount -l /etc; umount -l '$T_ROOT/etc'"
}

# exam_lab: the uplink tests' two namespaces, $lab (the host that runs
# `nonet uplink up`, 198.18.0.1/24) and $srv (the exam server,
# 198.18.0.2/24), joined by a veth pair a$$/b$$, everything up.
exam_lab() {
	lab=$(make_netns lab)
	srv=$(make_netns srv)
	ip link add a$$ netns "$lab" type veth peer name b$$ netns "$srv"
	ip -n "$lab" addr add 198.18.0.1/24 dev a$$
	ip -n "$srv" addr add 198.18.0.2/24 dev b$$
	for ns in "$lab" "$srv"; do ip -n "$ns" link set lo up; done
	ip -n "$lab" link set a$$ up
	ip -n "$srv" link set b$$ up
}
