#!/bin/sh
# PDF briefings (SPEC 5) checked with the poppler and qpdf tools: builds
# the example pack with "$BIN build content -o <tmp>" and, for every
# out/pdf/*.pdf: qpdf --check passes, every font is embedded, every page
# is A4 portrait, no raster images, the text layer holds the service
# title (and a £ figure where the page's Markdown has one), and a
# service briefing stays under 150 KB.  The pack PDF must hold every
# service title.  Prints PASS/FAIL lines.
# Env: BIN (absolute path of boardpack); PDFDIR (optional) checks an
# existing directory of PDFs instead of building.
cd "$(dirname "$0")/.." || exit 2
CONTENT=${CONTENT:-content}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in qpdf pdffonts pdfinfo pdftotext pdfimages; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL pdf: $tool is not installed (make deps)"
		exit 0
	fi
done

if [ -n "$PDFDIR" ]; then
	dir=$PDFDIR
else
	if ! "$BIN" build "$CONTENT" -o "$tmp/out" -q >"$tmp/log" 2>&1; then
		cat "$tmp/log"
		echo "FAIL pdf: build"
		exit 0
	fi
	dir=$tmp/out/pdf
	if [ ! -d "$dir" ]; then
		echo "note: pdf: $BIN wrote no out/pdf/ (PDFs not wired in yet); skipped"
		exit 0
	fi
fi

# Title of a service from its front matter.
title_of() {
	sed -n '2,/^---/s/^title: *//p' "$CONTENT/services/$1.md" | head -n 1 |
	    sed 's/^"\(.*\)"$/\1/; s/^'"'"'\(.*\)'"'"'$/\1/'
}

# Text layer on one line with single spaces.
text_of() {
	pdftotext "$1" - 2>/dev/null | tr '\n\f' '  ' | tr -s ' '
}

check() {
	if [ "$1" = 0 ]; then
		echo "PASS pdf/$2"
	else
		echo "FAIL pdf/$2${3:+: $3}"
	fi
}

n=0
for f in "$dir"/*.pdf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	b=$(basename "$f" .pdf)

	qpdf --check "$f" >"$tmp/qpdf" 2>&1
	check $? "$b qpdf --check" "$(tail -n 3 "$tmp/qpdf")"

	pdffonts "$f" 2>/dev/null | tail -n +3 >"$tmp/fonts"
	awk 'END { exit NR == 0 } { if ($(NF - 4) != "yes") exit 1 }' \
	    "$tmp/fonts"
	check $? "$b fonts embedded" "$(cat "$tmp/fonts")"

	pages=$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Pages: *//p')
	pdfinfo -f 1 -l "${pages:-1}" "$f" 2>/dev/null |
	    grep '^Page *[0-9]* size:' >"$tmp/sizes"
	[ -s "$tmp/sizes" ] && ! grep -v '595.276 x 841.89' "$tmp/sizes" \
	    >/dev/null
	check $? "$b A4 portrait" "$(grep -v '595.276 x 841.89' "$tmp/sizes" | head -n 1)"

	imgs=$(pdfimages -list "$f" 2>/dev/null | tail -n +3 | wc -l)
	check "$imgs" "$b no raster images" "$imgs images"

	text_of "$f" >"$tmp/text"
	if [ -f "$CONTENT/services/$b.md" ]; then
		t=$(title_of "$b")
		grep -F -- "$t" "$tmp/text" >/dev/null
		check $? "$b text has the title" "\"$t\" not found"
		if sed '1,/^---$/d' "$CONTENT/services/$b.md" |
		    grep '£[0-9]' >/dev/null; then
			grep '£[0-9]' "$tmp/text" >/dev/null
			check $? "$b text has £ figures"
		fi
		size=$(wc -c <"$f")
		[ "$size" -lt 153600 ]
		check $? "$b under 150 KB ($size bytes)"
	else
		# The pack: every service title and the £ figures.
		missing=
		for s in "$CONTENT"/services/*.md; do
			t=$(title_of "$(basename "$s" .md)")
			grep -F -- "$t" "$tmp/text" >/dev/null ||
			    missing="$missing \"$t\""
		done
		[ -z "$missing" ]
		check $? "$b pack has every service title" "missing$missing"
		grep '£[0-9]' "$tmp/text" >/dev/null
		check $? "$b pack text has £ figures"
		grep -F 'Contents' "$tmp/text" >/dev/null
		check $? "$b pack has a contents page"
	fi
done
[ "$n" -gt 0 ]
check $? "PDFs written ($n)"
