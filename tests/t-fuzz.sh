#!/bin/bash
# Fuzzing tier: each libFuzzer target replays its committed corpus and then
# fuzzes for FUZZ_TIME seconds (30 in make check).  Plain tier only: the
# fuzzers carry ASan+UBSan themselves.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "runs once, in the plain tier (the fuzzers have ASan)"
fi
cd "$T_SRC" || exit 2
shopt -s nullglob
# One result per target: tests/fuzz/fuzz_NAME.c -> build/fuzz/fuzz_NAME.
srcs=(tests/fuzz/fuzz_*.c)
plan ${#srcs[@]}
bins=()
for src in "${srcs[@]}"; do
	bin=build/fuzz/$(basename "$src" .c)
	if [ -x "$bin" ]; then
		bins+=("$bin")
	else
		fail "fuzz: $(basename "$src" .c) is built" "no $bin (make fuzzers)"
	fi
done
[ ${#bins[@]} = 0 ] || tests/fuzz/run "${FUZZ_TIME:-30}" "${bins[@]}"
