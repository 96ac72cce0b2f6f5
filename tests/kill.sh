#!/bin/sh
# tests/kill.sh: atomic output (SPEC 5).  Builds a larger generated pack
# (the example pack, every service four times) into out once, then
# starts builds into the same out (-j 1, so slower) and SIGKILLs them at
# delays spread over a build's duration.  After each kill out/ must be
# byte-identical to before (the input is unchanged and the build
# deterministic, so a build that completed gives the same tree too).
# Then: a build after the kills succeeds despite any leftover
# out.tmp.* / out.old.* directories; leftovers are boardpack's own
# (marked with .boardpack, or empty); a foreign out.tmp.* directory is
# never deleted; a build into a fresh parent creates nothing there but
# out.  Env: BIN, VALGRIND (ignored: timing).  Prints PASS/FAIL lines.
: "${BIN:?set BIN to the boardpack binary}"
cd "$(dirname "$0")" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sum DIR: one line per path (type, mode, checksum), sorted; "missing"
# when DIR does not exist.
sum() {
	[ -d "$1" ] || { echo missing; return; }
	(cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
		if [ -f "$f" ]; then
			printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" \
			    "$(cksum <"$f")"
		else
			printf '%s %s\n' "$f" "$(stat -c %F "$f")"
		fi
	done) | cksum
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The pack: the example, each service copied three more times.
cp -R ../content "$tmp/pack"
for f in "$tmp"/pack/services/*.md; do
	for k in 2 3 4; do
		sed "s/^title: \(.*\)/title: \1 ($k)/" "$f" >"${f%.md}-$k.md"
	done
done
mkdir "$tmp/p"
out=$tmp/p/out

t0=$(now_ms)
if ! "$BIN" build "$tmp/pack" -o "$out" -q -j 1 2>"$tmp/err"; then
	echo "FAIL kill/first-build"
	cat "$tmp/err"
	exit 1
fi
t=$(($(now_ms) - t0))
echo "PASS kill/first-build (${t} ms)"
before=$(sum "$out")

# A foreign directory that only looks like a temporary one.
mkdir "$tmp/p/out.tmp.foreign" && echo keep >"$tmp/p/out.tmp.foreign/file"

# Kill points: 10 spread over the build, 2 close to its end (the swap).
bad=0
for pm in 50 150 250 350 450 550 650 750 850 950 980 995; do
	d=$((t * pm / 1000))
	"$BIN" build "$tmp/pack" -o "$out" -q -j 1 >/dev/null 2>&1 &
	pid=$!
	sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	after=$(sum "$out")
	if [ "$after" != "$before" ]; then
		echo "FAIL kill/out-intact after a kill at ${d} ms"
		ls -la "$tmp/p"
		bad=1
	fi
done
[ "$bad" -eq 0 ] && echo "PASS kill/out-intact (12 kills)"

left=$(find "$tmp/p" -mindepth 1 -maxdepth 1 \( -name 'out.tmp.*' -o \
    -name 'out.old.*' \) ! -name out.tmp.foreign | wc -l)
echo "PASS kill/leftovers-counted ($left out.tmp.*/out.old.* after the kills)"

if "$BIN" build "$tmp/pack" -o "$out" -q -j 2 2>"$tmp/err" &&
    [ "$(sum "$out")" = "$before" ]; then
	echo "PASS kill/build-after-kills"
else
	echo "FAIL kill/build-after-kills"
	cat "$tmp/err"
fi

ok=1
for d in "$tmp"/p/out.tmp.* "$tmp"/p/out.old.*; do
	[ -d "$d" ] || continue
	[ "$d" = "$tmp/p/out.tmp.foreign" ] && continue
	if [ ! -f "$d/.boardpack" ] && [ -n "$(ls -A "$d")" ]; then
		echo "FAIL kill/leftovers-are-ours: $d has no .boardpack"
		ok=0
	fi
done
[ "$ok" -eq 1 ] && echo "PASS kill/leftovers-are-ours"

# Stale temporary directories of killed builds (carrying .boardpack) are
# removed by the next build; foreign ones are left alone.
left=$(find "$tmp/p" -mindepth 1 -maxdepth 1 \( -name 'out.tmp.*' -o \
    -name 'out.old.*' \) ! -name out.tmp.foreign | wc -l)
if [ "$left" -eq 0 ]; then
	echo "PASS kill/stale-temp-cleaned"
else
	echo "FAIL kill/stale-temp-cleaned: $left left after a good build"
fi

if [ "$(cat "$tmp/p/out.tmp.foreign/file" 2>/dev/null)" = keep ]; then
	echo "PASS kill/foreign-temp-untouched"
else
	echo "FAIL kill/foreign-temp-untouched"
fi

# Nothing is written outside out: a fresh parent holds only out.
mkdir "$tmp/fresh"
if "$BIN" build "$tmp/pack" -o "$tmp/fresh/out" -q 2>"$tmp/err" &&
    [ "$(ls -A "$tmp/fresh")" = out ]; then
	echo "PASS kill/nothing-outside-out"
else
	echo "FAIL kill/nothing-outside-out: $(ls -A "$tmp/fresh")"
fi

# A second build over it still leaves only out.
if "$BIN" build "$tmp/pack" -o "$tmp/fresh/out" -q 2>"$tmp/err" &&
    [ "$(ls -A "$tmp/fresh")" = out ]; then
	echo "PASS kill/nothing-outside-out-rebuild"
else
	echo "FAIL kill/nothing-outside-out-rebuild: $(ls -A "$tmp/fresh")"
fi
