#!/bin/sh
# Command-line contract (SPEC 2): exit statuses, usage, version.
# Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME STATUS ARGS...: runs BIN ARGS, checks the exit status.
expect() {
	name=$1 want=$2
	shift 2
	$VALGRIND "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		echo "PASS cli/$name"
	else
		echo "FAIL cli/$name: exit $got, want $want"
		cat "$tmp/err"
	fi
}

expect no-args 2
expect help 0 --help
expect version 0 --version
grep -q '^boardpack [0-9]' "$tmp/out" && echo "PASS cli/version-text" ||
    echo "FAIL cli/version-text"
expect unknown-verb 2 frobnicate
expect unknown-option 2 build --frob
expect bad-jobs 2 build -j 0
expect missing-value 2 build -o
expect analyse-needs-json 2 analyse
expect new-no-dir 2 new
expect missing-dir 1 check "$tmp/nope"
expect check-example 0 check ../content
expect analyse-unknown-service 2 analyse ../content --service no-such --json
expect analyse-example 0 analyse ../content --json
if command -v python3 >/dev/null 2>&1 || [ -x /usr/bin/python3 ]; then
	py=/usr/bin/python3; [ -x "$py" ] || py=python3
	if $py -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["services"]' "$tmp/out" 2>/dev/null; then
		echo "PASS cli/analyse-json-parses"
	else
		echo "FAIL cli/analyse-json-parses"
	fi
fi

# A failed build leaves the previous out/ as it was (SPEC 5).
expect build-example 0 build ../content -o "$tmp/out1" -q
cp -r ../content "$tmp/broken"
printf 'title: [unclosed\n' >"$tmp/broken/boardpack.yml"
(cd "$tmp/out1" && find . -type f | sort | xargs cat | cksum) >"$tmp/before"
expect build-broken 1 build "$tmp/broken" -o "$tmp/out1" -q
(cd "$tmp/out1" && find . -type f | sort | xargs cat | cksum) >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && echo "PASS cli/failed-build-keeps-out" ||
    echo "FAIL cli/failed-build-keeps-out"

# Deterministic: -j1 and -j2 give the same bytes.
expect build-j2 0 build ../content -o "$tmp/out2" -q -j 2
diff -r "$tmp/out1" "$tmp/out2" >/dev/null && echo "PASS cli/deterministic-j" ||
    echo "FAIL cli/deterministic-j"

# Refuses to replace a directory it did not create.
mkdir -p "$tmp/foreign" && echo keep >"$tmp/foreign/file"
expect foreign-out 1 build ../content -o "$tmp/foreign" -q
[ "$(cat "$tmp/foreign/file")" = keep ] && echo "PASS cli/foreign-out-untouched" ||
    echo "FAIL cli/foreign-out-untouched"
