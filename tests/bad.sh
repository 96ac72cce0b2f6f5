#!/bin/sh
# tests/bad.sh: bad-input messages.  Each tests/bad/<case>/ holds a broken
# pack in content/ and `expected`, the exact stderr of `boardpack check
# content` run from inside the case directory; `status` (optional, default
# 1) is the expected exit status.  Optional files:
#   generate  a sh script run first, inside a temporary copy of the case,
#             to make large or binary inputs (10 MB lines, sparse files,
#             symbolic links) that are not committed; $BOARDPACK_ROOT
#             is the repository (for templates/ and themes/);
#   build     the expected exit status of `boardpack build content`, run
#             after the check (in a temporary copy), reported as
#             "bad/<case> build"; with BOARDPACK_DATADIR=datadir when
#             the case (or its generate) made a datadir/ (templates);
#   build-expected  the exact stderr of that build;
#   forbid    fixed strings, one a line, that must not appear
#             (case-insensitively) anywhere in the built out/ tree
#             (the theme's own scripts may: forbid the payloads).
# Env: BIN (the boardpack binary), VALGRIND (optional command prefix).
# Prints PASS/FAIL per case and exits 1 if any case failed.
: "${BIN:?set BIN to the boardpack binary}"
case "$BIN" in
/*) ;;
*) BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN") ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
BOARDPACK_ROOT=$(dirname "$here")
export BOARDPACK_ROOT
got=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -f "$got"; rm -rf "$tmp"' EXIT
fail=0
for dir in "$here"/bad/*/; do
	dir=${dir%/}
	name=bad/$(basename "$dir")
	[ -f "$dir/expected" ] || continue
	want=1
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	run=$dir
	if [ -f "$dir/generate" ] || [ -f "$dir/build" ]; then
		rm -rf "$tmp/case"
		cp -R "$dir" "$tmp/case"
		run=$tmp/case
		if [ -f "$run/generate" ] &&
		    ! (cd "$run" && sh ./generate) >/dev/null 2>&1; then
			echo "FAIL $name (generate failed)"
			fail=1
			continue
		fi
	fi
	(cd "$run" && $VALGRIND "$BIN" check content) >/dev/null 2>"$got"
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
	[ -f "$dir/build" ] || continue
	if [ -d "$run/datadir" ]; then
		(cd "$run" && BOARDPACK_DATADIR=datadir $VALGRIND "$BIN" build \
		    content -o out -q) >/dev/null 2>"$got"
	else
		(cd "$run" && $VALGRIND "$BIN" build content -o out -q) \
		    >/dev/null 2>"$got"
	fi
	rc=$?
	bad=
	if [ -f "$dir/forbid" ] && [ -d "$run/out" ]; then
		while IFS= read -r pat; do
			[ -n "$pat" ] || continue
			grep -r -i -l -F -e "$pat" "$run/out" >/dev/null &&
			    bad="$bad \"$pat\""
		done <"$dir/forbid"
	fi
	if [ "$rc" -ne "$(cat "$dir/build")" ]; then
		echo "FAIL $name build (exit status $rc)"
		cat "$got"
		fail=1
	elif [ -f "$dir/build-expected" ] &&
	    ! diff -u "$dir/build-expected" "$got"; then
		echo "FAIL $name build (stderr)"
		fail=1
	elif [ -n "$bad" ]; then
		echo "FAIL $name build (out/ holds$bad)"
		fail=1
	else
		echo "PASS $name build"
	fi
done
exit $fail
