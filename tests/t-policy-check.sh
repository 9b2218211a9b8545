#!/bin/bash
# nonet policy --check (every error with its line, warnings, exit status)
# and `nonet policy USER` (unknown users, the JSON decision).  Nothing here
# opens a session; the names in the policies are root, nobody, nogroup and
# names made up to not exist.
. "$(dirname "$0")/lib.sh"
plan 45

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
tag=nonet-t-$$

# run CMD...: "RC" then the output (stdout and stderr) on the next lines.
run() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n%s' "$rc" "$out"
}
rc_of() { printf '%s\n' "$1" | head -n1; }
text_of() { printf '%s\n' "$1" | tail -n +2; }

# --- a good file -----------------------------------------------------------
good=$(make_policy good "# a good policy" "none root" "private nobody ipv6" \
	"private @nogroup from=10.0.0.0/8,LOCAL,*.example.com tty=pts/*" \
	"private ALL,!root,!@nogroup from=2001:db8::/32" "" "   # only a comment")
got=$(run nonet policy --check --conf "$good")
expect_eq "a good file: exit 0" 0 "$(rc_of "$got")"
expect_eq "a good file: no error, no warning" "$good: 0 errors, 0 warnings" \
	"$(text_of "$got")"

# --- a file with many errors -----------------------------------------------
# LINE -> a piece of the message that line must get.
bad=$T_ROOT/bad.conf
declare -A want=(
	[2]="unknown action 'bogus'"
	[3]="missing WHO after the action"
	[4]="empty element in the service= list"
	[5]="bad address or CIDR '10.0.0.0/33' in from="
	[6]="unknown condition 'color='"
	[7]="unknown option 'frobnicate'"
	[8]="action none takes no options"
	[9]="join= needs a namespace name without '/'"
	[10]="'!ALL' excludes everyone"
	[11]="duplicate tty= condition"
	[12]="option ipv6 applies only to private and shared"
	[13]="empty element in the WHO list"
	[16]="not valid UTF-8"
	[17]="empty user or group name"
	[19]="line is 4097 bytes long"
)
{
	echo "# errors of every kind; lines 1, 14, 15 and 18 are fine"
	echo "bogus nobody"
	echo "private"
	echo "private nobody service="
	echo "private nobody from=10.0.0.0/33"
	echo "private nobody color=red"
	echo "private nobody frobnicate"
	echo "none nobody ipv6"
	echo "join=a/b nobody"
	echo "private !ALL"
	echo "private nobody tty=pts/* tty=tty1"
	echo "join=lab nobody ipv6"
	echo "private nobody,,root"
	echo ""
	echo "private nobody   # a good rule between bad ones"
	printf 'private nobody \xff\xfe\n'
	echo "private @"
	echo "none root"
	printf 'private nobody # %s\n' "$(head -c 4080 /dev/zero | tr '\0' x)"
} >"$bad"
chmod 0644 "$bad"
expect_eq "the long line is 4097 bytes" 4097 "$(sed -n 19p "$bad" | tr -d '\n' | wc -c)"
got=$(run nonet policy --check --conf "$bad")
expect_eq "a file with errors: exit 1" 1 "$(rc_of "$got")"
out=$(text_of "$got")
for line in $(printf '%s\n' "${!want[@]}" | sort -n); do
	expect_match "error on line $line: ${want[$line]}" \
		"^$bad:$line: error: .*${want[$line]//\*/\\*}" "$out"
done
lines=$(printf '%s\n' "$out" | sed -n "s|^$bad:\([0-9]*\): error: .*|\1|p" | sort -n -u |
	tr '\n' ' ')
expect_eq "errors on exactly the bad lines (not 1, 14, 15, 18)" \
	"$(printf '%s\n' "${!want[@]}" | sort -n | tr '\n' ' ')" "$lines"
n=${#want[@]}
expect_match "the summary counts $n errors" "^$bad: $n errors, [0-9]+ warnings?\$" "$out"
strays=$(printf '%s\n' "$out" | grep -v -E "^$bad:[0-9]+: (error|warning): |^$bad: [0-9]+ errors?, [0-9]+ warnings?\$")
expect_eq "every line of the report is FILE:LINE: error|warning: ... or the summary" "" "$strays"

# --- warnings --------------------------------------------------------------
warn=$(make_policy warn "private @$tag-nosuchgroup" "private nobody service=sshd" \
	"private $tag-nosuchuser")
got=$(run nonet policy --check --conf "$warn")
out=$(text_of "$got")
expect_eq "warnings only: exit 0" 0 "$(rc_of "$got")"
expect_match "warning: a group that does not exist (line 1)" \
	"^$warn:1: warning: group $tag-nosuchgroup does not exist" "$out"
expect_match "warning: a user that does not exist (line 3)" \
	"^$warn:3: warning: user $tag-nosuchuser does not exist" "$out"
for svc in cron atd systemd-user; do
	expect_match "warning: isolated for sshd only, not for $svc (line 2)" \
		"^$warn:2: warning: .*not for $svc" "$out"
done
expect_match "warnings only: the summary says 0 errors, 5 warnings" \
	"^$warn: 0 errors, 5 warnings\$" "$out"
covered=$(make_policy covered "private nobody service=sshd,cron,atd,systemd-user")
expect_eq "isolated for sshd and the background services: no warning" \
	"0
$covered: 0 errors, 0 warnings" "$(run nonet policy --check --conf "$covered")"

# --- a file that cannot be read --------------------------------------------
secret=$(make_policy secret "private nobody")
chmod 0600 "$secret"
got=$(run as_nobody $NONET_WRAP "$NONET" policy --check --conf "$secret")
rc=$(rc_of "$got")
if [ "$rc" != 0 ]; then ok "as nobody, a file nobody can read: error exit ($rc)"; else
	fail "as nobody, a file nobody can read: error exit" "$got"; fi
expect_match "... and says it cannot be read" \
	"$secret: .*(cannot read|Permission denied)" "$(text_of "$got")"
got=$(run nonet policy --check --conf "$T_ROOT/no-such.conf")
expect_eq "a file that does not exist: exit 1, the reason" \
	"1|$T_ROOT/no-such.conf: error: cannot read: No such file or directory" \
	"$(printf '%s\n' "$got" | head -n2 | paste -sd '|')"

# --- a file with no rules ---------------------------------------------------
# Empty (a full disk, a rewrite in place) or comments only: an error, not a
# policy that isolates nobody.  "none ALL" says that explicitly.
empty=$T_ROOT/empty.conf
: >"$empty"
chmod 0644 "$empty"
got=$(run nonet policy --check --conf "$empty")
expect_eq "a 0-byte file: exit 1, FILE: error: no rules" \
	"1|$empty: error: no rules (a policy that isolates nobody says so with \"none ALL\")" \
	"$(printf '%s\n' "$got" | head -n2 | paste -sd '|')"
comments=$(make_policy comments "# only comments" "" "   # and blanks")
got=$(run nonet policy --check --conf "$comments")
expect_eq "a comments-only file: exit 1" 1 "$(rc_of "$got")"
expect_match "... the reason, as FILE: error: no rules" \
	"^$comments: error: no rules" "$(text_of "$got")"
got=$(run nonet policy nobody --conf "$comments")
expect_eq "... and nonet policy USER refuses to decide with it (exit 2)" 2 "$(rc_of "$got")"
nobody=$(make_policy nobody "# this host isolates nobody, on purpose" "none ALL")
expect_eq "none ALL: the explicit empty policy checks clean (exit 0)" \
	"0
$nobody: 0 errors, 0 warnings" "$(run nonet policy --check --conf "$nobody")"

# --- nonet policy USER -----------------------------------------------------
got=$(run nonet policy "$tag-nosuchuser" --conf "$good")
expect_eq "a user that does not exist: exit 2" 2 "$(rc_of "$got")"
expect_match "... with a clear message naming the user" \
	"^nonet: policy: unknown user $tag-nosuchuser\$" "$(text_of "$got")"

judge_json() { # the JSON of `nonet policy -j` -> "action options rule"
	python3 -c '
import json, sys
try:
    d = json.loads(sys.stdin.read())
except ValueError as e:
    print("not JSON: %s" % e); sys.exit()
missing = [k for k in ("user", "uid", "service", "from", "tty", "action", "options", "rule") if k not in d]
if missing:
    print("missing keys: %s" % missing); sys.exit()
if not isinstance(d["options"], list):
    print("options is not a list: %r" % d["options"]); sys.exit()
r = d["rule"]
if r is None:
    rule = "null"
elif sorted(r) == ["file", "line", "text"] and isinstance(r["line"], int):
    rule = "%s:%d:%s" % (r["file"], r["line"], r["text"])
else:
    print("bad rule object: %r" % r); sys.exit()
print("%s %s %s %s %s %s" % (d["user"], d["uid"], d["action"], ",".join(d["options"]) or "-", d["from"], rule))
'
}
out=$(nonet policy nobody -j --conf "$good")
expect_eq "nonet policy nobody -j: valid JSON, action, options, rule" \
	"nobody 65534 private ipv6 LOCAL $good:3:private nobody ipv6" \
	"$(printf '%s' "$out" | judge_json)"
out=$(nonet policy root -j --conf "$good" --service sshd --from 10.1.2.3)
expect_eq "nonet policy root -j: action none, by rule 2" \
	"root 0 none - 10.1.2.3 $good:2:none root" "$(printf '%s' "$out" | judge_json)"
unmatched=$(make_policy unmatched "private $tag-nosuchuser")
out=$(nonet policy nobody -j --conf "$unmatched" 2>/dev/null)
expect_eq "nonet policy -j, no rule matches: action none, rule null" \
	"nobody 65534 none - LOCAL null" "$(printf '%s' "$out" | judge_json)"
got=$(run nonet policy nobody --conf "$bad")
expect_eq "nonet policy USER with a broken file: exit 2" 2 "$(rc_of "$got")"

# --- the shipped policy ----------------------------------------------------
shipped=$T_SRC/config/nonet.conf
if [ -f "$shipped" ]; then
	# A root-owned 0644 copy, as installed: the checkout's owner is not the point.
	install -m 0644 -o root -g root "$shipped" "$T_ROOT/shipped.conf"
	got=$(run nonet policy --check --conf "$T_ROOT/shipped.conf")
	if [ "$(rc_of "$got")" = 0 ]; then
		ok "the shipped config/nonet.conf passes --check"
	else
		fail "the shipped config/nonet.conf passes --check" "$got"
	fi
else
	skip_strict "the shipped config/nonet.conf passes --check" "no $shipped"
fi
