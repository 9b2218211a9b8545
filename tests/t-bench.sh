#!/bin/bash
# make bench QUICK=1 as a smoke test: every benchmark still runs and
# reports its figures.  No time is asserted here: figures are for
# `make bench`, measured side by side (docs/PERFORMANCE.md).
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "smoke-tested once, in the plain tier"
fi
cd "$T_SRC" || exit 2
plan 10
results=$T_ROOT/results.json
if out=$(RESULTS=$results bench/run "$NONET_BUILD" QUICK 2>&1); then
	ok "bench/run QUICK completes"
else
	fail "bench/run QUICK completes" "$(printf '%s' "$out" | tail -20)"
	exit 1
fi
check_json() {
	python3 - "$results" "$1" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
what = sys.argv[2]
figs = res["figures"]
def has(bench, target=None):
    return any(f["bench"] == bench and (target is None or f.get("target") == target) for f in figs)
checks = {
    "private": all(has("time", t) for t in ("nonet-private", "newnet", "permit", "@floor")),
    "shared": has("time", "nonet-shared") and has("time", "usernet"),
    "scale": has("hold", "nonet-private") and has("hold", "@floor") and has("hold", "nonet-shared"),
    "storm": has("storm", "nonet-private"),
    "uplink": has("time", "nonet-uplink") and has("storm", "nonet-uplink"),
    "policy": sum(1 for f in figs if f["bench"] == "policy" and "groups_looked_up" in f) == 2,
    "tool": sum(1 for f in figs if f["bench"] == "tool") == 5,
    "no failures": all(f.get("failures", 0) == 0 for f in figs if f["bench"] != "tool" and f.get("target") != "usernet"),
    "targets": len(res["targets"]) >= 8,
}
sys.exit(0 if checks[what] else 1)
PY
}
for what in private shared uplink scale storm policy tool "no failures" targets; do
	check "results.json has the $what figures" check_json "$what"
done
