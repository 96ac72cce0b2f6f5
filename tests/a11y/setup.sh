# Sourced by tests/a11y.sh and tests/html.sh: makes sure the pinned
# test tools of tests/a11y/package-lock.json (axe-core, playwright-core,
# vnu-jar) are in tests/a11y/node_modules, installing them with npm ci
# when missing.  Lifecycle scripts are not run (--ignore-scripts): no
# tool may fetch a browser or a Java runtime of its own; the Debian
# chromium and java are used.  Sets a11y_dir; returns non-zero (after
# printing why) when the tools cannot be had.
a11y_dir=$(cd "$(dirname "$0")" && pwd)/a11y
a11y_setup() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		echo "node and npm are needed (Node 20)"
		return 1
	fi
	if [ ! -f "$a11y_dir/node_modules/axe-core/axe.min.js" ] ||
	    [ ! -f "$a11y_dir/node_modules/playwright-core/package.json" ] ||
	    [ ! -f "$a11y_dir/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
		(cd "$a11y_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund \
		    --ignore-scripts --loglevel=error >npm-ci.log 2>&1) || {
			echo "npm ci failed in tests/a11y:"
			sed 's/^/    /' "$a11y_dir/npm-ci.log" | tail -n 20
			return 1
		}
		rm -f "$a11y_dir/npm-ci.log"
	fi
	return 0
}
