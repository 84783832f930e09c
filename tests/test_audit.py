"""Tests of `bhxh_campaign.audit` and ``bhxh-campaign audit``: published figures checked."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.audit import (
    Check,
    PublishedFigures,
    PublishedUnit,
    TargetFit,
    audit,
    published_figures_from_dict,
    published_percent,
    targets_for,
)
from bhxh_campaign.cli import main
from bhxh_campaign.errors import InvalidValueError
from bhxh_campaign.metrics import percent

from .conftest import EXAMPLE

PUBLISHED = EXAMPLE / "published.toml"


def brute_targets(count: int, published: Decimal, limit: int) -> list[int]:
    """Every target from 1 to limit whose half-up percent is the published one."""
    places = max(0, -int(published.as_tuple().exponent))
    return [t for t in range(1, limit + 1) if percent(Fraction(count, t), places) == published]


def unit(name: str, **figures: object) -> PublishedUnit:
    """A published unit with the given figures."""
    return PublishedUnit(name=name, **figures)  # type: ignore[arg-type]


class TestTargetsFor:
    """`targets_for`: the whole-number targets a published percent allows."""

    def test_yen_dung(self) -> None:
        """318 at 111.58% allows exactly one target: 285."""
        assert targets_for(318, "111.58") == (TargetFit(count=318, target=285),)

    def test_son_dong(self) -> None:
        """112.67% with fewer than 268 allows 169/150 and 249/221, nothing else."""
        assert targets_for(None, "112.67", max_count=267) == (
            TargetFit(count=169, target=150),
            TargetFit(count=249, target=221),
        )

    def test_province(self) -> None:
        """1,928 at 58.69% allows only 3,285."""
        assert [f.target for f in targets_for(1928, Decimal("58.69"))] == [3285]

    @given(st.integers(1, 3000), st.integers(1, 3000), st.integers(0, 3))
    def test_true_target_is_found(self, count: int, target: int, places: int) -> None:
        """The target a percent was computed from is always among the fits."""
        published = percent(Fraction(count, target), places)
        assume(published > 0)
        assert TargetFit(count=count, target=target) in targets_for(count, published)

    @given(st.integers(0, 400), st.integers(1, 400), st.integers(0, 2))
    def test_matches_brute_force(self, count: int, target: int, places: int) -> None:
        """The fits are exactly the targets a brute-force search finds."""
        published = percent(Fraction(count, target), places)
        assume(published > 0)
        half = Fraction(1, 2 * 10**places)
        limit = math.floor(100 * count / (Fraction(published) - half)) + 2
        assume(limit <= 3000)
        fits = targets_for(count, published)
        assert [f.target for f in fits] == brute_targets(count, published, limit)

    @given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 40))
    def test_unknown_count_matches_brute_force(
        self, count: int, target: int, max_count: int
    ) -> None:
        """With the count unknown, the fits are every (count, target) pair up to max_count."""
        published = percent(Fraction(count, target), 1)
        # No target above 100 x max_count / (percent - 0.05) can fit.
        limit = math.floor(100 * max_count / (Fraction(published) - Fraction(1, 20))) + 1
        expected = sorted(
            ((t, c) for c in range(max_count + 1) for t in brute_targets(c, published, limit)),
        )
        got = targets_for(None, published, max_count=max_count)
        assert [(f.target, f.count) for f in got] == expected

    def test_zero_percent_is_refused(self) -> None:
        """0% fits a count of 0 with every target: refused, naming the percent."""
        with pytest.raises(InvalidValueError, match="any target"):
            targets_for(0, "0.00")

    def test_unknown_count_needs_max_count(self) -> None:
        """Without a count, max_count is required."""
        with pytest.raises(InvalidValueError, match="max_count"):
            targets_for(None, "50")

    def test_impossible_percent(self) -> None:
        """A percent no whole target gives for the count: no fits."""
        assert targets_for(1, "30.00") == ()

    def test_rate(self) -> None:
        """A fit's rate is exact."""
        assert TargetFit(count=169, target=150).rate == Fraction(169, 150)


class TestPublishedPercent:
    """`published_percent`: text or Decimal, keeping the published decimals."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("58.69", "58.69"), ("58,69", "58.69"), (" 3.70 % ", "3.70"), ("112", "112")],
    )
    def test_accepted(self, raw: str, expected: str) -> None:
        """Dots, Vietnamese commas and a percent sign are read; trailing zeros are kept."""
        value = published_percent(raw)
        assert value == Decimal(expected)
        assert str(value) == expected

    @pytest.mark.parametrize("raw", [58.69, "abc", "-1", "NaN", "Infinity", None, 5])
    def test_refused(self, raw: object) -> None:
        """Floats, ints, negative, non-finite and non-numeric percents are refused."""
        with pytest.raises(InvalidValueError):
            published_percent(raw)  # type: ignore[arg-type]


class TestPublishedTypes:
    """`PublishedUnit` and `PublishedFigures` are validated frozen values."""

    def test_frozen_and_hashable(self) -> None:
        """Equal units are equal and hash equal; fields cannot be assigned."""
        a = unit("Yên Dũng", count=318, percent="111.58")
        b = unit("Yên Dũng", count=318, percent=Decimal("111.58"))
        assert a == b
        assert hash(a) == hash(b)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.count = 1  # type: ignore[misc]

    @pytest.mark.parametrize(
        "figures",
        [
            {"count": -1},
            {"count": True},
            {"target": 0},
            {"rank": 0},
            {"window_count": 1.5},
            {"count": 3, "max_count": 5},
        ],
    )
    def test_bad_figures_refused(self, figures: dict[str, object]) -> None:
        """Negative counts, zero targets or ranks, non-ints and count with max_count."""
        with pytest.raises(InvalidValueError):
            unit("A", **figures)

    def test_blank_name_refused(self) -> None:
        """A unit needs a name."""
        with pytest.raises(InvalidValueError, match="name"):
            unit(" ")

    def test_label(self) -> None:
        """The label names the unit, with its code when known."""
        assert unit("Yên Dũng", code="221").label == "Yên Dũng (221)"
        assert unit("Yên Dũng").label == "Yên Dũng"


class TestAuditPercents:
    """`audit` checks percent == count / target, half-up at the published decimals."""

    @given(st.integers(0, 5000), st.integers(1, 5000), st.integers(0, 4))
    def test_computed_percent_is_consistent(self, count: int, target: int, places: int) -> None:
        """A percent computed from the count and target always audits clean."""
        p = percent(Fraction(count, target), places)
        result = audit(PublishedFigures(total=unit("T", count=count, target=target, percent=p)))
        assert result.consistent
        assert result.checked == 1

    @given(st.integers(0, 5000), st.integers(1, 5000), st.integers(1, 3))
    def test_off_by_one_digit_is_flagged(self, count: int, target: int, places: int) -> None:
        """One unit in the last published digit away is flagged with both numbers."""
        p = percent(Fraction(count, target), places)
        wrong = p + Decimal(1).scaleb(-places)
        result = audit(PublishedFigures(total=unit("T", count=count, target=target, percent=wrong)))
        (finding,) = result.findings
        assert finding.check is Check.PERCENT
        assert (finding.published, finding.expected) == (str(wrong), str(p))
        assert f"{count} / {target}" in finding.detail

    def test_half_up_not_half_even(self) -> None:
        """58.685% exactly publishes as 58.69 (half-up); 58.68 is flagged."""
        good = unit("T", count=11737, target=20000, percent="58.69")
        bad = unit("T", count=11737, target=20000, percent="58.68")
        assert audit(PublishedFigures(total=good)).consistent
        assert not audit(PublishedFigures(total=bad)).consistent

    def test_percent_with_target_but_no_count(self) -> None:
        """A percent no whole count out of the target gives is flagged as no_fit."""
        result = audit(PublishedFigures(units=[unit("A", target=3, percent="50.00")]))
        assert [f.check for f in result.findings] == [Check.NO_FIT]
        ok = audit(PublishedFigures(units=[unit("A", target=3, percent="66.67")]))
        assert ok.consistent

    def test_percent_no_target_fits(self) -> None:
        """A count and percent that no target reconciles is flagged as no_fit."""
        result = audit(PublishedFigures(units=[unit("A", count=1, percent="30.00")]))
        (finding,) = result.findings
        assert finding.check is Check.NO_FIT
        assert "count of 1" in finding.detail


class TestAuditSums:
    """`audit` checks that totals are the sum of their parts."""

    def test_total_not_sum_of_parts(self) -> None:
        """The deliberately inconsistent bulletin: 1,929 published, the parts add to 1,928."""
        figures = PublishedFigures(
            total=unit("Bắc Giang", count=1929),
            units=[unit("A", count=1000), unit("B", count=610), unit("C", count=318)],
            complete=True,
        )
        (finding,) = audit(figures).findings
        assert finding.check is Check.SUM
        assert str(finding) == (
            "total count: published 1929, expected 1928 (sum: the 3 units' counts add up to 1928)"
        )

    @given(st.lists(st.integers(0, 500), min_size=1, max_size=8), st.integers(-3, 3))
    def test_complete_sums(self, parts: list[int], error: int) -> None:
        """With every unit published, the total must equal the sum exactly."""
        total = max(sum(parts) + error, 0)
        figures = PublishedFigures(
            total=unit("T", count=total, target=total + 1, window_count=0),
            units=[unit(f"U{i}", count=c, target=c + 1) for i, c in enumerate(parts)],
            complete=True,
        )
        findings = audit(figures).findings
        assert [f.figure for f in findings] == ["total count"] * (total != sum(parts)) + [
            "total target"
        ] * (total + 1 != sum(parts) + len(parts))

    @given(st.lists(st.integers(0, 500), min_size=1, max_size=8), st.integers(-3, 3))
    def test_partial_sums(self, parts: list[int], error: int) -> None:
        """With some units published, their sum must only not exceed the total."""
        total = max(sum(parts) + error, 0)
        figures = PublishedFigures(
            total=unit("T", count=total),
            units=[unit(f"U{i}", count=c) for i, c in enumerate(parts)],
        )
        findings = audit(figures).findings
        assert bool(findings) == (sum(parts) > total)
        for finding in findings:
            assert finding.expected == f"at least {sum(parts)}"

    def test_window_more_than_count(self) -> None:
        """A 7-day count above the count it belongs to is flagged."""
        (finding,) = audit(PublishedFigures(total=unit("T", count=5, window_count=6))).findings
        assert (finding.check, finding.published, finding.expected) == (
            Check.WINDOW,
            "6",
            "at most 5",
        )


def competition(counts: list[int]) -> list[int]:
    """Competition ranks of counts, the plainest way."""
    return [1 + sum(o > c for o in counts) for c in counts]


class TestAuditRanks:
    """`audit` checks ranks by count (competition ranking)."""

    @given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
    def test_true_ranks_are_consistent(self, counts: list[int]) -> None:
        """Ranks computed from the counts audit clean, complete or not."""
        ranks = competition(counts)
        units = [
            unit(f"U{i}", count=c, rank=r)
            for i, (c, r) in enumerate(zip(counts, ranks, strict=True))
        ]
        assert audit(PublishedFigures(units=units, complete=True)).consistent
        assert audit(PublishedFigures(units=units[:2])).consistent

    @given(st.lists(st.integers(0, 30), min_size=1, max_size=8), st.data())
    def test_wrong_rank_is_flagged_when_complete(
        self, counts: list[int], data: st.DataObject
    ) -> None:
        """In a complete list, any rank other than the competition rank is flagged."""
        ranks = competition(counts)
        at = data.draw(st.integers(0, len(counts) - 1))
        wrong = data.draw(st.integers(1, 9).filter(lambda r: r != ranks[at]))
        ranks[at] = wrong
        units = [
            unit(f"U{i}", count=c, rank=r)
            for i, (c, r) in enumerate(zip(counts, ranks, strict=True))
        ]
        findings = audit(PublishedFigures(units=units, complete=True)).findings
        assert f"U{at} rank" in [f.figure for f in findings]

    def test_swapped_ranks_in_partial_list(self) -> None:
        """Hiệp Hòa 302 ranked above Yên Dũng 318 is flagged."""
        units = [unit("Yên Dũng", count=318, rank=2), unit("Hiệp Hòa", count=302, rank=1)]
        findings = audit(PublishedFigures(units=units)).findings
        assert [(f.figure, f.published, f.expected) for f in findings] == [
            ("Hiệp Hòa rank", "1", "at least 2")
        ]

    def test_tie_with_different_ranks(self) -> None:
        """Equal counts must share a rank."""
        units = [unit("A", count=5, rank=1), unit("B", count=5, rank=2)]
        findings = audit(PublishedFigures(units=units)).findings
        assert findings
        assert all(f.check is Check.RANK for f in findings)

    def test_rank_too_high_for_published_counts(self) -> None:
        """A rank better than the published larger counts allow is flagged."""
        units = [unit("A", count=9), unit("B", count=5, rank=1)]
        (finding,) = audit(PublishedFigures(units=units)).findings
        assert (finding.figure, finding.expected) == ("B rank", "at least 2")


class TestSeedBulletin:
    """The seed bulletin's F1-F9, as published, audit clean."""

    def test_published_toml_is_consistent(self) -> None:
        """examples/bac_giang_2023/published.toml audits clean and infers 285, 150/221."""
        data = tomllib.loads(PUBLISHED.read_text(encoding="utf-8"))
        result = audit(published_figures_from_dict(data))
        assert result.consistent
        assert result.inferred == (
            ("Yên Dũng (221)", (TargetFit(count=318, target=285),)),
            (
                "Sơn Động (220)",
                (TargetFit(count=169, target=150), TargetFit(count=249, target=221)),
            ),
        )
        assert data["stock_goal"] == 52139

    def test_figures_match_the_example(self) -> None:
        """The published figures are what the bundled example reports."""
        report = bc.load_campaign(EXAMPLE).report(dt.date(2023, 5, 18))
        figures = published_figures_from_dict(tomllib.loads(PUBLISHED.read_text("utf-8")))
        assert figures.total is not None
        assert (figures.total.count, figures.total.target, figures.total.percent) == (
            report.total.actual,
            report.total.target,
            report.total.percent,
        )
        for published in figures.units:
            assert published.code is not None
            row = report.district(published.code)
            assert published.count in (None, row.actual)
            assert published.rank in (None, row.rank_by_actual)
            assert published.percent in (None, row.percent)


class TestFromDict:
    """`published_figures_from_dict` reads parsed TOML and names bad tables."""

    @pytest.mark.parametrize(
        ("data", "match"),
        [
            ({"units": {"name": "A"}}, "units must be a list"),
            ({"units": ["A"]}, r"units\[0\] must be a table"),
            ({"units": [{"name": "A", "cuont": 1}]}, r"units\[0\] has unknown keys \['cuont'\]"),
            ({"total": {"name": "T", "percent": 58.69}}, "total: percent"),
            ({"total": {"count": 1}}, "total"),
            ({"complete": "yes"}, "complete must be true or false"),
            ({"source": 1}, "source must be text"),
            ({"unit": [{"name": "A", "count": 1}]}, r"unknown keys \['unit'\]"),
            ({"Total": {"name": "T"}, "as_of": "2023-05-18"}, r"unknown keys \['Total'\]"),
        ],
    )
    def test_bad_data(self, data: dict[str, object], match: str) -> None:
        """Malformed tables are refused with a message naming them."""
        with pytest.raises(InvalidValueError, match=match):
            published_figures_from_dict(data)

    def test_keys_said_but_not_audited(self) -> None:
        """published_on, as_of and stock_goal are accepted and change nothing."""
        units = [{"name": "A", "count": 60}, {"name": "B", "count": 40}]
        plain = published_figures_from_dict({"units": units})
        extra = {"published_on": "2023-05-19", "as_of": "2023-05-18", "stock_goal": 52139}
        assert published_figures_from_dict({"units": units, **extra}) == plain


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line, returning the exit code, stdout and stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestAuditCommand:
    """``bhxh-campaign audit FILE``: exit 0 consistent, 1 not, 2 bad input."""

    def test_seed_bulletin(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The seed bulletin is consistent; the inferred targets are listed."""
        code, out, _ = run(capsys, "audit", str(PUBLISHED), "--lang", "en")
        assert code == 0
        assert "consistent" in out
        assert "Yên Dũng (221) target 285 (with a count of 318)" in out
        assert "Sơn Động (220) target 150 (with a count of 169) or 221" in out

    def test_inconsistent_bulletin(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A total that is not the sum of its parts: exit 1, the exact figures listed."""
        path = tmp_path / "bad.toml"
        path.write_text(
            'complete = true\n[total]\nname = "T"\ncount = 101\npercent = "50.00"\n'
            'target = 200\n[[units]]\nname = "A"\ncount = 60\n[[units]]\nname = "B"\ncount = 40\n',
            encoding="utf-8",
        )
        code, out, _ = run(capsys, "audit", str(path), "--lang", "en")
        assert code == 1
        assert out.splitlines()[1:] == [
            (
                "  T percent: published 50.00, expected 50.50"
                " (percent: 101 / 200 = 50.500000%, rounded half-up to 2 decimals)"
            ),
            "  total count: published 101, expected 100 (sum: the 2 units' counts add up to 100)",
        ]
        assert "2 figures disagree" in out

    @pytest.mark.parametrize(
        ("content", "match"),
        [
            (None, "cannot read"),
            ("total = [", "not a TOML file"),
            ('[total]\nname = "T"\npercent = 5.0\n', "percent"),
        ],
    )
    def test_bad_input(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        content: str | None,
        match: str,
    ) -> None:
        """A missing file, bad TOML or a bad value: exit 2 and one line naming the file."""
        path = tmp_path / "figures.toml"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        code, out, err = run(capsys, "audit", str(path))
        assert (code, out) == (2, "")
        assert str(path) in err
        assert match in err
        assert len(err.splitlines()) == 1


class TestTooManyFits:
    def test_tiny_percent_is_quick(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A percent that fits millions of targets is checked without listing them."""
        path = tmp_path / "p.toml"
        path.write_text('[total]\nname = "T"\ncount = 1\npercent = "0.000001"\n', encoding="utf-8")
        assert main(["audit", str(path), "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "consistent" in out
        assert "inferred" not in out


UNIT_NAMES = st.sampled_from(["Bắc Giang", "Yên Dũng", "Sơn Động", "Tỉnh", "A"])
# Percents as a bulletin writes them: "58.69", "3.7", "112", or with a comma "58,69".
PERCENT_TEXTS = st.builds(
    lambda whole, mark, decimals: f"{whole}{mark}{decimals}" if decimals else str(whole),
    st.integers(0, 200),
    st.sampled_from(".,"),
    st.text(alphabet="0123456789", max_size=2),
)


@st.composite
def unit_tables(draw: st.DrawFn) -> dict[str, Any]:
    """A valid [[units]] table as parsed TOML: a name, any of the optional figures."""
    table: dict[str, Any] = {"name": draw(st.sampled_from(["", " "])) + draw(UNIT_NAMES)}
    optional = {
        "code": st.integers(1, 999).map(lambda n: f"{n:03d}"),
        "count": st.integers(0, 10**6),
        "target": st.integers(1, 10**6),
        "percent": PERCENT_TEXTS,
        "rank": st.integers(1, 50),
        "window_count": st.integers(0, 10**4),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            table[key] = draw(values)
    if "count" not in table and draw(st.booleans()):
        table["max_count"] = draw(st.integers(0, 10**6))
    return table


def expected_unit(table: dict[str, Any]) -> PublishedUnit:
    """The unit built directly, each value converted here: names stripped, percents Decimal."""
    return PublishedUnit(
        name=table["name"].strip(),
        code=table.get("code"),
        count=table.get("count"),
        target=table.get("target"),
        percent=None if "percent" not in table else Decimal(table["percent"].replace(",", ".")),
        rank=table.get("rank"),
        window_count=table.get("window_count"),
        max_count=table.get("max_count"),
    )


class TestFromDictProperties:
    @given(
        st.fixed_dictionaries(
            {},
            optional={
                "source": st.text(alphabet="abc đơn vị-", max_size=12),
                "complete": st.booleans(),
                "total": unit_tables(),
                "units": st.lists(unit_tables(), max_size=4),
                "as_of": st.dates().map(str),
                "stock_goal": st.integers(1, 10**6),
            },
        )
    )
    def test_same_as_built_directly(self, data: dict[str, Any]) -> None:
        """Any valid plain data gives the figures built directly from the same values.

        The oracle builds `PublishedFigures` here, with the documented defaults (no total,
        no units, not complete, empty source) and keys said but not audited left out.
        """
        expected = PublishedFigures(
            total=None if "total" not in data else expected_unit(data["total"]),
            units=[expected_unit(u) for u in data.get("units", [])],
            complete=data.get("complete", False),
            source=data.get("source", "").strip(),
        )
        got = published_figures_from_dict(data)
        assert got == expected
        assert [u.percent for u in got.units] == [
            None if "percent" not in u else Decimal(u["percent"].replace(",", "."))
            for u in data.get("units", [])
        ]
