"""Tests of `bhxh_campaign.render`: bulletins, tables and JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.render import (
    Lang,
    TableFormat,
    bulletin,
    report_table,
    report_to_dict,
    report_to_json,
)
from bhxh_campaign.render._format import day, number, pct
from bhxh_campaign.render.columns import COLUMNS
from bhxh_campaign.strategies import campaign_bundles

from . import snapshot


class TestFormats:
    @pytest.mark.parametrize(
        ("value", "vi", "en"),
        [(1928, "1.928", "1,928"), (52139, "52.139", "52,139"), (0, "0", "0")],
    )
    def test_numbers(self, value: int, vi: str, en: str) -> None:
        """Vietnamese groups thousands with dots, English with commas."""
        assert (number(value, "vi"), number(value, "en")) == (vi, en)

    def test_percent_keeps_half_up_digits(self) -> None:
        """A half-up percent is shown as rounded, never re-rounded half-even by Babel."""
        assert pct(Decimal("58.69"), "vi") == "58,69%"
        assert pct(bc.percent(bc.completion_rate(11737, 20000)), "en") == "58.69%"

    @given(st.integers(min_value=-(10**15), max_value=10**15))
    def test_english_numbers_are_babels(self, value: int) -> None:
        """English grouping is Python's ',' format: exactly what Babel's CLDR data gives."""
        from babel.numbers import format_decimal  # noqa: PLC0415 - the oracle

        assert number(value, "en") == format_decimal(value, format="#,##0", locale="en")

    @given(
        st.integers(0, 6).flatmap(
            lambda places: st.decimals(-(10**12), 10**12, places=places, allow_nan=False)
        )
    )
    def test_english_percents_are_babels(self, value: Decimal) -> None:
        """An English percent (rounded, as `percent` gives) keeps its decimals, as in Babel."""
        from babel.numbers import format_decimal  # noqa: PLC0415 - the oracle

        places = max(-value.as_tuple().exponent, 0)  # type: ignore[operator]
        pattern = "#,##0." + "0" * places if places else "#,##0"
        babel = format_decimal(value, format=pattern, locale="en", decimal_quantization=False)
        assert pct(value, "en") == babel + "%"

    def test_dates(self) -> None:
        """Days are written d/M/yyyy in Vietnamese and d MMMM yyyy in English."""
        assert day(dt.date(2023, 5, 18), "vi") == "18/5/2023"
        assert day(dt.date(2023, 5, 18), "en") == "18 May 2023"


class TestBulletin:
    def test_vietnamese(self, example_report: bc.CampaignReport) -> None:
        """The Vietnamese paragraph carries every published figure in Vietnamese format."""
        text = bulletin(example_report, "vi")
        for figure in [
            "18/5/2023",
            "1.928",
            "58,69%",
            "3.285",
            "1.074",
            "12/5",
            "318",
            "302",
            "268",
            "112,67%",
            "111,58%",
            "52.139",
        ]:
            assert figure in text

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_stock_goal_is_a_level_not_compared_with_a_flow(
        self, example_report: bc.CampaignReport, lang: Lang
    ) -> None:
        """The stock goal is stated as a level; no share of it is drawn from new participants."""
        text = bulletin(example_report, lang)
        line = next(line for line in text.splitlines() if "52" in line and "139" in line)
        expected = {
            "vi": (
                "Mục tiêu của toàn tỉnh là 52.139 người tham gia BHXH tự nguyện (tổng số người"
                " đang tham gia, không chỉ người tham gia mới); báo cáo chưa có số người đang"
                " tham gia để so sánh với mục tiêu này."
            ),
            "en": (
                "The goal for the province is 52,139 participants in voluntary social"
                " insurance (everyone taking part, not only new participants); the report has"
                " no count of participants on a day to compare it with."
            ),
        }
        assert line == expected[lang]
        assert "3,70%" not in text
        assert "3.70%" not in text

    def test_no_completion_and_single_completion(self, example: bc.CampaignBundle) -> None:
        """Early in the campaign nobody has completed; later exactly one has."""
        early = bulletin(example.report(dt.date(2023, 5, 2)), "en")
        assert "no unit has completed it yet" in early
        one = bc.CampaignReport  # the type, for the type checker
        report = example.report(dt.date(2023, 5, 13))
        assert isinstance(report, one)
        text = bulletin(report, "vi")
        assert "huyện Sơn Động là địa phương hoàn thành sớm nhất với tỷ lệ" in text

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            (
                "vi",
                (
                    "Trong 13 ngày còn lại, cần bình quân 105 người/ngày để hoàn thành kế hoạch;"
                    " theo tốc độ 7 ngày qua, dự kiến hoàn thành vào ngày 27/5/2023."
                ),
            ),
            (
                "en",
                (
                    "With 13 days left, an average of 105 people a day is needed to complete the"
                    " plan; at the pace of the last 7 days, it would be completed on 27 May 2023."
                ),
            ),
        ],
    )
    def test_pace_as_offices_write_it(
        self, example_report: bc.CampaignReport, lang: Lang, expected: str
    ) -> None:
        """The daily need (1,357 over 13 days, rounded up) and the projected day are stated."""
        assert expected in bulletin(example_report, lang).splitlines()

    def test_pace_after_the_end_and_on_the_last_day(self, example: bc.CampaignBundle) -> None:
        """A projected day after the campaign's end says so; on the last day, no pace."""
        late = example.report(dt.date(2023, 5, 8))
        assert late.total.pace.projected_on is not None
        assert late.total.pace.projected_on > example.campaign.end
        assert ", sau ngày kết thúc đợt vận động (31/5/2023)." in bulletin(late, "vi")
        assert "người/ngày" not in bulletin(example.report(example.campaign.end), "vi")

    def test_known_at_is_in_the_headline(self, example: bc.CampaignBundle) -> None:
        """A report as known at a day says so in its first sentence; without it, nothing."""
        day_ = dt.date(2023, 5, 18)
        known = example.report(day_, known_at=dt.date(2023, 5, 20))
        assert bulletin(known, "vi").startswith(
            "Tính đến hết ngày 18/5/2023 (theo số liệu ghi nhận đến hết ngày 20/5/2023), toàn tỉnh"
        )
        assert bulletin(known, "en").startswith(
            "As of the end of 18 May 2023 (figures as known at the end of 20 May 2023), the"
        )
        assert "ghi nhận" not in bulletin(example.report(day_), "vi")

    @given(campaign_bundles())
    def test_every_report_renders(self, bundle: bc.CampaignBundle) -> None:
        """Any valid report renders in both languages and every table format."""
        report = bundle.report()
        for lang in ("vi", "en"):
            assert bulletin(report, lang)
            for fmt in ("text", "markdown", "csv"):
                assert report_table(report, fmt, lang=lang).endswith("\n")


def _thanh_hoa(actual: dict[str, int]) -> bc.CampaignReport:
    """A Thanh Hóa report as of 2 May 2023 with these new participants per district."""
    c = bc.Campaign(
        id="th", name="TH", scope="38", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
    )
    names = {
        "380": ("Thanh Hóa", "thanh_pho"),
        "382": ("Bỉm Sơn", "thi_xa"),
        "388": ("Hoằng Hóa", "huyen"),
        "394": ("Nghi Sơn", "thi_xa"),
        "396": ("Quảng Xương", "huyen"),
        "397": ("Hậu Lộc", "huyen"),
        "398": ("Nga Sơn", "huyen"),
        "399": ("Hà Trung", "huyen"),
    }
    units = [
        bc.District(code=code, name=name, kind=kind, province_code="38")
        for code, (name, kind) in names.items()
        if code in actual
    ]
    targets = [bc.Target(unit_code=code, campaign_id="th", value=500) for code in actual]
    grid = {code: [n, 0] for code, n in actual.items()}
    counts = bc.DailyCounts(start=c.start, end=dt.date(2023, 5, 2), grid=grid)
    return bc.campaign_report(c, units, targets, counts)


class TestBulletinTies:
    def test_two_units_sharing_third_place_are_both_named(self) -> None:
        """Hoằng Hóa and Nghi Sơn, both 3rd with 275, are both named, in both languages."""
        report = _thanh_hoa({"380": 410, "382": 300, "388": 275, "394": 275, "396": 120})
        assert [r.rank_by_actual for r in report.units] == [1, 2, 3, 3, 5]
        vi, en = bulletin(report, "vi").splitlines()[1], bulletin(report, "en").splitlines()[1]
        assert vi == (
            "Xét về số người tham gia mới, thành phố Thanh Hóa là địa phương dẫn đầu với"
            " 410 người, tiếp đến là thị xã Bỉm Sơn với 300 người; huyện Hoằng Hóa và"
            " thị xã Nghi Sơn cùng đạt 275 người, đồng hạng ba."
        )
        assert en == (
            "By new participants, Thanh Hóa city led with 410, followed by Bỉm Sơn town"
            " with 300; Hoằng Hóa district and Nghi Sơn town, tied third with 275 each."
        )
        assert "Quảng Xương" not in vi + en

    def test_a_tie_for_first_place(self) -> None:
        """Units sharing first place lead together; the next place keeps its rank, third."""
        report = _thanh_hoa({"380": 300, "388": 300, "394": 120, "396": 90})
        vi, en = bulletin(report, "vi").splitlines()[1], bulletin(report, "en").splitlines()[1]
        assert vi == (
            "Xét về số người tham gia mới, thành phố Thanh Hóa và huyện Hoằng Hóa là hai địa"
            " phương đồng dẫn đầu, cùng đạt 300 người, tiếp đến là thị xã Nghi Sơn với 120 người."
        )
        assert en == (
            "By new participants, Thanh Hóa city and Hoằng Hóa district jointly led with"
            " 300 each, followed by Nghi Sơn town with 120."
        )

    def test_a_large_tie_is_counted_not_dropped(self) -> None:
        """More units sharing a place than the bulletin names are counted, with a pointer."""
        report = _thanh_hoa(dict.fromkeys(("380", "382", "388", "394", "396", "397"), 40))
        vi, en = bulletin(report, "vi").splitlines()[1], bulletin(report, "en").splitlines()[1]
        assert "6 địa phương đồng dẫn đầu, cùng đạt 40 người (xem bảng xếp hạng)" in vi
        assert "6 districts jointly led with 40 each (see the league table)" in en

    @given(campaign_bundles())
    def test_every_unit_ranked_in_the_first_three_is_named(self, bundle: bc.CampaignBundle) -> None:
        """Each unit ranked 1st to 3rd with a participant is named, or its place is counted."""
        report = bundle.report()
        for lang in ("vi", "en"):
            text = bulletin(report, lang)
            for row in report.units:
                if row.rank_by_actual > 3 or row.actual == 0:
                    continue
                shared = sum(r.rank_by_actual == row.rank_by_actual for r in report.units)
                assert row.name in text or shared > 5


def _noted(example: bc.CampaignBundle) -> bc.CampaignReport:
    """The example as of 18 May with a revised target and a province target of 3,300."""
    targets = [t for t in example.targets if t.unit_code != "24" or t.measure is bc.Measure.STOCK]
    targets += [
        bc.Target(unit_code="24", campaign_id=example.campaign.id, value=3300),
        bc.Target(
            unit_code="223",
            campaign_id=example.campaign.id,
            value=300,
            version="supplemented",
            effective_from=dt.date(2023, 5, 15),
        ),
    ]
    bundle = attrs.evolve(
        example, targets=targets, provinces=[bc.Province(code="24", name="Bắc Giang")]
    )
    return bundle.report(dt.date(2023, 5, 18))


class TestTable:
    def test_csv_round_trip(self, example_report: bc.CampaignReport) -> None:
        """The CSV table parses back to the report's numbers."""
        every = list(csv.DictReader(io.StringIO(report_table(example_report, "csv"))))
        rows = [r for r in every if r["rank"] != "note"]
        assert len(rows) == 11
        assert rows[0]["district"] == "Yên Dũng"
        assert rows[-1]["new"] == "1928"
        assert sum(int(r["new"]) for r in rows[:-1]) == 1928
        assert every[len(rows) :] == [r for r in every if r["rank"] == "note"]

    @pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_notes_follow_the_table(
        self, example: bc.CampaignBundle, fmt: TableFormat, lang: Lang
    ) -> None:
        """Every note follows the table, worded in the table's language, in every format."""
        report = _noted(example)
        assert [n.code for n in report.notes] == [
            "target_revised",
            "province_target_differs",
            "records_set_aside",
        ]
        table = report_table(report, fmt, lang=lang)
        expected = {
            "vi": [
                (
                    "Kế hoạch của huyện Hiệp Hòa là 300 người theo kế hoạch bổ sung áp dụng từ ngày"
                    " 15/5/2023 (trước đó: 420 người theo kế hoạch giao)."
                ),
                (
                    "Kế hoạch giao cho tỉnh Bắc Giang là 3.300 người, khác tổng kế hoạch của các"
                    " huyện, thị xã, thành phố (3.165 người); báo cáo dùng kế hoạch của tỉnh."
                ),
                (
                    "Không tính 1.163 bản ghi (sau ngày báo cáo: 1.126; trước ngày bắt đầu: 28;"
                    " trùng người đã tính: 9)."
                ),
            ],
            "en": [
                (
                    "The target of Hiệp Hòa district is 300 under the supplementary plan in force"
                    " from 15 May 2023 (before: 420 under the original plan)."
                ),
                (
                    "The target of Bắc Giang province is 3,300, but its districts' targets add up"
                    " to 3,165; the report uses the province's."
                ),
                (
                    "1,163 records were not counted (after as of: 1,126; before start: 28;"
                    " repeat participant: 9)."
                ),
            ],
        }[lang]
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(table)))
            notes = [row for row in rows if row[0] == "note"]
            assert [(row[1], row[2]) for row in notes] == list(
                zip([n.code for n in report.notes], expected, strict=True)
            )
            assert all(len(row) == len(rows[0]) for row in rows)
        else:
            heading = "Ghi chú:" if lang == "vi" else "Notes:"
            tail = table[table.index(heading) :]
            assert [line[2:] for line in tail.splitlines() if line.startswith("- ")] == expected
        assert report_table(report, fmt, lang=lang, notes=False) in table

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_bulletin_ends_with_the_notes(self, example: bc.CampaignBundle, lang: Lang) -> None:
        """The bulletin's last lines are the notes, as the tables word them."""
        report = _noted(example)
        table = report_table(report, "text", lang=lang)
        lines = bulletin(report, lang).splitlines()
        assert all(f"- {line}" in table for line in lines[-3:])
        assert "24" not in lines[-2]  # the province is named, not coded

    def test_markdown_escapes_pipes(self, example: bc.CampaignBundle) -> None:
        """A pipe in a unit name does not break the Markdown table."""
        districts = [
            bc.District(
                code=d.code, name=d.name + " | x", kind=d.kind, province_code=d.province_code
            )
            for d in example.districts
        ]
        bundle = bc.CampaignBundle(
            campaign=example.campaign,
            districts=districts,
            targets=example.targets,
            records=example.records,
        )
        table = report_table(bundle.report(dt.date(2023, 5, 18)), "markdown")
        rows = [line for line in table.splitlines() if line.startswith("|")]
        assert all(line.count(" | ") == len(COLUMNS) - 1 for line in rows)


class TestJson:
    def test_round_trip(self, example_report: bc.CampaignReport) -> None:
        """The JSON text parses to the same dict, with Vietnamese letters unescaped."""
        text = report_to_json(example_report)
        assert "Sơn Động" in text
        assert json.loads(text) == report_to_dict(example_report)

    def test_exact_rates(self, example_report: bc.CampaignReport) -> None:
        """Rates are exact fractions written as strings."""
        data = report_to_dict(example_report)
        assert data["total"]["rate"] == "1928/3285"
        assert data["pace"]["required_per_day"] == "1357/13"

    def test_snapshot(self, example_report: bc.CampaignReport) -> None:
        """The example's JSON is byte for byte the committed snapshot (the contract)."""
        assert report_to_json(example_report) == snapshot.section(snapshot.JSON)

    def test_plain_values(self, example_report: bc.CampaignReport) -> None:
        """The dict holds only JSON types: enums are their values, rates numbers or text."""

        def plain(value: object) -> bool:
            if isinstance(value, dict):
                return all(type(k) is str and plain(v) for k, v in value.items())
            if isinstance(value, list):
                return all(plain(v) for v in value)
            return value is None or type(value) in {str, int, float, bool}

        data = report_to_dict(example_report)
        assert plain(data)
        assert type(data["pace"]["status"]) is str

    def test_zero_rate_keeps_a_denominator(self, example: bc.CampaignBundle) -> None:
        """A zero rate is written "0/1", not "0" as str(Fraction(0)) would."""
        data = report_to_dict(example.report(dt.date(2023, 5, 18)))
        assert data["districts"][0]["pace"]["required_per_day"] == "0/1"

    def test_key_order_follows_the_contract(self, example_report: bc.CampaignReport) -> None:
        """Objects list their keys in the documented order, not the attrs field order."""
        data = report_to_dict(example_report)
        computed = [c.key for c in COLUMNS if c.field is None and c.total is not None]
        assert list(data["total"]) == [
            "actual",
            "target",
            "completion_percent",
            "rate",
            "window_count",
            "completed_on",
            *computed,
        ]
        assert list(data["districts"][0])[5:8] == [
            "target",
            "original_target",
            "completion_percent",
        ]
        assert list(data["provinces"][0])[-1] == "target_note"

    def test_cattrs_not_imported_by_the_package(self) -> None:
        """Importing the package and the exports, and writing a JSON report, import no cattrs."""
        script = (
            "import sys, datetime, bhxh_campaign, bhxh_campaign.render.json\n"
            "import bhxh_campaign.io.export\n"
            "report = bhxh_campaign.load_campaign('examples/bac_giang_2023').report(\n"
            "    datetime.date(2023, 5, 18))\n"
            "bhxh_campaign.render.json.report_to_json(report)\n"
            "print(any(m == 'cattrs' or m.startswith('cattrs.') for m in sys.modules))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=snapshot.ROOT,
        )
        assert result.stdout.strip() == "False"

    @given(campaign_bundles())
    def test_any_report_round_trips(self, bundle: bc.CampaignBundle) -> None:
        """Any report's JSON parses back to its dict."""
        report = bundle.report()
        assert json.loads(report_to_json(report)) == report_to_dict(report)


def rows_layout_lines(data: dict[str, object], indent: int) -> list[str]:
    """The lines the ``rows`` layout must have, built the plainest way."""
    pad = " " * indent
    keys = list(data)
    lines = ["{"]
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        value = data[key]
        head = f"{pad}{json.dumps(key)}: "
        if isinstance(value, list) and value:
            lines.append(head + "[")
            for j, item in enumerate(value):
                tail = "," if j < len(value) - 1 else ""
                lines.append(pad * 2 + json.dumps(item, ensure_ascii=False) + tail)
            lines.append(pad + "]" + comma)
        else:
            lines.append(head + json.dumps(value, ensure_ascii=False) + comma)
    return [*lines, "}"]


class TestJsonLayout:
    def test_one_district_a_line(self, example_report: bc.CampaignReport) -> None:
        """Each district is one line, in order, which parses alone to its row."""
        data = report_to_dict(example_report)
        lines = report_to_json(example_report).splitlines()
        first = lines.index('  "districts": [') + 1
        rows = lines[first : first + len(data["districts"])]
        assert [json.loads(line.strip().rstrip(",")) for line in rows] == data["districts"]
        assert lines[first + len(data["districts"])] == "  ],"

    def test_line_count(self, example_report: bc.CampaignReport) -> None:
        """Lines: the braces, a top-level key each, a list's elements and closing brackets."""
        data = report_to_dict(example_report)
        lists = [v for v in data.values() if isinstance(v, list) and v]
        expected = 2 + len(data) + sum(len(v) for v in lists) + len(lists)
        assert report_to_json(example_report).count("\n") == expected

    def test_empty_lists_on_their_key_line(self, example: bc.CampaignBundle) -> None:
        """An empty list stays ``[]`` on its key's line."""
        flows = [t for t in example.targets if t.measure is bc.Measure.NEW]
        bundle = attrs.evolve(example, targets=flows, records=[])  # nothing set aside
        text = report_to_json(bundle.report(dt.date(2023, 5, 18)))
        for key in ("stock_goals", "notes", "notes_detail"):
            assert f'\n  "{key}": [],\n' in text or f'\n  "{key}": []\n' in text

    def test_nested_is_the_standard_layout(self, example_report: bc.CampaignReport) -> None:
        """``nested`` is json.dumps with the indent: one value a line."""
        data = report_to_dict(example_report)
        for indent in (2, 4):
            expected = json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
            assert report_to_json(example_report, indent=indent, layout="nested") == expected

    @pytest.mark.parametrize("layout", ["rows", "nested"])
    def test_no_indent_is_one_line(self, example_report: bc.CampaignReport, layout: str) -> None:
        """With no indent, either layout is the compact one-line document."""
        text = report_to_json(example_report, indent=None, layout=layout)  # type: ignore[arg-type]
        assert text == json.dumps(report_to_dict(example_report), ensure_ascii=False) + "\n"

    def test_unknown_layout_refused(self, example_report: bc.CampaignReport) -> None:
        """A layout other than rows or nested is an InvalidValueError naming it."""
        with pytest.raises(bc.InvalidValueError, match="'table'") as caught:
            report_to_json(example_report, layout="table")  # type: ignore[arg-type]
        assert caught.value.field == "layout"

    @given(bundle=campaign_bundles(revisions=True), indent=st.sampled_from([None, 0, 1, 2, 4]))
    def test_any_report(self, bundle: bc.CampaignBundle, indent: int | None) -> None:
        """Any report, in either layout and any indent, parses to its dict; rows line by line."""
        report = bundle.report()
        data = report_to_dict(report)
        rows = report_to_json(report, indent=indent)
        nested = report_to_json(report, indent=indent, layout="nested")
        assert json.loads(rows) == data == json.loads(nested)
        if indent is not None:
            assert rows.splitlines() == rows_layout_lines(dict(data), indent)


class TestCsvFormulaSafety:
    def test_formula_like_names_are_literal(self, example: bc.CampaignBundle) -> None:
        """A unit name that looks like a formula is written as literal text in the CSV."""
        districts = [
            bc.District(
                code=d.code,
                name="=HYPERLINK(1)" if d.code == "221" else d.name,
                kind=d.kind,
                province_code=d.province_code,
            )
            for d in example.districts
        ]
        bundle = bc.CampaignBundle(
            campaign=example.campaign,
            districts=districts,
            targets=example.targets,
            records=example.records,
        )
        rows = list(
            csv.DictReader(io.StringIO(report_table(bundle.report(dt.date(2023, 5, 18)), "csv")))
        )
        assert rows[0]["district"] == "'=HYPERLINK(1)"
