"""Tests of `bhxh_campaign.io._json`: streamed JSON arrays and JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.io import _json, load_enrollments
from bhxh_campaign.io._pipeline import FileProblem, Raw

NAMES = ("record_id", "participant_id", "district_code", "enrolled_on")
GOOD = {
    "record_id": "r1",
    "participant_id": "2400000001",
    "district_code": "221",
    "enrolled_on": "2023-05-01",
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # refused in objects: test_hostile
    | st.text(max_size=6)
    | st.sampled_from(["é", "Yên Dũng", "😀", '"', "\\", "\n"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "record_id", "é"]), inner, max_size=3)
    ),
    max_leaves=8,
)
spaces = st.text(alphabet=" \t\r\n", max_size=3)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[object], list[int]]:
    """A JSON array with random whitespace, its items, and the line where each starts."""
    items: list[object] = draw(st.lists(values, max_size=6))
    text = draw(spaces) + "[" + draw(spaces)
    lines = []
    for index, item in enumerate(items):
        text += draw(spaces)
        lines.append(text.count("\n") + 1)
        text += json.dumps(
            item,
            ensure_ascii=draw(st.booleans()),
            indent=draw(st.sampled_from([None, 0, 2])),
        )
        text += draw(spaces)
        if index < len(items) - 1:
            text += "," + draw(spaces)
    text += draw(spaces) + "]" + draw(spaces)
    return text, items, lines


def outcome(source: Path | bytes, chunk_size: int) -> list[Any]:
    """The items of an array with their lines, or the problem that stopped the reading."""
    found: list[Any] = []
    try:
        found.extend(_json.array_items(source, chunk_size=chunk_size))
    except FileProblem as problem:
        found.append((problem.code, problem.line, problem.detail))
    return found


def rows(raws: list[Raw]) -> list[tuple[int, tuple[object, ...], tuple[str, str] | None]]:
    return [(r.line, tuple(r.cells), r.problem) for r in raws]


def problem_of(source: Path | bytes, **options: Any) -> tuple[str, int | None, str]:
    with pytest.raises(FileProblem) as info:
        list(_json.array_items(source, **options))
    return info.value.code, info.value.line, info.value.detail


class TestArrayItems:
    @given(documents(), st.integers(1, 40), st.booleans())
    def test_agrees_with_json_loads(
        self, document: tuple[str, list[object], list[int]], chunk_size: int, bom: bool
    ) -> None:
        """Items equal json.loads' and start on the lines they were written on, any chunk."""
        text, items, lines = document
        data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
        found = list(_json.array_items(data, chunk_size=chunk_size))
        assert [item for _, item in found] == json.loads(text) == items
        assert [line for line, _ in found] == lines

    @given(documents(), st.data())
    def test_cut_short_is_blamed_where_json_loads_blames_it(
        self, document: tuple[str, list[object], list[int]], data: st.DataObject
    ) -> None:
        """A document cut before its closing bracket fails on json.loads' line."""
        text = document[0]
        cut = data.draw(st.integers(0, text.rindex("]")))
        head = text[:cut]
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(head)
        chunk_size = data.draw(st.integers(1, 16))
        code, line, _ = problem_of(head.encode(), chunk_size=chunk_size)
        assert code in {"malformed_json", "not_a_list"}
        assert line == expected.value.lineno

    @given(st.binary(max_size=80), st.integers(1, 9))
    def test_chunk_size_never_matters(self, data: bytes, chunk_size: int) -> None:
        """Any bytes give the same items, or the same problem, whatever the chunk size."""
        assert outcome(data, chunk_size) == outcome(data, 64 * 1024)

    @given(documents(), st.integers(1, 9), st.data())
    def test_bytes_that_are_not_utf8_win(
        self, document: tuple[str, list[object], list[int]], chunk_size: int, data: st.DataObject
    ) -> None:
        """A byte that is not UTF-8 anywhere is the problem, on its own line, as for json.loads."""
        raw = document[0].encode()
        at = data.draw(st.integers(0, len(raw)))
        spoiled = raw[:at] + b"\xff" + raw[at:]
        assert problem_of(spoiled, chunk_size=chunk_size)[:2] == (
            "invalid_encoding",
            raw[:at].count(b"\n") + 1,
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", ("not_a_list", 1, "must be a JSON list of objects")),
            ('\n\n{"a": 1}', ("not_a_list", 3, "must be a JSON list of objects")),
            ("[1 2]", ("malformed_json", 1, "malformed JSON: expected ',' or ']'")),
            ("[\n1,\n", ("malformed_json", 3, "malformed JSON: the list is not closed")),
            ("[\n  0.", ("malformed_json", 2, "malformed JSON: expected ',' or ']'")),
            ("[\n{}, tru]", ("malformed_json", 2, "malformed JSON: Expecting value")),
            ("[1.]", ("malformed_json", 1, "malformed JSON: expected ',' or ']'")),
        ],
    )
    def test_problems(self, text: str, expected: tuple[str, int, str]) -> None:
        """Problems with the whole file have the code, line and message of the old reader."""
        assert problem_of(text.encode(), chunk_size=1) == expected

    def test_trailing_comma_and_text_after_the_list(self) -> None:
        """A comma before ']' is malformed JSON (issue 15); text after the list is not read."""
        assert problem_of(b'[{"a": 1},\n] trailing', chunk_size=2) == (
            "malformed_json",
            2,
            "malformed JSON: a comma before ']'",
        )
        assert list(_json.array_items(b'[{"a": 1}] trailing', chunk_size=2)) == [(1, {"a": 1})]

    def test_nested_too_deeply(self) -> None:
        """Nesting deeper than Python recurses is malformed JSON, not a RecursionError."""
        data = b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]"
        assert problem_of(data) == ("malformed_json", 1, "malformed JSON: nested too deeply")

    def test_number_with_too_many_digits(self) -> None:
        """A number past int()'s digit limit is malformed JSON, not a ValueError."""
        data = b'[\n{"a": ' + b"1" * 5000 + b"}]"
        assert problem_of(data, chunk_size=100) == (
            "malformed_json",
            2,
            "malformed JSON: a number has too many digits",
        )

    def test_an_item_too_long(self) -> None:
        """An item longer than max_item is refused at its line, without reading on."""
        data = b'[\n{"a": 1},\n{"a": "' + b"x" * 1000 + b'"}]'
        assert problem_of(data, chunk_size=16, max_item=100) == (
            "malformed_json",
            3,
            "malformed JSON: an item runs past 100 characters",
        )
        assert len(list(_json.array_items(data, chunk_size=16, max_item=2000))) == 2

    def test_byte_order_mark_then_bad_byte(self) -> None:
        """After a byte-order mark, a bad byte is blamed on its own line."""
        assert problem_of(b"\xef\xbb\xbf[\n\xff]")[:2] == ("invalid_encoding", 2)
        assert problem_of(b"\xef")[:2] == ("invalid_encoding", 1)
        assert problem_of(b"[1,\n2]\n\xc3")[:2] == ("invalid_encoding", 3)

    def test_missing_file_and_directory(self, tmp_path: Path) -> None:
        """A missing path and a directory are problems with the file."""
        assert problem_of(tmp_path / "no.json")[:2] == ("file_not_found", None)
        assert problem_of(tmp_path)[:2] == ("unreadable_file", None)


class TestJsonRows:
    def test_header_is_every_key_in_order(self) -> None:
        """The header is the union of the objects' keys; absent keys are None cells."""
        data = b'[{"a": 1}, 2, {"b": 3, "a": 4}]'
        assert rows(list(_json.json_rows(data, NAMES, chunk_size=3))) == [
            (1, ("a", "b"), None),
            (1, (1, None), None),
            (1, (), ("not_an_object", "must be a JSON object, got int")),
            (1, (4, 3), None),
        ]

    def test_no_object_gives_the_schema_header(self) -> None:
        """Without any object the header is the schema's columns."""
        assert rows(list(_json.json_rows(b"[]", NAMES))) == [(1, NAMES, None)]

    def test_problem_before_any_row(self) -> None:
        """A problem at the end of the file is raised before the header is yielded."""
        rows_read = _json.json_rows(b'[{"a": 1}, {"a": 2}', NAMES)
        with pytest.raises(FileProblem, match="not closed"):
            next(rows_read)

    def test_file_changed_between_passes(self, tmp_path: Path) -> None:
        """A file that gains a key between the two passes is refused, not misread."""
        path = tmp_path / "e.json"
        path.write_text('[{"a": 1}]')
        rows_read = _json.json_rows(path, NAMES)
        assert next(rows_read).cells == ("a",)
        path.write_text('[{"a": 1, "b": 2}]')
        with pytest.raises(FileProblem, match="changed while it was being read"):
            next(rows_read)


@st.composite
def json_lines(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, str, object]]]:
    """A JSON Lines file with blank and broken lines, and what each line holds."""
    kinds = st.sampled_from(["object", "object", "blank", "broken", "scalar", "latin1"])
    lines: list[tuple[int, str, object]] = []
    chunks: list[bytes] = []
    for number, kind in enumerate(draw(st.lists(kinds, max_size=8)), start=1):
        end = draw(st.sampled_from([b"\n", b"\r\n"]))
        if kind == "object":
            value: object = draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), scalars))
            chunks.append(draw(spaces.filter(lambda s: "\n" not in s)).encode())
            chunks.append(json.dumps(value, ensure_ascii=draw(st.booleans())).encode() + end)
        elif kind == "blank":
            value = None
            chunks.append(draw(st.sampled_from([b"", b" ", b"\t \r"])) + end)
        elif kind == "broken":
            value = None
            chunks.append(b'{"a": ' + end)
        elif kind == "scalar":
            value = draw(scalars.filter(lambda v: not isinstance(v, str) or "\n" not in v))
            chunks.append(json.dumps(value).encode() + end)
        else:
            value = None
            chunks.append('{"a": "Yên"}'.encode("cp1258") + end)
        lines.append((number, kind, value))
    return b"".join(chunks), lines


class TestJsonLinesRows:
    @given(json_lines())
    def test_every_line_is_a_row(
        self, generated: tuple[bytes, list[tuple[int, str, object]]]
    ) -> None:
        """Each physical line is a row at its number: a record, blank or rejected."""
        data, lines = generated
        found = list(_json.jsonl_rows(data, NAMES))
        keys: dict[str, None] = {}
        for _, kind, value in lines:
            if kind == "object" and isinstance(value, dict):
                keys.update(dict.fromkeys(value))
        header = tuple(keys) or NAMES
        assert found[0].cells == header
        assert [r.line for r in found[1:]] == [number for number, _, _ in lines]
        for raw, (_, kind, value) in zip(found[1:], lines, strict=True):
            if kind == "object":
                assert isinstance(value, dict)
                assert tuple(raw.cells) == tuple(value.get(k) for k in header)
            elif kind == "blank":
                assert (tuple(raw.cells), raw.problem) == ((), None)
            else:
                expected = {
                    "broken": "malformed_json_line",
                    "scalar": "not_an_object",
                    "latin1": "invalid_encoding",
                }[kind]
                assert raw.problem is not None
                assert raw.problem[0] == expected

    def test_byte_order_mark_and_long_line(self) -> None:
        """A byte-order mark on line 1 is skipped; a line over max_line is one bad row."""
        data = b'\xef\xbb\xbf{"a": 1}\n{"a": "' + b"x" * 50 + b'"}\n{"a": 2}'
        found = rows(list(_json.jsonl_rows(data, NAMES, max_line=20)))
        assert found == [
            (1, ("a",), None),
            (1, (1,), None),
            (2, (), ("malformed_json_line", "malformed JSON: the line is over 20 bytes")),
            (3, (2,), None),
        ]

    def test_malformed_messages(self) -> None:
        """A broken line says what is wrong and where in the line."""
        data = b'{"a": 1}\n{"a" 1}\n[' + b"[" * 100_000 + b"\n" + b"9" * 5000 + b"\n"
        problems = [r.problem for r in _json.jsonl_rows(data, NAMES)][2:]
        assert problems == [
            ("malformed_json_line", "malformed JSON: Expecting ':' delimiter, column 6"),
            ("malformed_json_line", "malformed JSON: nested too deeply"),
            ("malformed_json_line", "malformed JSON: a number has too many digits"),
        ]

    def test_empty_file(self) -> None:
        """An empty JSON Lines file has no rows and no problem."""
        assert rows(list(_json.jsonl_rows(b"", NAMES))) == [(1, NAMES, None)]


class TestLoadJsonLines:
    @pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".JSONL"])
    def test_loads_by_suffix(self, tmp_path: Path, suffix: str) -> None:
        """.jsonl and .ndjson files load one record per line; bad lines are rejected rows."""
        path = tmp_path / f"e{suffix}"
        second = {**GOOD, "record_id": "r2", "participant_id": "x"}
        path.write_text(
            json.dumps(GOOD) + "\n\nnot json\n" + json.dumps(second) + "\n", encoding="utf-8"
        )
        report = load_enrollments(path)
        assert [(e.code, e.line, e.field) for e in report.errors] == [
            ("malformed_json_line", 3, None),
            ("id_not_digits", 4, "participant_id"),
        ]
        assert (report.accepted, report.blank, report.rows_read) == (1, 1, 4)

    def test_strict(self, tmp_path: Path) -> None:
        """In strict mode a broken line raises, with its code and line."""
        path = tmp_path / "e.jsonl"
        path.write_text(json.dumps(GOOD) + '\n{"record_id": \n', encoding="utf-8")
        with pytest.raises(bc.LoadError) as info:
            load_enrollments(path, strict=True)
        assert (info.value.code, info.value.line, info.value.field) == (
            "malformed_json_line",
            2,
            None,
        )

    @given(st.lists(st.sampled_from(["2400000001", "x", 2400000001, None]), max_size=6))
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_same_report_as_json(self, tmp_path: Path, ids: list[object]) -> None:
        """The same objects as a JSON array and as JSON Lines give the same report."""
        objects = [
            {**GOOD, "record_id": f"r{n}", "participant_id": pid} for n, pid in enumerate(ids)
        ]
        assume(objects)
        array = tmp_path / "e.json"
        array.write_text("[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]\n")
        lines = tmp_path / "e.jsonl"
        lines.write_text("".join(json.dumps(o) + "\n" for o in objects))
        one, other = load_enrollments(array), load_enrollments(lines)
        assert one.records == other.records
        assert [(e.code, e.field) for e in one.rejected] == [
            (e.code, e.field) for e in other.rejected
        ]
        assert [(e.line or 0) - 1 for e in one.rejected] == [e.line for e in other.rejected]
