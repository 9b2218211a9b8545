#!/bin/bash
# Fuzzing tier: each libFuzzer target replays its committed corpus and then
# fuzzes for FUZZ_TIME seconds (30 in make check).  Plain tier only: the
# fuzzers carry ASan+UBSan themselves.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip "fuzzing" "runs once, in the plain tier (the fuzzers have ASan)"
	exit 0
fi
cd "$T_SRC" || exit 2
shopt -s nullglob
bins=(build/fuzz/fuzz_*)
if [ ${#bins[@]} = 0 ]; then
	fail "fuzz targets are built" "no build/fuzz/fuzz_* (make fuzzers)"
	exit 0
fi
tests/fuzz/run "${FUZZ_TIME:-30}" "${bins[@]}"
