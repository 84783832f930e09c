"""``bhxh-campaign init``: write a campaign folder ready to fill, from the unit registry.

The folder gets ``campaign.toml``, ``units.csv`` with every unit of the province at the
chosen level in force on the campaign's days (from `bhxh_campaign.registry`), a
``targets.csv`` with one row per unit and the target left blank, and an empty
``enrollments.csv`` with its header. ``validate`` on the folder then says what is left.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from bhxh_campaign._layout import CAMPAIGN, ENROLLMENTS, TARGETS, UNITS
from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._args import iso_day
from bhxh_campaign.errors import CampaignError
from bhxh_campaign.levels import UnitLevel
from bhxh_campaign.model import Campaign
from bhxh_campaign.registry import RegistryUnit, unit_registry

NAME = "init"
HELP = "write a campaign folder for a province's units, ready to fill"

ENROLLMENT_COLUMNS = ("record_id", "participant_id", "district_code", "enrolled_on")
"""The header of the empty ``enrollments.csv`` (``district_code`` is the unit's code)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of ``init``."""
    parser.add_argument("folder", help="the folder to create (it must not exist or be empty)")
    parser.add_argument("--province", required=True, help="the province's two-digit code")
    parser.add_argument(
        "--level",
        choices=[level.value for level in UnitLevel],
        help="the units' level (default: the level in force on --start)",
    )
    parser.add_argument(
        "--start", required=True, type=iso_day, help="first day, YYYY-MM-DD or dd/mm/yyyy"
    )
    parser.add_argument(
        "--end", required=True, type=iso_day, help="last day, YYYY-MM-DD or dd/mm/yyyy"
    )
    parser.add_argument("--id", help="the campaign's id (default: PROVINCE-START)")
    parser.add_argument("--name", help="the campaign's name (default: from the province)")


def _toml_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _csv(rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def _units(campaign: Campaign) -> tuple[RegistryUnit, ...]:
    registry = unit_registry()
    on_start = registry.units_on(campaign.scope, campaign.start, level=campaign.level)
    return tuple(u for u in on_start if u.is_valid_on(campaign.end))


def run(args: argparse.Namespace) -> int:
    """Write the folder and list its units; exit code 0, or 2 for bad arguments."""
    folder = Path(args.folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        msg = f"{folder}: already exists and is not an empty folder"
        raise CommandError(msg)
    registry = unit_registry()
    try:
        province = registry.province(args.province, args.start)
        campaign = Campaign(
            id=args.id or f"{args.province}-{args.start.isoformat()}",
            name=args.name or f"Chiến dịch vận động tham gia BHXH tự nguyện – {province.name}",
            scope=args.province,
            start=args.start,
            end=args.end,
            **({"level": args.level} if args.level else {}),
        )
    except CampaignError as error:
        raise CommandError(str(error)) from None
    units = _units(campaign)
    if not units:
        msg = (
            f"province {province.code} ({province.name}) has no {campaign.level.label_en}-level"
            f" unit in force from {campaign.start} to {campaign.end}"
        )
        raise CommandError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CAMPAIGN).write_text(
        "\n".join(
            [
                f"id = {_toml_text(campaign.id)}",
                f"name = {_toml_text(campaign.name)}",
                f"scope = {_toml_text(campaign.scope)}",
                f"start = {campaign.start.isoformat()}",
                f"end = {campaign.end.isoformat()}",
                f"level = {_toml_text(campaign.level.value)}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    header = ("code", "name", "kind", "province_code")
    unit_rows = [(u.code, u.name, u.kind.value, u.province_code) for u in units]
    (folder / UNITS).write_text(_csv([header, *unit_rows]), encoding="utf-8")
    target_rows = [(u.code, "", "new") for u in units]
    (folder / TARGETS).write_text(
        _csv([("unit_code", "target", "measure"), *target_rows]), encoding="utf-8"
    )
    (folder / ENROLLMENTS).write_text(_csv([ENROLLMENT_COLUMNS]), encoding="utf-8")
    level = campaign.level
    head = (
        f"{folder}: {len(units)} {level.label_en}-level units ({level.plural_vi}) of"
        f" {province.name} ({province.code}), {campaign.start} to {campaign.end}"
    )
    tail = (
        f"next: fill the target column of targets.csv ({len(units)} rows), add records to"
        f" enrollments.csv, then run: bhxh-campaign validate {folder}"
    )
    lines = [head, *(f"  {u.code}  {u.full_name}" for u in units), tail]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
