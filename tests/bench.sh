#!/bin/sh
# make bench: builds a synthetic national pack and prints figures (never
# asserts on time).  Sizes: BENCH_SERVICES (default 1000), BENCH_DAYS
# (1095), BENCH_METRICS (3).  Needs /usr/bin/python3 for the generator.
cd "$(dirname "$0")/.." || exit 2
n=${BENCH_SERVICES:-1000}
days=${BENCH_DAYS:-1095}
met=${BENCH_METRICS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 tests/tools/gen_bench.py "$tmp/pack" "$n" "$days" "$met"
echo "synthetic pack: $n services x $days days x $met metrics"

# run LABEL ARGS...: times one build and reports wall time and peak RSS.
run() {
	label=$1
	shift
	/usr/bin/python3 - "$label" "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
rc = subprocess.call(cmd, stderr=subprocess.DEVNULL)
dt = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%-28s %8.2f s  peak RSS %7.1f MB  exit %d" % (label, dt, rss, rc))
PY
}

run "check" ./boardpack check "$tmp/pack"
run "build -j1 --no-pdf" ./boardpack build "$tmp/pack" -o "$tmp/out1" -q -j 1 --no-pdf
run "build -j2 --no-pdf" ./boardpack build "$tmp/pack" -o "$tmp/out2" -q -j 2 --no-pdf
run "build -j2" ./boardpack build "$tmp/pack" -o "$tmp/out3" -q -j 2
pages=$(find "$tmp/out3" -name '*.html' | wc -l)
pdfs=$(find "$tmp/out3" -name '*.pdf' | wc -l)
echo "pages: $pages, PDFs: $pdfs"
