#!/bin/bash
# Policy tier: nonet.conf decides, end to end.  Every login goes through the
# real module in a real PAM stack (`nonet session --confdir`), and its
# outcome is read from inside the session: /proc/self/ns/net against the
# host's, and `ip -j addr` (only lo, UP, 127.0.0.1/8 [+ ::1/128]).  The
# module's syslog line (with_devlog) names the deciding rule, so each case
# also asserts WHICH rule decided (first match wins).
#
# Users and groups of our own (nonet-t-PID-*), removed at exit:
#   A  primary group "users" (useradd -N)
#   B  primary group G1
#   C  supplementary group G2
#   D  plain; the break_glass= user of every service below
. "$(dirname "$0")/lib.sh"

# The whole script runs inside one with_devlog (a private mount namespace
# whose /dev/log appends to $T_SYSLOG): one listener for all the
# logins rather than one each.  Each login's lines are cut out between two
# marker messages (see outcome).
devlog_script
plan 145

host_ino=$(host_netns_inode)
# The oracles' interpreter: root's PATH may start with a pyenv shim, a bash
# script that costs about half a second of CPU on every call (one a login).
PY=$(command -v /usr/bin/python3 || command -v python3)
P=$T_ROOT/policy.conf # rewritten per section; every service reads it
tag=nonet-t-$$
A=$tag-a B=$tag-b C=$tag-c D=$tag-d G1=$tag-g1 G2=$tag-g2

# --- users and groups ------------------------------------------------------
for n in "$A" "$B" "$C" "$D"; do
	if getent passwd "$n" >/dev/null; then
		fail "the test users do not exist yet" "user $n exists"
		exit 1
	fi
done
for n in "$G1" "$G2"; do
	if getent group "$n" >/dev/null; then
		fail "the test groups do not exist yet" "group $n exists"
		exit 1
	fi
done
# Registered before creating (so also after a failure half-way), groups
# first: they are removed last, after the users.
on_exit "groupdel '$G1'"
on_exit "groupdel '$G2'"
for n in "$A" "$B" "$C" "$D"; do on_exit "userdel '$n'"; done
if ! out=$(groupadd "$G1" 2>&1 && groupadd "$G2" 2>&1 &&
	useradd -M -N -s /bin/sh "$A" 2>&1 &&
	useradd -M -N -g "$G1" -s /bin/sh "$B" 2>&1 &&
	useradd -M -N -G "$G2" -s /bin/sh "$C" 2>&1 &&
	useradd -M -N -s /bin/sh "$D" 2>&1); then
	fail "create the test users and groups" "$out"
	exit 1
fi
expect_eq "test users: B's primary group is G1, C is in G2 (supplementary)" \
	"$G1 | $G2" "$(id -gn "$B") | $(id -Gn "$C" | tr ' ' '\n' | grep -x "$G2")"

# --- services --------------------------------------------------------------
# One file per service name the rules use (PAM_SERVICE is the file's name).
# `required` + pam_permit: PAM_SUCCESS and PAM_IGNORE pass, an error refuses.
for s in sshd login cron su; do
	PAMD=$(make_service "$s" "session required $MODULE conf=$P break_glass=$D" \
		"session required pam_permit.so")
done
# Succeeds only if the module returns PAM_IGNORE (see pam.conf(5) actions).
make_service strict "session [ignore=1 default=die] $MODULE conf=$P break_glass=$D" \
	"session requisite pam_deny.so" "session required pam_permit.so" >/dev/null
make_service missing "session required $MODULE conf=$T_ROOT/no-such.conf break_glass=$D" \
	"session required pam_permit.so" >/dev/null
make_service dupconf "session required $MODULE conf=$P conf=$P break_glass=$D" \
	"session required pam_permit.so" >/dev/null
make_service dupflag "session required $MODULE ipv6 conf=$P break_glass=$D ipv6" \
	"session required pam_permit.so" >/dev/null

# --- one login and its outcome ---------------------------------------------
LOG=$T_ROOT/syslog ERR=$T_ROOT/stderr
PREFIX=() # a command to run `nonet session` under (the NSS fault below)
PROBE='stat -L -c %i /proc/self/ns/net; ip -j addr show'

# Reads "INODE\n`ip -j addr`" and names what the session got.
judge() { "$PY" -I -S "$T_SRC/tests/ip_verdict.py" "$host_ino"; }

# outcome SERVICE USER [SESSION-OPTION...]: one login, its syslog lines in
# $LOG; prints "isolated :LINE", "isolated+v6 :LINE", "host :LINE",
# "host none-matched", "host" (no rule= logged) or "refused".  ":LINE" is
# the rule= the module logged, when its file is $P.
outcome() {
	local svc=$1 user=$2 out rc state rule ino
	shift 2
	devlog_begin
	# $NONET_WRAP is split on purpose: "valgrind -q ..." or nothing.
	out=$("${PREFIX[@]}" $NONET_WRAP "$NONET" session -u "$user" \
		--confdir "$PAMD" -s "$svc" "$@" -- sh -c "$PROBE" 2>"$ERR")
	rc=$?
	devlog_end "$LOG"
	ino=${out%%$'\n'*}
	case $rc in
	0) if [ "$ino" = "$host_ino" ]; then
		state=host
	else
		state=$(printf '%s\n' "$out" | judge)
	fi ;;
	111) state=refused ;;
	*) state="exit $rc" ;;
	esac
	# Control bytes and non-ASCII shown as '?', so TAP stays text.
	rule=$(grep -ao 'rule=[^ ]*' "$LOG" | sed 's/^rule=//' |
		LC_ALL=C tr -c '[:print:]\n' '?' | tr '\n' ' ')
	rule=${rule% }
	[ "${rule%:*}" = "$P" ] && rule=":${rule##*:}"
	echo "$state${rule:+ $rule}"
}

# expect_login DESC WANT SERVICE USER [SESSION-OPTION...]
expect_login() {
	local desc=$1 want=$2 got
	shift 2
	got=$(outcome "$@")
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		fail "$desc" "want: $want" "got:  $got" "policy: $(tr '\n' '|' <"$P")" \
			"syslog: $(LC_ALL=C tr -c "[:print:]\n" "?" <"$LOG")" "stderr: $(cat "$ERR")"
	fi
}
# detail CHECK DESC ARG...: a case whose code path another case already
# takes (it only flips a decision, or repeats a refusal or the root and
# break_glass entries of another failure); skipped under valgrind (about
# 1 s a login there).
detail() {
	if [ "$NONET_TIER" = valgrind ]; then
		skip "$2" "valgrind tier: too slow; the plain and asan tiers run it"
	else
		"$@"
	fi
}
log_text() { LC_ALL=C tr -c '[:print:]\n' '?' <"$LOG"; }

# --- who: names, groups, root ----------------------------------------------
make_policy policy "# names and groups" "private $A" "private @$G1" \
	"private @$G2 ipv6" "private @root" >/dev/null
expect_login "by name: A isolated by line 2" "isolated :2" sshd "$A"
detail expect_login "@group, primary: B isolated by line 3" "isolated :3" sshd "$B"
expect_login "@group, supplementary: C by line 4, option ipv6 keeps ::1" \
	"isolated+v6 :4" sshd "$C"
detail expect_login "a user no rule names: D stays in the host namespace" \
	"host none-matched" sshd "$D"
detail expect_login "root is not isolated by @root (its primary group)" \
	"host none-matched" sshd root

make_policy policy "none $D" "private ALL,!@$G2,!$B" >/dev/null
expect_login "ALL: A isolated by line 2" "isolated :2" sshd "$A"
detail expect_login "!name exclusion: B not isolated" "host none-matched" sshd "$B"
detail expect_login "!@group exclusion (supplementary): C not isolated" \
	"host none-matched" sshd "$C"
expect_login "a none rule first: D not isolated, by line 1" "host :1" sshd "$D"
detail expect_login "ALL does not reach root" "host none-matched" sshd root

make_policy policy "private !$A,!@$G1" "private root" >/dev/null
expect_login "exclusion-only WHO: C (everyone else) isolated by line 1" \
	"isolated :1" sshd "$C"
detail expect_login "exclusion-only WHO: D isolated by line 1" "isolated :1" sshd "$D"
detail expect_login "exclusion-only WHO: excluded A not isolated" "host none-matched" sshd "$A"
detail expect_login "exclusion-only WHO: !@group excludes B by its primary group" \
	"host none-matched" sshd "$B"
expect_login "root: skipped by the exclusion-only rule, isolated by 'private root'" \
	"isolated :2" sshd root

make_policy policy "none ALL" "private root" >/dev/null
detail expect_login "a none rule reaches root through ALL (line 1 before 'private root')" \
	"host :1" sshd root

# --- service= and first-match order ----------------------------------------
make_policy policy "private $A service=sshd,login" "none $B service=cron" \
	"private $B" "none $B" "none $C" "private $C" >/dev/null
expect_login "service=sshd,login: A via sshd isolated" "isolated :1" sshd "$A"
detail expect_login "service=sshd,login: A via login isolated" "isolated :1" login "$A"
detail expect_login "service=sshd,login: A via cron not isolated" "host none-matched" cron "$A"
detail expect_login "service=sshd,login: A via su not isolated" "host none-matched" su "$A"
detail expect_login "first match: B via cron hits 'none ... service=cron' (line 2)" \
	"host :2" cron "$B"
detail expect_login "first match: B via su falls to line 3, not line 4" "isolated :3" su "$B"
detail expect_login "first match: C hits line 5 (none) before line 6 (private)" \
	"host :5" sshd "$C"

# --- from= -----------------------------------------------------------------
make_policy policy "private $A from=LOCAL" "private $A from=10.0.0.0/8" \
	"private $A from=2001:db8::/32" "private $A from=*.Example.COM" \
	"private $A from=192.0.2.7,198.51.100.0/25" "none $A" >/dev/null
expect_login "from=LOCAL: no PAM_RHOST" "isolated :1" sshd "$A"
expect_login "from=10.0.0.0/8: 10.200.3.4" "isolated :2" sshd "$A" -r 10.200.3.4
detail expect_login "from=10.0.0.0/8: IPv4-mapped ::ffff:10.9.9.9" "isolated :2" sshd "$A" \
	-r ::ffff:10.9.9.9
detail expect_login "from=10.0.0.0/8: 11.0.0.1 falls through to line 6" "host :6" sshd "$A" \
	-r 11.0.0.1
expect_login "from=2001:db8::/32: 2001:db8:ffff::1" "isolated :3" sshd "$A" \
	-r 2001:db8:ffff::1
expect_login "from=*.Example.COM: Host1.EXAMPLE.com (case-insensitive glob)" \
	"isolated :4" sshd "$A" -r Host1.EXAMPLE.com
detail expect_login "from=*.Example.COM: example.com does not match" "host :6" sshd "$A" \
	-r example.com
detail expect_login "from=192.0.2.7 (an address): 192.0.2.7" "isolated :5" sshd "$A" -r 192.0.2.7
detail expect_login "from=198.51.100.0/25: .127 inside" "isolated :5" sshd "$A" -r 198.51.100.127
detail expect_login "from=198.51.100.0/25: .128 outside" "host :6" sshd "$A" -r 198.51.100.128

# --- tty= ------------------------------------------------------------------
make_policy policy "private $A tty=pts/*" "private $A tty=/dev/tty1,tty[5-6]" \
	"none $A" >/dev/null
detail expect_login "tty=pts/*: PAM_TTY /dev/pts/3" "isolated :1" sshd "$A" -t /dev/pts/3
detail expect_login "tty=pts/*: PAM_TTY pts/7" "isolated :1" sshd "$A" -t pts/7
detail expect_login "tty=/dev/tty1: PAM_TTY /dev/tty1" "isolated :2" sshd "$A" -t /dev/tty1
expect_login "tty=tty[5-6]: PAM_TTY tty6" "isolated :2" sshd "$A" -t tty6
detail expect_login "tty=: PAM_TTY tty2 matches neither" "host :3" sshd "$A" -t tty2
detail expect_login "tty=: no PAM_TTY matches no tty= rule" "host :3" sshd "$A"

# --- all conditions of a rule must hold ------------------------------------
make_policy policy "private $B service=sshd from=10.0.0.0/8 tty=pts/*" >/dev/null
expect_login "service+from+tty all hold: isolated" "isolated :1" sshd "$B" \
	-r 10.1.1.1 -t pts/1
detail expect_login "... tty differs: not isolated" "host none-matched" sshd "$B" \
	-r 10.1.1.1 -t tty1
detail expect_login "... service differs: not isolated" "host none-matched" login "$B" \
	-r 10.1.1.1 -t pts/1
detail expect_login "... from differs: not isolated" "host none-matched" sshd "$B" \
	-r 11.1.1.1 -t pts/1


# --- the log line names the rule -------------------------------------------
# log_line DESC USER REGEX: USER's login via sshd logs a line matching REGEX.
log_line() {
	outcome sshd "$2" >/dev/null
	expect_match "$1" "$3" "$(log_text)"
}
make_policy policy "none $D" "private $A" >/dev/null
detail log_line "log: an isolated login names its rule (rule=FILE:LINE)" "$A" \
	"pam_nonet\(sshd:session\): isolated the session of $A: mode=private rule=$P:2 "
detail log_line "log: a not-isolated login names its rule (rule=FILE:LINE)" "$D" \
	"pam_nonet\(sshd:session\): not isolating the session of $D: rule=$P:1\$"
detail log_line "log: no rule matched: rule=none-matched" "$B" \
	"not isolating the session of $B: rule=none-matched\$"

# --- nonet policy agrees with the module -----------------------------------
make_policy policy "# agreement" "none $D" \
	"private $A service=sshd from=10.0.0.0/8,2001:db8::/32" \
	"private $A service=login tty=tty[1-6]" "none $A service=cron" \
	"private @$G1 from=*.example.com ipv6" "private @$G2,!$A service=sshd,su" \
	"private root service=su tty=pts/*" "private !$B,!$D from=192.0.2.0/24" >/dev/null

# tool_says USER SERVICE RHOST TTY: `nonet policy -j` in outcome's words.
tool_says() {
	local user=$1 svc=$2 rhost=$3 tty=$4 opts=()
	[ -n "$rhost" ] && opts+=(--from "$rhost")
	[ -n "$tty" ] && opts+=(--tty "$tty")
	nonet policy "$user" --service "$svc" "${opts[@]}" --conf "$P" -j 2>&1 |
		"$PY" -c '
import json, sys
text = sys.stdin.read()
try:
    d = json.loads(text)
except ValueError:
    print("not JSON: %r" % text[:200]); sys.exit()
state = {"none": "host", "private": "isolated"}.get(d["action"], d["action"])
if state == "isolated" and "ipv6" in d["options"]:
    state += "+v6"
r = d["rule"]
if r is None:
    rule = "none-matched"
elif r["file"] == sys.argv[1]:
    rule = ":%d" % r["line"]
else:
    rule = "%s:%d" % (r["file"], r["line"])
print(state, rule)
' "$P"
}

# USER SERVICE RHOST TTY WANT ("-": not set)
rows=(
	"$A sshd 10.2.3.4 - isolated :3"
	"$A sshd 192.0.2.9 - isolated :9"
	"$A login - tty3 isolated :4"
	"$A login - tty7 host none-matched"
	"$A cron - - host :5"
	"$B sshd foo.EXAMPLE.com - isolated+v6 :6"
	"$B sshd 192.0.2.9 - host none-matched"
	"$C su - - isolated :7"
	"$C sshd 2001:db8::1 - isolated :7"
	"$C cron 192.0.2.1 - isolated :9"
	"$C login ::ffff:192.0.2.1 - isolated :9"
	"$D sshd 10.0.0.1 - host :2"
	"root su - /dev/pts/0 isolated :8"
	"root su - tty1 host none-matched"
	"root sshd 192.0.2.5 - host none-matched"
)
limit=${#rows[@]}
[ "$NONET_TIER" = valgrind ] && limit=1
for ((i = 0; i < limit; i++)); do
	read -r user svc rhost tty want <<<"${rows[i]}"
	[ "$rhost" = - ] && rhost=
	[ "$tty" = - ] && tty=
	opts=()
	[ -n "$rhost" ] && opts+=(-r "$rhost")
	[ -n "$tty" ] && opts+=(-t "$tty")
	module=$(outcome "$svc" "$user" "${opts[@]}")
	tool=$(tool_says "$user" "$svc" "$rhost" "$tty")
	expect_eq "nonet policy = module: $user $svc from ${rhost:-LOCAL} tty ${tty:--}" \
		"tool: $want / module: $want" "tool: $tool / module: $module"
done
for ((; i < ${#rows[@]}; i++)); do
	skip "nonet policy = module: row $((i + 1))" \
		"valgrind tier: too slow, the plain and asan tiers run them all"
done

# --- a policy that cannot be used ------------------------------------------
# Every user named here would be isolated if the file were used.
bad_file_cases() { # WHAT LOG-REGEX
	local what=$1 reason=$2
	expect_login "$what: a user is refused (111)" refused sshd "$A"
	expect_match "$what: the log has the reason" "$reason" "$(log_text)"
	expect_match "$what: the log says the user is refused" \
		"refusing the session of $A: the policy cannot be applied" "$(log_text)"
	detail expect_login "$what: root gets in, in the host namespace" host sshd root
	detail expect_match "$what: root's entry is logged as a warning" \
		"^<84>.*letting root in without network isolation despite the error above \(uid 0\)" \
		"$(log_text)"
	detail expect_login "$what: the break_glass user gets in, in the host namespace" \
		host sshd "$D"
	detail expect_match "$what: the break_glass entry is logged as a warning" \
		"^<84>.*letting $D in without network isolation despite the error above \(break_glass\)" \
		"$(log_text)"
}

make_policy policy "# broken" "private $A,$D,root" "bogus $B" >/dev/null
bad_file_cases "unparsable file" "$P:3: unknown action 'bogus'"
expect_login "unparsable file: root's session is PAM_IGNORE (ignore-only stack)" \
	host strict root
expect_login "unparsable file: break_glass's session is PAM_IGNORE (ignore-only stack)" \
	host strict "$D"

# A file with no rules (0 bytes: a full disk, a rewrite in place caught
# half-way; comments only) is an error, not "isolate nobody".
: >"$P"
bad_file_cases "0-byte file" "$P: no rules \(a policy that isolates nobody says so with \"none ALL\"\)"
make_policy policy "# rules to come" "" >/dev/null
if [ "$NONET_TIER" = valgrind ]; then # the 7 results of bad_file_cases
	skip_n 7 "comments-only file" "valgrind tier: too slow; the plain and asan tiers run it"
else
	bad_file_cases "comments-only file" "$P: no rules"
fi
make_policy policy "# nobody, on purpose" "none ALL" >/dev/null
detail expect_login "none ALL: the explicit empty policy lets A in, by line 2" "host :2" sshd "$A"

# A rewrite in place (truncate, then write) while logins run: each login is
# isolated or refused, never let in with the host's network.
race_logins() { # [DESC, for detail]
	local n=30 i got isolated=0 refused=0 other=() writer
	make_policy policy "# rewritten in place" "private $A" >/dev/null
	(
		trap 'exit 0' TERM
		while :; do
			printf '%s\n' "# rewritten in place" "private $A" >"$P"
		done
	) &
	writer=$!
	for ((i = 0; i < n; i++)); do
		got=$(outcome sshd "$A")
		case $got in
		"isolated :2") isolated=$((isolated + 1)) ;;
		refused) refused=$((refused + 1)) ;;
		*) other+=("$got") ;;
		esac
	done
	kill "$writer"
	wait "$writer"
	expect_eq "rewrite in place during $n logins: each isolated or refused ($isolated isolated, $refused refused)" \
		"" "${other[*]}"
}
# Under valgrind the 0-byte file above takes the short file's path.
detail race_logins "rewrite in place during logins: each isolated or refused"

make_policy policy "private $A,$D,root" >/dev/null
chown "$A" "$P"
bad_file_cases "file owned by a user" "$P: not owned by root"
chown root "$P"

chmod 0664 "$P"
bad_file_cases "file mode 0664" "$P: writable by group or others"
chmod 0644 "$P"

detail expect_login "control: the same file, root-owned 0644, isolates A" "isolated :1" sshd "$A"

# Each module argument once: of conf=a conf=b neither is surely meant.
expect_login "duplicate conf=: a user is refused" refused dupconf "$A"
expect_match "... the log names the duplicate argument" \
	"duplicate module argument \"conf=$T_ROOT/policy.conf\"" "$(log_text)"
detail expect_login "... root still gets in, in the host namespace" host dupconf root
detail expect_login "... the break_glass user still gets in" host dupconf "$D"
detail expect_login "duplicate flag (ipv6 ipv6): a user is refused" refused dupflag "$A"

expect_login "conf= names a file that does not exist: a user is refused" \
	refused missing "$A"
expect_match "... the log names the file and the reason" \
	"$T_ROOT/no-such.conf: cannot read: No such file or directory" "$(log_text)"
detail expect_login "... root still gets in, in the host namespace" host missing root

# --- the other actions and the hardening options --------------------------
# Their own tiers (t-shared.sh, t-harden.sh) test what they do; here: that
# the policy's rule reaches the module with its options.
on_exit "ip netns delete 'nonet-$A'; rm -f '/run/netns/nonet-$A' '/run/nonet/nonet-$A.lock'"
make_policy policy "shared $A" "join=$tag-none $B" "private $C nonewprivs lockdown" \
	"private $D sysfs hidepid" >/dev/null
expect_login "shared: isolated by line 1" "isolated :1" sshd "$A"
expect_match "shared: the log says mode=shared and the namespace's name" \
	"isolated the session of $A: mode=shared rule=$P:1 .* name=nonet-$A" "$(log_text)"
expect_login "join= a namespace that does not exist: refused" refused sshd "$B"
expect_match "join=: the log says there is no such namespace" \
	"/run/netns/$tag-none .*$B" "$(log_text)"
expect_login "nonewprivs lockdown: isolated by line 3" "isolated :3" sshd "$C"
expect_match "nonewprivs lockdown: the log names the hardening" \
	"isolated the session of $C: mode=private rule=$P:3 .* hardening=nonewprivs lockdown" \
	"$(log_text)"
if [ "$NONET_TIER" = valgrind ]; then
	# valgrind 3.19 does not know open_tree(2), which sysfs and hidepid use.
	skip_n 2 "sysfs hidepid: isolated by line 4, logged" "valgrind lacks open_tree"
else
	expect_login "sysfs hidepid: isolated by line 4" "isolated :4" sshd "$D"
	expect_match "sysfs hidepid: the log names the hardening" \
		"isolated the session of $D: mode=private rule=$P:4 .* hardening=sysfs hidepid" "$(log_text)"
fi

# --- NSS fails during a group lookup ---------------------------------------
# Inside a private mount namespace /etc/nsswitch.conf names a test NSS
# module (tests/nss/): nonetfail answers every group lookup as
# nss-pam-ldapd does with nslcd down (UNAVAIL, errno ENOENT); nonetnoinit
# answers groups from /etc/group but fails initgroups_dyn the same way.
# LD_LIBRARY_PATH finds the module.  The host is untouched.

# nss_enter MODULE GROUP-LINE: prints the path of a script that runs its
# arguments with "group: GROUP-LINE" and MODULE loadable.
nss_enter() {
	# The plain build's module also in the ASan tier: getent and id load
	# it too, and they carry no ASan runtime.
	local so=${NONET_BUILD%/asan}/nss/libnss_$1.so.2 dir=$T_ROOT/nss-$1-${2// /-}
	[ -f "$so" ] || return 1
	mkdir -p "$dir"
	cp "$so" "$dir/"
	printf '%s\n' "passwd: files" "group: $2" "shadow: files" \
		>"$dir/nsswitch.conf"
	cat >"$dir/enter" <<-EOF
		#!/bin/sh
		mount --bind '$dir/nsswitch.conf' /etc/nsswitch.conf || exit 96
		if [ -d /run/nscd ]; then mount -t tmpfs tmpfs /run/nscd || exit 96; fi
		LD_LIBRARY_PATH='$dir' exec "\$@"
	EOF
	chmod 0755 "$dir" "$dir/enter" "$dir/libnss_$1.so.2"
	chmod 0644 "$dir/nsswitch.conf"
	echo "$dir/enter"
}

# in_nss ENTER CMD...: runs CMD there, in a private mount namespace.
in_nss() {
	local enter=$1
	shift
	unshare -m --propagation private "$enter" "$@"
}

nss_tests() {
	local enter calls=$T_ROOT/nss-calls pre out
	if ! enter=$(nss_enter nonetfail nonetfail); then
		skip_strict_n 27 "NSS failure on a group rule" "no libnss_nonetfail.so.2 (run make test-libs)"
		return
	fi
	pre=$(in_nss "$enter" sh -c '
		getent group root >/dev/null; echo "group $?"
		getent passwd root >/dev/null; echo "passwd $?"
		LD_DEBUG=libs getent group root 2>&1 | grep -q libnss_nonetfail.so.2 &&
			echo loaded' 2>&1 | tr '\n' ' ')
	if [ "$pre" != "group 2 passwd 0 loaded " ]; then
		skip_strict_n 27 "NSS failure on a group rule" \
			"the fault does not take: getent group root inside gave: $pre"
		return
	fi
	ok "NSS fault: inside, getent group root fails, passwd works, the module is loaded"
	check "NSS fault: the host still resolves groups" getent group root

	make_policy policy "none @$G2" "private @$G1" >/dev/null
	detail expect_login "control without the fault: B isolated by line 2" "isolated :2" sshd "$B"
	PREFIX=(unshare -m --propagation private "$enter")
	expect_login "NSS failure (UNAVAIL/ENOENT): B (in the group) is refused" refused sshd "$B"
	expect_match "NSS failure: the log names the group and ENOENT" \
		"cannot look up the groups of $B: group $G2: No such file or directory" "$(log_text)"
	expect_match "NSS failure: the log says B is refused" \
		"refusing the session of $B: the policy cannot be applied" "$(log_text)"
	detail expect_login "NSS failure: A (in neither group) is refused too" refused sshd "$A"
	detail expect_login "NSS failure: root gets in, in the host namespace" host sshd root
	detail expect_match "NSS failure: root's entry is logged as a warning" \
		"^<84>.*letting root in without network isolation despite the error above \(uid 0\)" \
		"$(log_text)"
	detail expect_login "NSS failure: the break_glass user gets in, in the host namespace" \
		host sshd "$D"
	detail expect_match "NSS failure: the break_glass entry is logged as a warning" \
		"^<84>.*letting $D in without network isolation.*\(break_glass\)" "$(log_text)"
	out=$("${PREFIX[@]}" $NONET_WRAP "$NONET" policy "$B" --conf "$P" 2>&1)
	expect_eq "NSS failure: nonet policy also fails (exit 2)" 2 "$?"
	expect_match "... and says which group lookup failed" \
		"cannot look up the groups of $B: group $G2: No such file or directory" "$out"

	# Issue 12.2: a login decided before any group rule looks nothing up,
	# neither to decide nor to record itself (the module logs its calls).
	make_policy policy "none $A" "private @$G1" >/dev/null
	: >"$calls"
	PREFIX=(env "NONET_T_NSS_LOG=$calls" unshare -m --propagation private "$enter")
	expect_login "NSS failure, none A first: A not isolated, by line 1" "host :1" sshd "$A"
	expect_eq "... and no group was looked up for A (decision or record)" "" \
		"$(grep -v '^initgroups_dyn ' "$calls")"
	detail expect_login "NSS failure, none A first: B reaches the group rule, refused" \
		refused sshd "$B"
	detail expect_match "... the group lookup is seen by the module's call log" \
		"getgrnam_r $G1" "$(cat "$calls")"

	make_policy policy "private $A" "none $B" >/dev/null
	detail expect_login "NSS failure, a policy naming no group: A isolated by line 1" \
		"isolated :1" sshd "$A"
	detail expect_login "NSS failure, a policy naming no group: B not isolated, line 2" \
		"host :2" sshd "$B"
	PREFIX=()

	# As deployed: "group: files ldap".  A group only in the directory
	# fails (ENOENT); groups in /etc/group still answer from files.
	enter=$(nss_enter nonetfail "files nonetfail")
	PREFIX=(unshare -m --propagation private "$enter")
	make_policy policy "private @$tag-ldap" "private @$G1" >/dev/null
	detail expect_login "files + directory down: a directory group refuses B" refused sshd "$B"
	detail expect_match "... the log names the directory group and ENOENT" \
		"cannot look up the groups of $B: group $tag-ldap: No such file or directory" \
		"$(log_text)"
	make_policy policy "private @$G1" >/dev/null
	detail expect_login "files + directory down: a group in files still isolates B" \
		"isolated :1" sshd "$B"
	PREFIX=()

	nss_noinit_tests
}

# Groups resolve, the membership lookup (initgroups_dyn) fails: glibc's
# getgrouplist hides that and answers the primary group alone.
nss_noinit_tests() {
	local enter pre
	if ! enter=$(nss_enter nonetnoinit nonetnoinit); then
		skip_strict_n 5 "initgroups failure" "no libnss_nonetnoinit.so.2 (run make test-libs)"
		return
	fi
	pre=$(in_nss "$enter" sh -c "getent group '$G2' | cut -d: -f4; id -Gn '$C'" 2>&1 |
		tr '\n' ' ')
	if [ "$pre" != "$C users " ]; then
		skip_strict_n 5 "initgroups failure" "the fault does not take: getent group G2, id -Gn C gave: $pre"
		return
	fi
	ok "initgroups fault: inside, G2 lists C but C's groups (id -Gn) lack G2"
	PREFIX=(unshare -m --propagation private "$enter")
	make_policy policy "private @$G2" "private @$G1" >/dev/null
	expect_login "initgroups failure: C (listed in G2) is refused" refused sshd "$C"
	expect_match "... the log says G2 lists C but C's group list lacks it" \
		"cannot look up the groups of $C: group $G2 lists the user but the user's group list \(initgroups\) lacks it" \
		"$(log_text)"
	detail expect_login "initgroups failure: B (primary group G1) isolated by line 2" \
		"isolated :2" sshd "$B"
	detail expect_login "initgroups failure: A (in neither group) not isolated" \
		"host none-matched" sshd "$A"
	PREFIX=()
}
nss_tests
