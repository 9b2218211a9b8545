#!/bin/bash
# The other Debian release: `make check` proves both on every run.  On
# bookworm this tier takes trixie, on trixie bookworm: a root of that
# release with the build and test dependencies (tests/debroot, cached
# between runs), an overlay over it in a private mount namespace (a root
# that is its own mount point, entered with pivot_root, with /proc, /sys,
# /dev and /run), the tree copied in.  Inside: `make deps` (it must pick
# the release's packages: the root holds them all, so it installs
# nothing), the build (module, tool, unit tests, test libraries, fuzzers),
# `make demo` and the plain tiers (`tests/run --build build`, spread over two roots
# that run at once: see below).  Each inner TAP line comes out here tagged
# with the release, so tests/run counts it and shows the inner failures.
# Inside, the cache is bind-mounted read-only: t-deb there installs the
# package into the same cached root; the container tier and this one skip.
# NONET_RELEASE_SCRIPTS="tests/t-foo.sh ..." runs only those inside;
# NONET_RELEASE_JOBS=N spreads them over N roots (default 2).
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
# enter MODE ARG...: one overlay over the root (in_debroot: a tmpfs of its
# own for the writes), the tree and the cache bind-mounted, entered with
# pivot_root, and in it, with a clean environment:
#   build               make deps, the build (one root: /src/build), make demo
#   tests K UIDMIN SCRIPT...  tests/run --build build SCRIPT... (K = 1 also
#                       runs the unit programs); useradd there counts from
#                       UIDMIN, so the users the roots add never share a
#                       UID with each other nor with the host's tiers,
#                       which run at the same time (tests/run --beside);
#                       the UIDs scripts pick from a fixed range are moved
#                       by NONET_UID_BASE (t-fault, t-hostile and t-mask
#                       always run in root 1)
enter() {
	in_debroot --api "$root" bash -s "$T_ROOT/src" "$cache" "$host" "$@" <<'OUTER'
src=$1 cache=$2 host=$3
shift 3
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
	NONET_UID_BASE=200000 \
	bash -c '
	cd /src || exit 97
	step() {
		local name=$1 t=$(date +%s)
		shift
		"$@" >".release/$name.log" 2>&1
		echo $? >".release/$name.rc"
		echo $(($(date +%s) - t)) >".release/$name.time"
	}
	mode=$1
	shift
	case $mode in
	build)
		echo "gcc $(gcc -dumpfullversion), clang $(clang -dumpversion), $(ip -V)" >.release/versions
		step deps make deps
		step build make -j2 all units test-libs fuzzers
		[ "$(cat .release/build.rc)" = 0 ] && step demo make demo
		;;
	tests)
		k=$1 uidmin=$2
		shift 2
		sed -i -E "s/^(UID_MIN|GID_MIN)[[:space:]].*/\1 $uidmin/
			s/^(UID_MAX|GID_MAX)[[:space:]].*/\1 $((uidmin + 9999))/" /etc/login.defs
		units=--no-units
		[ "$k" = 1 ] && units=
		step "tests.$k" tests/run --build build $units "$@"
		;;
	esac
' enter "$@"
OUTER
}
enter build >"$T_ROOT/enter.log" 2>&1
rc=$?
r=$T_ROOT/src/.release
if [ ! -s "$r/versions" ]; then
	fail "enter the $other root (overlay, /proc, /sys, /dev, /run, pivot_root)" \
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
if [ "$(cat "$r/build.rc" 2>/dev/null)" != 0 ]; then
	echo "# the $other tiers did not run: the build failed"
	exit 0
fi
# make demo: the session it shows (nobody's, through a throwaway stack)
# has only lo, and `nonet check` inside says so.
step_ok demo "make demo works on $other"
expect_eq "... its session is isolated (nonet check inside it)" isolated \
	"$(sed -n '/^### Inside the session/,/^### The host/p' "$r/demo.log" | grep -x isolated)"

# The tiers, spread over NONET_RELEASE_JOBS (default 2) roots that run at
# once, each an overlay of its own over the cached root (its own /etc,
# /run, /tmp; UIDs from its own range) sharing /src and its build: most
# scripts wait more than they compute (cron's minute, dpkg, sleeps), so two
# roots on two cores take about half the time of one.  The scripts go to
# the least loaded root, longest first, by what they took in the trixie
# root on 2026-12-02 (tests/run --beside; in seconds; others count 3);
# root 1 also runs the unit programs (about 16 s), and the scripts that
# pick UIDs from a fixed range.
cost() {
	case $(basename "$1" .sh) in
	t-policy | t-uplink-room) echo 61 ;; t-logins | t-audit) echo 56 ;;
	t-doctor | t-fault) echo 51 ;; t-deb) echo 46 ;; t-bench) echo 37 ;;
	t-shared) echo 34 ;; t-stress | t-sshd) echo 24 ;; t-exam) echo 22 ;;
	t-hostile) echo 17 ;; t-fuzz) echo 15 ;; t-mask) echo 9 ;;
	t-harden | t-show) echo 7 ;; *) echo 3 ;;
	esac
}
# shellcheck disable=SC2207 # script names have no blanks
scripts=($(cd "$T_ROOT/src" && for f in ${NONET_RELEASE_SCRIPTS:-tests/t-*.sh}; do
	echo "$(cost "$f") $f"
done | sort -k1,1nr -k2 | cut -d' ' -f2))
jobs=${NONET_RELEASE_JOBS:-2}
[ "$jobs" -le "${#scripts[@]}" ] || jobs=${#scripts[@]}
[ "$jobs" -ge 1 ] || jobs=1
declare -a load=() list=()
for ((k = 1; k <= jobs; k++)); do load[k]=0 list[k]=; done
load[1]=16 # the unit programs
for f in "${scripts[@]}"; do
	best=1
	case $f in
	*/t-fault.sh | */t-hostile.sh | */t-mask.sh) ;;
	*) for ((k = 2; k <= jobs; k++)); do
		[ "${load[k]}" -lt "${load[best]}" ] && best=$k
	done ;;
	esac
	load[best]=$((load[best] + $(cost "$f"))) list[best]+=" $f"
done
t_tiers=$(date +%s)
pids=()
for ((k = 1; k <= jobs; k++)); do
	[ -n "${list[k]}" ] || continue # every script pinned to root 1
	# shellcheck disable=SC2086 # the list is split on purpose
	enter tests "$k" $((201000 + (k - 1) * 10000)) ${list[k]} >"$T_ROOT/enter.$k.log" 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
t_tiers=$(($(date +%s) - t_tiers))
# The inner TAP lines, tagged with the release; the rest as comments.
summaries= times= used=0
for ((k = 1; k <= jobs; k++)); do
	[ -n "${list[k]}" ] || continue
	used=$((used + 1))
	log=$r/tests.$k.log
	if [ ! -e "$log" ]; then
		fail "the $other tiers in root $k ran:${list[k]}" "$(tail -20 "$T_ROOT/enter.$k.log")"
		continue
	fi
	sed -E "s/^(not ok|ok)( [0-9]+)?( - |$)/\1 [$other]\2\3/; /^(ok|not ok) /!s/^/# /" "$log"
	results=$((results + $(grep -cE '^(ok|not ok)( |$)' "$log")))
	summary=$(tail -1 "$log")
	expect_match "the $other tiers in root $k ran to their summary" \
		'^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$summary"
	summaries+="${summaries:+; }$summary" times+="${times:+, }$(cat "$r/tests.$k.time") s"
done
echo "# t-release: $other took $(($(date +%s) - t0)) s (root ${t_root} s," \
	"deps $(cat "$r/deps.time") s, build $(cat "$r/build.time") s," \
	"tiers $t_tiers s in $used root(s) at once: $times): $summaries"
