#!/bin/sh
# Valid HTML5 (issue 7): builds the example pack (content/) and checks
# every page, the SVG inside it and the stylesheet with the Nu HTML
# Checker (vnu-jar, pinned in tests/a11y/package-lock.json; run with
# Debian's java), warnings counted as errors.
#   BIN=/abs/path/boardpack sh tests/html.sh
# Prints PASS/FAIL html/<page> and the checker's messages.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../boardpack}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
BOARDPACK_DATADIR=${BOARDPACK_DATADIR:-$here/..}
export BOARDPACK_DATADIR
. "$here/a11y/setup.sh"

if ! command -v java >/dev/null 2>&1; then
	echo "FAIL html: java not found (make deps installs default-jre-headless)"
	exit 1
fi
if ! why=$(a11y_setup); then
	echo "FAIL html: $why"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/html.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out
if ! (cd "$here/.." && SOURCE_DATE_EPOCH=0 "$BIN" build content -o "$out" \
    -q) >"$tmp/log" 2>&1; then
	echo "FAIL html (build failed)"
	sed 's/^/  /' "$tmp/log"
	exit 1
fi
pages=$(cd "$out" && find . -name '*.html' | sed 's|^\./||' | LC_ALL=C sort)
css=$(cd "$out" && find . -name '*.css' | sed 's|^\./||' | LC_ALL=C sort)
files="$pages $css"
vnu="java -jar $a11y_dir/node_modules/vnu-jar/build/dist/vnu.jar"
# One JVM per kind; gnu format: "file:/abs/path":line.col-line.col: type: msg
(cd "$out" && $vnu --format gnu --Werror --also-check-svg --stdout $pages) \
    >"$tmp/vnu" 2>&1
rc=$?
(cd "$out" && $vnu --format gnu --Werror --css --stdout $css) \
    >>"$tmp/vnu" 2>&1 || rc=$?
fail=0
for f in $files; do
	if grep -F "/$f\":" "$tmp/vnu" >"$tmp/msg"; then
		echo "FAIL html/$f"
		sed 's/^/  /' "$tmp/msg"
		fail=1
	else
		echo "PASS html/$f (Nu HTML Checker: no errors or warnings)"
	fi
done
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "FAIL html: the checker exited $rc"
	sed 's/^/  /' "$tmp/vnu"
	fail=1
fi
exit $fail
