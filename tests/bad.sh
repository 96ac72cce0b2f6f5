#!/bin/sh
# tests/bad.sh: bad-input messages.  Each tests/bad/<case>/ holds a broken
# pack in content/ and `expected`, the exact stderr of `boardpack check
# content` run from inside the case directory; `status` (optional, default
# 1) is the expected exit status.  Env: BIN (the boardpack binary),
# VALGRIND (optional command prefix).  Prints PASS/FAIL per case and exits
# 1 if any case failed.
: "${BIN:?set BIN to the boardpack binary}"
case "$BIN" in
/*) ;;
*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
got=$(mktemp)
trap 'rm -f "$got"' EXIT
fail=0
for dir in "$here"/bad/*/; do
	dir=${dir%/}
	name=bad/$(basename "$dir")
	[ -f "$dir/expected" ] || continue
	want=1
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	(cd "$dir" && $VALGRIND "$BIN" check content) >/dev/null 2>"$got"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $name (exit status $rc, expected $want)"
		diff -u "$dir/expected" "$got"
		fail=1
	elif ! diff -u "$dir/expected" "$got" >/dev/null; then
		echo "FAIL $name"
		diff -u "$dir/expected" "$got"
		fail=1
	else
		echo "PASS $name"
	fi
done
exit $fail
