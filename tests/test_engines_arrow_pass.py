"""The arrow engine's one pass: the loader's checks folded in, chunks read by two threads.

Record ids unique (a repeat across chunks, with another participant, among ids of the
file's shape or not), none starting with ``#`` or ``'``, ``payment_method`` and
``commune_code`` plain, wherever the bad row is (the last chunk included); the chunked
reader against the file's bytes; and `RecordIds` against a brute-force oracle.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bhxh_campaign import DailyCounts, LoadError, daily_counts
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.engines import _arrow_count, _arrow_read, daily_counts_arrow
from bhxh_campaign.engines._arrow import plain_counts_arrow
from bhxh_campaign.engines._arrow_ids import RecordIds
from bhxh_campaign.engines._arrow_read import csv_chunks, csv_layout, in_threads
from bhxh_campaign.engines._common import exact_counts

from .test_engines import HEADER, MAY, Case, counted_bundles, record_rows
from .test_engines_arrow import arrow_counts, csv_file, exact_calls, expected, write
from .test_engines_arrow_known import arrow as known_arrow
from .test_engines_arrow_known import expected as known_expected
from .test_engines_arrow_known import known_cases
from .test_engines_arrow_known import records_file as known_file

Row = tuple[str, ...]
DAY = dt.date(2023, 5, 2)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 256 bytes: a file of a few hundred rows spans many, read by two threads."""
    monkeypatch.setattr(_arrow_read, "CHUNK", 256)


def rows(n: int, *, first: int = 0) -> list[Row]:
    """``n`` plain rows, each of its own participant, on 2 May in unit 001."""
    return [(f"R{i:06d}", f"24{i:08d}", "001", DAY.isoformat()) for i in range(first, first + n)]


def refused(path: Path) -> LoadError:
    """The loader's error on the file, through the arrow engine (which must leave its path)."""
    with exact_calls() as calls, pytest.raises(LoadError) as info:
        daily_counts_arrow(path, MAY, units=["001"])
    assert calls
    return info.value


class TestRecordIdsOnce:
    """A record id written twice is found wherever it is, whatever participant it has."""

    @pytest.mark.parametrize("where", [0, 150, 299])
    def test_a_repeat_with_another_participant_across_chunks(
        self, tmp_path: Path, where: int
    ) -> None:
        """The last row repeats the id of row ``where`` for a new participant."""
        body = [*rows(300), (f"R{where:06d}", "2499999999", "001", "2023-05-03")]
        error = refused(write(tmp_path / "r.csv", body))
        assert (error.line, error.field, error.code) == (302, "record_id", "duplicate_record_id")

    @pytest.mark.parametrize(
        "ids",
        [
            ["a-1", "bb-22", "ccc-333"],  # no common shape: bytes, exact
            ["record-number-0001", "record-number-0002x", "x-record-number"],  # hashed
            ["R1", "R000002", "R3"],  # the shape of the first, then others
        ],
    )
    def test_ids_of_any_form(self, tmp_path: Path, ids: list[str]) -> None:
        """Ids of no shape, or long ones, stay on the fast path; a repeat of one is refused."""
        many = [(f"{ids[i % 3]}.{i}", *row[1:]) for i, row in enumerate(rows(200))]
        path = write(tmp_path / "r.csv", many)
        counts = arrow_counts(path, (_empty_bundle(), None, ["001"]), fast=True)
        assert counts.totals() == {"001": 200}
        again = write(
            tmp_path / "again.csv", [*many, (many[7][0], "2499999999", "001", "2023-05-03")]
        )
        assert refused(again).code == "duplicate_record_id"

    def test_numbers_past_the_table(self, tmp_path: Path) -> None:
        """Ids whose numbers do not fit the table are compared by their values instead."""
        body = [(f"R{10**12 + i:013d}", *row[1:]) for i, row in enumerate(rows(100))]
        path = write(tmp_path / "r.csv", body)
        assert arrow_counts(path, (_empty_bundle(), None, ["001"]), fast=True).total() == 100
        again = write(
            tmp_path / "again.csv", [*body, (body[50][0], "2499999999", "001", "2023-05-03")]
        )
        assert refused(again).code == "duplicate_record_id"


class TestPlainCells:
    """What the loader refuses or reads differently goes to the exact path, even at the end."""

    @pytest.mark.parametrize("rid", ["#N/A", "#R1", "'R1", "'R000007"])
    def test_first_character(self, tmp_path: Path, rid: str) -> None:
        """A spreadsheet error value or a formula mark in the last row: the loader decides."""
        path = write(tmp_path / "r.csv", [*rows(200), (rid, "2499999999", "001", "2023-05-03")])
        with exact_calls() as calls:
            got = _outcome(lambda: daily_counts_arrow(path, MAY, units=["001"]))
        assert calls
        assert got == _outcome(lambda: exact_counts(path, MAY, as_of=None, units=["001"]))

    @pytest.mark.parametrize(
        ("column", "good", "bad", "code"),
        [
            ("payment_method", ["", "monthly", "lump_sum_past"], "weekly", "unknown_value"),
            ("commune_code", ["", "07600", "00001"], "7600", "bad_code"),
        ],
    )
    def test_an_optional_column(
        self, tmp_path: Path, column: str, good: list[str], bad: str, code: str
    ) -> None:
        """Plain values (and empty cells) stay fast; one bad value in the last row is refused."""
        header = (*HEADER, column)
        body = [(*row, good[i % len(good)]) for i, row in enumerate(rows(300))]
        path = write(tmp_path / "r.csv", body, header)
        assert arrow_counts(path, (_empty_bundle(), None, ["001"]), fast=True).total() == 300
        last = ("R999999", "2499999999", "001", "2023-05-03", bad)
        error = refused(write(tmp_path / "bad.csv", [*body, last], header))
        assert (error.line, error.field, error.code) == (302, column, code)

    def test_a_vietnamese_payment_method_is_counted_exactly(self, tmp_path: Path) -> None:
        """'Hằng tháng' (monthly, as offices write it) is the loader's to read: same counts."""
        header = (*HEADER, "payment_method")
        body = [(*row, "monthly") for row in rows(200)]
        body.append(("R999999", "2499999999", "001", "2023-05-03", "Hằng tháng"))
        path = write(tmp_path / "r.csv", body, header)
        with exact_calls() as calls:
            counts = daily_counts_arrow(path, MAY, units=["001"])
        assert calls
        assert counts.totals() == {"001": 201}

    @pytest.mark.parametrize(
        "line",
        [b"R\xff1,2499999999,001,2023-05-03,annual", b"R9,2499999999,001,2023-05-03,ann\xe1"],
    )
    def test_bytes_that_are_not_utf8(self, tmp_path: Path, line: bytes) -> None:
        """The reader does not check UTF-8: the engine's own byte checks send it on."""
        path = write(
            tmp_path / "r.csv", [(*row, "annual") for row in rows(200)], (*HEADER, "payment_method")
        )
        path.write_bytes(path.read_bytes() + line + b"\n")
        with exact_calls() as calls:
            got = _outcome(lambda: daily_counts_arrow(path, MAY, units=["001"]))
        assert calls
        assert got == _outcome(lambda: exact_counts(path, MAY, as_of=None, units=["001"]))

    @pytest.mark.parametrize(("payment", "fast"), [(None, True), ("annual", True), ("", False)])
    def test_parquet_payments(self, tmp_path: Path, payment: str | None, fast: bool) -> None:
        """In Parquet an empty payment is null (plain); '' is left to the exact path."""
        data = {name: [row[i] for row in rows(50)] for i, name in enumerate(HEADER)}
        data["payment_method"] = pa.array([payment] * 50, pa.string())
        path = tmp_path / "r.parquet"
        pq.write_table(pa.table(data), path)
        case: Case = (_empty_bundle(), None, ["001"])
        assert arrow_counts(path, case, fast=fast).total() == 50


class TestChunks:
    """The chunked reader gives the file's lines, whole, in order."""

    @given(
        st.lists(st.text("ab,", min_size=0, max_size=40), max_size=30),
        st.integers(1, 64),
        st.booleans(),
    )
    def test_chunks_are_the_file(self, lines: list[str], size: int, ending: bool) -> None:
        """Joined, the chunks are the bytes after the header; each ends after a line feed."""
        import tempfile  # noqa: PLC0415

        text = "h\n" + "\n".join(lines) + ("\n" if ending else "")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.csv"
            path.write_bytes(text.encode())
            chunks = list(csv_chunks(path, 2, size))
        assert b"".join(chunks) == text.encode()[2:]
        assert all(chunk.endswith(b"\n") for chunk in chunks[:-1])
        assert all(chunk for chunk in chunks)

    @pytest.mark.parametrize(
        ("head", "found"),
        [
            (b"record_id,x\n", (["record_id", "x"], 12)),
            (b"\xef\xbb\xbfrecord_id,x\r\n", (["record_id", "x"], 16)),
            (b'"record_id","x"\n', (["record_id", "x"], 16)),
            (b"record_id\rx\n", None),
            (b'"record\nid",x\n', None),
            (b"\xff\xfe,x\n", None),
        ],
    )
    def test_layout(self, tmp_path: Path, head: bytes, found: object) -> None:
        """The header's names and where the data start; None for a header not on one line."""
        path = tmp_path / "r.csv"
        path.write_bytes(head + b"1,2\n")
        assert csv_layout(path) == found

    def test_an_error_in_a_worker_is_raised(self) -> None:
        """A worker's exception reaches the reader, and the remaining items are dropped."""

        def work(n: int) -> int:
            if n == 3:
                msg = "three"
                raise ValueError(msg)
            return n

        with pytest.raises(ValueError, match="three"):
            list(in_threads(work, range(100)))


class TestThreads:
    @given(counted_bundles())
    def test_small_chunks_match_python(self, case: Case) -> None:
        """Many chunks, checked and counted by two threads: the DailyCounts of the records."""
        with csv_file(record_rows(case[0].records)) as path:
            assert arrow_counts(path, case, fast=True) == expected(case)

    @given(counted_bundles())
    def test_plain_counts_is_the_fast_path(self, case: Case) -> None:
        """`plain_counts_arrow` gives the same counts on a plain file."""
        bundle, as_of, units = case
        with csv_file(record_rows(bundle.records)) as path:
            got = plain_counts_arrow(path, bundle.campaign, as_of=as_of, units=units)
        assert got == daily_counts(bundle.records, bundle.campaign, as_of=as_of, units=units)

    def test_plain_counts_of_a_file_it_cannot_judge(self, tmp_path: Path) -> None:
        """None, where `daily_counts_arrow` would take the exact path."""
        path = write(
            tmp_path / "r.csv", [*rows(10), ("R000001", "2499999999", "001", "2023-05-03")]
        )
        assert plain_counts_arrow(path, MAY) is None


def _batches(ids: Sequence[str], cuts: Sequence[int]) -> list[object]:
    """The ids as pyarrow string arrays, cut at ``cuts``."""
    edges = [0, *sorted(c % (len(ids) + 1) for c in cuts), len(ids)]
    return [pa.array(list(ids[a:b]), pa.string()) for a, b in itertools.pairwise(edges)]


_PLAIN_IDS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1).filter(
    lambda text: text[0] not in "#'"
)
_SHAPED_IDS = st.builds(lambda n, w: f"R{n:0{w}d}", st.integers(0, 10**7), st.sampled_from([6, 9]))


class TestRecordIdsOracle:
    @given(
        st.lists(_SHAPED_IDS | _PLAIN_IDS, max_size=40),
        st.lists(st.integers(0, 60), max_size=4),
        st.integers(0, 2000),
    )
    def test_unique_is_no_repeat(self, ids: list[str], cuts: list[int], rows_hint: int) -> None:
        """`RecordIds.unique` says whether the ids are all different, however they are cut."""
        found = RecordIds(np, rows_hint)
        for batch in _batches(ids, cuts):
            found.add(*found.values(batch))
        assert found.unique() is (len(set(ids)) == len(ids))


def _outcome(count: Callable[[], DailyCounts]) -> object:
    """The counts, or the place and code of the loader's error."""
    try:
        return count()
    except LoadError as error:
        return (error.line, error.field, error.code)


def _empty_bundle() -> CampaignBundle:
    return CampaignBundle(campaign=MAY, districts=(), targets=(), records=())


class TestRepeatedMembers:
    @given(
        st.lists(st.integers(0, 2 * 10**12), max_size=60),
        st.lists(st.integers(0, 2 * 10**12), max_size=8),
        st.sampled_from([2, 16, 1 << 20]),
    )
    def test_member_is_isin(self, keys: list[int], extra: list[int], slots: int) -> None:
        """The rows whose key is repeated, even when many keys share a slot of the table."""
        found = np.asarray(keys, dtype=np.int64)
        repeated = np.unique(np.asarray([*keys[::3], *extra], dtype=np.int64))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_arrow_count, "_SLOTS", slots)
            rows = _arrow_count._member(np, found, repeated)
        assert rows.tolist() == np.flatnonzero(np.isin(found, repeated)).tolist()

    @given(
        st.lists(st.integers(0, 2 * 10**12), max_size=300),
        st.integers(0, 40),
        st.sampled_from([0, 16, 1 << 12]),
        st.sampled_from([8, 1 << 20]),
    )
    def test_repeated_is_a_count(self, keys: list[int], again: int, small: int, large: int) -> None:
        """The keys met twice or more, sorted: by the table of slots or by a whole sort."""
        values = np.asarray([*keys, *keys[:again]], dtype=np.int64)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_arrow_count, "_SMALL", small)
            patch.setattr(_arrow_count, "_LARGE", large)
            repeated = _arrow_count._repeated(np, values)
        counts = Counter(values.tolist())
        assert repeated.tolist() == sorted(k for k, n in counts.items() if n > 1)


class TestKnownInThreads:
    @given(known_cases())
    def test_known_at_and_policies_in_small_chunks(
        self, case: tuple[CampaignBundle, dict[str, Any]]
    ) -> None:
        """Late, cancelled and prior records tallied by two threads: `daily_counts`'s."""
        bundle, arguments = case
        with known_file(bundle.records, "csv") as path:
            got = known_arrow(path, bundle, arguments, fast=True)
        assert got == known_expected(bundle, arguments)


class TestLightImports:
    """The count of a plain file imports neither `pyarrow.compute` nor `numpy.ma`.

    Both cost a run at 10^6 rows a tenth of its time (about 0.03 s and 0.007 s), and the
    engine needs neither (see `bhxh_campaign.engines._arrow_compute`).
    """

    def test_report_of_the_example(self) -> None:
        import subprocess  # noqa: PLC0415
        import sys  # noqa: PLC0415

        script = (
            "import sys, datetime as dt\n"
            "from bhxh_campaign import Campaign\n"
            "from bhxh_campaign.engines import daily_counts_arrow\n"
            "may = Campaign(id='bg', name='BG', scope='24',"
            " start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31))\n"
            "counts = daily_counts_arrow('examples/bac_giang_2023/enrollments.csv', may,"
            " as_of=dt.date(2023, 5, 18))\n"
            "print(counts.total(), sorted(m for m in ('pyarrow.compute', 'numpy.ma')"
            " if m in sys.modules))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["1928", "[]"]
