#!/bin/sh
# compat-notes.sh README.md: the compatibility notes installed as
# share/doc/xmap/COMPATIBILITY.md: the README's sections on XMap 2.0.2 ("## Compatibility with
# XMap 2.0.2") and on ZMap ("### ZMap's modules, names and fields"), each up to the next heading
# of its level or above (not counting `#` lines in code blocks). Fails when either section is
# missing or empty, so a renamed heading cannot ship an empty file.
set -eu
readme=${1:?usage: compat-notes.sh README.md}
section() { # HEADING: print the section that starts with the line HEADING
    awk -v want="$1" '
        /^```/ { fenced = !fenced }
        $0 == want && !fenced { on = 1; level = index($0, " "); print; next }
        on && !fenced && /^#+ / && index($0, " ") <= level { exit }
        on { print }' "$readme"
}
printf '# xmap: compatibility notes\n\nFrom the README (%s); the man pages xmap(1) and zmap(1) list every option.\n\n' \
    "$(basename "$readme")"
for heading in "## Compatibility with XMap 2.0.2" "### ZMap's modules, names and fields"; do
    text=$(section "$heading")
    if [ "$(printf '%s\n' "$text" | wc -l)" -lt 5 ]; then
        echo "compat-notes.sh: no section '$heading' in $readme" >&2
        exit 1
    fi
    printf '%s\n\n' "$text"
done
