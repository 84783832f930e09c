"""The HTML page's inline style sheet and script (kept apart from the markup code).

The script is a progressive enhancement: without it the league table stays in rank order.
Its SHA-256 goes into the page's Content-Security-Policy, so it is the only script that can
run there.
"""

from __future__ import annotations

__all__ = ["CSS", "SCRIPT"]

CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--accent:#0969da;--done:#1a7f37;
--track:#e6ebf1;--target:#cf222e}
*{box-sizing:border-box}
body{margin:0 auto;max-width:62rem;padding:1.5rem 1.25rem 3rem;color:var(--ink);
background:#fff;font:16px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Arial,
sans-serif}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid
var(--line)}
.subtitle{color:var(--muted);margin:0 0 1.25rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;
margin:0}
.figures>div{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem}
.figures dt{color:var(--muted);font-size:.85rem}
.figures dd{margin:0;font-size:1.8rem;font-weight:650;font-variant-numeric:tabular-nums}
.figures .span{display:block;font-size:.8rem;color:var(--muted);font-weight:400}
.summary p{margin:.4rem 0;max-width:48rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:.8rem;
padding-top:.5rem}
th,td{padding:.4rem .55rem;border-bottom:1px solid var(--line);text-align:left;
vertical-align:middle}
thead th{font-size:.8rem;color:var(--muted);font-weight:600;border-bottom:2px solid
var(--ink);vertical-align:bottom}
tbody th{font-weight:500;white-space:nowrap}
.num{text-align:right;white-space:nowrap}
tfoot th,tfoot td{font-weight:700;border-top:2px solid var(--ink);border-bottom:0}
thead button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;
text-align:inherit}
thead button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
thead button::after{content:" \\2195";opacity:.35}
th[aria-sort=ascending] button::after{content:" \\25B2";opacity:1}
th[aria-sort=descending] button::after{content:" \\25BC";opacity:1}
.meter{display:inline-block;width:4.5rem;height:.5rem;margin-right:.45rem;border-radius:.25rem;
background:var(--track);overflow:hidden;vertical-align:middle}
.meter>span{display:block;height:100%;background:var(--accent)}
.done .meter>span{background:var(--done)}
.figures .meter{display:block;width:100%;margin:.35rem 0 0}
.pct{display:inline-block;min-width:4.8em;text-align:right}
.mark{display:inline-block;width:1.1em;color:var(--done);font-weight:700;text-align:right}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
figure{margin:1rem 0 1.75rem}
figcaption{color:var(--muted);font-size:.85rem;margin-top:.25rem}
svg.chart{display:block;width:100%;height:auto;max-width:48rem}
svg.chart text{font-size:12px;fill:var(--ink)}
svg.chart .tick{fill:var(--muted)}
svg.chart .grid{stroke:#eef1f4}
svg.chart .axis{stroke:#8c959f}
svg.chart .series{fill:none;stroke:var(--accent);stroke-width:2.5;stroke-linejoin:round}
svg.chart .series-end{fill:var(--accent)}
svg.chart .series-label{font-weight:700}
svg.chart .target,svg.chart .hundred{stroke:var(--target);stroke-width:1.5;
stroke-dasharray:6 4}
svg.chart .target-label{fill:var(--target)}
svg.chart .bar{fill:var(--accent)}
svg.chart .bar.done{fill:var(--done)}
footer{margin-top:2.5rem;padding-top:.75rem;border-top:1px solid var(--line);
color:var(--muted);font-size:.8rem}
footer p{margin:.2rem 0}
footer code{word-break:break-all}
@page{size:A4;margin:14mm 12mm}
@media print{
body{max-width:none;padding:0;font-size:10pt}
h2{break-after:avoid}
tr,figure,.figures>div{break-inside:avoid}
thead th button::after,thead th[aria-sort] button::after{content:none}
.scroll{overflow:visible}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""

# Progressive enhancement: without it the table stays in rank order. Names sort with the
# browser's CLDR Vietnamese collation, or the server's order where Intl is missing.
SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("league");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var lang = document.documentElement.lang || "vi";
  var collator = (typeof Intl === "object" && Intl.Collator) ? new Intl.Collator(lang) : null;
  function key(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-sort");
    if (raw === null || raw === "") { return null; }
    if (type === "name" && collator) { return cell.textContent.trim(); }
    if (type === "number" || type === "name") { return Number(raw); }
    return raw;
  }
  function compare(a, b, type) {
    if (type === "name" && collator) { return collator.compare(a, b); }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  function sortBy(index) {
    var th = heads[index];
    var type = th.getAttribute("data-type");
    var first = th.getAttribute("data-first");
    var current = th.getAttribute("aria-sort");
    var dir = current === first ? (first === "ascending" ? "descending" : "ascending") : first;
    var sign = dir === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r, s) {
      var a = key(r, index, type), b = key(s, index, type);
      if (a === null || b === null) {
        if (a !== b) { return a === null ? 1 : -1; }
      } else {
        var c = compare(a, b, type);
        if (c !== 0) { return sign * c; }
      }
      return Number(r.getAttribute("data-order")) - Number(s.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
  }
  Array.prototype.forEach.call(heads, function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(index); });
  });
}());
"""
