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

from bhxh_campaign.model import UnitKind
from bhxh_campaign.render._format import Lang, day, number, pct
from bhxh_campaign.report import CampaignReport, DistrictProgress

__all__ = ["Lang", "bulletin"]

_COUNT_WORDS_VI = ("", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_COUNT_WORDS_EN = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_LEADERS = 3


def _full_name(row: DistrictProgress, lang: Lang) -> str:
    kind = UnitKind(row.kind)
    return f"{kind.label_vi} {row.name}" if lang == "vi" else f"{row.name} {kind.label_en}"


def _join(items: list[str], lang: Lang) -> str:
    conjunction = " và " if lang == "vi" else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conjunction + items[-1]


def _count_word(n: int, lang: Lang) -> str:
    words = _COUNT_WORDS_VI if lang == "vi" else _COUNT_WORDS_EN
    return words[n] if n < len(words) else number(n, lang)


def bulletin(report: CampaignReport, lang: Lang = "vi") -> str:
    """The report as a bulletin paragraph, every figure taken from ``report``.

    Args:
        report: the campaign report.
        lang: ``"vi"`` (Vietnamese number and date formats: 1.928; 58,69%; 18/5/2023) or
            ``"en"`` (1,928; 58.69%; 18 May 2023).

    Returns:
        Sentences separated by single spaces, one paragraph per line: the totals, the
        trailing window (both ends included), the leaders by new participants, the units
        that completed their plan (earliest first), the stock goals, and the records not
        counted.
    """
    total, window = report.total, report.window
    vi = lang == "vi"
    scope_vi = "toàn quốc" if report.campaign.is_national else "toàn tỉnh"
    scope_en = "the country" if report.campaign.is_national else "the province"
    if vi:
        lines = [
            f"Tính đến hết ngày {day(report.as_of, lang)}, {scope_vi} đã vận động tăng mới được "
            f"{number(total.actual, lang)} người tham gia BHXH tự nguyện, đạt "
            f"{pct(total.percent, lang)} kế hoạch đặt ra ({number(total.target, lang)} người)."
            f" Riêng trong {window.days} ngày (từ {day(window.start, lang, year=False)} đến "
            f"{day(window.end, lang, year=False)}), các đơn vị đã vận động được "
            f"{number(total.window_count, lang)} người tham gia mới."
        ]
    else:
        lines = [
            f"As of the end of {day(report.as_of, lang)}, {scope_en} had enrolled "
            f"{number(total.actual, lang)} new participants in voluntary social insurance, "
            f"{pct(total.percent, lang)} of the plan ({number(total.target, lang)})."
            f" In the {window.days} days from {day(window.start, lang, year=False)} to "
            f"{day(window.end, lang, year=False)} inclusive, {number(total.window_count, lang)} "
            "new participants enrolled."
        ]
    leaders = [row for row in report.districts if row.actual > 0][:_LEADERS]
    if leaders:
        named = [f"{_full_name(row, lang)} {'với' if vi else 'with'} {number(row.actual, lang)}"
                 + (" người" if vi else "") for row in leaders]
        if vi:
            rest = f", tiếp đến là {_join(named[1:], lang)}" if len(named) > 1 else ""
            lines.append(f"Xét về số người tham gia mới, {named[0].replace(' với ', ' dẫn đầu với ', 1)}{rest}.")
        else:
            rest = f", followed by {_join(named[1:], lang)}" if len(named) > 1 else ""
            lines.append(f"By new participants, {named[0].replace(' with ', ' led with ', 1)}{rest}.")
    done = sorted((r for r in report.districts if r.completed_on is not None),
                  key=lambda r: (r.rank_by_completed_on, r.rank_by_completion, r.code))
    names = _join([_full_name(r, lang) for r in done], lang)
    rates = _join([pct(r.percent, lang) for r in done], lang)
    if vi:
        if not done:
            lines.append("Chưa có địa phương nào hoàn thành kế hoạch được giao.")
        elif len(done) == 1:
            lines.append(f"Xét về tỷ lệ hoàn thành kế hoạch được giao, {names} là địa phương "
                         f"hoàn thành sớm nhất với tỷ lệ {rates}.")
        else:
            lines.append(f"Xét về tỷ lệ hoàn thành kế hoạch được giao, {names} là "
                         f"{_count_word(len(done), lang)} địa phương hoàn thành sớm nhất với tỷ lệ "
                         f"lần lượt là {rates}.")
    elif not done:
        lines.append("No unit has completed its assigned plan yet.")
    elif len(done) == 1:
        lines.append(f"By completion of the assigned plan, {names} was the first to complete it, "
                     f"at {rates}.")
    else:
        lines.append(f"By completion of the assigned plan, {names} were the first "
                     f"{_count_word(len(done), lang)} to complete it, at {rates} respectively.")
    for goal in report.stock_goals:
        if vi:
            lines.append(f"Số người tham gia mới bằng {pct(goal.percent, lang)} mục tiêu "
                         f"{number(goal.target, lang)} người tham gia (đơn vị {goal.unit_code}).")
        else:
            lines.append(f"The new participants equal {pct(goal.percent, lang)} of the goal of "
                         f"{number(goal.target, lang)} participants (unit {goal.unit_code}); "
                         "the goal counts all participants, not only new ones.")
    if report.excluded:
        total_excluded = sum(count for _, count in report.excluded)
        detail = ", ".join(f"{reason}: {number(count, lang)}" for reason, count in report.excluded)
        if vi:
            lines.append(f"Không tính {number(total_excluded, lang)} bản ghi ({detail}).")
        else:
            lines.append(f"{number(total_excluded, lang)} records were not counted ({detail}).")
    return "\n".join(lines)
