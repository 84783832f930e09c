"""The arrow engine with late records, cancellations, ``known_at`` and a policy.

`daily_counts_arrow` must give `daily_counts`'s `DailyCounts` (grid, every tally and the
known-at day) on files with ``recorded_on`` and ``cancelled_on`` columns, as CSV or
Parquet, at both levels, for every `NewParticipantPolicy`, on its fast path; and what the
fast path cannot judge goes to the exact path with the same result or the same refusal.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bhxh_campaign import EnrollmentRecord, LoadError, daily_counts
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import NewParticipantPolicy
from bhxh_campaign.engines import daily_counts_arrow, daily_counts_for, last_data_day_for
from bhxh_campaign.errors import CampaignError
from bhxh_campaign.strategies import campaign_bundles

from .test_engines import EXAMPLE, HEADER, MAY
from .test_engines_arrow import exact_calls, write

KNOWN_HEADER = (*HEADER, "recorded_on", "cancelled_on")

policies = st.none() | st.builds(
    NewParticipantPolicy,
    prior_records=st.sampled_from(["ignore", "exclude"]),
    lapse_days=st.none() | st.integers(1, 10),
    transfers=st.sampled_from(["first", "last"]),
)


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def known_rows(records: Sequence[EnrollmentRecord]) -> list[tuple[str, ...]]:
    """Records as CSV rows of `KNOWN_HEADER` (an empty cell for a missing day)."""
    return [
        (
            r.record_id,
            r.participant_id,
            r.district_code,
            r.enrolled_on.isoformat(),
            _day(r.recorded_on),
            _day(r.cancelled_on),
        )
        for r in records
    ]


@st.composite
def known_cases(draw: st.DrawFn) -> tuple[CampaignBundle, dict[str, Any]]:
    """A bundle with late and cancelled records, and the arguments of one count.

    Record ids are redrawn of any printable form and unequal lengths, and some records
    are copied onto the same day in another unit, so ties on a day are decided by text.
    """
    bundle = draw(campaign_bundles(revisions=True))
    campaign = bundle.campaign
    codes = [d.code for d in bundle.districts]
    drawn = draw(st.lists(st.sampled_from(bundle.records), max_size=6)) if bundle.records else []
    copies = [attrs.evolve(r, district_code=draw(st.sampled_from(codes))) for r in drawn]
    records = [*bundle.records, *copies]
    # Not starting with "#" (a spreadsheet error) or "'" (a neutralised formula), which the
    # loader reads otherwise: such a file goes to the exact path.
    printable = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
    ids = st.text(printable, min_size=1, max_size=4).filter(lambda s: s[0] not in "#'")
    names = draw(st.lists(ids, min_size=len(records), max_size=len(records), unique=True))
    records = [attrs.evolve(r, record_id=n) for r, n in zip(records, names, strict=True)]
    near = st.dates(campaign.start - dt.timedelta(days=3), campaign.end + dt.timedelta(days=12))
    arguments = {
        "as_of": draw(st.none() | st.dates(campaign.start, campaign.end + dt.timedelta(days=3))),
        "units": draw(st.none() | st.just(codes)),
        "known_at": draw(st.none() | near),
        "policy": draw(policies),
    }
    return attrs.evolve(bundle, records=records), arguments


@contextmanager
def records_file(records: Sequence[EnrollmentRecord], kind: str) -> Iterator[Path]:
    """The records as a CSV or Parquet file (days as DATE or text) with both day columns."""
    rows = known_rows(records)
    with tempfile.TemporaryDirectory() as folder:
        if kind == "csv":
            yield write(Path(folder) / "enrollments.csv", rows, KNOWN_HEADER)
            return
        data: dict[str, Any] = {name: [row[i] for row in rows] for i, name in enumerate(HEADER)}
        types = [pa.string()] * 3
        if kind == "parquet-dates":
            data["enrolled_on"] = [r.enrolled_on for r in records]
            data["recorded_on"] = [r.recorded_on for r in records]
            data["cancelled_on"] = [r.cancelled_on for r in records]
            types += [pa.date32()] * 3
        else:  # ISO text; padded with a space (which the fast path leaves to the exact one)
            pad = " " if kind == "parquet-padded" else ""
            data["enrolled_on"] = [row[3] + pad for row in rows]
            data["recorded_on"] = [row[4] or None for row in rows]
            data["cancelled_on"] = [row[5] or None for row in rows]
            types += [pa.string()] * 3
        schema = pa.schema(list(zip(KNOWN_HEADER, types, strict=True)))
        path = Path(folder) / "enrollments.parquet"
        pq.write_table(pa.table(data, schema=schema), path)
        yield path


def expected(bundle: CampaignBundle, arguments: dict[str, Any]) -> Any:
    """What `daily_counts` gives on the bundle's records."""
    return daily_counts(bundle.records, bundle.campaign, **arguments)


def arrow(path: Path, bundle: CampaignBundle, arguments: dict[str, Any], *, fast: bool) -> Any:
    """The arrow engine's count, checking that it kept (or left) its fast path."""
    with exact_calls() as calls:
        got = daily_counts_arrow(path, bundle.campaign, **arguments)
    assert (not calls) is fast
    return got


class TestKnownFastPath:
    """Late and cancelled records, known_at and policies: pyarrow and numpy, exactly."""

    @given(known_cases(), st.sampled_from(["csv", "parquet-dates", "parquet-text"]))
    def test_matches_python(self, case: tuple[CampaignBundle, dict[str, Any]], kind: str) -> None:
        """Grid, every tally and the known-at day equal `daily_counts`'s, on its fast path."""
        bundle, arguments = case
        with records_file(bundle.records, kind) as path:
            got = arrow(path, bundle, arguments, fast=True)
        assert got == expected(bundle, arguments)
        assert got.known_at == arguments["known_at"]

    @given(known_cases())
    def test_plain_file_with_known_at(self, case: tuple[CampaignBundle, dict[str, Any]]) -> None:
        """Without the day columns, known_at and the policy still apply (nothing is late)."""
        bundle, arguments = case
        plain = [attrs.evolve(r, recorded_on=None, cancelled_on=None) for r in bundle.records]
        rows = [row[:4] for row in known_rows(plain)]
        with tempfile.TemporaryDirectory() as folder:
            path = write(Path(folder) / "enrollments.csv", rows)
            got = arrow(path, bundle, arguments, fast=True)
        assert got == expected(attrs.evolve(bundle, records=plain), arguments)

    @settings(max_examples=15)
    @given(known_cases(), st.data())
    def test_padded_days_match_python(
        self, case: tuple[CampaignBundle, dict[str, Any]], data: st.DataObject
    ) -> None:
        """Spaces around the day cells, which the loader strips, change nothing."""
        bundle, arguments = case
        pads = st.sampled_from(["", " "])
        rows = [
            (*row[:3], *((data.draw(pads) + c + data.draw(pads)) if c else c for c in row[3:]))
            for row in known_rows(bundle.records)
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = write(Path(folder) / "enrollments.csv", rows, KNOWN_HEADER)
            with exact_calls():
                got = daily_counts_arrow(path, bundle.campaign, **arguments)
        assert got == expected(bundle, arguments)

    @given(known_cases(), st.sampled_from(["csv", "parquet-dates", "parquet-padded"]))
    def test_last_data_day_matches_bundle(
        self, case: tuple[CampaignBundle, dict[str, Any]], kind: str
    ) -> None:
        """The last day with a record known and not cancelled is the bundle's, fast or not."""
        bundle, arguments = case
        known_at = arguments["known_at"]
        with records_file(bundle.records, kind) as path:
            got = last_data_day_for(path, bundle.campaign, engine="arrow", known_at=known_at)
        assert got == bundle.last_data_day(known_at)

    def test_example_with_known_at(self, example: CampaignBundle) -> None:
        """The example's folder, counted as known on a day, by `daily_counts_for`."""
        day = dt.date(2023, 5, 18)
        units = [d.code for d in example.districts]
        got = daily_counts_for(
            EXAMPLE, example.campaign, engine="arrow", as_of=day, units=units, known_at=day
        )
        assert got == example.counts(day, known_at=day)


# Rows the model refuses, in a file with both day columns.
_REFUSED = {
    "recorded before enrolled": ("1", "0000000001", "001", "2023-05-03", "2023-05-02", ""),
    "cancelled before recorded": (
        "1",
        "0000000001",
        "001",
        "2023-05-03",
        "2023-05-06",
        "2023-05-05",
    ),
    "cancelled before enrolled": ("1", "0000000001", "001", "2023-05-03", "", "2023-05-01"),
    "recorded not a day": ("1", "0000000001", "001", "2023-05-03", "2023-5-4", ""),
    "cancelled impossible": ("1", "0000000001", "001", "2023-05-03", "", "2023-02-30"),
}


class TestKnownFallback:
    """What the fast path cannot judge is counted, or refused, by the exact path."""

    @pytest.mark.parametrize("name", list(_REFUSED))
    def test_refused_row(self, tmp_path: Path, name: str) -> None:
        """A row the model refuses makes the count fail, naming the field."""
        path = write(tmp_path / "r.csv", [_REFUSED[name]], KNOWN_HEADER)
        with pytest.raises(CampaignError, match=r"recorded_on|cancelled_on"):
            daily_counts_arrow(path, MAY, known_at=dt.date(2023, 5, 20))

    def test_doubtful_cells_are_counted_exactly(self, tmp_path: Path) -> None:
        """A non-ASCII record id, in a file with the day columns, goes to the loader."""
        rows = [
            ("Đ1", "0000000001", "001", "2023-05-03", "2023-05-04", ""),
            ("r2", "0000000002", "001", "2023-05-03", "", "2023-05-10"),
        ]
        path = write(tmp_path / "r.csv", rows, KNOWN_HEADER)
        known = dt.date(2023, 5, 5)
        with exact_calls() as calls:
            got = daily_counts_arrow(path, MAY, units=["001"], known_at=known)
        assert calls
        assert got.totals() == {"001": 2}
        assert got.known_at == known
        assert daily_counts_arrow(path, MAY, units=["001"]).excluded == {"cancelled": 1}

    def test_padded_column_name_is_counted_exactly(self, tmp_path: Path) -> None:
        """A padded ``cancelled_on`` name goes to the loader, which strips it."""
        rows = [("r1", "0000000001", "001", "2023-05-03", "2023-05-04")]
        path = write(tmp_path / "r.csv", rows, (*HEADER, " cancelled_on"))
        with exact_calls() as calls:
            got = daily_counts_arrow(path, MAY, units=["001"])
        assert calls
        assert got.excluded == {"cancelled": 1}

    @settings(max_examples=10)
    @given(known_cases())
    def test_padded_parquet_days_are_counted_exactly(
        self, case: tuple[CampaignBundle, dict[str, Any]]
    ) -> None:
        """Parquet days as padded text go to the exact path, with the same counts."""
        bundle, arguments = case
        with records_file(bundle.records, "parquet-padded") as path:
            got = arrow(path, bundle, arguments, fast=not bundle.records)
        assert got == expected(bundle, arguments)

    def test_parquet_refused_row_names_it(self, tmp_path: Path) -> None:
        """A Parquet row the model refuses is named as the loader names it (line 3: the
        second row after the header), with its field."""
        table = pa.table(
            {
                "record_id": ["1", "2"],
                "participant_id": ["0000000001", "0000000002"],
                "district_code": ["001", "001"],
                "enrolled_on": [dt.date(2023, 5, 3)] * 2,
                "recorded_on": [None, dt.date(2023, 5, 1)],
            }
        )
        path = tmp_path / "r.parquet"
        pq.write_table(table, path)
        with pytest.raises(LoadError, match="recorded_on must not be before") as info:
            daily_counts_arrow(path, MAY)
        assert (info.value.line, info.value.field) == (3, "recorded_on")
