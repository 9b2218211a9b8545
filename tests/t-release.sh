#!/bin/bash
# The other Debian release: `make check` proves both on every run.  On
# bookworm this tier takes trixie, on trixie bookworm: a root of that
# release with the build and test dependencies (tests/debroot, cached
# between runs), an overlay over it in a private mount namespace (a root
# that is its own mount point, entered with pivot_root, with /proc, /sys,
# /dev and /run), the tree copied in.  Inside: `make deps` (it must pick
# the release's packages: the root holds them all, so it installs
# nothing), the build (module, tool, unit tests, test libraries, fuzzers)
# and the plain tiers (`tests/run --build build`).  Each inner TAP line comes out here tagged
# with the release, so tests/run counts it and shows the inner failures.
# Inside, the cache is bind-mounted read-only: t-deb there installs the
# package into the same cached root; the container tier and this one skip.
# NONET_RELEASE_SCRIPTS="tests/t-foo.sh ..." runs only those inside.
. "$(dirname "$0")/lib.sh"
host_plain_only "the other release" "runs once, in the plain tier (its inner tiers are plain)"
host=$(host_release)
case $host in
bookworm) other=trixie ;;
trixie) other=bookworm ;;
*)
	skip_all "host release '$host' is neither bookworm nor trixie"
	;;
esac
t0=$(date +%s)
if ! root=$(debroot "$other" $(debroot_build_packages "$other") 2>"$T_ROOT/debroot.err"); then
	skip_all_strict "no $other root: $(tail -3 "$T_ROOT/debroot.err" | tr '\n' ' ')"
fi
# The inner tiers check their own plans; this script's count depends on
# them, so its plan comes last (TAP allows that): every result it printed.
results=0
eval "lib_$(declare -f ok)"
eval "lib_$(declare -f fail)"
ok() { results=$((results + 1)); lib_ok "$@"; }
fail() { results=$((results + 1)); lib_fail "$@"; }
trap 'echo "1..$results"; run_cleanup' EXIT
ok "a cached $other root with the build dependencies: $(sed -n '1s/^# nonet test root: //p' "$root/.nonet-root")"
t_root=$(($(date +%s) - t0))

copy_tree "$T_ROOT/src" || { fail "copy the source tree"; exit 0; }
cache=${NONET_ROOT_CACHE:-/var/cache/nonet-tests/roots}
# The tree is bind-mounted at /src: each step leaves its output, status and
# time in /src/.release/STEP.{log,rc,time}.
mkdir "$T_ROOT/src/.release"
in_debroot --api "$root" bash -s "$T_ROOT/src" "$cache" "$host" "${NONET_RELEASE_SCRIPTS:-}" \
	>"$T_ROOT/enter.log" 2>&1 <<'OUTER'
src=$1 cache=$2 host=$3 scripts=$4
mkdir -p "$DEBROOT/src" "$DEBROOT$cache" || exit 97
mount --bind "$src" "$DEBROOT/src" || exit 97
mount --bind "$cache" "$DEBROOT$cache" && mount -o remount,bind,ro "$DEBROOT$cache" || exit 97
# pivot_root rather than chroot: the root is then the mount namespace's
# own, so that setns into a mount namespace (nsenter -m in t-harden) lands
# in this tree, not in the host's.
cd "$DEBROOT" && mkdir -p .oldroot && pivot_root . .oldroot &&
	umount -l /.oldroot && rmdir /.oldroot || exit 97
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LANG=C.UTF-8 TERM=dumb NONET_OUTER_RELEASE="$host" FUZZ_TIME=5 \
	SCRIPTS="$scripts" bash -c '
	cd /src || exit 97
	step() {
		local name=$1 t=$(date +%s)
		shift
		"$@" >".release/$name.log" 2>&1
		echo $? >".release/$name.rc"
		echo $(($(date +%s) - t)) >".release/$name.time"
	}
	echo "gcc $(gcc -dumpfullversion), clang $(clang -dumpversion), $(ip -V)" >.release/versions
	step deps make deps
	step build make -j2 all units test-libs fuzzers
	[ "$(cat .release/build.rc)" = 0 ] && step tests tests/run --build build $SCRIPTS
'
OUTER
rc=$?
r=$T_ROOT/src/.release
if [ ! -s "$r/versions" ]; then
	fail "enter the $other root (overlay, /proc, /sys, /dev, /run, chroot)" \
		"status $rc" "$(tail -20 "$T_ROOT/enter.log")"
	exit 0
fi
ok "enter the $other root (pivot_root): $(cat "$r/versions")"

# step_ok STEP DESC: passes when the step exited 0; else shows its output.
step_ok() {
	if [ "$(cat "$r/$1.rc" 2>/dev/null)" = 0 ]; then
		ok "$2 ($(cat "$r/$1.time") s)"
	else
		fail "$2" "status $(cat "$r/$1.rc" 2>/dev/null)" "$(tail -25 "$r/$1.log" 2>/dev/null)"
	fi
}
# make deps installs what the root lacks (through the mirror): it must
# name packages that exist on this release, and installs nothing when the
# root's list (debroot_build_packages) keeps up with DEB_DEPS.
step_ok deps "make deps works on $other"
missing=$(sed -n 's/^Installing: //p' "$r/deps.log")
if [ -z "$missing" ]; then
	ok "make deps found every package in the cached $other root"
else
	fail "make deps found every package in the cached $other root" \
		"it installed: $missing (add them to debroot_build_packages in tests/lib.sh)"
fi
step_ok build "make all units test-libs fuzzers builds on $other"
if [ ! -e "$r/tests.log" ]; then
	echo "# the $other tiers did not run: the build failed"
	exit 0
fi
# The inner TAP lines, tagged with the release; the rest as comments.
sed -E "s/^(not ok|ok)( [0-9]+)?( - |$)/\1 [$other]\2\3/; /^(ok|not ok) /!s/^/# /" "$r/tests.log"
results=$((results + $(grep -cE '^(ok|not ok)( |$)' "$r/tests.log")))
summary=$(tail -1 "$r/tests.log")
expect_match "the $other tiers ran to their summary" '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$summary"
echo "# t-release: $other took $(($(date +%s) - t0)) s (root ${t_root} s," \
	"deps $(cat "$r/deps.time") s, build $(cat "$r/build.time") s, tiers $(cat "$r/tests.time") s): $summary"
