#!/bin/sh
# tests/incremental.sh: the build cache in out/.cache (issue 10) saves
# work and never changes a byte.  A rebuild after an edit (a CSV value,
# a title that neighbouring pages link, a template) gives the same tree,
# .cache included, as a clean build of the edited pack; deleting
# out/.cache or damaging a cache file gives a full build with the same
# bytes.  The summary line says how many services were unchanged.
# Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
: "${BIN:?set BIN to the boardpack binary}"
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tree DIR: every path, mode and checksum, sorted.
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

# build NAME OUT [ARGS]: builds the pack into OUT; the summary line in
# $tmp/NAME.err.
build() {
	name=$1
	o=$2
	shift 2
	$VALGRIND "$BIN" build "$tmp/pack" -o "$o" -q "$@" 2>"$tmp/$name.err"
}

# same NAME A B: PASS when the trees A and B are identical.
same() {
	tree "$2" >"$tmp/x.list"
	tree "$3" >"$tmp/y.list"
	if cmp -s "$tmp/x.list" "$tmp/y.list"; then
		echo "PASS incremental/$1"
	else
		echo "FAIL incremental/$1"
		diff "$tmp/x.list" "$tmp/y.list" | head -10
	fi
}

# unchanged NAME N: PASS when the summary says N services were reused.
unchanged() {
	if grep -q "^built 4 services ($2 unchanged)" "$tmp/$1.err"; then
		echo "PASS incremental/$1-reuses-$2"
	else
		echo "FAIL incremental/$1-reuses-$2"
		cat "$tmp/$1.err"
	fi
}

cp -R ../content "$tmp/pack"
cp -R ../templates ../themes "$tmp/"
mkdir "$tmp/a" "$tmp/b" "$tmp/c" "$tmp/d"
if ! build first "$tmp/a/out" -j 2; then
	echo "FAIL incremental/first-build"
	cat "$tmp/first.err"
	exit 1
fi
if grep -q ' idva$' "$tmp/a/out/.cache/index" 2>/dev/null &&
    ! grep -q unchanged "$tmp/first.err"
then
	echo "PASS incremental/first-build-keys"
else
	echo "FAIL incremental/first-build-keys"
fi
cp -R "$tmp/a/out" "$tmp/a/first"

# Nothing changed: every service is copied, the tree is the same.
build again "$tmp/a/out" -j 1 && unchanged again 4
same unchanged-tree "$tmp/a/first" "$tmp/a/out"

# One CSV value: only that service is rebuilt; same as a clean build.
sed '3s/^\(2024-01-02\),21,/\1,29,/' "$tmp/pack/data/idva_daily.csv" \
    >"$tmp/x.csv" && cat "$tmp/x.csv" >"$tmp/pack/data/idva_daily.csv"
build csv "$tmp/a/out" -j 2 && unchanged csv 3
build csv-clean "$tmp/b/out" -j 1
same csv-edit-equals-clean "$tmp/a/out" "$tmp/b/out"
if cmp -s "$tmp/a/first/services/idva.html" "$tmp/a/out/services/idva.html"
then
	echo "FAIL incremental/csv-edit-rebuilt (idva.html unchanged)"
else
	echo "PASS incremental/csv-edit-rebuilt"
fi

# A title: the page and the pages that link it (previous and next).
sed 's/^title: 999 Ambulance Incidents/title: 999 Ambulance Calls/' \
    "$tmp/pack/services/ambulance.md" >"$tmp/x.md" &&
    cat "$tmp/x.md" >"$tmp/pack/services/ambulance.md"
build title "$tmp/a/out" -j 2 && unchanged title 1
rm -rf "$tmp/b/out"
build title-clean "$tmp/b/out" -j 2
same title-edit-equals-clean "$tmp/a/out" "$tmp/b/out"

# A template: every service is rebuilt.
printf '<!-- edited -->\n' >>"$tmp/templates/service.html"
BOARDPACK_DATADIR=$tmp build template "$tmp/a/out" -j 2 &&
    if grep -q unchanged "$tmp/template.err"; then
	echo "FAIL incremental/template-edit-rebuilds-all"
	cat "$tmp/template.err"
    else
	echo "PASS incremental/template-edit-rebuilds-all"
    fi
BOARDPACK_DATADIR=$tmp build template-clean "$tmp/c/out" -j 2
same template-edit-equals-clean "$tmp/a/out" "$tmp/c/out"

# Safe to delete: without .cache, a full build with the same bytes.
rm -rf "$tmp/a/out/.cache"
BOARDPACK_DATADIR=$tmp build deleted "$tmp/a/out" -j 2 &&
    ! grep -q unchanged "$tmp/deleted.err" &&
    echo "PASS incremental/cache-deleted-full-build" ||
    echo "FAIL incremental/cache-deleted-full-build"
same cache-deleted-equals-clean "$tmp/a/out" "$tmp/c/out"

# Damaged cache files are misses, never errors or different output:
# ambulance's simulation overwritten in .cache/sims, idva's key changed
# in .cache/index.
# field ID N: the Nth field of ID's line in .cache/index.
field() {
	awk -v id="$1" -v n="$2" '$NF == id { print $n }' \
	    "$tmp/a/out/.cache/index"
}
# poke FILE OFFSET: one byte at OFFSET of FILE becomes "x", in place.
poke() {
	printf 'x' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
poke "$tmp/a/out/.cache/sims" "$(field ambulance 5)"
sed 's/^[0-9a-f]\{32\}\( .* idva\)$/0123456789abcdef0123456789abcdef\1/' \
    "$tmp/a/out/.cache/index" >"$tmp/x.idx" &&
    cat "$tmp/x.idx" >"$tmp/a/out/.cache/index"
BOARDPACK_DATADIR=$tmp build damaged "$tmp/a/out" -j 2 && unchanged damaged 2
same damaged-cache-equals-clean "$tmp/a/out" "$tmp/c/out"

# An edited analysis.json: the unchanged services' texts no longer hash
# as recorded, so they are written again from the analysis.
poke "$tmp/a/out/analysis.json" "$(( $(field rtt-wales 2) + 40 ))"
cmp -s "$tmp/a/out/analysis.json" "$tmp/c/out/analysis.json" &&
    echo "FAIL incremental/edited-json-poked (analysis.json unchanged)"
BOARDPACK_DATADIR=$tmp build edited-json "$tmp/a/out" -j 2 &&
    unchanged edited-json 4
same edited-json-equals-clean "$tmp/a/out" "$tmp/c/out"

# A cached output that is missing is rendered again.
rm -f "$tmp/a/out/pdf/rtt-wales.pdf"
BOARDPACK_DATADIR=$tmp build missing "$tmp/a/out" -j 2
same missing-output-equals-clean "$tmp/a/out" "$tmp/c/out"

# --no-pdf keys differ: nothing is reused, no PDF appears.
BOARDPACK_DATADIR=$tmp build nopdf "$tmp/a/out" -j 2 --no-pdf &&
    ! grep -q unchanged "$tmp/nopdf.err" && [ ! -d "$tmp/a/out/pdf" ] &&
    echo "PASS incremental/no-pdf-not-reused" ||
    echo "FAIL incremental/no-pdf-not-reused"
BOARDPACK_DATADIR=$tmp build nopdf-clean "$tmp/d/out" -j 1 --no-pdf
same no-pdf-equals-clean "$tmp/a/out" "$tmp/d/out"
