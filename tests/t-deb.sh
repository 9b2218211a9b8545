#!/bin/bash
# The Debian package: it builds, lintian finds no error, and installed into
# a throwaway bookworm root (debootstrap; never this machine) it enables
# itself in common-session(-noninteractive) through pam-auth-update,
# isolates the members of group nonet and nobody else, and its purge leaves
# the PAM files as they were.
. "$(dirname "$0")/lib.sh"
if [ "$NONET_TIER" != plain ]; then
	skip_all "built and tried once, in the plain tier"
fi
for tool in dpkg-buildpackage debootstrap lintian; do
	command -v "$tool" >/dev/null || skip_all_strict "no $tool (make deps)"
done
plan 19

# Build from a copy of the tree, so the .deb lands in $T_ROOT.
src=$T_ROOT/src
mkdir -p "$src"
(cd "$T_SRC" && { git ls-files -z; git ls-files -z --others --exclude-standard; } |
	xargs -0 tar -cf - | tar -xf - -C "$src") || { fail "copy the source tree"; exit 0; }
rm -rf "$src/build"
if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$T_ROOT/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b builds libpam-nonet"
else
	fail "dpkg-buildpackage -us -uc -b builds libpam-nonet" "$(tail -20 "$T_ROOT/build.log")"
	exit 0
fi
deb=$(ls "$T_ROOT"/libpam-nonet_*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in "./usr/lib/$multiarch/security/pam_nonet.so" ./usr/bin/nonet \
	./etc/security/nonet.conf ./usr/share/pam-configs/nonet \
	./usr/share/man/man8/pam_nonet.8.gz ./usr/share/man/man8/nonet.8.gz \
	./usr/share/man/man5/nonet.conf.5.gz ./lib/systemd/system/nonet-audit.service \
	./lib/systemd/system/nonet-audit.timer; do
	case $'\n'$contents$'\n' in
	*$'\n'"$f"$'\n'*) ;;
	*) fail "the package holds $f" "$contents" ;;
	esac
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

# A throwaway bookworm root, in a private mount namespace.
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
root=$T_ROOT/root
if ! debootstrap --variant=minbase --include=libpam-runtime,iproute2,login,libmnl0,libsmartcols1,libcap2 \
	bookworm "$root" "$mirror" >"$T_ROOT/debootstrap.log" 2>&1; then
	# The 12 tests in the root; the machine has a Debian mirror.
	skip_strict_n 12 "install into a bookworm root" "debootstrap failed: $(tail -1 "$T_ROOT/debootstrap.log")"
	exit 0
fi
ok "debootstrap made a bookworm root"
cp "$deb" "$root/tmp/libpam-nonet.deb"
host_ino=$(host_netns_inode)
unshare -m --propagation private bash -s "$root" "$host_ino" >"$T_ROOT/chroot.out" 2>&1 <<'INNER'
root=$1 host=$2
mount -t proc proc "$root/proc" || exit 97
inroot() { chroot "$root" "$@"; }
sums() { (cd "$root/etc/pam.d" && sha256sum common-*); }
sums >"$root/tmp/before"
inroot dpkg -i /tmp/libpam-nonet.deb >/tmp/dpkg-i.log 2>&1 && echo "INSTALLED" || cat /tmp/dpkg-i.log
grep -l pam_nonet "$root"/etc/pam.d/common-session "$root"/etc/pam.d/common-session-noninteractive |
	sed 's|.*/|ENABLED |'
inroot getent group nonet >/dev/null && echo "GROUP"
inroot useradd -m -s /bin/sh -G nonet alice && inroot useradd -m -s /bin/sh bob
echo "ALICE $(inroot nonet session -u alice -s login -- ip -j addr show 2>>/tmp/session.err)"
echo "ALICEINO $(inroot nonet session -u alice -s login -- stat -L -c %i /proc/self/ns/net 2>>/tmp/session.err)"
echo "BOBINO $(inroot nonet session -u bob -s login -- stat -L -c %i /proc/self/ns/net 2>>/tmp/session.err)"
inroot dpkg --purge libpam-nonet >/tmp/dpkg-p.log 2>&1 && echo "PURGED" || cat /tmp/dpkg-p.log
sums >"$root/tmp/after"
cmp -s "$root/tmp/before" "$root/tmp/after" && echo "PAMSAME"
[ -e "$root/etc/security/nonet.conf" ] || echo "CONFGONE"
inroot getent group nonet >/dev/null && echo "GROUPKEPT"
umount "$root/proc"
INNER
out=$(cat "$T_ROOT/chroot.out")
expect_match "dpkg -i installs the package" "^INSTALLED$" "$out"
expect_match "pam-auth-update put pam_nonet into common-session" "^ENABLED common-session$" "$out"
expect_match "... and into common-session-noninteractive" "^ENABLED common-session-noninteractive$" "$out"
expect_match "postinst created the system group nonet" "^GROUP$" "$out"
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
