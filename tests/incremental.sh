#!/bin/sh
# tests/incremental.sh: the build cache in out/.cache (issue 10) saves
# work and never changes a byte.  A rebuild after an edit (a CSV value,
# a page, a title that neighbouring pages link, boardpack.yml, a
# template) gives the same tree, .cache included, as a clean build of
# the edited pack; deleting out/.cache or damaging a cache file (a key,
# a record, a simulation, analysis.json) gives a full build with the same
# bytes; the warnings that loading and analysing an unchanged service
# printed are printed again.  Run twice: with the pack PDF carrying
# every briefing (hits are analysed again) and without ("stub": hits are
# neither parsed nor analysed).  The summary line says how many services
# were unchanged.  Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
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
	$VALGRIND "$BIN" build "$pack" -o "$o" -q "$@" 2>"$t/$name.err"
}

# same NAME A B: PASS when the trees A and B are identical.
same() {
	tree "$2" >"$t/x.list"
	tree "$3" >"$t/y.list"
	if cmp -s "$t/x.list" "$t/y.list"; then
		echo "PASS incremental/$mode/$1"
	else
		echo "FAIL incremental/$mode/$1"
		diff "$t/x.list" "$t/y.list" | head -10
	fi
}

# unchanged NAME N: PASS when the summary says N services were reused.
unchanged() {
	if grep -q "^built 4 services ($2 unchanged)" "$t/$1.err"; then
		echo "PASS incremental/$mode/$1-reuses-$2"
	else
		echo "FAIL incremental/$mode/$1-reuses-$2"
		cat "$t/$1.err"
	fi
}

# field ID N: the Nth field of ID's line in OUT/.cache/index ($t/a).
field() {
	awk -v id="$1" -v n="$2" '$NF == id { print $n }' \
	    "$t/a/out/.cache/index"
}
# poke FILE OFFSET: one byte at OFFSET of FILE becomes "x", in place.
poke() {
	printf 'x' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# warnings NAME: the diagnostics of build NAME, without the summary.
warnings() {
	grep -v '^built ' "$t/$1.err"
}
# replayed NAME CHECK: build NAME printed the first build's warnings.
replayed() {
	if warnings "$1" | cmp -s - "$t/first.warn"; then
		echo "PASS incremental/$mode/$2"
	else
		echo "FAIL incremental/$mode/$2"
		cat "$t/$1.err"
	fi
}

# suite MODE [CONFIG]: the edits below on a fresh copy of the example
# pack, CONFIG appended to its boardpack.yml.
suite() {
	mode=$1
	t=$tmp/$mode
	pack=$t/pack
	mkdir -p "$t"
	cp -R ../content "$pack"
	cp -R ../templates ../themes "$t/"
	[ -n "$2" ] && printf '%s\n' "$2" >>"$pack/boardpack.yml"
	# A warning that loading prints from the data (a rebase date
	# after the last row): printed again while it is cached.
	sed 's/^    rebase: \[2024-04-01\]$/    rebase: [2024-04-01, 2031-01-01]/' \
	    "$pack/services/idva.md" >"$t/x.md" &&
	    cat "$t/x.md" >"$pack/services/idva.md"
	mkdir "$t/a" "$t/b" "$t/c" "$t/d"
	if ! build first "$t/a/out" -j 2; then
		echo "FAIL incremental/$mode/first-build"
		cat "$t/first.err"
		exit 1
	fi
	if grep -q ' idva$' "$t/a/out/.cache/index" 2>/dev/null &&
	    ! grep -q unchanged "$t/first.err"
	then
		echo "PASS incremental/$mode/first-build-keys"
	else
		echo "FAIL incremental/$mode/first-build-keys"
	fi
	if grep -q 'rebase date 2031-01-01' "$t/first.err"; then
		echo "PASS incremental/$mode/first-build-warns"
	else
		echo "FAIL incremental/$mode/first-build-warns"
		cat "$t/first.err"
	fi
	warnings first >"$t/first.warn"
	cp -R "$t/a/out" "$t/a/first"

	# Nothing changed: every service is copied, the tree is the same.
	build again "$t/a/out" -j 1 && unchanged again 4
	same unchanged-tree "$t/a/first" "$t/a/out"
	# Loading's warnings are printed from the cache, as they were.
	replayed again warnings-replayed

	# One CSV value: only that service is rebuilt; same as a clean build.
	sed '3s/^\(2024-01-02\),21,/\1,29,/' "$pack/data/idva_daily.csv" \
	    >"$t/x.csv" && cat "$t/x.csv" >"$pack/data/idva_daily.csv"
	build csv "$t/a/out" -j 2 && unchanged csv 3
	build csv-clean "$t/b/out" -j 1
	same csv-edit-equals-clean "$t/a/out" "$t/b/out"
	if cmp -s "$t/a/first/services/idva.html" "$t/a/out/services/idva.html"
	then
		echo "FAIL incremental/$mode/csv-edit-rebuilt (idva.html unchanged)"
	else
		echo "PASS incremental/$mode/csv-edit-rebuilt"
	fi

	# A title: the page and the pages that link it (previous and next).
	sed 's/^title: 999 Ambulance Incidents/title: 999 Ambulance Calls/' \
	    "$pack/services/ambulance.md" >"$t/x.md" &&
	    cat "$t/x.md" >"$pack/services/ambulance.md"
	build title "$t/a/out" -j 2 && unchanged title 1
	rm -rf "$t/b/out"
	build title-clean "$t/b/out" -j 2
	same title-edit-equals-clean "$t/a/out" "$t/b/out"
	replayed title title-warnings-replayed

	# A page's text: only that service (it is last: no neighbour
	# links it... by title only, so they keep theirs).
	printf '\nA closing note.\n' >>"$pack/services/rtt-wales.md"
	build md "$t/a/out" -j 2 && unchanged md 3
	rm -rf "$t/b/out"
	build md-clean "$t/b/out" -j 1
	same md-edit-equals-clean "$t/a/out" "$t/b/out"

	# boardpack.yml: every service is rendered again (their data need
	# not be: the bytes are the same) and the warnings stay.
	sed 's/^period_label: December 2024$/period_label: December 2024 (revised)/' \
	    "$pack/boardpack.yml" >"$t/x.yml" &&
	    cat "$t/x.yml" >"$pack/boardpack.yml"
	build config "$t/a/out" -j 2 && ! grep -q unchanged "$t/config.err" &&
	    echo "PASS incremental/$mode/config-edit-rebuilds-all" ||
	    echo "FAIL incremental/$mode/config-edit-rebuilds-all"
	rm -rf "$t/b/out"
	build config-clean "$t/b/out" -j 2
	same config-edit-equals-clean "$t/a/out" "$t/b/out"
	replayed config config-warnings-replayed
	build config-again "$t/a/out" -j 1 && unchanged config-again 4
	same config-again-equals-clean "$t/a/out" "$t/b/out"

	# A template: every service is rebuilt.
	printf '<!-- edited -->\n' >>"$t/templates/service.html"
	BOARDPACK_DATADIR=$t build template "$t/a/out" -j 2 &&
	    if grep -q unchanged "$t/template.err"; then
		echo "FAIL incremental/$mode/template-edit-rebuilds-all"
		cat "$t/template.err"
	    else
		echo "PASS incremental/$mode/template-edit-rebuilds-all"
	    fi
	BOARDPACK_DATADIR=$t build template-clean "$t/c/out" -j 2
	same template-edit-equals-clean "$t/a/out" "$t/c/out"

	# Safe to delete: without .cache, a full build with the same bytes.
	rm -rf "$t/a/out/.cache"
	BOARDPACK_DATADIR=$t build deleted "$t/a/out" -j 2 &&
	    ! grep -q unchanged "$t/deleted.err" &&
	    echo "PASS incremental/$mode/cache-deleted-full-build" ||
	    echo "FAIL incremental/$mode/cache-deleted-full-build"
	same cache-deleted-equals-clean "$t/a/out" "$t/c/out"

	# Damaged cache files are misses, never errors or different output:
	# ambulance's simulation overwritten in .cache/sims, idva's key changed
	# in .cache/index.
	poke "$t/a/out/.cache/sims" "$(field ambulance 6)"
	sed 's/^[0-9a-f]\{32\}\( .* idva\)$/0123456789abcdef0123456789abcdef\1/' \
	    "$t/a/out/.cache/index" >"$t/x.idx" &&
	    cat "$t/x.idx" >"$t/a/out/.cache/index"
	BOARDPACK_DATADIR=$t build damaged "$t/a/out" -j 2 && unchanged damaged 2
	same damaged-cache-equals-clean "$t/a/out" "$t/c/out"

	# An edited analysis.json: the unchanged services' texts no longer hash
	# as recorded, so they are written again from the analysis.
	poke "$t/a/out/analysis.json" "$(( $(field rtt-wales 3) + 40 ))"
	cmp -s "$t/a/out/analysis.json" "$t/c/out/analysis.json" &&
	    echo "FAIL incremental/$mode/edited-json-poked (analysis.json unchanged)"
	BOARDPACK_DATADIR=$t build edited-json "$t/a/out" -j 2 &&
	    unchanged edited-json 4
	same edited-json-equals-clean "$t/a/out" "$t/c/out"

	# A damaged record (stub series, analysis, IPR rows): a miss.
	poke "$t/a/out/.cache/recs" "$(( $(field ae-scotland 9) + 30 ))"
	BOARDPACK_DATADIR=$t build damaged-rec "$t/a/out" -j 2 &&
	    unchanged damaged-rec 3
	same damaged-rec-equals-clean "$t/a/out" "$t/c/out"

	# analysis.json rewritten with the same bytes (its time changes):
	# every text is checked and still used.
	cp "$t/a/out/analysis.json" "$t/x.json" &&
	    cat "$t/x.json" >"$t/a/out/analysis.json"
	BOARDPACK_DATADIR=$t build touched-json "$t/a/out" -j 2 &&
	    unchanged touched-json 4
	same touched-json-equals-clean "$t/a/out" "$t/c/out"

	# A cached output that is missing is rendered again.
	rm -f "$t/a/out/pdf/rtt-wales.pdf"
	BOARDPACK_DATADIR=$t build missing "$t/a/out" -j 2
	same missing-output-equals-clean "$t/a/out" "$t/c/out"

	# --no-pdf keys differ: nothing is reused, no PDF appears.
	BOARDPACK_DATADIR=$t build nopdf "$t/a/out" -j 2 --no-pdf &&
	    ! grep -q unchanged "$t/nopdf.err" && [ ! -d "$t/a/out/pdf" ] &&
	    echo "PASS incremental/$mode/no-pdf-not-reused" ||
	    echo "FAIL incremental/$mode/no-pdf-not-reused"
	BOARDPACK_DATADIR=$t build nopdf-clean "$t/d/out" -j 1 --no-pdf
	same no-pdf-equals-clean "$t/a/out" "$t/d/out"

	# A service removed: its entry is stale, the rest is rebuilt.
	rm "$pack/services/ae-scotland.md"
	BOARDPACK_DATADIR=$t build removed "$t/a/out" -j 2 --no-pdf
	rm -rf "$t/d/out"
	BOARDPACK_DATADIR=$t build removed-clean "$t/d/out" -j 1 --no-pdf
	same removed-equals-clean "$t/a/out" "$t/d/out"

}

suite full
suite stub "pack_pdf_services: 2"
