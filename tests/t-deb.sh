#!/bin/bash
# The Debian package: it builds, lintian finds no error, and installed into
# a throwaway root of this machine's own release (tests/debroot, cached; an
# overlay in a private mount namespace: never this machine, never the
# cached root) it enables itself in common-session(-noninteractive) through
# pam-auth-update, isolates the members of group nonet and nobody else, its
# units are where that release's systemd finds them, and its purge leaves
# the PAM files as they were.  Files are found by what they are (their name
# in the package, dpkg -L, systemctl), not by the path one release uses.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "built and tried once, in the plain tier"
fi
for tool in dpkg-buildpackage debootstrap lintian; do
	command -v "$tool" >/dev/null || skip_all_strict "no $tool (make deps)"
done
plan 21

# Build from a copy of the tree, so the .deb lands in $T_ROOT.
src=$T_ROOT/src
copy_tree "$src" || { fail "copy the source tree"; exit 0; }
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$T_ROOT/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b builds libpam-nonet"
else
	fail "dpkg-buildpackage -us -uc -b builds libpam-nonet" "$(tail -20 "$T_ROOT/build.log")"
	exit 0
fi
deb=$(ls "$T_ROOT"/libpam-nonet_*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# WHAT PATTERN: the package holds exactly one file matching PATTERN (an
# extended regex over the whole path; debhelper's unit directory differs
# between releases: /lib on bookworm, /usr/lib on trixie).
for f in "module /usr/lib/$multiarch/security/pam_nonet\.so" \
	"tool /usr/bin/nonet" "conffile /etc/security/nonet\.conf" \
	"profile /usr/share/pam-configs/nonet" \
	"pam_nonet(8) /usr/share/man/man8/pam_nonet\.8\.gz" \
	"nonet(8) /usr/share/man/man8/nonet\.8\.gz" \
	"nonet.conf(5) /usr/share/man/man5/nonet\.conf\.5\.gz" \
	"service (/usr)?/lib/systemd/system/nonet-audit\.service" \
	"timer (/usr)?/lib/systemd/system/nonet-audit\.timer"; do
	n=$(printf '%s\n' "$contents" | grep -Ec "^\.${f#* }\$")
	[ "$n" = 1 ] || fail "the package holds the ${f%% *} (${f#* })" "$contents"
done
ok "the package holds the module, the tool, the conffile, the profile, the man pages and the timer"
expect_eq "/etc/security/nonet.conf is a conffile" "/etc/security/nonet.conf" \
	"$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)"
profile=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/pam-configs/nonet)
expect_match "the profile: Session-Type Additional, required pam_nonet.so, not interactive-only" \
	"Session-Type: Additional" "$profile"
expect_match "... with the line 'required pam_nonet.so'" "required[[:space:]]+pam_nonet.so" "$profile"
case $profile in *Session-Interactive-Only*) fail "no Session-Interactive-Only in the profile" ;; *) ok "no Session-Interactive-Only (cron and systemd-user are covered)" ;; esac
out=$(lintian --allow-root "$deb" 2>&1)
if printf '%s\n' "$out" | grep -q '^E:'; then fail "lintian reports no error" "$out"; else ok "lintian reports no error"; fi

# A root of this machine's release, in a private mount namespace.
release=$(host_release)
if ! root=$(debroot "$release" $DEBROOT_RUN 2>"$T_ROOT/debroot.err"); then
	skip_strict_n 14 "install into a $release root" "no root: $(tail -3 "$T_ROOT/debroot.err")"
	exit 0
fi
ok "a $release root (cached): $(sed -n '1s/^# nonet test root: //p' "$root/.nonet-root")"
host_ino=$(host_netns_inode)
in_debroot --api "$root" bash -s "$deb" "$host_ino" >"$T_ROOT/chroot.out" 2>&1 <<'INNER'
root=$DEBROOT deb=$1 host=$2
cp "$deb" "$root/tmp/libpam-nonet.deb"
inroot() { chroot "$root" "$@"; }
sums() { (cd "$root/etc/pam.d" && sha256sum common-*); }
sums >"$root/tmp/before"
inroot dpkg -i /tmp/libpam-nonet.deb >"$root/tmp/dpkg-i.log" 2>&1 && echo "INSTALLED" || cat "$root/tmp/dpkg-i.log"
grep -l pam_nonet "$root"/etc/pam.d/common-session "$root"/etc/pam.d/common-session-noninteractive |
	sed 's|.*/|ENABLED |'
inroot getent group nonet >/dev/null && echo "GROUP"
# Where the package put its files, and whether the release's own systemd
# (offline in a chroot) and libpam find them there.
inroot dpkg -L libpam-nonet | sed -n 's|.*/systemd/system/\(nonet-audit\.timer\)$|UNITFILE \1|p'
echo "UNIT $(inroot systemctl is-enabled nonet-audit.timer 2>&1)"
inroot useradd -m -s /bin/sh -G nonet alice && inroot useradd -m -s /bin/sh bob
echo "ALICE $(inroot nonet session -u alice -s login -- ip -j addr show 2>>"$root/tmp/session.err")"
echo "ALICEINO $(inroot nonet session -u alice -s login -- stat -L -c %i /proc/self/ns/net 2>>"$root/tmp/session.err")"
echo "BOBINO $(inroot nonet session -u bob -s login -- stat -L -c %i /proc/self/ns/net 2>>"$root/tmp/session.err")"
inroot dpkg --purge libpam-nonet >"$root/tmp/dpkg-p.log" 2>&1 && echo "PURGED" || cat "$root/tmp/dpkg-p.log"
sums >"$root/tmp/after"
cmp -s "$root/tmp/before" "$root/tmp/after" && echo "PAMSAME"
[ -e "$root/etc/security/nonet.conf" ] || echo "CONFGONE"
inroot getent group nonet >/dev/null && echo "GROUPKEPT"
INNER
out=$(cat "$T_ROOT/chroot.out")
expect_match "dpkg -i installs the package" "^INSTALLED$" "$out"
expect_match "pam-auth-update put pam_nonet into common-session" "^ENABLED common-session$" "$out"
expect_match "... and into common-session-noninteractive" "^ENABLED common-session-noninteractive$" "$out"
expect_match "postinst created the system group nonet" "^GROUP$" "$out"
expect_match "dpkg -L lists the timer unit" "^UNITFILE nonet-audit.timer$" "$out"
expect_eq "$release's systemctl finds the timer where the package put it (shipped disabled)" \
	"UNIT disabled" "$(printf '%s\n' "$out" | grep '^UNIT ')"
alice=$(printf '%s\n' "$out" | sed -n 's/^ALICE //p')
expect_eq "a member of nonet gets only lo with 127.0.0.1/8 through the root's login stack" \
	"lo:127.0.0.1/8" "$(printf '%s' "$alice" | python3 -c 'import json,sys
try:
    links = json.load(sys.stdin)
    print(" ".join(l["ifname"] + ":" + ",".join("%s/%d" % (a["local"], a["prefixlen"]) for a in l["addr_info"]) for l in links))
except Exception as e:
    print("not JSON:", e)')"
ino=$(printf '%s\n' "$out" | sed -n 's/^ALICEINO //p')
if [ -n "$ino" ] && [ "$ino" != "$host_ino" ]; then ok "... in a namespace that is not the host's"; else fail "... in a namespace that is not the host's" "$ino / $host_ino"; fi
expect_eq "a user outside the group gets the host network" "$host_ino" \
	"$(printf '%s\n' "$out" | sed -n 's/^BOBINO //p')"
expect_match "dpkg --purge removes it" "^PURGED$" "$out"
expect_match "after the purge the PAM files are as before" "^PAMSAME$" "$out"
expect_match "the purge removed the conffile" "^CONFGONE$" "$out"
expect_match "the purge keeps the system group (Debian practice)" "^GROUPKEPT$" "$out"
