#!/usr/bin/env bash
# `make lint` (and a step of `make test`): the Swift sources and tests pass `swift format lint`
# with the checked-in .swift-format (4-space indentation, lines of at most 120 columns; it lets an
# unbreakable string literal run longer, as some test scripts and test names do), no line in
# Sources/ is longer than 120 columns (string literals and comments too), and no file in Sources/
# has more than 400 lines. `swift format -i -r Sources Tests Package.swift` fixes most of it.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
status=0
files=$(git ls-files '*.swift')
if ! $SWIFT format lint --strict $files; then
    echo "lint: swift format found the problems above"; status=1
fi
long=$(awk 'length > 120 { printf "%s:%d: %d columns\n", FILENAME, FNR, length }' $(git ls-files 'Sources/*.swift'))
if [ -n "$long" ]; then echo "$long"; echo "lint: lines over 120 columns"; status=1; fi
big=$(git ls-files 'Sources/*.swift' | xargs wc -l | awk '$2 != "total" && $1 > 400 { print $2 ": " $1 " lines" }')
if [ -n "$big" ]; then echo "$big"; echo "lint: Sources files over 400 lines"; status=1; fi
[ $status = 0 ] && echo "lint: ok ($(echo "$files" | wc -l) files)"
exit $status
