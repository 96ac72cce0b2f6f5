#!/usr/bin/env node
// Accessibility of a built pack in a real browser (issue 7): opens every
// .html file under OUT from file:// in Debian's headless chromium
// (never a browser that a tool downloads) and runs axe-core with the
// WCAG 2.2 AA tags, plus the structural checks that axe leaves to people:
// one h1, headings in order, a skip link to <main>, every chart SVG with
// <title> and <desc> and a data table, the keyboard focus visible.
// Prints "PASS a11y/<page>" or "FAIL a11y/<page>: ..." per page.
// Usage: node run.js OUT [CHROMIUM]
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];

function pages(dir) {
	const out = [];
	(function walk(d) {
		for (const e of fs.readdirSync(d, { withFileTypes: true })
		    .sort((a, b) => a.name < b.name ? -1 : a.name > b.name)) {
			const p = path.join(d, e.name);
			if (e.isDirectory())
				walk(p);
			else if (e.name.endsWith('.html'))
				out.push(p);
		}
	})(dir);
	return out;
}

// Runs in the page: what axe does not check.
function structure() {
	const bad = [];
	const h = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
	    .filter((e) => !e.closest('svg'));
	if (document.querySelectorAll('h1').length !== 1)
		bad.push(`${document.querySelectorAll('h1').length} h1 elements`);
	let prev = 0;
	for (const e of h) {
		const l = Number(e.tagName[1]);
		if (prev && l > prev + 1)
			bad.push(`heading "${e.textContent.trim().slice(0, 40)}" ` +
			    `skips from h${prev} to h${l}`);
		prev = l;
	}
	if (!/^en/.test(document.documentElement.lang))
		bad.push('no lang on <html>');
	const skip = document.querySelector('a.skip-link');
	if (!skip || document.body.firstElementChild !== skip)
		bad.push('no skip link first in <body>');
	else if (!document.getElementById(skip.hash.slice(1)) ||
	    document.getElementById(skip.hash.slice(1)).tagName !== 'MAIN')
		bad.push('skip link does not lead to <main>');
	for (const l of ['header', 'nav', 'main', 'footer'])
		if (!document.querySelector(l))
			bad.push(`no <${l}> landmark`);
	// Decorative SVGs (the sparkline, icons beside their words) are
	// aria-hidden; every other SVG must carry its own text.
	for (const s of document.querySelectorAll(
	    'svg:not([aria-hidden="true"])')) {
		const t = s.querySelector(':scope > title');
		const d = s.querySelector(':scope > desc');
		if (!t || !t.textContent.trim() || !d || !d.textContent.trim())
			bad.push(`chart SVG ${s.id || ''} without <title> and <desc>`);
	}
	for (const f of document.querySelectorAll('figure.chart'))
		if (!f.querySelector('table'))
			bad.push(`chart ${f.id} without a data table`);
	return bad;
}

// Tabs through the page: every focused element must show a visible
// change (outline, box-shadow or background) against its unfocused look.
async function focusCheck(page) {
	const bad = [];
	const n = await page.evaluate(() => document.querySelectorAll(
	    'a[href], summary, input, button, select, textarea').length);
	const look = () => {
		const e = document.activeElement;
		if (!e || e === document.body)
			return null;
		const s = getComputedStyle(e);
		return { tag: e.tagName, text: (e.textContent || e.value || '')
		    .trim().slice(0, 30), ol: s.outlineStyle !== 'none' &&
		    parseFloat(s.outlineWidth) > 0 && s.outlineColor !==
		    'rgba(0, 0, 0, 0)', bs: s.boxShadow, bg: s.backgroundColor };
	};
	await page.evaluate(() => document.activeElement &&
	    document.activeElement.blur());
	for (let i = 0; i < Math.min(n, 40); i++) {
		await page.keyboard.press('Tab');
		const f = await page.evaluate(look);
		if (f === null)
			break;
		if (!f.ol && f.bs === 'none' && f.bg === 'rgba(0, 0, 0, 0)')
			bad.push(`no visible focus on <${f.tag}> "${f.text}"`);
	}
	return bad;
}

// The offline search (file://, no server): typing a service's title
// narrows the list to pages that contain it; the list starts complete.
async function searchCheck(page) {
	const bad = [];
	const all = await page.evaluate(() => (window.BOARDPACK_INDEX ||
	    []).length);
	const shown = () => page.evaluate(() =>
	    [...document.querySelectorAll('#search-results li a')]
	    .map((a) => a.textContent));
	if (all < 1)
		return ['search: no index loaded from assets/search-index.js'];
	if ((await shown()).length !== all)
		bad.push('search: the list does not start with every page');
	const title = await page.evaluate(() => window.BOARDPACK_INDEX[
	    window.BOARDPACK_INDEX.length - 1].title);
	await page.fill('#search-q', title);
	const hits = await shown();
	if (!hits.includes(title) || hits.length >= all)
		bad.push(`search: typing "${title}" shows ${hits.length} pages`);
	await page.fill('#search-q', 'zzqx-no-such-word');
	if ((await shown()).length !== 0)
		bad.push('search: a word in no page still shows pages');
	await page.fill('#search-q', '');
	return bad;
}

async function main() {
	const dir = process.argv[2];
	const exe = process.argv[3] || '/usr/bin/chromium';
	if (!dir || !fs.existsSync(dir)) {
		console.log(`FAIL a11y: no pack at ${dir}`);
		process.exit(1);
	}
	const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'),
	    'utf8');
	const browser = await chromium.launch({ executablePath: exe,
	    args: ARGS, headless: true });
	let failed = 0;
	try {
		const ctx = await browser.newContext({
		    viewport: { width: 1280, height: 900 } });
		// Nothing may leave the machine: any http(s) request fails.
		await ctx.route(/^https?:/, (r) => {
			r.abort();
		});
		for (const file of pages(dir)) {
			const rel = path.relative(dir, file);
			const page = await ctx.newPage();
			const remote = [];
			page.on('request', (r) => {
				if (/^https?:/.test(r.url()))
					remote.push(r.url());
			});
			await page.goto(pathToFileURL(path.resolve(file)).href,
			    { waitUntil: 'load' });
			await page.addScriptTag({ content: axe });
			const res = await page.evaluate((tags) => window.axe.run(
			    document, { runOnly: { type: 'tag', values: tags },
			    resultTypes: ['violations'] }), TAGS);
			const bad = [];
			for (const v of res.violations)
				for (const nd of v.nodes)
					bad.push(`${v.id} (${v.impact}): ` +
					    `${nd.target.join(' ')}: ` +
					    `${nd.failureSummary.replace(/\s+/g, ' ')}`);
			bad.push(...await page.evaluate(structure));
			bad.push(...await focusCheck(page));
			for (const u of remote)
				bad.push(`loads ${u} from another host`);
			if (rel === 'search.html')
				bad.push(...await searchCheck(page));
			// Narrow screens too: axe again at 390 px (reflow, contrast).
			await page.setViewportSize({ width: 390, height: 844 });
			const narrow = await page.evaluate((tags) => window.axe.run(
			    document, { runOnly: { type: 'tag', values: tags },
			    resultTypes: ['violations'] }), TAGS);
			for (const v of narrow.violations)
				bad.push(`390px: ${v.id}: ${v.nodes.length} nodes`);
			if (bad.length) {
				failed++;
				console.log(`FAIL a11y/${rel}: ${bad.length} problems`);
				for (const b of bad)
					console.log(`  ${b}`);
			} else
				console.log(`PASS a11y/${rel} (axe ${TAGS.join(' ')}: ` +
				    `${res.passes ? res.passes.length : 0} rules, ` +
				    'no violations)');
			await page.close();
		}
	} finally {
		await browser.close();
	}
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL a11y: ${e.message.split('\n')[0]}`);
	process.exit(1);
});
