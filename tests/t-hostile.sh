#!/bin/bash
# Hostile-input tier: the PAM items a calling program passes (user, service,
# rhost, tty) may hold any byte: "/", "..", spaces, newlines, escape
# sequences, non-UTF-8, 10 KiB.  A small harness (built here) hands them to
# the real module through libpam (pam_start_confdir, pam_set_item), which
# `nonet session` cannot do: it checks the user first.  For each input:
#   - a user NSS does not know is refused (PAM_SESSION_ERR), un-isolated;
#   - a user NSS knows (odd names, added to /etc/passwd in an overlay over
#     /etc that only this test's mount namespace sees) is isolated, or, for
#     shared mode, refused when the name cannot name a pin;
#   - decisions are made on the literal bytes (from=*evil* matches
#     "x\nevil"; service=svc-b does not match "svc-b\n");
#   - nothing is created outside /run/netns and /run/nonet;
#   - every syslog line of pam_nonet is one line with no raw control or
#     non-ASCII byte, the user's bytes escaped as \xNN; session records
#     (key value lines) cannot be forged through a value.
# NULL and empty users: tests/unit/test_pam_retval.c.
. "$(dirname "$0")/lib.sh"

if [ "$NONET_TIER" = valgrind ]; then
	# ~50 harness runs take over a minute under valgrind; the ASan tier
	# runs the same inputs through the module with memory checking.
	skip_all "too slow under valgrind; covered by the ASan tier"
fi
devlog_script
plan 116

# --- the harness ---------------------------------------------------------
HARNESS=$T_ROOT/harness
cat >"$T_ROOT/harness.c" <<'CEOF'
/* harness CONFDIR SERVICE USER [RHOST|- [TTY|-]]: prints "ret=N ino=INODE"; runs $HARNESS_WHILE (system) while the session is open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <security/pam_appl.h>

#include "pamtest.h"

int main(int argc, char **argv)
{
	static const struct pam_conv conv = { pamtest_converse, NULL };
	const char *cmd = getenv("HARNESS_WHILE");
	pam_handle_t *pamh = NULL;
	struct stat st = { 0 };
	int ret;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: harness CONFDIR SERVICE USER [RHOST|- [TTY|-]]\n");
		return 2;
	}
	ret = pam_start_confdir(argv[2], argv[3], &conv, argv[1], &pamh);
	if (ret != PAM_SUCCESS) {
		printf("start=%d\n", ret);
		return 1;
	}
	if ((argc > 4 && strcmp(argv[4], "-") != 0 &&
	     pam_set_item(pamh, PAM_RHOST, argv[4]) != PAM_SUCCESS) ||
	    (argc > 5 && strcmp(argv[5], "-") != 0 &&
	     pam_set_item(pamh, PAM_TTY, argv[5]) != PAM_SUCCESS)) {
		printf("set_item failed\n");
		return 1;
	}
	ret = pam_open_session(pamh, PAM_SILENT);
	stat("/proc/self/ns/net", &st);
	printf("ret=%d ino=%lu\n", ret, (unsigned long)st.st_ino);
	fflush(stdout);
	if (ret == PAM_SUCCESS) {
		if (cmd && system(cmd) != 0)
			fprintf(stderr, "harness: HARNESS_WHILE failed\n");
		pam_close_session(pamh, PAM_SILENT);
	}
	pam_end(pamh, ret);
	return 0;
}
CEOF
# The harness runs in the ASan tier too: same flags as the build it loads.
cflags=
[ "$NONET_TIER" = asan ] && cflags="-fsanitize=address,undefined"
if ! out=$(cc -O1 -g -Wall -Wextra -Werror $cflags -I"$T_SRC/tests/unit" -o "$HARNESS" "$T_ROOT/harness.c" -lpam 2>&1); then
	fail "build the harness" "$out"
	exit 1
fi
# harness ARGS...: under valgrind in the valgrind tier, like nonet.
harness() { $NONET_WRAP "$HARNESS" "$@"; }

# --- users NSS knows: an overlay over /etc, this mount namespace only --------
tag=nonet-t-$$
mkdir "$T_ROOT/etc"
on_exit "umount -l '$T_ROOT/etc'" # also if the overlay fails below
if ! out=$(mount -t tmpfs tmpfs "$T_ROOT/etc" 2>&1 &&
	mkdir "$T_ROOT/etc/up" "$T_ROOT/etc/work" &&
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T_ROOT/etc/up,workdir=$T_ROOT/etc/work" /etc 2>&1); then
	fail "an overlay over /etc (private mount namespace)" "$out"
	exit 1
fi
# Before lib.sh removes $T_ROOT (cleanups run in reverse order).
on_exit "umount -l /etc; umount -l '$T_ROOT/etc'"
long=$(head -c $((10240 - ${#tag} - 1)) /dev/zero | tr '\0' L)
mid=$(head -c $((240 - ${#tag} - 1)) /dev/zero | tr '\0' M)
declare -A KNOWN=(
	[space]="$tag sp ace"
	[esc]="$tag-"$'\e[31mred\e[0m'
	[binary]="$tag-"$'\xff\xfe\xc3('
	[control]="$tag-"$'\r\t\b\x7f'
	[slash]="$tag/../../../tmp/$tag-escape"
	[dots]=".."
	[long]="$tag-$long"
	[240]="$tag-$mid"
	[245esc]="$tag-"$'\e[7m'"$(head -c $((245 - ${#tag} - 5)) /dev/zero | tr '\0' E)"
)
R=$tag-r
uid=$((T_UID_BASE + 61000 + $$ % 900))
{
	for k in "${!KNOWN[@]}"; do
		printf '%s:x:%d:65534::/:/bin/sh\n' "${KNOWN[$k]}" $((uid++))
	done
	printf '%s:x:%d:65534::/:/bin/sh\n' "$R" $((uid++))
} >>/etc/passwd
n=0
for k in "${!KNOWN[@]}"; do
	[ "$(getent passwd "${KNOWN[$k]}" | cut -d: -f1)" = "${KNOWN[$k]}" ] && n=$((n + 1))
done
expect_eq "NSS knows the ${#KNOWN[@]} odd user names (overlay /etc/passwd)" "${#KNOWN[@]}" "$n"
expect_eq "... the 240-byte name is 240 bytes, the long one 10 KiB" "240 10240" \
	"$(printf '%s' "${KNOWN[240]}" | wc -c) $(printf '%s' "${KNOWN[long]}" | wc -c)"

# --- services and policies ----------------------------------------------------
P_ALL=$(make_policy all-priv "private ALL")
P_SHARED=$(make_policy all-shared "shared ALL")
P_COND=$(make_policy cond \
	"private $R service=svc-a from=*evil*" \
	"private $R service=svc-a tty=*bad*" \
	"private $R service=svc-b" \
	"none    $R")
PAMD=$(make_service priv "session required $MODULE conf=$P_ALL" "session required pam_permit.so")
make_service shared "session required $MODULE conf=$P_SHARED" "session required pam_permit.so" >/dev/null
for s in svc-a svc-b "svc-b"$'\n' "svc-b"$'\e[31m'; do
	make_service "$s" "session required $MODULE conf=$P_COND" "session required pam_permit.so" >/dev/null
done

host_ino=$(host_netns_inode)
LOG=$T_ROOT/syslog OUT=$T_ROOT/out REC=$T_ROOT/record
: >"$REC"
# Removed at the end whatever happens: pins, locks and records of our users.
for k in "${!KNOWN[@]}" R; do
	name=${KNOWN[$k]:-$R}
	case $name in */*) continue ;; esac
	on_exit "umount -l '/run/netns/nonet-$name'; rm -f '/run/netns/nonet-$name' '/run/nonet/nonet-$name.lock'"
done
on_exit "grep -l '^user $tag' /run/nonet/sessions/* | xargs -r rm -f"
on_exit "rm -rf '/tmp/$tag-escape'"

# session SERVICE USER [RHOST [TTY]]: one harness run; its output in $OUT,
# its syslog lines in $LOG, the record while it was open in $REC.
session() {
	local rc
	: >"$REC"
	devlog_begin
	HARNESS_WHILE="cat /run/nonet/sessions/\$PPID-* >$REC 2>/dev/null" \
		harness "$PAMD" "$@" >"$OUT" 2>"$T_ROOT/err"
	rc=$?
	devlog_end "$LOG"
	# Under valgrind or ASan a memory error shows as the exit status.
	[ "$rc" = 0 ] || fail "the harness exits 0 (no memory error)" "status $rc" \
		"$(head -c 3000 "$T_ROOT/err")"
}

# log_clean DESC: the lines of the last session are whole lines (each
# starts with a syslog priority: a raw newline would start one that does
# not), with no control, DEL or non-ASCII byte.
log_clean() {
	local bad
	bad=$(LC_ALL=C grep -anv '^<[0-9]*>' "$LOG"; LC_ALL=C grep -anP '[\x00-\x1f\x7f-\xff]' "$LOG")
	if [ -z "$bad" ] && [ -s "$LOG" ]; then
		ok "$1: every log line whole, no raw control or non-ASCII byte"
	else
		fail "$1: every log line whole, no raw control or non-ASCII byte" \
			"$(cat -A "$LOG" | head -c 3000)"
	fi
}

# record_clean DESC: the record the session had is made of whole key-value
# lines, each key once, no raw control or non-ASCII byte.
record_clean() {
	local keys bad
	keys=$(cut -d' ' -f1 "$REC" | sort | uniq -d)
	bad=$(LC_ALL=C grep -aP '[\x00-\x09\x0b-\x1f\x7f-\xff]' "$REC")
	if [ -s "$REC" ] && [ -z "$keys$bad" ] &&
		! LC_ALL=C grep -aqvE '^[a-z]+ ' "$REC"; then
		ok "$1: its record has one line per key, escaped"
	else
		fail "$1: its record has one line per key, escaped" "$(cat -A "$REC" | head -c 3000)"
	fi
}

STAMP=$T_ROOT/stamp
touch "$STAMP"
sleep 0.01

# --- user names NSS does not know: refused, un-isolated ------------------------
declare -A UNKNOWN=(
	[slash]="$tag/../../etc/evil"
	[dots]="../.."
	[space]="$tag no such"
	[newline]="$tag-x"$'\n'"pam_nonet(sshd:session): isolated the session of root"
	[binary]="$tag-"$'\xff\xfe\x80'
	[esc]="$tag-"$'\e]0;owned\a\e[2J'
	[long]="$tag-$(head -c $((10240 - ${#tag} - 1)) /dev/zero | tr '\0' U)"
)
for k in slash dots space newline binary esc long; do
	name=${UNKNOWN[$k]}
	session priv "$name"
	expect_eq "unknown user ($k): refused, still in the host namespace" \
		"ret=14 ino=$host_ino" "$(cat "$OUT")"
	expect_match "... logged as unknown, the name escaped" \
		"^<83>.*pam_nonet\(priv:session\): unknown user $tag.*: refusing the session|unknown user \.\./\.\.: refusing" \
		"$(cat "$LOG")"
	log_clean "unknown user ($k)"
done
expect_match "a newline in the name shows as \\x0a" \
	'unknown user nonet-t-[0-9]+-x\\x0apam_nonet' "$(session priv "${UNKNOWN[newline]}"; cat "$LOG")"
expect_match "the 10 KiB name is cut in the log line, with '...'" \
	"unknown user $tag-U{100,300}\.\.\.: refusing" "$(session priv "${UNKNOWN[long]}"; cat "$LOG")"

# --- user names NSS knows ---------------------------------------------------------
for k in space esc binary control slash dots long 240 245esc; do
	name=${KNOWN[$k]}
	session priv "$name"
	got=$(cat "$OUT")
	if [ "${got%% *}" = ret=0 ] && [ "${got#* ino=}" != "$host_ino" ]; then
		ok "private, odd user name ($k): isolated"
	else
		fail "private, odd user name ($k): isolated" "$got" "$(cat -A "$LOG")"
	fi
	log_clean "private, odd user name ($k)"
	record_clean "private, odd user name ($k)"

	session shared "$name"
	got=$(cat "$OUT")
	case $k in
	slash|long)
		# No pin can be named after it: refused, and said why.
		expect_eq "shared, odd user name ($k): refused, in the host namespace" \
			"ret=14 ino=$host_ino" "$got"
		expect_match "... because the name cannot name a pin" \
			"pam_nonet\(shared:session\): the user name .* cannot name a shared network namespace" \
			"$(cat "$LOG")" ;;
	245esc)
		# A pin name, but one byte too long for its lock file name.
		expect_eq "shared, odd user name ($k): refused, in the host namespace" \
			"ret=14 ino=$host_ino" "$got"
		expect_match "... because its lock cannot be taken" \
			"pam_nonet\(shared:session\): cannot take the lock of " "$(cat "$LOG")" ;;
	*)
		if [ "${got%% *}" = ret=0 ] && [ "${got#* ino=}" != "$host_ino" ] &&
			grep -q 'mode=shared' "$LOG"; then
			ok "shared, odd user name ($k): isolated in its pinned namespace"
		else
			fail "shared, odd user name ($k): isolated" "$got" "$(cat -A "$LOG")"
		fi
		record_clean "shared, odd user name ($k)"
		if [ -e "/run/netns/nonet-$name" ]; then
			fail "... and its pin is gone after the close" "/run/netns/nonet-$name"
		else
			ok "... and its pin is gone after the close"
		fi ;;
	esac
	log_clean "shared, odd user name ($k)"
done
expect_match "an escape sequence in a user name is logged as \\x1b" \
	'isolated the session of nonet-t-[0-9]+-\\x1b\[31mred\\x1b\[0m: mode=private' \
	"$(session priv "${KNOWN[esc]}"; cat "$LOG")"
expect_match "non-UTF-8 bytes in a user name are logged as \\xNN" \
	'isolated the session of nonet-t-[0-9]+-\\xff\\xfe\\xc3\(: mode=private' \
	"$(session priv "${KNOWN[binary]}"; cat "$LOG")"

# --- rhost and tty: decided on the literal bytes, never echoed raw -------------------
# cond SERVICE RHOST TTY WANT: the rule that decided (its line in $P_COND).
cond() {
	local svc=$1 rhost=$2 tty=$3 want=$4 desc=$5 line got
	session "$svc" "$R" "$rhost" "$tty"
	line=$(grep -ao "rule=$P_COND:[0-9]*" "$LOG" | head -1)
	got="$(cut -d' ' -f1 "$OUT") ${line##*:}"
	expect_eq "$desc" "$want" "$got"
	log_clean "$desc"
}
cond svc-a "x"$'\n'"evil" - "ret=0 1" 'rhost "x\nevil" matches from=*evil* (rule 1)'
record_clean 'rhost "x\nevil"'
expect_match "... and its record keeps it escaped" '^rhost x\\x0aevil$' "$(cat "$REC")"
cond svc-a $'\e]0;evil\a' - "ret=0 1" 'rhost "ESC]0;evil BEL" matches from=*evil* (rule 1)'
cond svc-a "10.1.2.3"$'\n'"evi1" - "ret=0 4" \
	'rhost "10.1.2.3\nevi1": not from=*evil*, none (rule 4)'
session svc-a "$R" "x"$'\n'"user root"$'\n'"mode none"$'\n'"evil" -
record_clean 'rhost "x\nuser root\nmode none\nevil" (a forged record?)'
expect_eq "... the record still says user $R, mode private" "user $R|mode private" \
	"$(grep -a '^user ' "$REC")|$(grep -a '^mode ' "$REC")"
cond svc-a "$(head -c 4000 /dev/zero | tr '\0' h)evil" - "ret=0 1" \
	"a 4 KiB rhost ending in evil matches from=*evil* (rule 1)"
# libpam itself fails pam_open_session (PAM_SYSTEM_ERR, its audit record
# is too long) for a 10 KiB rhost, after the module: no close follows.
session svc-a "$R" "$(head -c 10240 /dev/zero | tr '\0' h)evil" -
line=$(grep -ao "rule=$P_COND:[0-9]*" "$LOG" | head -1)
echo "# note: a 10 KiB rhost: $(cut -d' ' -f1 "$OUT") (libpam's own failure after the module decided by rule ${line##*:}; the record stays for nonet prune)"
grep -alx "user $R" /run/nonet/sessions/* 2>/dev/null | xargs -r rm -f
cond svc-a - "pts/1"$'\n'"bad" "ret=0 2" 'tty "pts/1\nbad" matches tty=*bad* (rule 2)'
record_clean 'tty "pts/1\nbad"'
expect_match "... and its record keeps it escaped" '^tty pts/1\\x0abad$' "$(cat "$REC")"
cond svc-a - $'/dev/\e[2Jbad\e[0m' "ret=0 2" 'tty "/dev/ESC[2Jbad" matches tty=*bad* (rule 2)'
cond svc-a "good"$'\n' "/dev/pts/9"$'\n' "ret=0 4" 'rhost "good\n", tty "/dev/pts/9\n": no rule but none (rule 4)'
cond svc-b - - "ret=0 3" "service svc-b: rule 3"

# A service name is part of libpam's own prefix, "pam_nonet(SERVICE:session)",
# which libpam writes as it is: only the module's text is checked here.
for s in "svc-b"$'\n' "svc-b"$'\e[31m'; do
	session "$s" "$R" - -
	desc="service $(printf '%q' "$s")"
	rule=$(grep -ao "rule=$P_COND:[0-9]*" "$LOG" | head -1)
	expect_eq "$desc is not service=svc-b: not isolated, none (rule 4)" "ret=0 4" \
		"$(cut -d' ' -f1 "$OUT") ${rule##*:}"
	text=$(LC_ALL=C sed -n 's/.*:session): //p' "$LOG")
	if [ -n "$text" ] && ! printf '%s' "$text" | LC_ALL=C grep -aqP '[\x00-\x09\x0b-\x1f\x7f-\xff]'; then
		ok "... the module's own text after libpam's prefix is clean"
	else
		fail "... the module's own text after libpam's prefix is clean" "$(cat -A "$LOG")"
	fi
	if LC_ALL=C grep -aqP '\x1b|^[^<]' "$LOG"; then
		echo "# note: libpam writes the service name raw in its prefix:"
		LC_ALL=C grep -aP '\x1b|^[^<]|svc-b$' "$LOG" | cat -A | sed 's/^/#   /'
	fi
done

# --- nothing outside /run/netns and /run/nonet -----------------------------------
sleep 0.1
new=$(find /run /tmp /var/tmp /etc -xdev -newer "$STAMP" 2>/dev/null |
	grep -Ev "^(/run/netns|/run/nonet|$T_ROOT|/tmp/nonet-tests?[.])(/|\$)" |
	grep -Ev '^/tmp/nonet-test\.[A-Za-z0-9]{6}/' | # other tests' own (mktemp)
	grep -Ev '^/(run|tmp|var/tmp|etc)$')
escaped=$(find /run /tmp /var/tmp /etc -xdev -name "*$tag*" 2>/dev/null |
	grep -av "^$T_ROOT\|^/run/netns/nonet-$tag\|^/run/nonet/nonet-nonet-t-$$")
[ -e /etc/evil ] && escaped="$escaped /etc/evil"
if [ -z "$escaped" ]; then
	ok "no file named after a hostile input anywhere under /run /tmp /var/tmp /etc"
else
	fail "no file named after a hostile input anywhere under /run /tmp /var/tmp /etc" "$escaped"
fi
if [ -z "$new" ]; then
	ok "nothing new outside /run/netns and /run/nonet (find -newer)"
else
	# Other tests may run beside this one: only what names our users counts.
	ours=$(printf '%s\n' "$new" | grep -a -- "$tag\|evil\|\.\./")
	if [ -z "$ours" ]; then
		ok "nothing of ours new outside /run/netns and /run/nonet (others': $(printf '%s' "$new" | wc -l) files)"
	else
		fail "nothing new outside /run/netns and /run/nonet" "$ours"
	fi
fi
left=$(ls -A /run/netns | grep -a -- "$tag\|^nonet-\.\.\$")
records=$(grep -al "^user $tag\|^user \.\.$" /run/nonet/sessions/* 2>/dev/null)
expect_eq "no pin and no record of our users left" "" "$left$records"
