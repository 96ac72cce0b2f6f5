#!/bin/sh
# tests/determinism.sh: the same input gives byte-identical output
# (SPEC 2): two builds of the example pack, PDFs included, at different
# times, into different parent directories and with different -j, give
# identical out/ trees; so does a rebuild that takes every service from
# the build cache (out/.cache, tests/incremental.sh), with another -j.
# Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
: "${BIN:?set BIN to the boardpack binary}"
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/a" "$tmp/b"

# tree DIR: every file's path, mode and checksum, sorted.
tree() {
	(cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" \
			    "$(cksum <"$f")"
		else
			printf '%s %s\n' "$f" "$(stat -c %F "$f")"
		fi
	done)
}

if $VALGRIND "$BIN" build ../content -o "$tmp/a/out" -q -j 1 2>"$tmp/err" &&
    sleep 1 &&
    $VALGRIND "$BIN" build ../content -o "$tmp/b/out" -q -j 2 2>>"$tmp/err"; then
	echo "PASS determinism/builds"
else
	echo "FAIL determinism/builds"
	cat "$tmp/err"
	exit 1
fi
tree "$tmp/a/out" >"$tmp/a.list"
tree "$tmp/b/out" >"$tmp/b.list"
if cmp -s "$tmp/a.list" "$tmp/b.list" &&
    diff -r "$tmp/a/out" "$tmp/b/out" >/dev/null; then
	echo "PASS determinism/two-builds-identical"
else
	echo "FAIL determinism/two-builds-identical"
	diff "$tmp/a.list" "$tmp/b.list" | head -20
fi
n=$(find "$tmp/a/out" -name '*.pdf' | wc -l)
if [ "$n" -gt 0 ]; then
	echo "PASS determinism/pdfs-compared ($n)"
else
	echo "FAIL determinism/pdfs-compared (no PDFs built)"
fi

if $VALGRIND "$BIN" build ../content -o "$tmp/a/out" -q -j 3 2>"$tmp/err" &&
    grep -q '(4 unchanged)' "$tmp/err" && tree "$tmp/a/out" >"$tmp/c.list" &&
    cmp -s "$tmp/c.list" "$tmp/b.list"; then
	echo "PASS determinism/cached-rebuild-identical"
else
	echo "FAIL determinism/cached-rebuild-identical"
	cat "$tmp/err"
	diff "$tmp/c.list" "$tmp/b.list" | head -20
fi
