#!/bin/bash
# make demo: a PAM session for user nobody through a throwaway stack that
# holds pam_nonet.so, shown next to the host's view.  Touches nothing
# under /etc: the stack lives in a temporary directory.
set -eu
build=${1:-build}
user=${DEMO_USER:-nobody}
root=$(mktemp -d /tmp/nonet-demo.XXXXXX)
trap 'rm -rf "$root"' EXIT
# World-readable copies: the checkout may sit in a 0700 home.
chmod 0755 "$root"
install -m 0755 "$build/nonet" "$build/pam_nonet.so" "$root/"
mkdir "$root/pam.d"
# The demo's own policy: it isolates the demo user and nobody else.
printf '# nonet.conf for make demo\nprivate  %s\n' "$user" >"$root/nonet.conf"
chmod 0644 "$root/nonet.conf"
echo "session required $root/pam_nonet.so conf=$root/nonet.conf" \
	>"$root/pam.d/nonet-demo"

echo "### The stack ($root/pam.d/nonet-demo) and its policy:"
sed 's/^/    /' "$root/pam.d/nonet-demo" "$root/nonet.conf"
echo
echo "### Inside the session of $user: nonet show; nonet check"
"$root/nonet" session -u "$user" --confdir "$root/pam.d" -s nonet-demo -- \
	sh -c "$root/nonet show; $root/nonet check"
echo
echo "### The host, for contrast: nonet show link; nonet check"
"$root/nonet" show link
"$root/nonet" check || true
