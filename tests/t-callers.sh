#!/bin/bash
# Login programs that use PAM unlike `nonet session`, through the real
# module and a real libpam (tests/helpers/nonet-t-pam.c, built by
# `make test-libs`):
#   threads  the session is opened by a second thread and the "shell" is
#            forked by the first: a warning with the thread count is logged,
#            the child has the host's network and `nonet audit` reports it
#            as an escape; with single_thread the session is refused
#   twice    pam_open_session twice on one handle (shared mode): one close
#            leaves the count at 0 and removes the pin, and one record
#   two      two handles in one process: two records, both removed
. "$(dirname "$0")/lib.sh"
plan 23

tag=nonet-t-$$
U=$tag-c
W=$T_ROOT/w
mkdir -m 1777 "$W"
HELPER=$T_ROOT/nonet-t-pam
if ! cp "$NONET_BUILD/helpers/nonet-t-pam" "$HELPER" 2>/dev/null; then
	fail "the helper $NONET_BUILD/helpers/nonet-t-pam is built" "run make test-libs"
	exit 1
fi
host_ino=$(host_netns_inode)
BG=()

remove_user() {
	local i
	for i in 1 2 3; do umount -l "/run/netns/nonet-$U" 2>/dev/null || break; done
	rm -f "/run/netns/nonet-$U" "/run/nonet/nonet-$U.lock"
	grep -lx "user $U" /run/nonet/sessions/* 2>/dev/null | xargs -r rm -f
	userdel "$U"
}
if getent passwd "$U" >/dev/null; then
	fail "the test user does not exist yet" "user $U exists"
	exit 1
fi
on_exit remove_user
if ! out=$(useradd -M -N -s /bin/sh "$U" 2>&1); then
	fail "create the test user" "$out"
	exit 1
fi
stop_background() {
	local p
	: >"$W/go"
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
}
on_exit stop_background

pol_private=$(make_policy private "private $U")
pol_shared=$(make_policy shared "shared $U")
PAMD=$(make_service priv "session required $MODULE conf=$pol_private")
make_service strict "session required $MODULE conf=$pol_private single_thread" >/dev/null
make_service shared "session required $MODULE conf=$pol_shared" >/dev/null

# helper MODE SERVICE CMD...: the helper (under valgrind in that tier).
helper() {
	local mode=$1 svc=$2
	shift 2
	$NONET_WRAP "$HELPER" "$mode" "$svc" "$U" "$PAMD" "$@"
}
# The session's command: writes its PID and network namespace, then waits
# until the test says go.  With a second argument, it names itself that
# (its comm, which any user may set to anything).
SESSION_CMD=(sh -c '[ -z "$2" ] || printf "%s" "$2" >/proc/$$/comm
echo $$ >"$1/pid.tmp"; stat -L -c %i /proc/self/ns/net >>"$1/pid.tmp"
mv "$1/pid.tmp" "$1/pid"; while [ ! -e "$1/go" ]; do sleep 0.1; done' sh "$W")
wait_file() { for _ in $(seq 300); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }

# names_escaped WHAT TEXT: TEXT shows the evil name escaped (\x1b]0;x\x07
# \x0aok...) and holds no raw ESC or BEL.
names_escaped() {
	if printf '%s' "$2" | grep -q $'[\e\a]'; then
		fail "$1: process names are escaped" "raw ESC or BEL in: $(printf '%s' "$2" | od -c | head -5)"
	elif ! printf '%s' "$2" | grep -qF '\x1b]0;x\x07\x0aok\x1b[2K'; then
		fail "$1: process names are escaped" "no escaped name in: $2"
	else
		ok "$1: the name with ESC, BEL and a newline is printed escaped"
	fi
}

# --- threads: the warning, the escape the audit finds ----------------------
LOG=$T_ROOT/syslog.threads OUT=$T_ROOT/out.threads
rm -f "$W/pid" "$W/go"
# The child names itself ESC ] 0 ; BEL, a newline, a forged summary line.
EVIL=$'\e]0;x\a\nok\e[2K'
with_devlog "$LOG" "$HELPER" threads priv "$U" "$PAMD" "${SESSION_CMD[@]}" "$EVIL" >"$OUT" 2>&1 &
BG+=($!)
if wait_file "$W/pid"; then
	{ read -r child; read -r child_ino; } <"$W/pid"
	expect_eq "threads: the child forked by the other thread has the host's network namespace" \
		"$host_ino" "$child_ino"
	json=$(nonet audit --conf "$pol_private" --all -J -o PID,USER,NETNS,VERDICT)
	expect_eq "threads: nonet audit reports the child as an escape" "['escape']" \
		"$(printf '%s' "$json" | json_get "[p['verdict'] for p in d['processes'] if p['pid'] == $child]")"
	names_escaped "check -u (text)" "$(nonet check -u "$U" --conf "$pol_private" 2>&1)"
	KLOG=$T_ROOT/syslog.kill
	out=$(with_devlog "$KLOG" "$NONET" audit --conf "$pol_private" --kill 2>&1)
	names_escaped "audit --kill (stdout)" "$out"
	names_escaped "audit --kill (syslog)" "$(cat "$KLOG")"
	expect_match "audit --kill: the escaped child was ended" "ended process $child " "$out"
else
	fail "threads: the session command started" "$(cat "$OUT")"
fi
: >"$W/go"
wait "${BG[-1]}"
expect_match "threads: the first open succeeded (PAM_SUCCESS)" "open=0" "$(cat "$OUT")"
expect_match "threads: a warning names the caller's 2 threads" \
	"^<84>.*pam_nonet\\(priv:session\\): the caller \\(PID [0-9]+\\) of the session of $U has 2 threads: only the thread that opens the session is isolated" \
	"$(cat "$LOG")"
expect_match "threads: the session is still logged as isolated (the opening thread is)" \
	"isolated the session of $U: mode=private" "$(cat "$LOG")"

# --- threads with single_thread: refused ------------------------------------
LOG=$T_ROOT/syslog.strict
rm -f "$W/pid" "$W/go"
out=$(with_devlog "$LOG" "$HELPER" threads strict "$U" "$PAMD" "${SESSION_CMD[@]}" 2>&1)
expect_eq "single_thread: the threaded caller is refused (PAM_SESSION_ERR), nothing ran" \
	"open=14 no-cmd" "$(echo "$out" | grep -o '^open=[0-9]*') $([ -e "$W/pid" ] && echo ran || echo no-cmd)"
expect_match "single_thread: the refusal is logged with the count" \
	"^<83>.*refusing the session of $U: its caller \\(PID [0-9]+\\) has 2 threads and single_thread is set" \
	"$(cat "$LOG")"
check_fails "single_thread: no 'isolated' line" grep -q "isolated the session of $U" "$LOG"
out=$(helper twice strict sh -c 'stat -L -c %i /proc/self/ns/net' 2>&1)
ino=$(echo "$out" | sed -n 's/^\([0-9][0-9]*\)$/\1/p')
if [ -n "$ino" ] && [ "$ino" != "$host_ino" ] && echo "$out" | grep -q '^cmd=0'; then
	ok "single_thread: a one-thread caller is isolated (netns $ino)"
else
	fail "single_thread: a one-thread caller is isolated" "$out"
fi

# during MODE SERVICE: the helper in the background with SESSION_CMD, until
# the command has started (its PID in $W/pid); `finish` lets it end and
# leaves the helper's output in $OUT.
during() {
	rm -f "$W/pid" "$W/go"
	OUT=$T_ROOT/out.$1.$2
	helper "$1" "$2" "${SESSION_CMD[@]}" >"$OUT" 2>&1 &
	BG+=($!)
	wait_file "$W/pid"
}
finish() { : >"$W/go"; wait "${BG[-1]}"; }
records() { grep -lx "user $U" /run/nonet/sessions/* 2>/dev/null; }

# --- twice on one handle, shared: the count goes back to 0 ------------------
LOCK=/run/nonet/nonet-$U.lock PIN=/run/netns/nonet-$U
if during twice shared; then
	expect_eq "twice: while open, the namespace counts one session" "1" "$(cat "$LOCK")"
	expect_eq "twice: while open, one record (the second open's replaced the first's)" \
		"1" "$(records | wc -l)"
else
	fail "twice: the session command started" "$(cat "$OUT")"
fi
finish
expect_eq "twice: both opens succeeded on one handle, then one close" "open=0 open=0 close=0" \
	"$(grep -E '^(open|close)=' "$OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "twice: after the one close, the lock count is 0" "0" "$(cat "$LOCK" 2>/dev/null || echo 0)"
if [ -e "$PIN" ]; then
	fail "twice: after the one close, the pin is gone" "$PIN still exists"
else
	ok "twice: after the one close, the pin is gone"
fi
expect_eq "twice: no record of $U is left" "" "$(records)"

# --- two handles in one process: two records --------------------------------
if during two priv; then
	got=$(records | xargs -r -n1 basename | sort -u)
	expect_eq "two: two handles in one process have two records" "2" "$(echo "$got" | grep -c .)"
	expect_eq "two: both records name the same calling process" "1" \
		"$(echo "$got" | sed 's/-[0-9a-f]*$//' | sort -u | wc -l)"
else
	fail "two: the session command started" "$(cat "$OUT")"
fi
finish
expect_eq "two: both opened and both closed" "open=0 open=0 close=0 close=0" \
	"$(grep -E '^(open|close)=' "$OUT" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "two: both closes removed both records" "" "$(records)"
