#!/bin/sh
# "boardpack new" and "boardpack serve" (issue 7): scaffold a pack, check
# and build it, refuse a non-empty directory; then preview it on loopback
# with --port 0, fetch pages with curl, try path traversal, edit the pack
# and watch it rebuild, break it and watch the previous output stay up,
# and stop the server with SIGTERM.  Every wait is bounded and the server
# is always stopped.  Env: BIN, VALGRIND.  Prints PASS/FAIL lines.
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d)
spid=
cleanup() {
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -TERM "$spid" 2>/dev/null
		sleep 1
		kill -KILL "$spid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

pass() { echo "PASS serve/$1"; }
fail() { echo "FAIL serve/$1${2:+: $2}"; }
# is NAME GOT WANT: PASS if equal.
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got \"$2\", want \"$3\""; fi
}
# run ARGS...: runs BIN, status in $rc, stderr in $tmp/err.
run() {
	$VALGRIND "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# ---- boardpack new ----------------------------------------------------
pack=$tmp/parent/sub/pack
run new "$pack"
is new-exit "$rc" 0
n=0
for f in boardpack.yml index.md services/helpline.md services/survey.md \
    data/helpline_daily.csv data/survey_monthly.csv; do
	[ -s "$pack/$f" ] && n=$((n + 1))
done
is new-files "$n" 6
grep -q "boardpack build $pack -o out" "$tmp/err" && pass new-next-steps ||
    fail new-next-steps "$(cat "$tmp/err")"
grep -q '^title:' "$pack/boardpack.yml" && grep -q '^date:' "$pack/boardpack.yml" &&
    grep -q '^theme:' "$pack/boardpack.yml" && pass new-config-keys ||
    fail new-config-keys
run check "$pack"
is new-check "$rc" 0
[ -s "$tmp/err" ] && cat "$tmp/err"
run build "$pack" -o "$tmp/built" -q
is new-build "$rc" 0
[ -f "$tmp/built/services/helpline.html" ] &&
    [ -f "$tmp/built/services/survey.html" ] && pass new-build-pages ||
    fail new-build-pages
grep -q '"simulation": {' "$tmp/built/analysis.json" && pass new-has-simulation ||
    fail new-has-simulation

run new "$tmp/again"
diff -r "$pack" "$tmp/again" >/dev/null && pass new-deterministic ||
    fail new-deterministic

mkdir -p "$tmp/empty"
run new "$tmp/empty"
is new-empty-dir "$rc" 0

mkdir -p "$tmp/full"
echo keep >"$tmp/full/notes.txt"
run new "$tmp/full"
is new-non-empty "$rc" 1
grep -q 'not empty' "$tmp/err" && pass new-non-empty-message ||
    fail new-non-empty-message "$(cat "$tmp/err")"
[ "$(cat "$tmp/full/notes.txt")" = keep ] && [ ! -e "$tmp/full/boardpack.yml" ] &&
    pass new-non-empty-untouched || fail new-non-empty-untouched
echo x >"$tmp/plainfile"
run new "$tmp/plainfile"
is new-over-file "$rc" 1
run new
is new-no-dir "$rc" 2
run new "$tmp/a" "$tmp/b"
is new-extra-arg "$rc" 2
run new --frob "$tmp/c"
is new-unknown-option "$rc" 2
[ ! -e "$tmp/a" ] && [ ! -e "$tmp/c" ] && pass new-usage-writes-nothing ||
    fail new-usage-writes-nothing

# ---- boardpack serve: usage -------------------------------------------
run serve "$pack" --port http
is serve-bad-port "$rc" 2
run serve "$pack" --host localhost.example
is serve-bad-host "$rc" 2
run serve "$pack" --frob
is serve-unknown-option "$rc" 2
run serve "$tmp/no-such-pack" --port 0
is serve-missing-dir "$rc" 1

if ! command -v curl >/dev/null 2>&1; then
	fail serve-curl "curl is not installed (make deps)"
	exit 0
fi

# ---- boardpack serve: a live server -----------------------------------
site=$tmp/site
: >"$tmp/serve.err"
$VALGRIND "$BIN" serve "$pack" --port 0 -o "$site" >"$tmp/serve.out" \
    2>"$tmp/serve.err" &
spid=$!
port=
i=0
while [ $i -lt 300 ] && kill -0 "$spid" 2>/dev/null; do	# 30 s
	port=$(sed -n 's,^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/ (Ctrl-C to stop)$,\1,p' \
	    "$tmp/serve.err")
	[ -n "$port" ] && break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ]; then
	fail serve-starts "no \"serving\" line: $(cat "$tmp/serve.err")"
	exit 0
fi
pass serve-starts
base=http://127.0.0.1:$port

# get PATH [CURL ARGS...]: prints "CODE CONTENT-TYPE"; body in $tmp/body.
get() {
	p=$1
	shift
	curl -s --noproxy '*' --max-time 10 --path-as-is -o "$tmp/body" \
	    -w '%{http_code} %{content_type}' "$@" "$base$p"
}

is get-home "$(get /)" "200 text/html; charset=utf-8"
grep -q 'Helpline and Client Experience' "$tmp/body" && pass get-home-body ||
    fail get-home-body
is get-service "$(get /services/helpline.html)" "200 text/html; charset=utf-8"
grep -q 'Advice Helpline' "$tmp/body" && pass get-service-body ||
    fail get-service-body
is get-css "$(get /assets/style.css)" "200 text/css; charset=utf-8"
is get-json "$(get /analysis.json)" "200 application/json"
is get-csv "$(get /data/helpline.csv)" "200 text/csv; charset=utf-8"
if [ -f "$site/pdf/helpline.pdf" ]; then
	is get-pdf "$(get /pdf/helpline.pdf)" "200 application/pdf"
fi
is get-dir-redirect "$(get /services | cut -c1-3)" 301
is get-missing "$(get /no-such-page.html | cut -c1-3)" 404
is head "$(get / -I | cut -c1-3)" 200
is post-refused "$(get / -X POST -d x=1 | cut -c1-3)" 405
is hidden-file "$(get /.boardpack | cut -c1-3)" 403

# Traversal: plain, encoded, and through a symlink out of the site.
for t in /../../../../etc/passwd /services/../../boardpack.yml \
    /%2e%2e/%2e%2e/%2e%2e/etc/passwd /services/%2E%2E/%2e%2e/boardpack.yml \
    /%2e%2e%2f%2e%2e%2fetc/passwd /..%5c..%5cetc/passwd; do
	code=$(get "$t" | cut -c1-3)
	case $code in
	403 | 404) pass "traversal$t" ;;
	*) fail "traversal$t" "status $code" ;;
	esac
done
ln -s "$pack/boardpack.yml" "$site/leak.html"
code=$(get /leak.html | cut -c1-3)
case $code in
403 | 404) pass traversal-symlink ;;
*) fail traversal-symlink "status $code" ;;
esac
rm -f "$site/leak.html"

status=$(get /_boardpack/status)
is status-type "$status" "200 application/json"
grep -q '"ok": true' "$tmp/body" && pass status-ok || fail status-ok

# wait_for PATH PATTERN: up to 10 s until PATH's body matches PATTERN.
wait_for() {
	j=0
	while [ $j -lt 50 ]; do
		get "$1" >/dev/null
		grep -q "$2" "$tmp/body" && return 0
		sleep 0.2
		j=$((j + 1))
	done
	return 1
}

sed 's/^title: Advice Helpline$/title: Renamed Helpline Seven/' \
    "$pack/services/helpline.md" >"$tmp/helpline.md" &&
    cat "$tmp/helpline.md" >"$pack/services/helpline.md"
wait_for /services/helpline.html 'Renamed Helpline Seven' &&
    pass rebuild-on-change || fail rebuild-on-change "$(cat "$tmp/serve.err")"

cp "$pack/boardpack.yml" "$tmp/boardpack.yml.good"
printf 'title: [unclosed\n' >"$pack/boardpack.yml"
wait_for /_boardpack/status '"ok": false' && pass broken-reported ||
    fail broken-reported "$(cat "$tmp/body")"
grep -q 'boardpack.yml:[0-9]*:[0-9]*: error' "$tmp/body" &&
    pass broken-status-errors || fail broken-status-errors
is broken-still-serves "$(get /services/helpline.html)" "200 text/html; charset=utf-8"
grep -q 'Renamed Helpline Seven' "$tmp/body" && pass broken-keeps-previous ||
    fail broken-keeps-previous
grep -q 'last build failed' "$tmp/body" && pass broken-banner ||
    fail broken-banner
grep -q 'boardpack.yml:[0-9]*:[0-9]*: error' "$tmp/serve.err" &&
    pass broken-stderr || fail broken-stderr
cp "$tmp/boardpack.yml.good" "$pack/boardpack.yml"
wait_for /_boardpack/status '"ok": true' && pass recovers || fail recovers

# SIGTERM: a clean exit 0 within 30 s.
kill -TERM "$spid"
i=0
while [ $i -lt 300 ] && kill -0 "$spid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$spid" 2>/dev/null; then
	fail sigterm-exits "still running after 30 s"
else
	wait "$spid"
	is sigterm-exit-0 "$?" 0
fi
spid=
grep -q 'ERROR\|LeakSanitizer\|runtime error' "$tmp/serve.err" &&
    fail serve-sanitizers "$(cat "$tmp/serve.err")" || pass serve-sanitizers
