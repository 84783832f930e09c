"""What the charts say and draw from: their words in both languages, and checked counts."""

from __future__ import annotations

from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.render._format import Lang
from bhxh_campaign.render.columns import column
from bhxh_campaign.report import CampaignReport

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "cumulative": "Số người tham gia mới cộng dồn so với kế hoạch, theo đơn vị",
        "completion": "Tỷ lệ hoàn thành kế hoạch tăng mới, theo đơn vị",
        "daily": "Số người tham gia mới mỗi ngày, {scope}",
        "through": "Tính đến hết ngày {day}",
        "line": "Cộng dồn",
        "as_of": "Ngày báo cáo",
        "completed_on": "Ngày hoàn thành kế hoạch",
        "reached": "Đã hoàn thành kế hoạch",
        "not_reached": "Chưa hoàn thành",
        "total": "Toàn {scope}: {pct}",
        "percent_axis": "Tỷ lệ so với kế hoạch",
        "people": "Số người",
        "window": "{days} ngày gần nhất ({start}–{end}): {count} người",
        "before": "Các ngày trước",
        "who_province": "tỉnh",
        "who_nation": "quốc",
        "scope_province": "toàn tỉnh",
        "scope_nation": "toàn quốc",
    },
    "en": {
        "cumulative": "Cumulative new participants against target, by {unit}",
        "completion": "Completion of the new-participant target, by {unit}",
        "daily": "New participants per day, {scope}",
        "through": "Through {day}",
        "line": "Cumulative",
        "as_of": "As-of day",
        "completed_on": "Day the target was reached",
        "reached": "Target reached",
        "not_reached": "Not yet reached",
        "total": "{scope} total: {pct}",
        "percent_axis": "Percent of target",
        "people": "People",
        "window": "Last {days} days ({start}–{end}): {count}",
        "before": "Earlier days",
        "who_province": "Province",
        "who_nation": "National",
        "scope_province": "province",
        "scope_nation": "nationwide",
    },
}


def words(report: CampaignReport, lang: Lang) -> dict[str, str]:
    """The charts' words for a report: the target as the league table heads it, its units."""
    if lang not in TEXT:
        msg = f"lang must be 'vi' or 'en', got {lang!r}"
        raise InvalidValueError(msg)
    text = dict(TEXT[lang])
    for key in ("cumulative", "completion"):
        text[key] = text[key].format(unit=report.level.label_en)
    text["target"] = column("target").heading(report, lang)
    text["plan_line"] = f"{text['target']} (100%)"
    return text


def scope_words(report: CampaignReport, lang: Lang, key: str) -> str:
    """The text ``key`` for the campaign's scope: the province's, or the nation's."""
    return words(report, lang)[
        f"{key}_nation" if report.campaign.is_national else f"{key}_province"
    ]


def check_counts(report: CampaignReport, counts: DailyCounts) -> dict[str, tuple[int, ...]]:
    """Each district's daily row, after checking the counts are the report's own."""
    if counts.start != report.campaign.start or counts.end != report.as_of:
        msg = (
            f"counts cover {counts.start} to {counts.end} but the report is of"
            f" {report.campaign.start} to {report.as_of}: pass the counts it was built from"
        )
        raise InvalidValueError(msg)
    rows = dict(counts.grid)
    codes = {row.code for row in report.districts}
    for code in rows:
        if code not in codes:
            msg = f"counts have unit {code!r}, which is not in the report"
            raise InvalidValueError(msg)
    blank = (0,) * len(counts.days)
    result = {row.code: rows.get(row.code, blank) for row in report.districts}
    for row in report.districts:
        if sum(result[row.code]) != row.actual:
            msg = (
                f"counts of district {row.code!r} add up to {sum(result[row.code])}"
                f" but the report says {row.actual}: pass the counts it was built from"
            )
            raise InvalidValueError(msg)
    return result
