"""`report_to_dict` against the cattrs converter it replaces, kept here as the oracle.

The JSON report was unstructured by a `cattrs` converter generated from the table of shapes
(`render.json._SHAPES`). A plain writer built from the same table must give the same
document key for key, in the same order, value for value and type for type; the converter
is kept below, as it was in ``render/json.py`` but for its names, to check that on any report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import attrs
import cattrs
import pytest
from cattrs.gen import make_dict_unstructure_fn_from_attrs, override
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign._hooks import register_scalars
from bhxh_campaign.metrics import Pace
from bhxh_campaign.model import Campaign
from bhxh_campaign.render import json as report_json
from bhxh_campaign.render._notes import note_text
from bhxh_campaign.render._pace import people_per_day
from bhxh_campaign.render._stocks import check_stocks, stock_dict
from bhxh_campaign.render.json import report_to_dict
from bhxh_campaign.report import CampaignReport, DistrictProgress, StockGoal
from bhxh_campaign.stock import StockPosition
from bhxh_campaign.strategies import campaign_bundles

from .conftest import BULLETIN_DAY, ROOT


def _old_number(value: Fraction) -> float:
    """An exact rate as a number, rounded half-up to two decimals once (through Decimal)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _old_pace_numbers(pace: Pace) -> dict[str, Any]:
    """The pace's rates as numbers, and the daily need in whole people (rounded up)."""
    need = pace.required_per_day
    return {
        "required_per_day_number": None if need is None else _old_number(need),
        "required_people_per_day": people_per_day(pace),
        "recent_per_day_number": _old_number(pace.recent_per_day),
        "planned_to_date_number": _old_number(pace.planned_to_date),
    }


def _old_converter() -> cattrs.Converter:
    """The cattrs converter of the contract: scalar hooks, then one hook per object."""
    converter = register_scalars(cattrs.Converter())
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(Fraction, lambda f: f"{f.numerator}/{f.denominator}")

    def shape(name: str) -> Callable[[Any], dict[str, Any]]:
        cls, keys, renames = report_json._SHAPES[name]
        attrs.resolve_types(cls)
        fields = attrs.fields_dict(cls)
        overrides: dict[str, Any] = {old: override(rename=new) for old, new in renames.items()}
        return make_dict_unstructure_fn_from_attrs(
            [fields[key] for key in keys], cls, converter, _cattrs_use_linecache=False, **overrides
        )

    pace_fields, goal_fields = shape("pace"), shape("stock_goal")

    def pace_hook(p: Pace) -> dict[str, Any]:
        return {**pace_fields(p), **_old_pace_numbers(p)}

    def goal_hook(g: StockGoal) -> dict[str, Any]:
        return {**goal_fields(g), "stock": None}

    converter.register_unstructure_hook(Pace, pace_hook)
    converter.register_unstructure_hook(Campaign, shape("campaign"))
    converter.register_unstructure_hook(DistrictProgress, shape("district"))
    converter.register_unstructure_hook(StockGoal, goal_hook)
    total, province, window = shape("total"), shape("province"), shape("window")

    def report(r: CampaignReport) -> dict[str, Any]:
        unstructure = converter.unstructure
        extra = report_json._computed()

        def row(d: DistrictProgress) -> dict[str, Any]:
            return {**unstructure(d), **{c.key: unstructure(c.cell(c.get(r, d))) for c in extra}}

        totals = {c.key: unstructure(c.cell(c.get_total(r))) for c in extra if c.total}
        return {
            "schema_version": report_json.SCHEMA_VERSION,
            "campaign": unstructure(r.campaign),
            "level": r.level.value,
            "as_of": unstructure(r.as_of),
            "known_at": unstructure(r.known_at),
            "total": {**total(r.total), **totals},
            "window": {
                **window(r.window),
                "days": r.window.days,
                "count": r.total.window_count,
                "inclusive": True,
            },
            "districts": [row(d) for d in r.districts],
            "provinces": [
                {**province(p), "name": report_json._province_name(r, str(p.code), p.name)}
                for p in r.provinces
            ],
            "stock_goals": [unstructure(g) for g in r.stock_goals],
            "pace": unstructure(r.total.pace),
            "excluded": dict(r.excluded),
            "notes": [note_text(r, n, "en") for n in r.notes],
            "notes_detail": [
                {"code": n.code, "data": {k: unstructure(v) for k, v in n.data}} for n in r.notes
            ],
        }

    converter.register_unstructure_hook(CampaignReport, report)
    return converter


def old_report_to_dict(
    report: CampaignReport, stocks: Mapping[str, StockPosition] | None = None
) -> dict[str, Any]:
    """The report as the cattrs converter wrote it."""
    checked = check_stocks(report, stocks)
    data: dict[str, Any] = _old_converter().unstructure(report)
    for goal in data["stock_goals"]:
        position = checked.get(goal["unit_code"])
        if position is not None:
            goal["stock"] = stock_dict(position, goal["target"])
    return data


def differences(new: object, old: object, path: str = "$") -> list[str]:
    """Where two documents differ: a key, its order, a value, or a value's type."""
    if type(new) is not type(old):
        return [f"{path}: {type(new).__name__} {new!r} != {type(old).__name__} {old!r}"]
    if isinstance(new, dict) and isinstance(old, dict):
        if list(new) != list(old):
            return [f"{path}: keys {list(new)} != {list(old)}"]
        return [d for key in new for d in differences(new[key], old[key], f"{path}.{key}")]
    if isinstance(new, list) and isinstance(old, list):
        if len(new) != len(old):
            return [f"{path}: {len(new)} items != {len(old)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(new, old, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    return [] if new == old else [f"{path}: {new!r} != {old!r}"]


def _stock(bundle: bc.CampaignBundle, day: dt.date, baseline: int) -> StockPosition:
    """An illustrative stock on ``day``: a baseline the day before the campaign, plus its flow."""
    return bc.stock_on(
        day,
        baseline=baseline,
        baseline_on=bundle.campaign.start - dt.timedelta(days=1),
        added=bundle.counts(day).series(),
    )


class TestAgainstCattrs:
    @pytest.mark.parametrize("day", [dt.date(2023, 5, 1), BULLETIN_DAY, dt.date(2023, 5, 31)])
    def test_bac_giang_2023(self, example: bc.CampaignBundle, day: dt.date) -> None:
        """The 2023 example, on its first, bulletin and last days, is written as before."""
        report = example.report(day)
        assert differences(report_to_dict(report), old_report_to_dict(report)) == []

    def test_bac_giang_2023_with_a_stock(self, example: bc.CampaignBundle) -> None:
        """With a stock beside the stock goal, the document is as before."""
        report = example.report(BULLETIN_DAY)
        stocks = {"24": _stock(example, BULLETIN_DAY, 50_000)}
        new = report_to_dict(report, stocks=stocks)
        assert new["stock_goals"][0]["stock"] is not None
        assert differences(new, old_report_to_dict(report, stocks)) == []

    def test_bac_ninh_2026(self) -> None:
        """The 2026 example (communes and wards, a named province) is written as before."""
        bundle = bc.load_campaign(ROOT / "examples" / "bac_ninh_2026")
        report = bundle.report(bundle.last_data_day())
        assert differences(report_to_dict(report), old_report_to_dict(report)) == []

    @given(bundle=campaign_bundles(revisions=True), data=st.data())
    def test_generated_reports(self, bundle: bc.CampaignBundle, data: st.DataObject) -> None:
        """Any generated report, on any day, with or without a stock goal, is as before."""
        campaign = bundle.campaign
        if data.draw(st.booleans(), label="stock goal"):
            goal = bc.Target(
                unit_code=campaign.scope,
                campaign_id=campaign.id,
                value=data.draw(st.integers(1, 10**6), label="goal"),
                measure="stock",
            )
            bundle = attrs.evolve(bundle, targets=[*bundle.targets, goal])
        span = (campaign.end - campaign.start).days
        as_of = campaign.start + dt.timedelta(days=data.draw(st.integers(0, span), label="day"))
        report = bundle.report(as_of)
        stocks = None
        if bool(report.stock_goals) and data.draw(st.booleans(), label="stock"):
            baseline = data.draw(st.integers(0, 10**6), label="baseline")
            stocks = {campaign.scope: _stock(bundle, as_of, baseline)}
        new = report_to_dict(report, stocks=stocks)
        assert differences(new, old_report_to_dict(report, stocks)) == []


class TestValues:
    @given(st.fractions(max_denominator=10**12).filter(lambda f: abs(f) < 10**12))
    def test_numbers_round_like_decimal(self, rate: Fraction) -> None:
        """A rate as a number: the float of its half-up two-decimal Decimal, sign and all."""
        assert report_json._number(rate) == _old_number(rate)

    @given(
        half=st.integers(-(10**9), 10**9).map(lambda k: Fraction(2 * k + 1, 200)),
        step=st.integers(1, 10**6),
        side=st.sampled_from([-1, 0, 1]),
    )
    def test_numbers_near_a_half(self, half: Fraction, step: int, side: int) -> None:
        """Near a half hundredth, exactly on it, or just either side: as Decimal rounds."""
        rate = half + Fraction(side, step)
        assert report_json._number(rate) == _old_number(rate)

    @pytest.mark.parametrize(
        ("rate", "number"),
        [(Fraction(1357, 13), 104.38), (Fraction(1, 200), 0.01), (Fraction(1, 201), 0.0)],
    )
    def test_numbers_by_hand(self, rate: Fraction, number: float) -> None:
        """104.3846... is 104.38; exactly half a hundredth rounds up; just under, down."""
        assert report_json._number(rate) == number

    @pytest.mark.parametrize(
        "value", [1.5, dt.datetime(2023, 5, 18, 9, tzinfo=dt.UTC), object(), [1]]
    )
    def test_a_value_of_no_known_type_is_refused(self, value: object) -> None:
        """A float, a datetime or anything unexpected is a TypeError naming its type."""
        with pytest.raises(TypeError, match=type(value).__qualname__):
            report_json._plain(value)

    def test_enums_are_their_values(self) -> None:
        """An enum member is written as its value, text or number, as a plain type."""
        written = [report_json._plain(m) for m in (bc.Measure.STOCK, bc.UnitLevel.COMMUNE)]
        assert written == ["stock", "commune"]
        assert all(type(v) is str for v in written)

    def test_shapes_name_fields(self) -> None:
        """Every key of the table of shapes is a field of its attrs class."""
        for cls, keys, renames in report_json._SHAPES.values():
            fields = attrs.fields_dict(cls)
            assert set(keys) <= set(fields)
            assert set(renames) <= set(keys)

    def test_a_shape_of_one_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A shape of a single key is written as a one-key object, renamed as asked."""
        shape = (bc.Window, ("start",), {"start": "from"})
        monkeypatch.setitem(report_json._SHAPES, "start_only", shape)
        write = report_json._shape("start_only")
        window = bc.Window(start=dt.date(2023, 5, 12), end=dt.date(2023, 5, 18))
        assert write(window) == {"from": "2023-05-12"}
