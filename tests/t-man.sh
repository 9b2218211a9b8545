#!/bin/bash
# Man pages: they render without warnings, and they name exactly the
# options the code knows (nonet --help, the module's argument parser).
. "$(dirname "$0")/lib.sh"
[ "$NONET_TIER" = plain ] || skip_all "checked once, in the plain tier"
plan 7
cd "$T_SRC" || exit 2

for page in man/*.[0-9]; do
	out=$(groff -man -ww -z "$page" 2>&1)
	expect_eq "$page renders with groff -man -ww without a warning" "" "$out"
done

# The options --help lists, and those nonet(8) lists.
help_opts=$(nonet --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
page_opts=$(sed 's/\\-/-/g' man/nonet.8 | grep -oE -- '--[a-z][a-z-]*' | sort -u)
missing=$(comm -23 <(echo "$help_opts") <(echo "$page_opts"))
expect_eq "every option of nonet --help is in nonet(8)" "" "$missing"
extra=$(comm -13 <(echo "$help_opts") <(echo "$page_opts"))
expect_eq "nonet(8) names no option --help lacks" "" "$extra"

help_cmds=$(nonet --help | sed -n '/^Commands:/,/^$/p' | awk '/^ [a-z]/{print $1}' | sort -u)
for cmd in $help_cmds; do
	grep -q "^\.B[RI]* *\"*$cmd\b\|^\.B nonet $cmd\|^\.B \"*$cmd " man/nonet.8 ||
		fail "nonet(8) documents the command $cmd"
done
ok "nonet(8) documents every command of --help ($(echo $help_cmds))"

# The module's arguments: what parse_args() compares against, and the
# option words it shares with the rules (option_words[] in the parser).
code_args=$({ sed -n '/^static void parse_args/,/^}/p' pam_module/pam_nonet.c
	sed -n '/^} option_words\[\] = {/,/^};/p' lib/policy_parse.c; } |
	grep -oE '"[a-z0-9_]+=?"' | tr -d '"' | sort -u)
# In the OPTIONS section, the tag after each .TP.
page_args=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' man/pam_nonet.8 |
	awk '(prev == ".TP" || prev == ".TQ") && $1 ~ /^\.BI?$/ { sub(/=.*/, "=", $2); print $2 } { prev = $1 }' | sort -u)
expect_eq "pam_nonet(8) documents exactly the module's arguments" \
	"$code_args" "$page_args"
