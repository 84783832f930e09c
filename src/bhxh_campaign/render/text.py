"""The bulletin paragraph, in Vietnamese or English, in the style of provincial reports.

Examples:
    >>> import datetime as dt
    >>> from bhxh_campaign import Campaign, District, Target, DailyCounts, campaign_report
    >>> c = Campaign(id="c", name="C", scope="24",
    ...              start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))
    >>> r = campaign_report(
    ...     c, [District(code="221", name="Yên Dũng", kind="huyen", province_code="24")],
    ...     [Target(unit_code="221", campaign_id="c", value=2000)],
    ...     DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid={"221": [1000, 928]}))
    >>> print(bulletin(r, "en"))  # doctest: +ELLIPSIS
    As of the end of 2 May 2023, the province had enrolled 1,928 new participants ...
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby

from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.messages import message
from bhxh_campaign.metrics import percent
from bhxh_campaign.model import UnitKind
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.render._notes import note_lines, place
from bhxh_campaign.render._pace import people_per_day
from bhxh_campaign.render._stocks import check_stocks, stock_rate
from bhxh_campaign.report import CampaignReport, DistrictProgress
from bhxh_campaign.stock import StockPosition

__all__ = ["Lang", "bulletin"]

_COUNT_WORDS_VI = ("", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_COUNT_WORDS_EN = (
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)
_LEADERS = 3
"""The bulletin names the units ranked first, second and third by new participants."""
_NAMED_TIES = 5
"""At most this many units sharing a place are named; more are counted."""


def _full_name(row: DistrictProgress, lang: Lang) -> str:
    kind = UnitKind(row.kind)
    return f"{kind.label_vi} {row.name}" if lang == "vi" else f"{row.name} {kind.label_en}"


def _unit_word(report: CampaignReport) -> str:
    """What a bulletin calls one of the report's units: a locality, or a commune or ward."""
    return "địa phương" if report.level is UnitLevel.DISTRICT else "đơn vị"


def _join(items: list[str], lang: Lang) -> str:
    conjunction = " và " if lang == "vi" else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conjunction + items[-1]


def _count_word(n: int, lang: Lang) -> str:
    words = _COUNT_WORDS_VI if lang == "vi" else _COUNT_WORDS_EN
    return words[n] if n < len(words) else number(n, lang)


def _totals(report: CampaignReport, lang: Lang) -> str:
    total, window = report.total, report.window
    start, end = day(window.start, lang, year=False), day(window.end, lang, year=False)
    known = (
        ""
        if report.known_at is None
        else message("bulletin", "known_at", lang, day=day(report.known_at, lang))
    )
    if lang == "vi":
        scope = "toàn quốc" if report.campaign.is_national else "toàn tỉnh"
        return (
            f"Tính đến hết ngày {day(report.as_of, lang)}{known}, {scope} đã vận động tăng mới"
            f" được {number(total.actual, lang)} người tham gia BHXH tự nguyện, đạt "
            f"{pct(total.percent, lang)} kế hoạch đặt ra ({number(total.target, lang)} người)."
            f" Riêng trong {window.days} ngày (từ {start} đến {end}),"
            f" {report.level.plural_vi} đã vận động được"
            f" {number(total.window_count, lang)} người tham gia mới."
        )
    scope = "the country" if report.campaign.is_national else "the province"
    return (
        f"As of the end of {day(report.as_of, lang)}{known}, {scope} had enrolled "
        f"{number(total.actual, lang)} new participants in voluntary social insurance, "
        f"{pct(total.percent, lang)} of the plan ({number(total.target, lang)})."
        f" In the {window.days} days from {start} to {end} inclusive, "
        f"{number(total.window_count, lang)} new participants enrolled across its"
        f" {report.level.plural_en}."
    )


def _names(rows: list[DistrictProgress], lang: Lang) -> str:
    return _join([_full_name(r, lang) for r in rows], lang)


def _place(rows: list[DistrictProgress], report: CampaignReport, lang: Lang) -> str:
    """One place of the leaders: its unit, or every unit sharing it (or their number)."""
    first, count = rows[0], len(rows)
    params = {
        "names": _names(rows, lang),
        "value": number(first.actual, lang),
        "rank": message("rank.ordinal", str(first.rank_by_actual), lang),
        "count": number(count, lang) if count > _NAMED_TIES else _count_word(count, lang),
        "word": _unit_word(report) if lang == "vi" else report.level.plural_en,
    }
    leading = first.rank_by_actual == 1
    if count == 1:
        key = "leader" if leading else "placed"
    elif count <= _NAMED_TIES:
        key = "leaders_tied" if leading else "placed_tied"
    else:
        key = "leaders_many" if leading else "placed_many"
    return message("bulletin", key, lang, **params)


def _pace(report: CampaignReport, lang: Lang) -> str | None:
    """What the whole campaign needs a day to complete its plan, and when it would at its pace.

    The daily need is rounded up to a whole person (a need of 104.4 a day is 105); None
    once the plan is reached, or when no day is left.
    """
    pace = report.total.pace
    per_day = people_per_day(pace)
    if per_day is None:
        return None
    text = message(
        "bulletin", "pace", lang, days=number(pace.days_left, lang), per_day=number(per_day, lang)
    )
    if pace.projected_on is None:
        text += message("bulletin", "pace_unprojected", lang)
    else:
        text += message(
            "bulletin",
            "pace_projected",
            lang,
            window=report.window.days,
            day=day(pace.projected_on, lang),
        )
        if pace.projected_on > report.campaign.end:
            end = day(report.campaign.end, lang)
            text += message("bulletin", "pace_late", lang, end=end)
    return text + "."


def _leaders(report: CampaignReport, lang: Lang) -> str | None:
    """The units with the most new participants: every unit ranked in the first three.

    Units sharing a place are all named, in code order, with the place they share
    ("đồng hạng ba"); more than `_NAMED_TIES` of them are counted instead, and the
    sentence points to the league table, so no unit is left out silently.
    """
    leaders = [r for r in report.districts if r.rank_by_actual <= _LEADERS and r.actual > 0]
    if not leaders:
        return None
    places = [list(rows) for _, rows in groupby(leaders, key=lambda r: r.rank_by_actual)]
    parts = [_place(rows, report, lang) for rows in places]
    rest = ""
    if len(parts) > 1:
        tied = any(len(rows) > 1 for rows in places)
        joined = "; ".join(parts[1:]) if tied else _join(parts[1:], lang)
        rest = message("bulletin", "followed_by", lang, places=joined)
    return message("bulletin", "leaders_sentence", lang, leaders=parts[0], rest=rest)


def _completed(report: CampaignReport, lang: Lang) -> str:
    done = sorted(
        (r for r in report.districts if r.completed_on is not None),
        key=lambda r: (r.rank_by_completed_on, r.rank_by_completion, r.code),
    )
    names = _join([_full_name(r, lang) for r in done], lang)
    rates = _join([pct(r.percent, lang) for r in done], lang)
    count = _count_word(len(done), lang)
    if lang == "vi":
        word = _unit_word(report)
        lead = "Xét về tỷ lệ hoàn thành kế hoạch được giao"
        if not done:
            return f"{lead}, chưa có {word} nào hoàn thành."
        if len(done) == 1:
            return f"{lead}, {names} là {word} hoàn thành sớm nhất với tỷ lệ {rates}."
        return (
            f"{lead}, {names} là {count} {word} hoàn thành sớm nhất với tỷ lệ lần lượt là {rates}."
        )
    lead = "By completion of the assigned plan"
    if not done:
        return f"{lead}, no unit has completed it yet."
    if len(done) == 1:
        return f"{lead}, {names} was the first to complete it, at {rates}."
    return f"{lead}, {names} were the first {count} to complete it, at {rates} respectively."


def _goals(report: CampaignReport, lang: Lang, stocks: Mapping[str, StockPosition]) -> list[str]:
    """Each stock goal, stated as the level it is, and compared only with a level.

    A stock goal counts everyone taking part on a day; the campaign counts new
    participants, a flow, which is never compared with it. Where ``stocks`` hold the
    participants on the as-of day (`stock_on`), the goal is compared with them;
    otherwise the bulletin says there is no stock to compare it with.
    """
    lines = []
    for goal in report.stock_goals:
        unit = place(report, goal.unit_code, lang)
        position = stocks.get(goal.unit_code)
        if position is None:
            lines.append(
                message("bulletin", "stock_goal", lang, unit=unit, target=number(goal.target, lang))
            )
            continue
        bound = "" if position.exits_known else message("bulletin", "stock_upper_bound", lang)
        lines.append(
            message(
                "bulletin",
                "stock_level",
                lang,
                day=day(position.day, lang),
                unit=unit,
                participants=number(position.participants, lang),
                bound=bound,
                pct=pct(percent(stock_rate(position, goal.target)), lang),
                target=number(goal.target, lang),
            )
        )
    return lines


def bulletin(
    report: CampaignReport,
    lang: Lang = "vi",
    *,
    stocks: Mapping[str, StockPosition] | None = None,
) -> str:
    """The report as a bulletin, every figure taken from ``report``.

    Args:
        report: the campaign report.
        lang: ``"vi"`` (Vietnamese number and date formats: 1.928; 58,69%; 18/5/2023) or
            ``"en"`` (1,928; 58.69%; 18 May 2023).
        stocks: participants on the as-of day (`bhxh_campaign.stock_on`), by the unit of
            a stock goal, where the data has them: the goal is then compared with that
            level. A stock goal is never compared with new participants.

    Returns:
        One paragraph per line: the totals and the trailing window (both ends included),
        the leaders by new participants, the units that completed their plan (earliest
        first), the daily need to complete the plan and the projected completion day,
        the stock goals, and the report's notes (targets revised, a province
        target that disagrees with its units', the records not counted, by reason).

    Raises:
        UnknownUnitError: a stock is given for a unit without a stock goal.
        InvalidValueError: a stock is not of the as-of day, or is against another goal.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> print(bulletin(report))
        Tính đến hết ngày 18/5/2023, toàn tỉnh đã vận động tăng mới được 1.928 người tham gia BHXH
        tự nguyện, đạt 58,69% kế hoạch đặt ra (3.285 người). ...
        Không tính 1.163 bản ghi (sau ngày báo cáo: 1.126; trước ngày bắt đầu: 28;
        trùng người đã tính: 9).
        >>> print(bulletin(report, "en").splitlines()[1])
        By new participants, Yên Dũng district led with 318, followed by Hiệp Hòa district with 302
        and Lục Ngạn district with 268.
    """
    checked = check_stocks(report, stocks)
    leaders, pace = _leaders(report, lang), _pace(report, lang)
    lines = [
        _totals(report, lang),
        *([leaders] if leaders else []),
        _completed(report, lang),
        *([pace] if pace else []),
    ]
    return "\n".join([*lines, *_goals(report, lang, checked), *note_lines(report, lang)])
