#!/bin/sh
# Links and themes of the built site (issue 7).  Builds the example pack
# (content/) in both themes and checks, for every .html file in out/:
# every href, src and form action resolves to a file inside out/; every
# fragment names an id of its target page; ids are unique; nothing is
# loaded from another host (link, script, img, source, iframe, object,
# use: only relative paths; <a href> to http(s) or mailto is allowed).
# Then that --theme and the theme: key of boardpack.yml choose the CSS
# and the chart colours of the SVG and of the PDF.
#   BIN=/abs/path/boardpack sh tests/links.sh
# Prints PASS/FAIL links/<theme>/<page> and theme/<check>.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../boardpack}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
BOARDPACK_DATADIR=${BOARDPACK_DATADIR:-$here/..}
export BOARDPACK_DATADIR
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/links.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

cat >"$tmp/links.py" <<'PYEOF'
import os, sys
from html.parser import HTMLParser
from urllib.parse import urlsplit, unquote

root = os.path.realpath(sys.argv[1])
label = sys.argv[2]
# Elements that make the browser load something: never from elsewhere.
LOADS = {"link": "href", "script": "src", "img": "src", "source": "src",
         "iframe": "src", "object": "data", "embed": "src",
         "audio": "src", "video": "src", "track": "src", "use": "href"}

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs, self.ids, self.dups = [], set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") is not None:
            if a["id"] in self.ids:
                self.dups.append(a["id"])
            self.ids.add(a["id"])
        for k in ("href", "src", "action", "data", "xlink:href", "srcset"):
            if a.get(k) is not None:
                self.refs.append((tag, k, a[k]))
    handle_startendtag = handle_starttag

pages = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith(".html"):
            p = os.path.join(d, f)
            pg = Page()
            with open(p, encoding="utf-8") as fh:
                pg.feed(fh.read())
            pages[os.path.realpath(p)] = pg

fail = 0
for p in sorted(pages):
    pg, rel, bad = pages[p], os.path.relpath(p, root), []
    bad += ["duplicate id %r" % i for i in pg.dups]
    for tag, attr, v in pg.refs:
        u = urlsplit(v)
        if u.scheme or v.startswith("//"):
            if tag in LOADS or tag == "form" or u.scheme not in (
                    "http", "https", "mailto"):
                bad.append("<%s %s=%r> leaves the pack" % (tag, attr, v))
            continue
        target = p
        if u.path:
            target = os.path.realpath(os.path.join(os.path.dirname(p),
                                                   unquote(u.path)))
            if not (target == root or target.startswith(root + os.sep)):
                bad.append("%r points outside out/" % v)
                continue
            if not os.path.isfile(target):
                bad.append("%r: no such file" % v)
                continue
        if u.fragment:
            t = pages.get(target)
            if t is None or unquote(u.fragment) not in t.ids:
                bad.append("%r: no element with that id" % v)
    if bad:
        fail = 1
        print("FAIL links/%s/%s" % (label, rel))
        for b in bad:
            print("  " + b)
    else:
        print("PASS links/%s/%s (%d links)" % (label, rel, len(pg.refs)))
sys.exit(fail)
PYEOF

for theme in nhs govuk; do
	if ! (cd "$here/.." && SOURCE_DATE_EPOCH=0 "$BIN" build content \
	    -o "$tmp/$theme" --theme "$theme" -q) >"$tmp/log" 2>&1; then
		echo "FAIL links/$theme (build failed)"
		sed 's/^/  /' "$tmp/log"
		fail=1
		continue
	fi
	"$PY" "$tmp/links.py" "$tmp/$theme" "$theme" || fail=1
done

# --no-pdf: no page may link a PDF that was not built.
if (cd "$here/.." && "$BIN" build content -o "$tmp/nopdf" --no-pdf -q) \
    >"$tmp/log" 2>&1; then
	"$PY" "$tmp/links.py" "$tmp/nopdf" nopdf || fail=1
else
	echo "FAIL links/nopdf (build failed)"
	fail=1
fi

# The theme drives the CSS and the chart colours (brand blue: NHS
# #005eb8, GOV.UK #1d70b8; in the PDF as RGB fractions).
check() {
	if [ "$2" = ok ]; then
		echo "PASS theme/$1"
	else
		echo "FAIL theme/$1"
		fail=1
	fi
}
has() {
	grep -q -- "$1" "$2" 2>/dev/null && echo ok || echo no
}
hasnt() {
	grep -q -- "$1" "$2" 2>/dev/null && echo no || echo ok
}
n=$tmp/nhs g=$tmp/govuk
check "nhs-css" "$(has '--brand: #005eb8' "$n/assets/style.css")"
check "govuk-css" "$(has '--brand: #1d70b8' "$g/assets/style.css")"
check "govuk-css-not-nhs" "$(hasnt '#005eb8' "$g/assets/style.css")"
check "nhs-svg-colours" "$(has 'stroke="#005eb8"' "$n/services/idva.html")"
check "govuk-svg-colours" "$(has 'stroke="#1d70b8"' "$g/services/idva.html")"
check "govuk-svg-not-nhs" "$(hasnt '#005eb8' "$g/services/idva.html")"
if command -v qpdf >/dev/null 2>&1; then
	qpdf --qdf --object-streams=disable "$g/pdf/idva.pdf" "$tmp/g.pdf" \
	    2>/dev/null
	check "govuk-pdf-colours" "$(has '0.11373 0.43922 0.72157 RG' "$tmp/g.pdf")"
	check "govuk-pdf-not-nhs" "$(hasnt '^0 0.36863 0.72157 RG' "$tmp/g.pdf")"
fi
# theme: in boardpack.yml, overridden by --theme.
cp -R "$here/../content" "$tmp/c"
sed 's/^theme:.*/theme: govuk/' "$here/../content/boardpack.yml" \
    >"$tmp/c/boardpack.yml"
grep -q '^theme:' "$tmp/c/boardpack.yml" ||
    echo 'theme: govuk' >>"$tmp/c/boardpack.yml"
"$BIN" build "$tmp/c" -o "$tmp/y" --no-pdf -q >/dev/null 2>&1
check "yml-theme" "$(has '--brand: #1d70b8' "$tmp/y/assets/style.css")"
"$BIN" build "$tmp/c" -o "$tmp/y2" --theme nhs --no-pdf -q >/dev/null 2>&1
check "option-beats-yml" "$(has '--brand: #005eb8' "$tmp/y2/assets/style.css")"
exit $fail
