#!/bin/bash
# Failure tier: the module fails closed, says why in the log (naming the
# user), and tells the user one plain line.  Each refusal has a control
# that succeeds when only the fault is removed.  The log lines are
# captured with with_devlog; the session's own view (/proc/self/ns/net)
# is the oracle for the namespace the log line names.
#
# Not covered here: an unknown user.  `nonet session` looks the user up
# before it starts PAM, so the module's "unknown user" refusal cannot be
# reached through the tool; it needs a harness calling pam_start_confdir
# with a user that does not exist.
. "$(dirname "$0")/lib.sh"
plan 29

user=nobody
host_ino=$(host_netns_inode)
# $T_POLICY_ALL isolates everyone but root.
conf=$(make_service nonet-t-fail "session required $MODULE conf=$T_POLICY_ALL")
make_service nonet-t-fail-typo \
	"session required $MODULE conf=$T_POLICY_ALL ipv6 bogus_arg" >/dev/null
# Succeeds only if the module returns PAM_IGNORE (see pam.conf(5) actions).
make_service nonet-t-fail-ignore \
	"session [ignore=1 default=die] $MODULE conf=$T_POLICY_ALL bogus_arg" \
	"session requisite pam_deny.so" "session required pam_permit.so" >/dev/null
log=$T_ROOT/syslog
errf=$T_ROOT/stderr
outf=$T_ROOT/stdout
user_msg='^Network isolation could not be set up'

# session LOG SERVICE USER CMD...: `nonet session` with syslog captured in
# LOG, stdout in $outf, stderr in $errf; returns nonet's exit status.
session() {
	local l=$1 service=$2 who=$3
	shift 3
	# $NONET_WRAP is split on purpose: "valgrind -q ..." or nothing.
	with_devlog "$l" $NONET_WRAP "$NONET" session -u "$who" \
		--confdir "$conf" -s "$service" -- "$@" >"$outf" 2>"$errf"
}

# --- (a) no CAP_SYS_ADMIN in the calling process ---------------------------
# capsh drops it from the bounding set; the exec of bash then leaves it out
# of the permitted and effective sets of everything below.
caps=$(capsh --drop=cap_sys_admin -- -c 'grep ^CapEff: /proc/self/status')
eff=$(capsh --decode="$(printf '%s' "$caps" | awk '{print $2}')")
if printf '%s' "$eff" | grep -q cap_sys_admin; then
	fail "capsh --drop=cap_sys_admin removes it" "$eff"
else
	ok "capsh --drop=cap_sys_admin removes it from the effective set"
fi

cmd="$NONET_WRAP '$NONET' session -u $user --confdir '$conf' -s nonet-t-fail -- echo ran"
with_devlog "$log" capsh --drop=cap_sys_admin -- -c "$cmd" >"$outf" 2>"$errf"
rc=$?
expect_eq "without CAP_SYS_ADMIN the session is refused (111)" 111 "$rc"
expect_eq "... and the command does not run" "" "$(cat "$outf")"
expect_match "the log says the caller lacks CAP_SYS_ADMIN, naming the user" \
	"pam_nonet\(nonet-t-fail:session\): .*for $user: .*lacks CAP_SYS_ADMIN" "$(cat "$log")"
expect_match "... at priority authpriv.err" '^<83>.*lacks CAP_SYS_ADMIN' "$(cat "$log")"
if grep -q 'isolated the session' "$log"; then
	fail "no 'isolated' line for the refused session" "$(cat "$log")"
else
	ok "no 'isolated' line for the refused session"
fi
msgs=$(grep -v '^nonet: ' "$errf")
expect_eq "the user is told exactly one line (besides the tool's own)" 1 \
	"$(printf '%s\n' "$msgs" | grep -c .)"
expect_match "... saying the login cannot proceed" "$user_msg" "$msgs"
if grep -Eiq 'CAP_|capabilit|namespace|netns|unshare|not permitted|errno|pam_nonet' "$errf"; then
	fail "stderr carries no internal detail" "$(cat "$errf")"
else
	ok "stderr carries no internal detail"
fi

# Control: the same command line with the capability kept works.
out=$(capsh -- -c "$cmd" 2>&1)
expect_eq "control: through capsh with CAP_SYS_ADMIN kept, the session opens" ran "$out"

# --- (b) an unknown module argument ----------------------------------------
session "$log" nonet-t-fail-typo "$user" echo ran
expect_eq "an unknown module argument refuses $user's session (111)" 111 "$?"
expect_eq "... and the command does not run" "" "$(cat "$outf")"
expect_match "the log names the unknown argument" \
	'^<83>.*pam_nonet\(nonet-t-fail-typo:session\): unknown module argument "bogus_arg"' \
	"$(cat "$log")"
expect_match "the log says whose session it refused" \
	"^<83>.*pam_nonet\(nonet-t-fail-typo:session\): refusing the session of $user" \
	"$(cat "$log")"
expect_match "... and the user gets the one-line message" "$user_msg" "$(cat "$errf")"
if grep -q bogus_arg "$errf"; then
	fail "... which does not show the module's arguments" "$(cat "$errf")"
else
	ok "... which does not show the module's arguments"
fi

session "$log" nonet-t-fail-ignore root stat -L -c %i /proc/self/ns/net
rc=$?
expect_eq "the typo does not lock root out: PAM_IGNORE for uid 0" 0 "$rc"
expect_eq "... and root's session stays in the host namespace" "$host_ino" "$(cat "$outf")"
expect_match "... with a warning that names root and the reason" \
	'^<84>.*pam_nonet.*letting root in without network isolation.*uid 0' \
	"$(cat "$log")"
if grep -q 'refusing the session' "$log"; then
	fail "... and no refusal logged for root" "$(cat "$log")"
else
	ok "... and no refusal logged for root"
fi
session "$log" nonet-t-fail-ignore "$user" true
expect_eq "control: the same stack refuses $user (not PAM_IGNORE)" 111 "$?"

# --- (e) the info line of a good session -----------------------------------
session "$log" nonet-t-fail "$user" stat -L -c %i /proc/self/ns/net
rc=$?
expect_eq "a good session opens" 0 "$rc"
ino=$(cat "$outf")
line=$(grep 'isolated the session' "$log")
expect_match "the info line names the user and mode=private" \
	"isolated the session of $user: mode=private .*netns=net:\[[0-9]+\]" "$line"
expect_match "... and the deciding rule (FILE:LINE)" \
	"rule=$T_POLICY_ALL:1 " "$line"
expect_match "... at priority authpriv.info" '^<86>' "$line"
logged=$(printf '%s' "$line" | sed -n 's/.*netns=net:\[\([0-9]*\)\].*/\1/p')
expect_eq "the logged namespace inode is the one the session's command sees" \
	"$ino" "$logged"
if [ -n "$ino" ] && [ "$ino" != "$host_ino" ]; then
	ok "... and it is not the host's ($host_ino)"
else
	fail "... and it is not the host's" "session: '$ino' host: '$host_ino'"
fi
expect_match "... and says ipv6=off (no ipv6 argument)" 'ipv6=off$' "$line"
expect_eq "a good session logs no error from pam_nonet" "" "$(grep '^<8[0-3]>.*pam_nonet' "$log")"
