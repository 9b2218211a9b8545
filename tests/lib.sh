# tests/lib.sh: sourced by every tests/t-*.sh.
#
# Prints TAP lines (ok / not ok / ok # SKIP) that tests/run counts.
# Everything a test creates is registered with on_exit and removed again in
# reverse order when the script ends, also when it fails or is interrupted.
set -u
: "${NONET_BUILD:?run the tests through tests/run}"
NONET_WRAP=${NONET_WRAP:-}
NONET_TIER=${NONET_TIER:-plain}
T_NAME=$(basename "$0" .sh)
T_SRC=$(cd "$(dirname "$0")/.." && pwd)

ok() { echo "ok - $T_NAME: $1"; }
fail() {
	echo "not ok - $T_NAME: $1"
	shift
	local line
	for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}
skip() { echo "ok - $T_NAME: $1 # SKIP $2"; }

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
# the host: /dev is overlaid only inside that mount namespace.
with_devlog() {
	local logfile=$1 dir
	shift
	dir=$(mktemp -d "$T_ROOT/devlog.XXXXXX")
	: >"$logfile"
	unshare -m --propagation private bash -c '
		dir=$1 logfile=$2; shift 2
		mount -t tmpfs tmpfs "$dir" || exit 97
		mkdir "$dir/up" "$dir/work"
		mount -t overlay overlay \
			-o "lowerdir=/dev,upperdir=$dir/up,workdir=$dir/work" /dev || exit 97
		python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(\"/dev/log\")
out = open(sys.argv[1], \"ab\", buffering=0)
while True:
    out.write(s.recv(65536).rstrip(b\"\\n\") + b\"\\n\")
" "$logfile" &
		listener=$!
		for _ in $(seq 100); do [ -S /dev/log ] && break; sleep 0.05; done
		"$@"
		rc=$?
		sleep 0.2 # let the last datagrams be written
		kill $listener
		wait $listener 2>/dev/null
		exit $rc
	' with_devlog "$dir" "$logfile" "$@"
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
