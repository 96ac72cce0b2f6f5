#!/bin/sh
# The whole test suite: cmocka unit tests, CLI checks, bad-input messages,
# golden packs.  Env: BIN (the boardpack binary), UNITS (unit test
# binaries), VALGRIND (optional command prefix).  Ends with the plain
# "N passed, N failed" line and exits non-zero if anything failed.
cd "$(dirname "$0")/.." || exit 2
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
export BIN
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0
fail=0

for u in $UNITS; do
	$VALGRIND "$u" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		cat "$log"
		echo "FAIL unit/$(basename "$u")"
	else
		echo "PASS unit/$(basename "$u") ($p tests)"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done

for suite in tests/cli.sh tests/bad.sh tests/golden.sh tests/links.sh tests/html.sh tests/a11y.sh tests/pdf.sh tests/serve.sh tests/mail.sh tests/kill.sh tests/determinism.sh tests/incremental.sh tests/limits.sh; do
	[ -f "$suite" ] || continue
	sh "$suite" >"$log" 2>&1
	cat "$log"
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	pass=$((pass + p))
	fail=$((fail + f))
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
