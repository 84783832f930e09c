"""Properties of the loaders: no row lost, no foreign exception, no full id leaked."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.io import LoadReport, load_districts, load_enrollments, load_targets

HEADER = b"record_id,participant_id,district_code,enrolled_on,commune_code\n"
CANARY = "0987654321"

# Bad rows, one physical line each; {n} is a unique number, {id} a participant id.
BAD_ROWS = [
    "b{n},{id},221,31/02/2023,",
    "b{n},{id},221,not a date,",
    "b{n},{id}9,221,2023-05-01,",
    "b{n},1.09001E+11,221,2023-05-01,",
    "b{n},{id},22,2023-05-01,",
    "b{n},{id},221,2023-05-01",
    "b{n},{id},221,2023-05-01,,extra",
    "b{n},{id},221,2023-05-01T10:00:00,",
    "b{n},{id},221,#N/A,",
    "b{n},{id},221,2023-05-01,123",
    "b{n},,221,2023-05-01,",
    "b{n},{id},{id},2023-05-01,",
    "{id},{id}x,221,2023-05-01,",
]
RAW_BAD_ROWS = [b"b{n},{id},221,2023-05-0\xff,", b"b{n},{id},2\x0021,2023-05-01,"]


@st.composite
def good_rows(draw: st.DrawFn, n: int) -> tuple[bytes, bc.EnrollmentRecord]:
    length = draw(st.sampled_from([10, 12]))
    pid = draw(st.text("0123456789", min_size=length, max_size=length))
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    written = draw(st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")]))
    commune = draw(st.none() | st.text("0123456789", min_size=5, max_size=5))
    name = f"g{n}"
    line = f"{name},{pid},221,{written},{commune or ''}".encode()
    record = bc.EnrollmentRecord(
        record_id=name,
        participant_id=pid,
        district_code="221",
        enrolled_on=day,
        commune_code=commune,
    )
    return line, record


@st.composite
def mixed_files(draw: st.DrawFn) -> tuple[bytes, list[bc.EnrollmentRecord], list[int], int]:
    """A file mixing good, bad and blank rows: its bytes, good records, bad lines, blanks."""
    kinds = draw(st.lists(st.sampled_from(["good", "bad", "raw", "blank"]), max_size=30))
    lines = [HEADER.rstrip(b"\n")]
    records: list[bc.EnrollmentRecord] = []
    bad: list[int] = []
    blank = 0
    for n, kind in enumerate(kinds):
        if kind == "good":
            line, record = draw(good_rows(n))
            records.append(record)
        elif kind == "blank":
            line = draw(st.sampled_from([b"", b",,,,"]))
            blank += 1
        else:
            template = (
                draw(st.sampled_from(BAD_ROWS)).encode()
                if kind == "bad"
                else draw(st.sampled_from(RAW_BAD_ROWS))
            )
            line = template.replace(b"{n}", str(n).encode()).replace(b"{id}", CANARY.encode())
            bad.append(len(lines) + 1)
        lines.append(line)
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    return ending.join(lines) + ending, records, bad, blank


def balanced(report: LoadReport[Any]) -> bool:
    return report.rows_read == report.accepted + len(report.rejected) + report.blank


def outputs(report: LoadReport[Any]) -> str:
    parts = [repr(report), repr(report.records)]
    for row in report.errors:
        parts += [repr(row), row.message, row.message_vi, row.value, row.where, str(row.error("f"))]
    return "\n".join(parts)


class TestMixedFiles:
    @given(mixed_files())
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_every_row_accounted(
        self, tmp_path: Path, drawn: tuple[bytes, list[bc.EnrollmentRecord], list[int], int]
    ) -> None:
        """Good rows come back equal and in order; bad lines are exactly the rejected ones."""
        data, records, bad, blank = drawn
        path = tmp_path / "e.csv"
        path.write_bytes(data)
        report = load_enrollments(path)
        assert balanced(report)
        assert list(report.records) == records
        assert [r.line for r in report.rejected] == bad
        assert report.blank == blank
        assert CANARY not in outputs(report)

    @given(mixed_files())
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_strict_raises_at_first_bad_line(
        self, tmp_path: Path, drawn: tuple[bytes, list[bc.EnrollmentRecord], list[int], int]
    ) -> None:
        """Strict mode raises a LoadError at the first bad line, or loads everything."""
        data, records, bad, _ = drawn
        path = tmp_path / "e.csv"
        path.write_bytes(data)
        if bad:
            with pytest.raises(bc.LoadError) as info:
                load_enrollments(path, strict=True)
            assert info.value.line == bad[0]
            assert CANARY not in str(info.value)
        else:
            assert list(load_enrollments(path, strict=True).records) == records


class TestArbitraryBytes:
    @given(st.binary(max_size=400), st.sampled_from(["utf-8-sig", "cp1258", "latin-1"]))
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_no_foreign_exception(self, tmp_path: Path, body: bytes, encoding: str) -> None:
        """Any bytes give a balanced report; strict mode raises only LoadError."""
        path = tmp_path / "e.csv"
        path.write_bytes(HEADER + body)
        for load in (load_enrollments, load_districts):
            report = load(path, encoding=encoding)
            assert balanced(report)
            with contextlib.suppress(bc.LoadError):
                load(path, encoding=encoding, strict=True)
        assert balanced(load_targets(path, campaign_id="c", encoding=encoding))

    @given(st.binary(max_size=300))
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_json_and_xlsx_bytes(self, tmp_path: Path, body: bytes) -> None:
        """Any bytes named .json or .xlsx give a report, never a foreign exception."""
        for name in ("e.json", "e.xlsx"):
            path = tmp_path / name
            path.write_bytes(body)
            assert balanced(load_enrollments(path))

    @given(
        st.lists(
            st.dictionaries(
                st.sampled_from(
                    ["record_id", "participant_id", "district_code", "enrolled_on", "x"]
                ),
                st.none()
                | st.booleans()
                | st.integers()
                | st.floats()
                | st.text(max_size=12)
                | st.lists(st.integers(), max_size=2),
            ),
            max_size=8,
        )
    )
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_json_values(self, tmp_path: Path, items: list[dict[str, Any]]) -> None:
        """Any JSON values give a balanced report."""
        path = tmp_path / "e.json"
        path.write_text(json.dumps(items), encoding="utf-8")
        assert balanced(load_enrollments(path))


class TestCanary:
    def test_absent_from_every_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
    ) -> None:
        """A canary id through every error path never appears in errors, reports, CLI or logs."""
        caplog.set_level(logging.DEBUG)
        lines = [t.format(n=n, id=CANARY) for n, t in enumerate(BAD_ROWS)]
        csv_path = tmp_path / "enrollments.csv"
        csv_path.write_bytes(
            HEADER
            + "\n".join(lines).encode()
            + b"\n"
            + b"\n".join(
                t.replace(b"{n}", b"9").replace(b"{id}", CANARY.encode()) for t in RAW_BAD_ROWS
            )
            + f"\nd1,{CANARY},221,2023-05-01,\nd1,{CANARY},221,2023-05-01,\n".encode()
        )
        header_path = tmp_path / "header.csv"
        header_path.write_text(f"r1,{CANARY},221,2023-05-01\n", encoding="utf-8")
        json_path = tmp_path / "e.json"
        json_path.write_text(
            json.dumps(
                [
                    {
                        "record_id": "r1",
                        "participant_id": int(CANARY),
                        "district_code": "221",
                        "enrolled_on": "2023-05-01",
                    },
                    {
                        "record_id": "r2",
                        "participant_id": CANARY + "1",
                        "district_code": CANARY,
                        "enrolled_on": CANARY,
                    },
                ]
            ),
            encoding="utf-8",
        )
        jsonl_path = tmp_path / "e.jsonl"
        jsonl_path.write_bytes(
            f'{{"record_id": "r1", "participant_id": {int(CANARY)}, "district_code": "221", "enrolled_on": "2023-05-01"}}\n'.encode()
            + f'{{"participant_id": "{CANARY}", "x": {CANARY}0\n'.encode()
            + f'{{"participant_id": "{CANARY}\xff"}}\n'.encode("latin-1")
            + f"[{int(CANARY)}]\n{CANARY}\n".encode()
        )
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["record_id", "participant_id", "district_code", "enrolled_on"])
        sheet.append(["r1", int(CANARY), "221", dt.date(2023, 5, 1)])
        sheet.append(["r2", float(CANARY + "00"), "221", int(CANARY)])
        xlsx_path = tmp_path / "e.xlsx"
        book.save(xlsx_path)
        captured: list[str] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for path in (csv_path, header_path, json_path, jsonl_path, xlsx_path):
                report = load_enrollments(path, districts=["221"])
                assert not report.ok
                captured.append(outputs(report))
                with pytest.raises(bc.LoadError) as info:
                    load_enrollments(path, strict=True)
                captured.append(str(info.value))
                for fmt in ("text", "json"):
                    for lang in ("vi", "en"):
                        main(["validate", str(path), "--format", fmt, "--lang", lang])
                        captured.extend(capsys.readouterr())
        captured += [str(w.message) for w in caught]
        captured.append(caplog.text)
        text = "\n".join(captured)
        assert "participant_id" in text
        assert CANARY not in text
        assert CANARY[-4:] in text
