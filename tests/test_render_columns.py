"""Tests of `bhxh_campaign.render.columns`: one registry, read by every output of the table."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import attrs
import pytest
from hypothesis import given, settings

import bhxh_campaign as bc
from bhxh_campaign.io.export import district_rows, to_csv
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.render import report_table, report_to_dict
from bhxh_campaign.render.columns import (
    COLUMNS,
    Column,
    column,
    display_rows,
    headings,
    names,
    value_rows,
)
from bhxh_campaign.render.html import report_html
from bhxh_campaign.render.json import report_schema
from bhxh_campaign.render.notebook import report_table_html
from bhxh_campaign.strategies import campaign_bundles

# The v1 JSON contract names one field otherwise (docs/reference/json.md).
JSON_NAME = {"percent": "completion_percent"}


def _header_cells(table: str) -> list[str]:
    """The header cells of a Markdown table."""
    return [cell.strip() for cell in table.splitlines()[0].strip("|").split("|")]


class TestRegistry:
    def test_keys_unique_and_stable(self) -> None:
        """Keys are unique; the first nine are the 2023 CSV header, in its order."""
        keys = [c.key for c in COLUMNS]
        assert len(set(keys)) == len(keys)
        assert keys[:9] == [
            "rank",
            "code",
            "{level}",
            "new",
            "target",
            "percent",
            "rank_by_completion",
            "completed_on",
            "window",
        ]

    def test_fields_are_fields_of_a_row(self) -> None:
        """A column's field is a field of `DistrictProgress`."""
        fields = attrs.fields_dict(bc.DistrictProgress)
        assert all(c.field in fields for c in COLUMNS if c.field is not None)

    def test_needs_a_field_or_a_value(self) -> None:
        """A column that shows no field must say how to get its value."""
        with pytest.raises(ValueError, match="needs a field or a value"):
            Column(key="x", label_vi="x", label_en="x", kind="count", description="X.")

    def test_lookup(self) -> None:
        """`column` finds a column by its key, and refuses an unknown one."""
        assert column("target") is COLUMNS[4]
        with pytest.raises(KeyError):
            column("nope")


class TestEveryOutput:
    """Each output of the table has every column of the registry, in its order."""

    def test_text_and_markdown(self, example_report: bc.CampaignReport) -> None:
        """The text and Markdown tables are headed by the columns' headings."""
        for lang in ("vi", "en"):
            heads = headings(example_report, lang)
            text = report_table(example_report, "text", lang=lang).splitlines()[0]
            assert re.split(r"\s{2,}", text.strip()) == list(heads)
            markdown = report_table(example_report, "markdown", lang=lang)
            assert _header_cells(markdown) == list(heads)
            align = _header_cells(markdown.splitlines()[1] + "\n")
            assert align == ["---:" if c.numeric else ":---" for c in COLUMNS]

    def test_csv_and_export(self, example_report: bc.CampaignReport) -> None:
        """The CSV table and the export's rows have the columns' keys."""
        keys = list(names(example_report))
        reader = csv.reader(io.StringIO(report_table(example_report, "csv")))
        assert next(reader) == keys
        assert all(list(row) == keys for row in district_rows(example_report))

    def test_notebook(self, example_report: bc.CampaignReport) -> None:
        """The notebook's table: one header cell per column, numbers aligned right."""
        table = report_table_html(example_report, "en")
        head = re.search(r"<thead><tr>(.*?)</tr>", table)
        assert head is not None
        cells = re.findall(r"<th( style=\"text-align: right\")?>(.*?)</th>", head.group(1))
        assert [html.unescape(text) for _, text in cells] == list(headings(example_report, "en"))
        assert [bool(right) for right, _ in cells] == [c.numeric for c in COLUMNS]

    def test_html_page(self, example_report: bc.CampaignReport) -> None:
        """The page's league table: one header per column, by key and heading."""
        page = report_html(example_report, "vi", version="0")
        heads = re.findall(r'<th scope="col" data-key="([^"]+)"[^>]*>([^<]*)</th>', page)
        assert [key for key, _ in heads] == list(names(example_report))
        assert [html.unescape(text) for _, text in heads] == list(headings(example_report, "vi"))

    def test_json(self, example_report: bc.CampaignReport) -> None:
        """Each column is in the JSON's rows: under its field's name, or under its key."""
        data = report_to_dict(example_report)
        schema = report_schema()["$defs"]["district"]
        for c in COLUMNS:
            key = c.key if c.field is None else JSON_NAME.get(c.field, c.field)
            assert all(key in row for row in data["districts"])
            assert key in schema["required"]
            if c.field is None and c.total is not None:
                assert key in data["total"]

    def test_computed_columns_in_json(self, example_report: bc.CampaignReport) -> None:
        """A column that shows no field is in the JSON as the export has it, after the record."""
        data = report_to_dict(example_report)
        for c in COLUMNS:
            if c.field is None:
                values = [dict(row)[c.key] for row in data["districts"]]  # keys from the registry
                expected = json.loads(
                    json.dumps([row[c.key] for row in value_rows(example_report)], default=str)
                )
                assert values == expected
                keys = list(data["districts"][0])
                assert keys.index(c.key) > keys.index("pace")


class TestLevels:
    @settings(max_examples=10, deadline=None)
    @given(campaign_bundles(level=UnitLevel.COMMUNE, max_districts=3, max_records=20))
    def test_commune_report(self, bundle: bc.CampaignBundle) -> None:
        """A commune report's unit column is keyed ``commune`` and headed by its level."""
        report = bundle.report()
        assert names(report)[2] == "commune"
        assert headings(report, "vi")[2] == "Đơn vị cấp xã"
        assert headings(report, "en")[2] == "Commune or ward"
        assert report_table(report, "csv").startswith("rank,code,commune,new,")
        page = report_html(report, "en", version="0")
        assert "Commune league table" in page
        assert "✓ marks communes and wards that have reached" in page
        assert "Communes and wards ranked by completion" in page

    def test_district_report(self, example_report: bc.CampaignReport) -> None:
        """A 2023 report's unit column is keyed ``district`` and headed by its level."""
        assert names(example_report)[2] == "district"
        assert (headings(example_report, "vi")[2], headings(example_report, "en")[2]) == (
            "Đơn vị cấp huyện",
            "District",
        )
        page = report_html(example_report, "en", version="0")
        assert "District league table" in page
        assert "✓ marks districts that have reached" in page


class TestRows:
    @settings(max_examples=25, deadline=None)
    @given(campaign_bundles())
    def test_display_rows_are_the_values_written(self, bundle: bc.CampaignBundle) -> None:
        """Display text and values agree: blanks are blank, and every row has every column."""
        report = bundle.report()
        for lang in ("vi", "en"):
            heads, rows, total = display_rows(report, lang)
            assert len(heads) == len(total) == len(COLUMNS)
            assert all(len(row) == len(COLUMNS) for row in rows)
            values = value_rows(report, total=True)
            for shown, row in zip([*rows, total], values, strict=True):
                for text, value in zip(shown, row.values(), strict=True):
                    assert (text == "") == (value is None or value == "")

    def test_total_row(self, example_report: bc.CampaignReport) -> None:
        """The total row: blank ranks, the scope's code, "Total", the campaign's figures."""
        total = value_rows(example_report, total=True)[-1]
        assert total["rank"] is None
        assert total["rank_by_completion"] is None
        assert (total["code"], total["district"], total["new"]) == ("24", "Total", 1928)
        assert to_csv([total]).splitlines()[1].startswith(",24,Total,1928,3285,58.69,,,1074")
