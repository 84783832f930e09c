"""A report's notes in words: each `Note` worded through the catalog, in a language.

The bulletin, the text, Markdown and CSV tables, the HTML page and the JSON all word the
report's notes here, so a note reads the same everywhere in a language.
"""

from __future__ import annotations

import datetime as dt

from bhxh_campaign.errors import UnknownUnitError
from bhxh_campaign.messages import message
from bhxh_campaign.model import UnitKind
from bhxh_campaign.render._format import Lang, day, number
from bhxh_campaign.report import CampaignReport, Note, NoteValue

__all__ = ["note_lines", "note_text", "place"]


def _unit(report: CampaignReport, code: str, lang: Lang) -> str:
    """A unit as a note names it: "huyện Hiệp Hòa", "Hiệp Hòa district" (or its code)."""
    try:
        row = report.unit(code)
    except UnknownUnitError:
        return code
    kind = UnitKind(row.kind)
    return f"{kind.label_vi} {row.name}" if lang == "vi" else f"{row.name} {kind.label_en}"


def _province(report: CampaignReport, code: str, lang: Lang) -> str:
    """A province as a note names it: "tỉnh Bắc Giang" or "Bắc Giang province" (or its code)."""
    name = next((p.name for p in report.provinces if p.code == code and p.name), None)
    if name is None and code == report.campaign.scope:
        return "toàn tỉnh" if lang == "vi" else "the province"
    if name is None:
        return f"tỉnh mã {code}" if lang == "vi" else f"province {code}"
    return f"tỉnh {name}" if lang == "vi" else f"{name} province"


def place(report: CampaignReport, code: str, lang: Lang) -> str:
    """Whatever ``code`` is in the report: one of its units, a province, or the country."""
    if report.campaign.is_national and code == report.campaign.scope:
        return "toàn quốc" if lang == "vi" else "the country"
    if any(row.code == code for row in report.units):
        return _unit(report, code, lang)
    return _province(report, code, lang)


def _value(value: NoteValue, lang: Lang) -> str:
    if isinstance(value, dt.date):
        return day(value, lang)
    if isinstance(value, int):
        return number(value, lang)
    return value


def exclusion_label(reason: str, lang: Lang) -> str:
    """The words for an exclusion reason: an `Exclusion`, or ``rejected:<error code>``.

    Rows the loader rejected are counted under ``rejected:<code>`` by a lenient report
    (``report --skip-bad-rows``); the code stays as it is, for the reader to look up.

    Examples:
        >>> exclusion_label("repeat_participant", "en"), exclusion_label("rejected:bad_date", "en")
        ('repeat participant', 'rejected row (bad_date)')
    """
    prefix = "rejected:"
    if reason.startswith(prefix):
        return message("exclusion", "rejected_row", lang, code=reason.removeprefix(prefix))
    return message("exclusion", reason, lang)


def note_text(report: CampaignReport, note: Note, lang: Lang) -> str:
    """One note of ``report`` as a sentence in ``lang``, its numbers and days formatted.

    Examples:
        >>> import datetime as dt
        >>> from bhxh_campaign import load_campaign
        >>> report = load_campaign("examples/bac_giang_2023").report(dt.date(2023, 5, 18))
        >>> print(note_text(report, report.notes[-1], "vi"))
        Không tính 1.163 bản ghi (sau ngày báo cáo: 1.126; trước ngày bắt đầu: 28;
        trùng người đã tính: 9).
    """
    params = {key: _value(value, lang) for key, value in note.data}
    if note.code == "target_revised":
        params["unit"] = _unit(report, str(note["unit_code"]), lang)
        for key in ("version", "original_version"):
            params[key] = message("target.version", str(note[key]), lang)
    elif note.code == "province_target_differs":
        params["province"] = _province(report, str(note["province_code"]), lang)
        params["units"] = report.level.plural_vi if lang == "vi" else report.level.plural_en
    else:  # records_set_aside
        params["reasons"] = "; ".join(
            f"{exclusion_label(key, lang)}: {number(value, lang)}"
            for key, value in note.data
            if key != "records" and isinstance(value, int)
        )
    return message("note", note.code, lang, **params)


def note_lines(report: CampaignReport, lang: Lang) -> list[str]:
    """Every note of ``report`` as a sentence in ``lang``, in the report's order."""
    return [note_text(report, note, lang) for note in report.notes]
