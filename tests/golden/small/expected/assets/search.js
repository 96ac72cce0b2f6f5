/*
 * boardpack offline search: filters the pack's pages as you type, from
 * the index that the build writes into assets/search-index.js
 * (window.BOARDPACK_INDEX).  No framework, no network, works from
 * file://.  Without JavaScript the search page lists every page instead.
 */
(function () {
	"use strict";
	var index = window.BOARDPACK_INDEX;
	var form = document.getElementById("search-form");
	var input = document.getElementById("search-q");
	var list = document.getElementById("search-results");
	var status = document.getElementById("search-status");
	if (!index || !form || !input || !list || !status)
		return;
	var root = form.getAttribute("data-root") || "";

	function norm(s) {
		return String(s || "").toLowerCase();
	}
	function haystack(e) {
		return norm([e.title, e.owner, e.domain,
		    (e.measures || []).join(" "), e.text].join(" "));
	}
	function el(tag, cls, text) {
		var n = document.createElement(tag);
		if (cls)
			n.className = cls;
		if (text)
			n.textContent = text;
		return n;
	}
	function show() {
		var words = norm(input.value).split(/\s+/).filter(Boolean);
		var hits = index.filter(function (e) {
			var h = haystack(e);
			return words.every(function (w) {
				return h.indexOf(w) !== -1;
			});
		});
		while (list.firstChild)
			list.removeChild(list.firstChild);
		hits.forEach(function (e) {
			var li = el("li"), a = el("a", null, e.title);
			var facts = [e.owner, e.domain].filter(Boolean).join(", ");
			a.href = root + e.url;
			li.appendChild(a);
			if (facts)
				li.appendChild(el("span", "sub", facts));
			if (e.measures && e.measures.length)
				li.appendChild(el("span", "sub", "Measures: " +
				    e.measures.join("; ")));
			if (e.text)
				li.appendChild(el("span", "search-text",
				    e.text + "\u2026"));
			list.appendChild(li);
		});
		status.textContent = words.length === 0 ?
		    "Showing all " + hits.length + " pages." :
		    hits.length === 0 ? "No pages match \u201c" + input.value +
		    "\u201d." : hits.length + (hits.length === 1 ? " page matches" :
		    " pages match") + " \u201c" + input.value + "\u201d.";
	}
	var q = /[?&]q=([^&#]*)/.exec(window.location.search);
	if (q) {
		try {
			input.value = decodeURIComponent(q[1].replace(/\+/g, " "));
		} catch (err) {
			input.value = "";
		}
	}
	input.addEventListener("input", show);
	form.addEventListener("submit", function (ev) {
		ev.preventDefault();
		show();
	});
	show();
}());
