"""Tests of `daily_counts` and `DailyCounts`, against a brute-force oracle."""

from __future__ import annotations

import datetime as dt
import pickle
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bhxh_campaign import (
    Campaign,
    DailyCounts,
    EnrollmentRecord,
    Exclusion,
    InvalidValueError,
    UnknownUnitError,
    daily_counts,
)
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.counting import NewParticipantPolicy, _counts_by_policy
from bhxh_campaign.strategies import campaign_bundles, daily_counts_grids, enrollment_records

ONE_DAY = dt.timedelta(days=1)
BULLETIN_DAY = dt.date(2023, 5, 18)

Grid = dict[str, dict[dt.date, int]]


def calendar(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from start to end, both included."""
    return [start + i * ONE_DAY for i in range((end - start).days + 1)]


def oracle(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    as_of: dt.date | None,
    units: Sequence[str] | None,
) -> tuple[Grid, Counter[str]]:
    """Count the plainest way: sort, walk, remember who was seen, tally the rest."""
    last = campaign.end if as_of is None else min(as_of, campaign.end)
    days = calendar(campaign.start, last)
    grid: Grid = {unit: dict.fromkeys(days, 0) for unit in units or ()}
    excluded: Counter[str] = Counter()
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: (r.enrolled_on, r.record_id)):
        day = record.enrolled_on
        if day < campaign.start:
            excluded["before_start"] += 1
        elif day > campaign.end:
            excluded["after_end"] += 1
        elif day > last:
            excluded["after_as_of"] += 1
        elif (units is not None and record.district_code not in units) or (
            units is None and len(record.district_code) != campaign.level.code_length
        ):
            # Not a unit of the campaign: outside its list, or of the other level.
            excluded["unknown_district"] += 1
        elif record.participant_id in seen:
            excluded["repeat_participant"] += 1
        else:
            seen.add(record.participant_id)
            if record.district_code not in grid:
                grid[record.district_code] = dict.fromkeys(days, 0)
            grid[record.district_code][day] += 1
    return grid, excluded


def as_grid(counts: DailyCounts) -> Grid:
    """The counts as a plain mapping of unit to day to count."""
    return {unit: counts.series(unit) for unit in counts.units}


def unit_codes(bundle: CampaignBundle) -> list[str]:
    """The district codes of a bundle."""
    return [d.code for d in bundle.districts]


@st.composite
def counted_bundles(
    draw: st.DrawFn,
) -> tuple[CampaignBundle, dt.date | None, list[str] | None]:
    """A bundle, an as-of day (None, inside, or after the campaign) and units (or None)."""
    bundle = draw(campaign_bundles())
    campaign = bundle.campaign
    as_of = draw(
        st.none() | st.dates(campaign.start, campaign.end + dt.timedelta(days=5)),
    )
    units = draw(st.none() | st.just(unit_codes(bundle)))
    return bundle, as_of, units


def record(record_id: str, participant: str, district: str, day: dt.date) -> EnrollmentRecord:
    """A record with only the fields counting reads."""
    return EnrollmentRecord(
        record_id=record_id, participant_id=participant, district_code=district, enrolled_on=day
    )


MAY = Campaign(
    id="may", name="May", scope="24", start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31)
)


# Deferred: a problem building the strategy fails this test, not the whole module.
CROWDED_RECORDS = st.deferred(
    lambda: st.lists(
        enrollment_records(
            district_codes=st.sampled_from(["220", "221", "222"]),
            days=st.dates(dt.date(2023, 4, 28), dt.date(2023, 6, 3)),
            participant_ids=st.sampled_from(["2400000001", "2400000002", "024000000003"]),
        ),
        max_size=30,
        unique_by=lambda r: r.record_id,
    )
)


class TestDailyCountsFunction:
    """`daily_counts`: records to a grid of new participants, every exclusion tallied."""

    @given(counted_bundles())
    def test_grid_matches_oracle(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """The grid equals the brute-force per-district per-day counts."""
        bundle, as_of, units = case
        counts = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        grid, _ = oracle(bundle.records, bundle.campaign, as_of, units)
        assert as_grid(counts) == grid

    @given(counted_bundles())
    def test_exclusions_match_oracle(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """Every Exclusion reason's tally equals the oracle's, and no other reason appears."""
        bundle, as_of, units = case
        counts = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        _, excluded = oracle(bundle.records, bundle.campaign, as_of, units)
        for reason in Exclusion:
            assert counts.excluded.get(reason, 0) == excluded[reason], reason
        assert set(counts.excluded) <= {reason.value for reason in Exclusion}

    @given(counted_bundles())
    def test_participant_counted_once(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """The total is the number of distinct participants with an in-window, known record."""
        bundle, as_of, units = case
        campaign = bundle.campaign
        last = campaign.end if as_of is None else min(as_of, campaign.end)
        eligible = {
            r.participant_id
            for r in bundle.records
            if campaign.start <= r.enrolled_on <= last
            and (
                campaign.level.matches(r.district_code)
                if units is None
                else r.district_code in units
            )
        }
        counts = daily_counts(bundle.records, campaign, as_of=as_of, units=units)
        assert counts.total() == len(eligible)

    @given(counted_bundles())
    def test_conservation(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """Counted plus excluded is the number of records: nothing disappears."""
        bundle, as_of, units = case
        counts = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        assert counts.total() + sum(counts.excluded.values()) == len(bundle.records)

    @given(counted_bundles(), st.data())
    def test_input_order_does_not_matter(
        self,
        case: tuple[CampaignBundle, dt.date | None, list[str] | None],
        data: st.DataObject,
    ) -> None:
        """Shuffling the records (and the units) gives the same DailyCounts."""
        bundle, as_of, units = case
        shuffled = data.draw(st.permutations(bundle.records), label="records")
        shuffled_units = None if units is None else data.draw(st.permutations(units))
        expected = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        got = daily_counts(shuffled, bundle.campaign, as_of=as_of, units=shuffled_units)
        assert got == expected

    @given(counted_bundles())
    def test_districts_add_up_to_total(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """The per-district totals, the total and the province series all agree."""
        bundle, as_of, units = case
        counts = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        assert sum(counts.totals().values()) == counts.total() == sum(counts.series().values())
        for unit in counts.units:
            assert counts.total(unit) == counts.totals()[unit] == sum(counts.row(unit))

    @given(counted_bundles())
    def test_calendar_complete(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None]
    ) -> None:
        """Every unit has one entry per day from start to min(as_of, end)."""
        bundle, as_of, units = case
        campaign = bundle.campaign
        last = campaign.end if as_of is None else min(as_of, campaign.end)
        counts = daily_counts(bundle.records, campaign, as_of=as_of, units=units)
        days = calendar(campaign.start, last)
        assert (counts.start, counts.end) == (campaign.start, last)
        assert list(counts.days) == days
        assert list(counts.series()) == days
        for unit in counts.units:
            assert len(counts.row(unit)) == len(days)
            assert list(counts.series(unit)) == days

    @given(campaign_bundles())
    def test_units_all_have_rows(self, bundle: CampaignBundle) -> None:
        """With units given, each has a row, and other districts are unknown_district."""
        units = unit_codes(bundle)
        counts = daily_counts(bundle.records, bundle.campaign, units=units)
        assert counts.units == tuple(sorted(units))
        strangers = [
            r
            for r in bundle.records
            if bundle.campaign.contains(r.enrolled_on) and r.district_code not in units
        ]
        assert counts.excluded.get(Exclusion.UNKNOWN_DISTRICT, 0) == len(strangers)

    @given(campaign_bundles())
    def test_units_omitted_rows_are_counted_districts(self, bundle: CampaignBundle) -> None:
        """Without units, the rows are the units of each participant's first record.

        A record whose code is of the other level (a district code in a commune campaign)
        is not one of the campaign's units, and is tallied so.
        """
        campaign = bundle.campaign
        first: dict[str, EnrollmentRecord] = {}
        other_level = 0
        for r in bundle.records:
            if campaign.contains(r.enrolled_on) and not campaign.level.matches(r.district_code):
                other_level += 1
            elif campaign.contains(r.enrolled_on):
                best = first.get(r.participant_id)
                if best is None or (r.enrolled_on, r.record_id) < (
                    best.enrolled_on,
                    best.record_id,
                ):
                    first[r.participant_id] = r
        counts = daily_counts(bundle.records, campaign)
        assert set(counts.units) == {r.district_code for r in first.values()}
        assert counts.excluded.get(Exclusion.UNKNOWN_DISTRICT, 0) == other_level

    @given(campaign_bundles(), st.integers(1, 400))
    def test_as_of_before_start_raises(self, bundle: CampaignBundle, days_before: int) -> None:
        """An as-of day before the campaign starts is refused."""
        as_of = bundle.campaign.start - days_before * ONE_DAY
        with pytest.raises(InvalidValueError):
            daily_counts(bundle.records, bundle.campaign, as_of=as_of)

    @given(campaign_bundles(), st.integers(0, 400))
    def test_as_of_after_end_counts_through_end(
        self, bundle: CampaignBundle, days_after: int
    ) -> None:
        """An as-of day on or after the end counts through the end, like no as-of at all."""
        units = unit_codes(bundle)
        as_of = bundle.campaign.end + days_after * ONE_DAY
        counts = daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)
        assert counts.end == bundle.campaign.end
        assert counts == daily_counts(bundle.records, bundle.campaign, units=units)
        assert Exclusion.AFTER_AS_OF not in counts.excluded

    def test_tie_goes_to_smaller_record_id(self) -> None:
        """Two records of one participant on one day: the smaller record_id's district wins."""
        day = dt.date(2023, 5, 10)
        records = [
            record("BG-000002", "2400000001", "220", day),
            record("BG-000001", "2400000001", "221", day),
        ]
        for ordered in (records, records[::-1]):
            counts = daily_counts(ordered, MAY, units=["220", "221"])
            assert counts.totals() == {"220": 0, "221": 1}
            assert counts.excluded == {"repeat_participant": 1}

    @given(
        st.lists(
            st.from_regex(r"[A-Z]{2}-[0-9]{1,6}", fullmatch=True),
            min_size=2,
            max_size=2,
            unique=True,
        ),
        st.dates(MAY.start, MAY.end),
    )
    def test_tie_goes_to_smaller_record_id_any_ids(self, ids: list[str], day: dt.date) -> None:
        """For any two distinct record ids on one day, the smaller one's district counts."""
        first, second = ids
        records = [
            record(first, "2400000001", "220", day),
            record(second, "2400000001", "221", day),
        ]
        counts = daily_counts(records, MAY)
        winner = "220" if first < second else "221"
        assert counts.totals() == {winner: 1}
        assert counts.series(winner)[day] == 1

    def test_earlier_day_beats_smaller_record_id(self) -> None:
        """The first day wins over a smaller record_id on a later day."""
        records = [
            record("A", "2400000001", "220", dt.date(2023, 5, 3)),
            record("Z", "2400000001", "221", dt.date(2023, 5, 2)),
        ]
        counts = daily_counts(records, MAY, units=["220", "221"])
        assert counts.totals() == {"220": 0, "221": 1}
        assert counts.series("221")[dt.date(2023, 5, 2)] == 1

    def test_before_start_record_does_not_block_first_in_window(self) -> None:
        """A record before the start is excluded, and the participant still counts inside."""
        records = [
            record("1", "2400000001", "220", dt.date(2023, 4, 30)),
            record("2", "2400000001", "221", dt.date(2023, 5, 4)),
        ]
        counts = daily_counts(records, MAY, units=["220", "221"])
        assert counts.totals() == {"220": 0, "221": 1}
        assert counts.excluded == {"before_start": 1}

    @given(
        CROWDED_RECORDS,
        st.none() | st.dates(MAY.start, dt.date(2023, 6, 3)),
        st.none() | st.lists(st.sampled_from(["220", "221"]), unique=True),
    )
    def test_crowded_records_match_oracle(
        self, records: list[EnrollmentRecord], as_of: dt.date | None, units: list[str] | None
    ) -> None:
        """Few participants, few districts, many collisions: grid and tallies match the oracle."""
        counts = daily_counts(records, MAY, as_of=as_of, units=units)
        grid, excluded = oracle(records, MAY, as_of, units)
        assert as_grid(counts) == grid
        assert counts.excluded == {k: v for k, v in excluded.items() if v}

    def test_no_records(self) -> None:
        """No records: an all-zero grid over the given units, nothing excluded."""
        counts = daily_counts([], MAY, as_of=dt.date(2023, 5, 3), units=["220"])
        assert counts.grid == (("220", (0, 0, 0)),)
        assert counts.excluded == {}
        assert counts.series() == dict.fromkeys(calendar(MAY.start, dt.date(2023, 5, 3)), 0)


pairs_of_grids = st.lists(
    st.tuples(
        st.integers(1, 999).map(lambda n: f"{n:03d}"),
        st.lists(st.integers(0, 30), min_size=3, max_size=3),
    ),
    max_size=5,
    unique_by=lambda pair: pair[0],
)
START = dt.date(2023, 5, 1)
END = dt.date(2023, 5, 3)


class TestDailyCountsValue:
    """`DailyCounts`: an immutable, validated, value-typed grid."""

    @given(daily_counts_grids())
    def test_frozen(self, counts: DailyCounts) -> None:
        """Fields cannot be assigned."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            counts.end = counts.start  # type: ignore[misc]

    @given(daily_counts_grids())
    def test_equal_copies_hash_equal(self, counts: DailyCounts) -> None:
        """A rebuilt copy (pairs reversed) is equal and hashes equal."""
        copy = DailyCounts(
            start=counts.start,
            end=counts.end,
            grid=[(unit, list(row)) for unit, row in reversed(counts.grid)],
            exclusions=dict(counts.exclusions),
        )
        assert copy == counts
        assert hash(copy) == hash(counts)

    @given(daily_counts_grids(), st.dictionaries(st.sampled_from(Exclusion), st.integers(0, 9)))
    def test_pickle_round_trip(self, counts: DailyCounts, tally: dict[Exclusion, int]) -> None:
        """Pickling and unpickling gives an equal value."""
        value = attrs.evolve(counts, exclusions={k.value: v for k, v in tally.items()})
        restored = pickle.loads(pickle.dumps(value))
        assert restored == value
        assert hash(restored) == hash(value)

    @given(pairs_of_grids)
    def test_mapping_or_pairs_equal(self, pairs: list[tuple[str, list[int]]]) -> None:
        """Built from a mapping or from pairs in any order, the grid is the same value."""
        from_mapping = DailyCounts(start=START, end=END, grid=dict(pairs))
        from_pairs = DailyCounts(start=START, end=END, grid=pairs[::-1])
        assert from_mapping == from_pairs
        assert from_mapping.units == tuple(sorted(unit for unit, _ in pairs))
        for unit, row in pairs:
            assert from_pairs.row(unit) == tuple(row)

    @given(pairs_of_grids, st.data())
    def test_row_of_wrong_length_raises(
        self, pairs: list[tuple[str, list[int]]], data: st.DataObject
    ) -> None:
        """A row with more or fewer days than the grid is refused."""
        length = data.draw(st.integers(0, 8).filter(lambda n: n != 3), label="length")
        grid = dict(pairs)
        grid["999"] = [0] * length
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid=grid)

    @given(st.integers(max_value=-1), st.integers(0, 2))
    def test_negative_count_raises(self, count: int, at: int) -> None:
        """A negative count is refused."""
        row = [0, 0, 0]
        row[at] = count
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid={"221": row})

    @pytest.mark.parametrize("count", [True, False, 1.0, "1", None])
    def test_non_integer_count_raises(self, count: object) -> None:
        """A bool (or any non-int) count is refused."""
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid={"221": [0, count, 0]})  # type: ignore[arg-type]

    def test_duplicate_unit_raises(self) -> None:
        """The same unit twice in pairs is refused."""
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid=[("221", [0, 0, 0]), ("221", [1, 0, 0])])

    @given(st.integers(1, 400))
    def test_end_before_start_raises(self, days_before: int) -> None:
        """An end before the start is refused, even with an empty grid."""
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=START - days_before * ONE_DAY, grid={})

    @pytest.mark.parametrize("unit", ["", "2", "2211", "22a", " 221", "٢٢١", "2.1"])
    def test_bad_unit_code_raises(self, unit: str) -> None:
        """A unit code that is not two or three ASCII digits is refused."""
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid={unit: [0, 0, 0]})

    @pytest.mark.parametrize("count", [-1, True, False, 1.5, 0.0])
    def test_bad_exclusion_count_raises(self, count: object) -> None:
        """An exclusion tally that is not a whole number >= 0 is refused, bools included."""
        with pytest.raises(InvalidValueError):
            DailyCounts(start=START, end=END, grid={}, exclusions={"after_end": count})  # type: ignore[arg-type]

    @given(daily_counts_grids(), st.sampled_from(["000", "1000", "abc", "24"]))
    def test_row_of_unknown_unit_raises(self, counts: DailyCounts, unit: str) -> None:
        """`row` (and so `series`, `total`) of a unit not in the grid raises UnknownUnitError."""
        assume(unit not in counts.units)
        with pytest.raises(UnknownUnitError):
            counts.row(unit)
        with pytest.raises(UnknownUnitError):
            counts.series(unit)
        with pytest.raises(UnknownUnitError):
            counts.total(unit)

    @given(st.dictionaries(st.sampled_from(Exclusion), st.integers(0, 5)))
    def test_excluded_drops_zeros(self, tally: dict[Exclusion, int]) -> None:
        """`excluded` keeps exactly the non-zero tallies."""
        counts = DailyCounts(
            start=START, end=END, grid={}, exclusions={k.value: v for k, v in tally.items()}
        )
        assert counts.excluded == {k.value: v for k, v in tally.items() if v}
        assert all(count > 0 for _, count in counts.exclusions)

    @given(daily_counts_grids(), pairs_of_grids)
    def test_row_after_evolve_and_pickle(
        self, counts: DailyCounts, pairs: list[tuple[str, list[int]]]
    ) -> None:
        """`row` reads the grid in force: after a pickle round trip, and after `evolve`."""
        restored = pickle.loads(pickle.dumps(counts))
        for unit, counted in counts.grid:
            assert counts.row(unit) == restored.row(unit) == counted
        evolved = attrs.evolve(counts, start=START, end=END, grid=pairs)
        assert evolved.units == tuple(sorted(unit for unit, _ in pairs))
        for unit, listed in pairs:
            assert evolved.row(unit) == tuple(listed)
        assert repr(evolved) == repr(DailyCounts(start=START, end=END, grid=pairs))

    def test_zero_tally_equals_no_tally(self) -> None:
        """A zero tally is the same value as no tally at all."""
        with_zero = DailyCounts(start=START, end=END, grid={}, exclusions={"after_end": 0})
        assert with_zero == DailyCounts(start=START, end=END, grid={})

    def test_empty_grid_series_is_zeros(self) -> None:
        """With no units, the province series is calendar-complete zeros."""
        counts = DailyCounts(start=START, end=END, grid={})
        assert counts.series() == dict.fromkeys(calendar(START, END), 0)
        assert counts.total() == 0
        assert counts.totals() == {}


class TestExampleCounts:
    """The bundled Bắc Giang example, counted as of the bulletin's day 18/05/2023."""

    def test_total(self, example: CampaignBundle) -> None:
        """The province counted 1,928 new participants by 18/05/2023."""
        assert example.counts(BULLETIN_DAY).total() == 1928

    def test_district_totals(self, example: CampaignBundle) -> None:
        """The published district figures."""
        totals = example.counts(BULLETIN_DAY).totals()
        assert totals["221"] == 318
        assert totals["223"] == 302
        assert totals["219"] == 268
        assert totals["220"] == 169

    def test_excluded_consistent_with_records(self, example: CampaignBundle) -> None:
        """Counted plus excluded is every record of the example."""
        counts = example.counts(BULLETIN_DAY)
        assert counts.total() + sum(counts.excluded.values()) == len(example.records)
        assert set(counts.excluded) <= {reason.value for reason in Exclusion}

    def test_matches_oracle(self, example: CampaignBundle) -> None:
        """The example agrees with the brute-force oracle, grid and tallies."""
        units = unit_codes(example)
        counts = example.counts(BULLETIN_DAY)
        grid, excluded = oracle(example.records, example.campaign, BULLETIN_DAY, units)
        assert as_grid(counts) == grid
        assert counts.excluded == {k: v for k, v in excluded.items() if v}

    def test_through_the_bulletin_day(self, example: CampaignBundle) -> None:
        """The grid runs from 01/05 to 18/05 over every district of the example."""
        counts = example.counts(BULLETIN_DAY)
        assert (counts.start, counts.end) == (dt.date(2023, 5, 1), BULLETIN_DAY)
        assert counts.units == tuple(sorted(unit_codes(example)))


def known_oracle(
    records: Iterable[EnrollmentRecord],
    campaign: Campaign,
    as_of: dt.date | None,
    units: Sequence[str] | None,
    known_at: dt.date | None,
) -> tuple[Grid, Counter[str]]:
    """Drop in-window records not known (or cancelled) at known_at, then count the plain way."""
    last = campaign.end if as_of is None else min(as_of, campaign.end)
    kept = []
    dropped: Counter[str] = Counter()
    for r in records:
        recorded = r.enrolled_on if r.recorded_on is None else r.recorded_on
        if not campaign.start <= r.enrolled_on <= last:
            kept.append(r)
        elif known_at is not None and recorded > known_at:
            dropped["recorded_after_known_at"] += 1
        elif r.cancelled_on is not None and (known_at is None or r.cancelled_on <= known_at):
            dropped["cancelled"] += 1
        else:
            kept.append(r)
    grid, excluded = oracle(kept, campaign, as_of, units)
    return grid, excluded + dropped


@st.composite
def revised_cases(
    draw: st.DrawFn,
) -> tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None]:
    """A bundle with late and cancelled records, an as-of day, units and a known-at day."""
    bundle = draw(campaign_bundles(revisions=True))
    campaign = bundle.campaign
    margin = dt.timedelta(days=25)
    as_of = draw(st.none() | st.dates(campaign.start, campaign.end + dt.timedelta(days=5)))
    units = draw(st.none() | st.just(unit_codes(bundle)))
    known_at = draw(st.none() | st.dates(campaign.start - margin, campaign.end + margin))
    return bundle, as_of, units, known_at


class TestKnownAt:
    """`daily_counts(..., known_at=K)`: what was known at the end of day K."""

    @given(revised_cases())
    def test_matches_oracle(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None]
    ) -> None:
        """Grid and every tally equal the brute-force count of what was known at K."""
        bundle, as_of, units, known_at = case
        counts = daily_counts(
            bundle.records, bundle.campaign, as_of=as_of, units=units, known_at=known_at
        )
        grid, excluded = known_oracle(bundle.records, bundle.campaign, as_of, units, known_at)
        assert as_grid(counts) == grid
        assert counts.excluded == {k: v for k, v in excluded.items() if v}
        assert counts.known_at == known_at

    @given(revised_cases())
    def test_tuned_loop_matches_the_general_one(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None]
    ) -> None:
        """The default rule's inlined loop equals the policy loop (`_set_aside`) under it."""
        bundle, as_of, units, known_at = case
        campaign = bundle.campaign
        counts = daily_counts(bundle.records, campaign, as_of=as_of, units=units, known_at=known_at)
        general = _counts_by_policy(
            bundle.records,
            campaign,
            last=counts.end,
            known=None if units is None else frozenset(units),
            known_at=known_at,
            policy=NewParticipantPolicy(),
        )
        assert counts == general

    @given(revised_cases())
    def test_conservation(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None]
    ) -> None:
        """Counted plus excluded is every record, late and cancelled ones included."""
        bundle, as_of, units, known_at = case
        counts = daily_counts(
            bundle.records, bundle.campaign, as_of=as_of, units=units, known_at=known_at
        )
        assert counts.total() + sum(counts.excluded.values()) == len(bundle.records)

    @given(revised_cases(), st.data())
    def test_never_uses_a_record_recorded_after_known_at(
        self,
        case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None],
        data: st.DataObject,
    ) -> None:
        """Records recorded after K can be anything at all: the grid does not change."""
        bundle, as_of, units, known_at = case
        assume(known_at is not None)
        assert known_at is not None
        campaign = bundle.campaign
        later = [r for r in bundle.records if r.known_on > known_at]
        earlier = [r for r in bundle.records if r.known_on <= known_at]
        others = [
            attrs.evolve(
                r,
                participant_id=data.draw(st.sampled_from(["2400000001", "2400000002"])),
                district_code=data.draw(st.sampled_from(unit_codes(bundle))),
            )
            for r in later
        ]
        full, altered, without = (
            daily_counts(some, campaign, as_of=as_of, units=units, known_at=known_at)
            for some in (bundle.records, [*earlier, *others], earlier)
        )
        assert full.grid == altered.grid == without.grid
        last = campaign.end if as_of is None else min(as_of, campaign.end)
        in_window = [r for r in later if campaign.start <= r.enrolled_on <= last]
        assert full.excluded.get("recorded_after_known_at", 0) == len(in_window)

    @given(campaign_bundles(), st.data())
    def test_cancel_then_readd_gives_the_original(
        self, bundle: CampaignBundle, data: st.DataObject
    ) -> None:
        """A record cancelled and entered again (a correction) leaves the counts as they were."""
        assume(bundle.records)
        records = list(bundle.records)
        at = data.draw(st.integers(0, len(records) - 1), label="record")
        old = records[at]
        delay = dt.timedelta(days=data.draw(st.integers(0, 5), label="delay"))
        # Record ids are fixed-width, so a suffix keeps the record's place among them.
        cancelled = attrs.evolve(old, cancelled_on=old.enrolled_on + delay)
        records[at : at + 1] = [
            cancelled,
            attrs.evolve(old, record_id=old.record_id + "c", recorded_on=old.enrolled_on + delay),
        ]
        units = unit_codes(bundle)
        before = daily_counts(bundle.records, bundle.campaign, units=units)
        after = daily_counts(records, bundle.campaign, units=units)
        assert after.grid == before.grid
        # The cancelled record is tallied once more: as cancelled, or outside the window.
        alone = daily_counts([cancelled], bundle.campaign, units=units).excluded
        assert sum(alone.values()) == 1
        if bundle.campaign.contains(old.enrolled_on):
            assert alone == {"cancelled": 1}
        assert after.excluded == dict(Counter(before.excluded) + Counter(alone))

    @given(campaign_bundles(revisions=True), st.integers(0, 60))
    def test_total_grows_with_knowledge_without_cancellations(
        self, bundle: CampaignBundle, offset: int
    ) -> None:
        """Without cancellations, knowing one more day never lowers the total."""
        records = [attrs.evolve(r, cancelled_on=None) for r in bundle.records]
        day = bundle.campaign.start - dt.timedelta(days=10) + dt.timedelta(days=offset)
        today = daily_counts(records, bundle.campaign, known_at=day)
        tomorrow = daily_counts(records, bundle.campaign, known_at=day + ONE_DAY)
        assert today.total() <= tomorrow.total()

    @given(campaign_bundles(revisions=True))
    def test_knowing_everything_is_the_default(self, bundle: CampaignBundle) -> None:
        """Known at a day after every recording and cancellation: the default counts."""
        last = max(
            [r.known_on for r in bundle.records]
            + [r.cancelled_on for r in bundle.records if r.cancelled_on is not None]
            + [bundle.campaign.end]
        )
        units = unit_codes(bundle)
        default = daily_counts(bundle.records, bundle.campaign, units=units)
        late = daily_counts(bundle.records, bundle.campaign, units=units, known_at=last)
        assert (late.grid, late.exclusions) == (default.grid, default.exclusions)
        assert (late.known_at, default.known_at) == (last, None)

    def test_late_record_is_counted_on_its_enrollment_day(self) -> None:
        """A record entered on 05/05 for 02/05 counts on 02/05, once it is known."""
        late = attrs.evolve(
            record("1", "2400000001", "221", dt.date(2023, 5, 2)), recorded_on=dt.date(2023, 5, 5)
        )
        as_of = dt.date(2023, 5, 5)
        on_4th = daily_counts([late], MAY, as_of=as_of, known_at=dt.date(2023, 5, 4))
        on_5th = daily_counts([late], MAY, as_of=as_of, known_at=dt.date(2023, 5, 5))
        assert on_4th.total() == 0
        assert on_4th.excluded == {"recorded_after_known_at": 1}
        assert on_5th.series("221")[dt.date(2023, 5, 2)] == 1

    def test_cancelled_record_counts_until_cancelled(self) -> None:
        """A record cancelled on 10/05 counts when known at 09/05, not at 10/05 or by default."""
        r = attrs.evolve(
            record("1", "2400000001", "221", dt.date(2023, 5, 2)), cancelled_on=dt.date(2023, 5, 10)
        )
        assert daily_counts([r], MAY, known_at=dt.date(2023, 5, 9)).total() == 1
        assert daily_counts([r], MAY, known_at=dt.date(2023, 5, 10)).excluded == {"cancelled": 1}
        assert daily_counts([r], MAY).excluded == {"cancelled": 1}

    def test_cancelled_first_record_lets_the_next_count(self) -> None:
        """When a participant's first record is cancelled, their next record is the new one."""
        first = attrs.evolve(
            record("1", "2400000001", "221", dt.date(2023, 5, 2)), cancelled_on=dt.date(2023, 5, 3)
        )
        second = record("2", "2400000001", "220", dt.date(2023, 5, 4))
        counts = daily_counts([first, second], MAY, units=["220", "221"])
        assert counts.totals() == {"220": 1, "221": 0}
        assert counts.excluded == {"cancelled": 1}

    @pytest.mark.parametrize(
        "known_at", ["2023-05-02", dt.datetime(2023, 5, 2, 12, 0, tzinfo=dt.UTC)]
    )
    def test_known_at_must_be_a_date(self, known_at: object) -> None:
        """known_at is a datetime.date, not text or a datetime."""
        with pytest.raises(InvalidValueError, match="known_at"):
            daily_counts([], MAY, known_at=known_at)  # type: ignore[arg-type]

    def test_example_as_published(self, example: CampaignBundle) -> None:
        """The example (no late records) as known at 18/05 is the bulletin: 1,928."""
        counts = example.counts(BULLETIN_DAY, known_at=BULLETIN_DAY)
        assert counts.total() == 1928
        assert counts.grid == example.counts(BULLETIN_DAY).grid


def policy_oracle(
    records: Sequence[EnrollmentRecord], campaign: Campaign, policy: NewParticipantPolicy
) -> tuple[Grid, Counter[str]]:
    """Who is new under a policy, the plainest way: group each participant's records."""
    days = calendar(campaign.start, campaign.end)
    grid: Grid = {}
    excluded: Counter[str] = Counter()
    mine: dict[str, list[EnrollmentRecord]] = {}
    prior: dict[str, list[dt.date]] = {}
    for r in records:
        if r.enrolled_on < campaign.start:
            excluded["before_start"] += 1
            if r.cancelled_on is None:
                prior.setdefault(r.participant_id, []).append(r.enrolled_on)
        elif r.enrolled_on > campaign.end:
            excluded["after_end"] += 1
        elif r.cancelled_on is not None:
            excluded["cancelled"] += 1
        elif not campaign.level.matches(r.district_code):
            excluded["unknown_district"] += 1  # a code of the other level
        else:
            mine.setdefault(r.participant_id, []).append(r)
    for participant, rs in mine.items():
        rs.sort(key=lambda r: (r.enrolled_on, r.record_id))
        first = rs[0]
        earlier = prior.get(participant, [])
        if policy.prior_records == "exclude" and earlier:
            gap = (first.enrolled_on - max(earlier)).days
            if policy.lapse_days is None or gap < policy.lapse_days:
                excluded["previously_enrolled"] += 1
                excluded["repeat_participant"] += len(rs) - 1
                continue
        unit = rs[-1].district_code if policy.transfers == "last" else first.district_code
        for r in rs[:-1] if policy.transfers == "last" else rs[1:]:
            moved = policy.transfers == "last" and r.district_code != unit
            excluded["transferred" if moved else "repeat_participant"] += 1
        grid.setdefault(unit, dict.fromkeys(days, 0))[first.enrolled_on] += 1
    return grid, excluded


policies = st.builds(
    NewParticipantPolicy,
    prior_records=st.sampled_from(["ignore", "exclude"]),
    lapse_days=st.none() | st.integers(1, 10),
    transfers=st.sampled_from(["first", "last"]),
)


class TestNewParticipantPolicy:
    """`daily_counts(..., policy=...)`: who is new, configurable, every record tallied."""

    @given(campaign_bundles(revisions=True), policies)
    def test_matches_oracle(self, bundle: CampaignBundle, policy: NewParticipantPolicy) -> None:
        """Grid and tallies equal the brute-force grouping, for every policy."""
        # The oracle knows cancellations but not late recording: drop recorded_on.
        records = [attrs.evolve(r, recorded_on=None) for r in bundle.records]
        records = [
            r if r.cancelled_on is None else attrs.evolve(r, cancelled_on=r.enrolled_on)
            for r in records
        ]
        counts = daily_counts(records, bundle.campaign, policy=policy)
        grid, excluded = policy_oracle(records, bundle.campaign, policy)
        assert as_grid(counts) == grid
        assert counts.excluded == {k: v for k, v in excluded.items() if v}

    @given(revised_cases(), policies)
    def test_conservation(
        self,
        case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None],
        policy: NewParticipantPolicy,
    ) -> None:
        """Counted plus excluded is every record, under every policy."""
        bundle, as_of, units, known_at = case
        counts = daily_counts(
            bundle.records,
            bundle.campaign,
            as_of=as_of,
            units=units,
            known_at=known_at,
            policy=policy,
        )
        assert counts.total() + sum(counts.excluded.values()) == len(bundle.records)

    @given(revised_cases())
    def test_default_policy_is_no_policy(
        self, case: tuple[CampaignBundle, dt.date | None, list[str] | None, dt.date | None]
    ) -> None:
        """The default policy, given explicitly, is exactly the default counts."""
        bundle, as_of, units, known_at = case
        explicit, implicit = (
            daily_counts(
                bundle.records,
                bundle.campaign,
                as_of=as_of,
                units=units,
                known_at=known_at,
                policy=policy,
            )
            for policy in (NewParticipantPolicy(), None)
        )
        assert explicit == implicit

    @given(campaign_bundles())
    def test_transfers_move_but_do_not_add(self, bundle: CampaignBundle) -> None:
        """Counting in the last district moves participants between rows, never adds any."""
        units = unit_codes(bundle)
        first = daily_counts(bundle.records, bundle.campaign, units=units)
        last = daily_counts(
            bundle.records,
            bundle.campaign,
            units=units,
            policy=NewParticipantPolicy(transfers="last"),
        )
        assert last.total() == first.total()
        assert last.series() == first.series()

    @given(campaign_bundles(), st.integers(1, 10))
    def test_excluding_prior_records_only_lowers(self, bundle: CampaignBundle, lapse: int) -> None:
        """Excluding prior enrollees never raises a count; a lapse lets some back in."""
        plain = daily_counts(bundle.records, bundle.campaign)
        strict = daily_counts(
            bundle.records, bundle.campaign, policy=NewParticipantPolicy(prior_records="exclude")
        )
        lapsed = daily_counts(
            bundle.records,
            bundle.campaign,
            policy=NewParticipantPolicy(prior_records="exclude", lapse_days=lapse),
        )
        assert strict.total() <= lapsed.total() <= plain.total()

    def test_reenrollment_after_a_lapse(self) -> None:
        """Enrolled on 20/04, again on 05/05: new by default, not if excluded, new after a lapse."""
        records = [
            record("1", "2400000001", "221", dt.date(2023, 4, 20)),
            record("2", "2400000001", "221", dt.date(2023, 5, 5)),
        ]
        assert daily_counts(records, MAY).total() == 1
        strict = daily_counts(records, MAY, policy=NewParticipantPolicy(prior_records="exclude"))
        assert strict.total() == 0
        assert strict.excluded == {"before_start": 1, "previously_enrolled": 1}
        for lapse, counted in ((15, 1), (16, 0)):
            policy = NewParticipantPolicy(prior_records="exclude", lapse_days=lapse)
            assert daily_counts(records, MAY, policy=policy).total() == counted

    def test_transfer_counts_in_the_last_district(self) -> None:
        """Enrolled in 220 on 02/05, moved to 221 on 09/05: counted in 221 on 02/05."""
        records = [
            record("1", "2400000001", "220", dt.date(2023, 5, 2)),
            record("2", "2400000001", "221", dt.date(2023, 5, 9)),
        ]
        counts = daily_counts(
            records, MAY, units=["220", "221"], policy=NewParticipantPolicy(transfers="last")
        )
        assert counts.totals() == {"220": 0, "221": 1}
        assert counts.series("221")[dt.date(2023, 5, 2)] == 1
        assert counts.excluded == {"transferred": 1}

    @pytest.mark.parametrize(
        ("field", "value"),
        [("prior_records", "maybe"), ("transfers", "middle"), ("lapse_days", 0)],
    )
    def test_bad_policy(self, field: str, value: object) -> None:
        """Unknown options and a lapse under one day are refused, naming the field."""
        with pytest.raises(InvalidValueError, match=field):
            NewParticipantPolicy(**{field: value})  # type: ignore[arg-type]


class TestNumpyCounts:
    """`DailyCounts` takes numpy and pandas integers as counts and keeps ints."""

    def test_grid_of_numpy_rows(self) -> None:
        """Rows given as numpy arrays are the same value as rows of ints."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        day = dt.date(2023, 5, 1)
        counts = DailyCounts(
            start=day,
            end=day + ONE_DAY,
            grid={"220": np.array([1, 2]), "221": [np.int64(3), 0]},  # type: ignore[arg-type]
            exclusions={"before_start": np.int64(2), "cancelled": np.int64(0)},  # type: ignore[arg-type]
        )
        plain = DailyCounts(
            start=day,
            end=day + ONE_DAY,
            grid={"220": [1, 2], "221": [3, 0]},
            exclusions={"before_start": 2},
        )
        assert counts == plain
        assert all(type(n) is int for _, row in counts.grid for n in row)

    def test_floats_stay_refused(self) -> None:
        """A float count (numpy's too) is still refused."""
        import numpy as np  # noqa: PLC0415 - test-only dependency

        day = dt.date(2023, 5, 1)
        with pytest.raises(InvalidValueError, match="not a whole number"):
            DailyCounts(start=day, end=day, grid={"220": np.array([1.0])})  # type: ignore[arg-type]
