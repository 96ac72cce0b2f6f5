#!/bin/sh
# Accessibility in a real browser (issue 7): builds the example pack
# (content/) in both themes and opens every page in Debian's headless
# chromium with axe-core and the WCAG 2.2 AA tags (tests/a11y/run.js),
# plus one h1, headings in order, skip link, landmarks, chart text and
# tables, visible keyboard focus, nothing loaded from another host.
#   BIN=/abs/path/boardpack sh tests/a11y.sh
# Prints PASS/FAIL a11y/<theme>/<page>; a missing chromium is a FAIL.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../boardpack}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
BOARDPACK_DATADIR=${BOARDPACK_DATADIR:-$here/..}
export BOARDPACK_DATADIR
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
. "$here/a11y/setup.sh"

if [ ! -x "$CHROMIUM" ]; then
	echo "FAIL a11y: $CHROMIUM not found (make deps installs Debian's chromium)"
	exit 1
fi
if ! why=$(a11y_setup); then
	echo "FAIL a11y: $why"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/a11y.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for theme in nhs govuk; do
	if ! (cd "$here/.." && SOURCE_DATE_EPOCH=0 "$BIN" build content \
	    -o "$tmp/$theme" --theme "$theme" -q) >"$tmp/log" 2>&1; then
		echo "FAIL a11y/$theme (build failed)"
		sed 's/^/  /' "$tmp/log"
		fail=1
		continue
	fi
	HOME=$tmp node "$a11y_dir/run.js" "$tmp/$theme" "$CHROMIUM" \
	    >"$tmp/log" 2>&1 || fail=1
	sed "s#^\(PASS\|FAIL\) a11y#\1 a11y/$theme#" "$tmp/log"
	# A crash before any page was judged must still count as a FAIL.
	grep -q '^FAIL ' "$tmp/log" || grep -q '^PASS ' "$tmp/log" ||
	    echo "FAIL a11y/$theme: run.js printed no result"
done
exit $fail
