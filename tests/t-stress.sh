#!/bin/bash
# Stress: 2 workers per core open and close sessions of 10 users across
# private, shared and join rules for STRESS_TIME seconds (20 in make check,
# longer in make stress) while `nonet audit` runs in a loop.  Afterwards
# every session was isolated as prescribed, audit never failed, and after
# `nonet prune` the pins, records and lock holders are back where they were.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "runs once, in the plain tier"
fi
plan 6
secs=${STRESS_TIME:-20}
workers=$(( 2 * $(nproc) ))
tag=nst$$
host=$(host_netns_inode)
users=()
cleanup_users() {
	local u
	for u in "${users[@]}"; do
		pkill -KILL -U "$u" 2>/dev/null
		umount -l "/run/netns/nonet-$u" 2>/dev/null
		rm -f "/run/netns/nonet-$u" "/run/nonet/nonet-$u.lock"
		userdel "$u" 2>/dev/null
	done
}
on_exit cleanup_users
for i in $(seq 10); do
	useradd -M -N -s /bin/sh "$tag-$i" || { fail "useradd"; exit 0; }
	users+=("$tag-$i")
done
joinns=$(make_netns stress)
ip -n "$joinns" link set lo up
join_ino=$(ip netns exec "$joinns" stat -L -c %i /proc/self/ns/net)
policy=$(make_policy stress \
	"private ${users[0]},${users[1]},${users[2]},${users[3]}" \
	"shared ${users[4]},${users[5]},${users[6]},${users[7]}" \
	"join=$joinns ${users[8]},${users[9]}")
svc=$(make_service stress "session required $MODULE conf=$policy")
pins_before=$(ls /run/netns | grep -c "^nonet-$tag" || true)
# Records of the stress users (other tests' sessions may come and go).
own_records() { grep -l "^user $tag-" /run/nonet/sessions/* 2>/dev/null | wc -l; }
W=$T_ROOT/stress
mkdir "$W"

worker() { # N: prints one line per session: USER RC INODE
	local n=$1 end=$(( $(date +%s) + secs )) i=$1 u ino
	while [ "$(date +%s)" -lt "$end" ]; do
		u=${users[$(( i % 10 ))]}
		ino=$("$NONET" session -u "$u" --confdir "$svc" -s stress -- \
			stat -L -c %i /proc/self/ns/net 2>/dev/null)
		echo "$u $? ${ino:-none}"
		i=$(( i + 7 ))
	done >"$W/worker.$n"
}
auditor() {
	local end=$(( $(date +%s) + secs )) rc
	while [ "$(date +%s)" -lt "$end" ]; do
		"$NONET" audit --conf "$policy" >/dev/null 2>"$W/audit.err"
		rc=$?
		echo "$rc"
		[ "$rc" = 2 ] && cat "$W/audit.err" >>"$W/audit.errors"
	done >"$W/audit"
}
pids=()
for n in $(seq "$workers"); do worker "$n" & pids+=($!); done
auditor & pids+=($!)
on_exit "kill ${pids[*]}"
wait "${pids[@]}"

total=$(cat "$W"/worker.* | wc -l)
bad=$(cat "$W"/worker.* | awk -v host="$host" -v join="$join_ino" \
	-v j1="${users[8]}" -v j2="${users[9]}" '
	$2 != 0 || $3 == "none" || $3 == host { print; next }
	($1 == j1 || $1 == j2) && $3 != join { print }' | head -5)
echo "# $total sessions by $workers workers in ${secs}s; $(wc -l <"$W/audit") audits"
[ "$total" -gt 0 ] && ok "$total sessions opened and closed under load" || fail "sessions ran"
expect_eq "every session was isolated as prescribed (join users in $joinns)" "" "$bad"
expect_eq "nonet audit never failed (exit 2) while sessions came and went" "" \
	"$(cat "$W/audit.errors" 2>/dev/null | head -5)"
shared_inos=$(for u in "${users[@]:4:4}"; do grep "^$u 0 " "$W"/worker.* | awk '{print $3}' | sort -u | wc -l; done | sort -u | tr '\n' ' ')
echo "# distinct namespaces per shared user over the run: $shared_inos"
"$NONET" prune >/dev/null
expect_eq "after prune: no pin of the stress users is left" "$pins_before" \
	"$(ls /run/netns | grep -c "^nonet-$tag" || true)"
expect_eq "after prune: no session record of the stress users is left" 0 \
	"$(own_records)"
for u in "${users[@]:4:4}"; do
	if [ -e "/run/nonet/nonet-$u.lock" ] && ! flock -n "/run/nonet/nonet-$u.lock" true; then
		fail "no lock of $u is held after the run"
	fi
done
ok "no lock is held after the run"
