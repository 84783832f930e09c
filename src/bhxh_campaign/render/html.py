"""The report as one self-contained HTML page, to share by email or chat and open offline.

The page has no network access at all: CSS and a small script are inline, the charts are
inline SVG, and a Content-Security-Policy forbids anything else. It reads without
JavaScript (the league table is in rank order); with it, clicking a column header sorts
the table. Every value is HTML-escaped: unit names come from input files.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import load_campaign
    >>> bundle = load_campaign("examples/bac_giang_2023")
    >>> page = report_html(bundle.report(dt.date(2023, 5, 18)), "en", version="0.1.0")
    >>> page.startswith('<!DOCTYPE html>\\n<html lang="en">'), "58.69%" in page
    (True, True)
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from html import escape
from pathlib import Path

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render._collate import vi_sort_key
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.render._html_assets import CSS, SCRIPT
from bhxh_campaign.render._notes import exclusion_label, note_text
from bhxh_campaign.render._svg import completion_svg, cumulative_svg
from bhxh_campaign.render.columns import COLUMNS, Column, Exact, column
from bhxh_campaign.render.text import bulletin
from bhxh_campaign.report import CampaignReport, DistrictProgress
from bhxh_campaign.stock import StockPosition

__all__ = ["fingerprint_files", "report_html", "report_iframe"]

_TEXT = {
    "vi": {
        "title": "Báo cáo tiến độ",
        "subtitle": "Tiến độ vận động tham gia BHXH tự nguyện, tính đến hết ngày {day}",
        "figures": "Số liệu chính",
        "actual": "Người tham gia mới",
        "percent": "Tỷ lệ hoàn thành",
        "window": "{days} ngày gần nhất",
        "window_span": "từ {start} đến {end}, tính cả hai ngày",
        "summary": "Tóm tắt",
        "league": "Bảng xếp hạng các đơn vị",
        "league_caption": (
            "Xếp theo số người tham gia mới. Bấm vào tiêu đề cột để sắp xếp lại; "
            "✓ là đơn vị đã hoàn thành kế hoạch (100%)."
        ),
        "total": "Tổng cộng",
        "reached": "đã hoàn thành kế hoạch",
        "charts": "Biểu đồ",
        "excluded": "Bản ghi không được tính",
        "excluded_none": "Không có bản ghi nào bị loại.",
        "reason": "Lý do",
        "records": "Số bản ghi",
        "notes": "Ghi chú",
        "as_of": "Số liệu tính đến hết ngày {day}.",
        "fingerprint": "Dấu vân tay dữ liệu đầu vào",
        "made_by": "Tạo bởi bhxh_campaign {version}.",
    },
    "en": {
        "title": "Progress report",
        "subtitle": "Voluntary social-insurance enrollment, as of the end of {day}",
        "figures": "Headline figures",
        "actual": "New participants",
        "percent": "Completion",
        "window": "Last {days} days",
        "window_span": "{start} to {end}, both included",
        "summary": "Summary",
        "league": "{Unit} league table",
        "league_caption": (
            "Ordered by new participants. Click a column header to sort; "
            "✓ marks {units} that have reached their target (100%)."
        ),
        "total": "Total",
        "reached": "target reached",
        "charts": "Charts",
        "excluded": "Records not counted",
        "excluded_none": "No record was set aside.",
        "reason": "Reason",
        "records": "Records",
        "notes": "Notes",
        "as_of": "Figures through the end of {day}.",
        "fingerprint": "Input data fingerprint",
        "made_by": "Made with bhxh_campaign {version}.",
    },
}

_COMPLETION = column("percent")
"""The completion column, drawn with a meter and the ✓ of a reached target."""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _library_version() -> str:
    # importlib.metadata costs tens of milliseconds: read the version only for a page.
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("bhxh-campaign")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _meter(percent: Decimal) -> str:
    """A small bar, full at 100% (the text beside it carries the value)."""
    width = min(percent, Decimal(100))
    return f'<span class="meter" aria-hidden="true"><span style="width:{width}%"></span></span>'


def _progress(percent: Decimal, lang: Lang, *, reached: bool) -> str:
    """A bar, the percent in a fixed-width slot, and a slot for the ✓ of a reached target."""
    mark = (
        f'<span aria-hidden="true">✓</span><span class="sr-only"> {_e(_TEXT[lang]["reached"])}'
        "</span>"
        if reached
        else ""
    )
    value = f'<span class="pct">{_e(pct(percent, lang))}</span>'
    return f'{_meter(percent)}{value}<span class="mark">{mark}</span>'


def _sort_key(value: Exact) -> str:
    """The ``data-sort`` of a cell: numbers exact enough to order, dates ISO, blank for None."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        return repr(float(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _num(c: Column, extra: str = "") -> str:
    classes = " ".join(name for name in ("num" if c.numeric else "", extra) if name)
    return f' class="{classes}"' if classes else ""


def _cell(
    c: Column, report: CampaignReport, row: DistrictProgress, name_key: int, lang: Lang
) -> str:
    value = c.get(report, row)
    if c.kind == "name":
        return f'<th scope="row" data-sort="{name_key}">{_e(c.text(value, lang))}</th>'
    if c is _COMPLETION:
        done = "done" if row.reached else ""
        shown = _progress(row.percent, lang, reached=row.reached)
        return f'<td{_num(c, done)} data-sort="{_sort_key(value)}">{shown}</td>'
    return f'<td{_num(c)} data-sort="{_e(_sort_key(value))}">{_e(c.text(value, lang))}</td>'


def _total_cell(c: Column, report: CampaignReport, lang: Lang) -> str:
    value = c.get_total(report, lang)
    if c.total is None:
        return "<td></td>"
    if c.kind == "name":
        return f'<th scope="row">{_e(c.text(value, lang))}</th>'
    if c is _COMPLETION:
        return f"<td{_num(c)}>{_progress(report.total.percent, lang, reached=False)}</td>"
    return f"<td{_num(c)}>{_e(c.text(value, lang))}</td>"


def _league(report: CampaignReport, lang: Lang) -> str:
    t = _TEXT[lang]
    by_name = sorted(report.units, key=lambda r: (vi_sort_key(r.name), r.code))
    name_keys = {r.code: i for i, r in enumerate(by_name)}
    heads = []
    for i, c in enumerate(COLUMNS):
        kind = "name" if c.kind == "name" else "number" if c.numeric else "text"
        first = "descending" if c.larger_first else "ascending"
        sort = ' aria-sort="ascending"' if i == 0 else ""
        heads.append(
            f'<th scope="col" data-key="{_e(c.name(report))}" data-type="{kind}"'
            f' data-first="{first}"{_num(c)}{sort}>{_e(c.heading(report, lang))}</th>'
        )
    rows = [
        f'<tr data-code="{_e(r.code)}" data-order="{order}">'
        + "".join(_cell(c, report, r, name_keys[r.code], lang) for c in COLUMNS)
        + "</tr>"
        for order, r in enumerate(report.units)
    ]
    foot = "<tr>" + "".join(_total_cell(c, report, lang) for c in COLUMNS) + "</tr>"
    level = report.level
    caption = t["league_caption"].format(units=level.plural_en)
    return (
        '<div class="scroll"><table id="league">'
        f"<caption>{_e(caption)}</caption>"
        f"<thead><tr>{''.join(heads)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody><tfoot>{foot}</tfoot></table></div>"
    )


def _figures(report: CampaignReport, lang: Lang) -> str:
    t, total, window = _TEXT[lang], report.total, report.window
    span = t["window_span"].format(
        start=day(window.start, lang, year=window.start.year != window.end.year),
        end=day(window.end, lang),
    )
    items = [
        (t["actual"], number(total.actual, lang), ""),
        (column("target").heading(report, lang), number(total.target, lang), ""),
        (t["percent"], pct(total.percent, lang), _meter(total.percent)),
        (
            t["window"].format(days=window.days),
            number(total.window_count, lang),
            f'<span class="span">{_e(span)}</span>',
        ),
    ]
    cells = "".join(
        f"<div><dt>{_e(label)}</dt><dd>{_e(value)}{extra}</dd></div>"
        for label, value, extra in items
    )
    done = " done" if total.reached else ""
    return f'<dl class="figures{done}">{cells}</dl>'


def _excluded(report: CampaignReport, lang: Lang) -> str:
    t = _TEXT[lang]
    if not report.excluded:
        return f"<p>{_e(t['excluded_none'])}</p>"
    rows = "".join(
        f'<tr><th scope="row">'
        f"{_e(exclusion_label(reason, lang))}"
        f'</th><td class="num">{_e(number(count, lang))}</td></tr>'
        for reason, count in report.excluded
    )
    total = number(sum(count for _, count in report.excluded), lang)
    return (
        '<table class="excluded"><thead><tr>'
        f'<th scope="col">{_e(t["reason"])}</th><th scope="col" class="num">{_e(t["records"])}'
        f"</th></tr></thead><tbody>{rows}</tbody>"
        f'<tfoot><tr><th scope="row">{_e(t["total"])}</th><td class="num">{_e(total)}</td>'
        "</tr></tfoot></table>"
    )


def _figure(svg_and_text: tuple[str, str]) -> str:
    svg, text = svg_and_text
    return f"<figure>{svg}<figcaption>{_e(text)}</figcaption></figure>"


def _check(report: CampaignReport, lang: str, counts: DailyCounts | None) -> None:
    if lang not in _TEXT:
        msg = f"lang must be one of {', '.join(map(repr, _TEXT))}, not {lang!r}"
        raise InvalidValueError(msg, field="lang")
    if counts is not None and (counts.start, counts.end) != (report.campaign.start, report.as_of):
        msg = (
            f"counts cover {counts.start} to {counts.end}, but the report needs"
            f" {report.campaign.start} to {report.as_of}"
        )
        raise InvalidValueError(msg, field="counts")


def report_html(
    report: CampaignReport,
    lang: Lang = "vi",
    *,
    counts: DailyCounts | None = None,
    fingerprint: str | None = None,
    version: str | None = None,
    stocks: Mapping[str, StockPosition] | None = None,
) -> str:
    """The report as one self-contained HTML page, in Vietnamese or English.

    Args:
        report: the campaign report.
        lang: ``"vi"`` (1.928; 58,69%; 18/5/2023) or ``"en"`` (1,928; 58.69%; 18 May 2023).
        counts: the daily counts the report was built from (``bundle.counts(as_of)``); when
            given, the page adds the chart of cumulative new participants against the target.
        fingerprint: a fingerprint of the input files (`fingerprint_files`), shown in the
            footer so readers can tell which data a page was made from.
        version: the library version shown in the footer (default: the installed one).
        stocks: participants on the as-of day by the unit of a stock goal, for the
            summary to compare each goal with (see `bhxh_campaign.render.text.bulletin`).

    Raises:
        InvalidValueError: ``lang`` is not ``"vi"`` or ``"en"``, or ``counts`` do not run
            from the campaign's first day to the report's as-of day.

    Returns:
        The page: headline figures, a summary, the league table (sortable in a browser),
        the charts with their text alternatives, the records not counted and a footer.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> bundle = load_campaign("examples/bac_giang_2023")
        >>> as_of = dt.date(2023, 5, 18)
        >>> page = report_html(bundle.report(as_of), counts=bundle.counts(as_of))
        >>> [figure in page for figure in ("1.928", "3.285", "58,69%", "12/5 đến 18/5/2023")]
        [True, True, True, True]
        >>> page.count("<svg"), "http:" in page or "https:" in page
        (2, False)
    """
    _check(report, lang, counts)
    t = _TEXT[lang]
    as_of = day(report.as_of, lang)
    campaign_name = report.campaign.name
    league = t["league"].format(Unit=report.level.label_en.capitalize())
    summary = "".join(
        f"<p>{_e(line)}</p>" for line in bulletin(report, lang, stocks=stocks).splitlines()
    )
    charts = []
    if counts is not None:
        charts.append(_figure(cumulative_svg(report, counts, lang)))
    charts.append(_figure(completion_svg(report, lang)))
    # Records set aside are the table above the notes: the other notes are listed.
    remarks = [n for n in report.notes if n.code != "records_set_aside"]
    notes = (
        f"<h2>{_e(t['notes'])}</h2><ul>"
        + "".join(
            f'<li data-code="{_e(n.code)}">{_e(note_text(report, n, lang))}</li>' for n in remarks
        )
        + "</ul>"
        if remarks
        else ""
    )
    footer = [f"<p>{_e(t['as_of'].format(day=as_of))}</p>"]
    if fingerprint is not None:
        footer.append(f"<p>{_e(t['fingerprint'])}: <code>{_e(fingerprint)}</code></p>")
    footer.append(f"<p>{_e(t['made_by'].format(version=version or _library_version()))}</p>")
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="bhxh_campaign">\n'
        f"<title>{_e(campaign_name)} · {_e(t['title'])} · {_e(as_of)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{_e(campaign_name)}</h1>"
        f'<p class="subtitle">{_e(t["subtitle"].format(day=as_of))}</p></header>\n<main>\n'
        f'<section aria-labelledby="figures"><h2 id="figures">{_e(t["figures"])}</h2>'
        f"{_figures(report, lang)}</section>\n"
        f'<section class="summary" aria-labelledby="summary"><h2 id="summary">'
        f"{_e(t['summary'])}</h2>{summary}</section>\n"
        f'<section aria-labelledby="league-title"><h2 id="league-title">{_e(league)}</h2>'
        f"{_league(report, lang)}</section>\n"
        f'<section aria-labelledby="charts"><h2 id="charts">{_e(t["charts"])}</h2>'
        f"{''.join(charts)}</section>\n"
        f'<section aria-labelledby="excluded"><h2 id="excluded">{_e(t["excluded"])}</h2>'
        f"{_excluded(report, lang)}{notes}</section>\n</main>\n"
        f"<footer>{''.join(footer)}</footer>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def report_iframe(
    report: CampaignReport,
    lang: Lang = "vi",
    *,
    counts: DailyCounts | None = None,
    height: int = 800,
) -> str:
    """The page inside an ``<iframe>``, for notebooks: its style and script stay inside.

    A notebook shows HTML inside its own page, so the report's style sheet would restyle
    the notebook; in a sandboxed frame (scripts allowed, nothing else) it cannot.

    Args:
        report: the campaign report.
        lang: ``"vi"`` or ``"en"``.
        counts: the daily counts, for the cumulative chart (see `report_html`).
        height: the frame's height in CSS pixels; the page scrolls inside it.

    Returns:
        One ``<iframe>`` element whose ``srcdoc`` is the escaped page.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> frame = report_iframe(report, "en", height=600)
        >>> frame.startswith('<iframe sandbox="allow-scripts"'), "<table" in frame
        (True, False)
    """
    page = report_html(report, lang, counts=counts)
    title = f"{report.campaign.name} · {_TEXT[lang]['title']}"
    return (
        f'<iframe sandbox="allow-scripts" title="{_e(title)}" srcdoc="{_e(page)}"'
        f' style="width:100%;height:{int(height)}px;border:0"></iframe>'
    )


def fingerprint_files(paths: Iterable[str | os.PathLike[str]]) -> str:
    """A SHA-256 fingerprint of input files, the same whatever order they are given in.

    Files are taken in order of their names (then full paths); each contributes its name,
    its length and its bytes, so moving a folder keeps the fingerprint and changing any
    byte, or renaming a file, changes it.

    Args:
        paths: the input files, e.g. a campaign folder's four files.

    Returns:
        ``"sha256:"`` and 64 hexadecimal digits.

    Examples:
        >>> from pathlib import Path
        >>> files = sorted(Path("examples/bac_giang_2023").glob("*.csv"))
        >>> fingerprint = fingerprint_files(files)
        >>> fingerprint.startswith("sha256:"), len(fingerprint)
        (True, 71)
        >>> fingerprint_files(reversed(files)) == fingerprint
        True
    """
    digest = hashlib.sha256()
    for path in sorted((Path(p) for p in paths), key=lambda p: (p.name, p.as_posix())):
        data = path.read_bytes()
        name = path.name.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return "sha256:" + digest.hexdigest()
