#!/bin/bash
# Module tier: what the built pam_nonet.so shows the loader (binutils are
# the oracle): only the two PAM entry points exported, linked against
# libpam, hardened, no syslog-mask or signal meddling in the host program,
# and a file nobody but its owner can rewrite.
. "$(dirname "$0")/lib.sh"
plan 10

# The build's own file: $MODULE is a copy whose mode lib.sh sets.
so=$NONET_BUILD/pam_nonet.so

exports=$(nm -D --defined-only "$so" | awk '{print $NF}' | sort | tr '\n' ' ')
expect_eq "nm -D: exactly pam_sm_open_session and pam_sm_close_session exported" \
	"pam_sm_close_session pam_sm_open_session " "$exports"

dyn=$(readelf -d "$so")
expect_match "readelf -d: NEEDED libpam.so.0" \
	'\(NEEDED\) +Shared library: \[libpam\.so\.0\]' "$dyn"
expect_match "readelf -d: bound now (-z now)" '\(FLAGS\).*BIND_NOW' "$dyn"
if printf '%s\n' "$dyn" | grep -Eq '\((RPATH|RUNPATH|TEXTREL)\)'; then
	fail "readelf -d: no RPATH, RUNPATH or TEXTREL" "$dyn"
else
	ok "readelf -d: no RPATH, RUNPATH or TEXTREL"
fi

phdrs=$(readelf -lW "$so")
expect_match "readelf -l: GNU_RELRO" '^ *GNU_RELRO ' "$phdrs"
stack=$(printf '%s\n' "$phdrs" | awk '$1 == "GNU_STACK" {print $(NF-1)}')
expect_eq "readelf -l: the stack is not executable" RW "$stack"

# libpam-net's fault: openlog/setlogmask change the host program's logging.
imports=$(nm -D --undefined-only "$so" | awk '{print $NF}' | sed 's/@.*//')
bad=$(printf '%s\n' "$imports" |
	grep -Ex 'openlog|closelog|setlogmask|signal|sigaction|bsd_signal|sysv_signal|exit|_exit')
expect_eq "imports no openlog/setlogmask/closelog, no signal handlers, no exit" "" "$bad"
expect_match "... and logs through pam_syslog" '^pam_syslog$' "$imports"

mode=$(stat -c %a "$so")
if [ $((8#$mode & 8#022)) = 0 ]; then
	ok "the module file ($mode) has no group or world write bit"
else
	fail "the module file has no group or world write bit" "mode $mode"
fi
expect_eq "the module file is a regular file (not a symlink)" "regular file" \
	"$(stat -c %F "$so")"
