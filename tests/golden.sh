#!/bin/sh
# Golden tests (STYLE "Tests"): each tests/golden/<case>/ holds content/
# and expected/ (the whole out tree).  Builds every case from its own
# directory and diffs the output against expected/.  PDFs are compared
# on their text layer: each out/pdf/X.pdf becomes X.pdf.txt (pdftotext
# -layout); their bytes are checked for determinism by tests/cli.sh.
#   BIN=/abs/path/boardpack [VALGRIND="valgrind ..."] sh tests/golden.sh
#   sh tests/golden.sh regen     rewrites expected/ (review with git diff)
# Prints PASS golden/<case> or FAIL golden/<case>; exits 1 if any failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../boardpack}
case $BIN in
/*) ;;
*) BIN=$(pwd)/$BIN ;;
esac
VALGRIND=${VALGRIND:-}
# Templates and themes of this tree, wherever BIN lives.
BOARDPACK_DATADIR=${BOARDPACK_DATADIR:-$here/..}
export BOARDPACK_DATADIR
mode=${1:-check}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

for dir in "$here"/golden/*/; do
	[ -d "$dir/content" ] || continue
	name=$(basename "$dir")
	out=$tmp/$name/out
	mkdir -p "$tmp/$name"
	# Fixed environment: the output must not depend on it anyway.
	if ! (cd "$dir" && SOURCE_DATE_EPOCH=0 $VALGRIND "$BIN" build content \
	    -o "$out" -q -j 3 >"$tmp/$name/stdout" 2>"$tmp/$name/stderr"); then
		echo "FAIL golden/$name (build failed)"
		sed 's/^/  /' "$tmp/$name/stderr"
		fail=1
		continue
	fi
	# The build cache (keys hash the binary) is not part of the site;
	# tests/incremental.sh checks it.
	rm -rf "$out/.cache"
	for pdf in "$out"/pdf/*.pdf; do
		[ -f "$pdf" ] || continue
		pdftotext -layout "$pdf" "$pdf.txt" 2>/dev/null && rm -f "$pdf"
	done
	if [ "$mode" = regen ]; then
		rm -rf "$dir/expected"
		cp -R "$out" "$dir/expected"
		echo "REGEN golden/$name"
		continue
	fi
	if diff -r "$dir/expected" "$out" >"$tmp/$name/diff" 2>&1; then
		echo "PASS golden/$name"
	else
		echo "FAIL golden/$name"
		head -n 40 "$tmp/$name/diff" | sed 's/^/  /'
		fail=1
	fi
done
exit $fail
