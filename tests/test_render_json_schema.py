"""The JSON report against its schema, as shipped inside the installed package."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any, get_type_hints

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign import strategies
from bhxh_campaign.render import json as report_json
from bhxh_campaign.render.json import report_schema, report_to_dict, report_to_json

from .conftest import BULLETIN_DAY, ROOT


def shipped_schema() -> dict[str, Any]:
    """The schema file read from the installed package, as a front end would read it."""
    text = resources.files("bhxh_campaign").joinpath("data/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator() -> jsonschema.Draft202012Validator:
    schema = shipped_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors_of(document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


class TestExamples:
    def test_bac_giang_2023(self, example_report: bc.CampaignReport) -> None:
        """The 2023 example's JSON (districts) is valid against the shipped schema."""
        assert errors_of(json.loads(report_to_json(example_report))) == []

    def test_bac_ninh_2026(self) -> None:
        """The 2026 example's JSON (communes, a named province) is valid too."""
        bundle = bc.load_campaign(ROOT / "examples" / "bac_ninh_2026")
        report = bundle.report(bundle.last_data_day())
        assert errors_of(json.loads(report_to_json(report))) == []

    def test_with_a_stock(self, example: bc.CampaignBundle) -> None:
        """A stock beside the stock goal is valid, and compared as a level."""
        counts = example.counts(BULLETIN_DAY)
        position = bc.stock_on(
            BULLETIN_DAY,
            baseline=50_000,  # illustrative, not a published level
            baseline_on=dt.date(2023, 4, 30),
            added=counts.series(),
        )
        data = json.loads(report_to_json(example.report(BULLETIN_DAY), stocks={"24": position}))
        assert errors_of(data) == []
        stock = data["stock_goals"][0]["stock"]
        assert (stock["participants"], stock["percent"], stock["reached"]) == (
            51_928,
            "99.60",
            False,
        )

    def test_the_validator_bites(self, example_report: bc.CampaignReport) -> None:
        """A document breaking the contract is refused: the test is not vacuous."""
        data: Any = json.loads(report_to_json(example_report))
        data["provinces"][0]["name"] = ""
        data["pace"]["required_per_day_number"] = "104.38"
        del data["districts"][0]["required_per_day"]
        assert len(errors_of(data)) == 3


class TestGenerated:
    @settings(max_examples=25, deadline=None)
    @given(bundle=strategies.campaign_bundles(revisions=True), data=st.data())
    def test_generated_reports_are_valid(self, bundle: bc.CampaignBundle, data: Any) -> None:
        """Any report of a generated campaign, on any of its days, is valid JSON of the schema."""
        campaign = bundle.campaign
        span = (campaign.end - campaign.start).days
        as_of = campaign.start + dt.timedelta(days=data.draw(st.integers(0, span)))
        document = json.loads(report_to_json(bundle.report(as_of)))
        assert errors_of(document) == []
        for row in document["districts"]:
            pace = row["pace"]
            assert isinstance(pace["recent_per_day_number"], float)
            assert row["name"]
        assert all(p["name"] for p in document["provinces"])


class TestSchemaFile:
    def test_file_lists_every_column(self) -> None:
        """The shipped file already names every column of the league table."""
        assert report_schema() == shipped_schema()

    def test_version_2(self) -> None:
        """Version 2 removed two keys of the stock goals: the version and the $id say 2."""
        schema = shipped_schema()
        assert schema["properties"]["schema_version"]["const"] == report_json.SCHEMA_VERSION == 2
        assert schema["$id"] == "urn:bhxh-campaign:report-schema:2"

    def test_version_1_documents_refused(self, example_report: bc.CampaignReport) -> None:
        """A document of version 1 (its stock goals with a flow) is not one of version 2."""
        data: Any = json.loads(report_to_json(example_report))
        data["schema_version"] = 1
        data["stock_goals"][0] |= {"new_participants": 1928, "share_percent": "3.70"}
        assert errors_of(data) == ["['schema_version']: 2 was expected"]


class TestStockGoalsCompareLevels:
    def test_no_flow_against_the_goal(self, example_report: bc.CampaignReport) -> None:
        """A stock goal holds the level and its stock, nothing of the campaign's flow."""
        goals = json.loads(report_to_json(example_report))["stock_goals"]
        assert goals == [{"unit_code": "24", "target": 52139, "stock": None}]
        required = shipped_schema()["$defs"]["stock_goal"]["required"]
        assert required == ["unit_code", "target", "stock"]

    def test_share_of_new_participants_not_in_the_text(
        self, example_report: bc.CampaignReport
    ) -> None:
        """The 3.70 share of 1,928 new in 52,139 is nowhere in the JSON."""
        text = report_to_json(example_report)
        assert '"3.70"' not in text
        assert "share_percent" not in text
        assert "new_participants" not in text


def _object_keys(schema: dict[str, Any], name: str) -> list[str]:
    node = schema["$defs"].get(name) or schema["properties"][name]
    return list(node["properties"])


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        (report_json.CampaignDict, "campaign"),
        (report_json.TotalDict, "total"),
        (report_json.WindowDict, "window"),
        (report_json.DistrictDict, "district"),
        (report_json.ProvinceDict, "province"),
        (report_json.StockGoalDict, "stock_goal"),
        (report_json.StockDict, "stock"),
        (report_json.PaceDict, "pace"),
    ],
)
def test_typed_dicts_name_the_schema_keys(typed: type, name: str) -> None:
    """Each TypedDict has exactly the keys of its object in the schema, and in the output."""
    assert sorted(get_type_hints(typed)) == sorted(_object_keys(shipped_schema(), name))


def test_report_dict_keys(example_report: bc.CampaignReport) -> None:
    """The report's TypedDict names the keys report_to_dict returns, in its order."""
    data = report_to_dict(example_report)
    assert list(get_type_hints(report_json.ReportDict)) == list(data)
    assert sorted(get_type_hints(report_json.DistrictDict)) == sorted(data["districts"][0])
    assert sorted(get_type_hints(report_json.PaceDict)) == sorted(data["pace"])
    assert sorted(get_type_hints(report_json.TotalDict)) == sorted(data["total"])


class TestProvinceName:
    def _report(self, scope: str, name: str = "") -> bc.CampaignReport:
        start = dt.date(2023, 5, 1)
        campaign = bc.Campaign(id="c", name="C", scope=scope, start=start, end=dt.date(2023, 5, 31))
        units = [bc.District(code="221", name="Yên Dũng", kind="huyen", province_code=scope)]
        counts = bc.DailyCounts(start=start, end=start, grid={"221": [3]})
        targets = [bc.Target(unit_code="221", campaign_id="c", value=10)]
        provinces = [bc.Province(code=scope, name=name)] if name else []
        return bc.campaign_report(campaign, units, targets, counts, provinces=provinces)

    def test_given_name_kept(self) -> None:
        """A name the folder gives is the name."""
        data = report_to_dict(self._report("24", "Tỉnh Bắc Giang (cũ)"))
        assert data["provinces"][0]["name"] == "Tỉnh Bắc Giang (cũ)"

    def test_register_fills_a_missing_name(self) -> None:
        """Without a name, the register's name on the campaign's first day."""
        assert report_to_dict(self._report("24"))["provinces"][0]["name"] == "Bắc Giang"

    def test_unknown_province_named_by_its_code(self) -> None:
        """A province the register does not know on that day is named by its code."""
        data = report_to_dict(self._report("99"))
        assert data["provinces"][0]["name"] == "99"
        assert errors_of(data) == []


def test_schema_adds_a_newer_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column the file does not list yet is added to report_schema() from the registry."""
    extra = bc.render.columns.Column(
        key="later",
        label_vi="Sau",
        label_en="Later",
        kind="count",
        description="A new one.",
        value=lambda _report, _row: 1,
        total=lambda _report, _lang: 1,
    )
    monkeypatch.setattr(report_json, "_computed", lambda: (extra,))
    schema = report_schema()
    assert schema["$defs"]["district"]["properties"]["later"]["description"] == "A new one."
    assert "later" in schema["properties"]["total"]["required"]
