"""What ``bhxh-campaign report`` does once its arguments are read: plan, count, render.

Imported by `bhxh_campaign.commands.report.run` only after it has started reading a large
records file ahead (`bhxh_campaign.engines.read_ahead`), so that the imports here and the
plan's loading overlap the parsing of the file's first chunks.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import attrs

from bhxh_campaign._layout import ENROLLMENTS, STOCKS, inputs
from bhxh_campaign._settings import folder_settings
from bhxh_campaign.bundle import CampaignBundle
from bhxh_campaign.commands import CommandError
from bhxh_campaign.commands._output import STDIO
from bhxh_campaign.commands._progress import progress_bar
from bhxh_campaign.counting import DailyCounts
from bhxh_campaign.engines import (
    Engine,
    ReadAhead,
    auto_engine,
    daily_counts_for,
    last_data_day_for,
    records_file,
    with_rejected,
)
from bhxh_campaign.errors import LoadError
from bhxh_campaign.io.folder import load_campaign, load_plan
from bhxh_campaign.io.loaders import load_folder_records
from bhxh_campaign.render import bulletin, day, report_table, report_to_json
from bhxh_campaign.report import CampaignReport, campaign_report
from bhxh_campaign.stock import StockPosition, stock_positions

__all__ = ["render"]


def _inputs(folder: Path, enrollments: Path | None) -> list[Path]:
    """The files the report was computed from, for the HTML page's fingerprint."""
    files = list(inputs(folder)[:-1])
    stocks = [folder / STOCKS] if (folder / STOCKS).is_file() else []
    return [*files, *stocks, records_file(folder) if enrollments is None else enrollments]


def _stocks(
    report: CampaignReport, counts: DailyCounts, plan: CampaignBundle
) -> dict[str, StockPosition]:
    """The participants on the as-of day of each stock goal, from the folder's stocks.csv.

    A stock of a unit whose goal (``measure = stock`` in targets.csv) is not yet in force
    on the as-of day has no goal to be compared with, as the report has none to show.
    """
    goals = {goal.unit_code for goal in report.stock_goals}
    return stock_positions(report, counts, [b for b in plan.baselines if b.unit_code in goals])


def _engine(args: argparse.Namespace, source: Path) -> Engine:
    """The engine to count ``source`` with: the one asked for, or the best that fits."""
    columnar = source.is_dir() or source.suffix.lower() in {".csv", ".parquet"}
    if args.enrollments is not None and folder_settings(Path(args.path)).python_only:
        return "python"  # only the Python loader reads with the folder's settings
    engine: Engine = args.engine
    if engine == "auto":
        chosen = auto_engine(source) if columnar else "python"
        # Of the columnar engines only arrow applies --known-at.
        return chosen if args.known_at is None or chosen == "arrow" else "python"
    if engine not in {"python", "arrow"} and args.known_at is not None:
        msg = "--known-at needs --engine python or arrow (DuckDB and polars count every record)"
        raise CommandError(msg)
    if engine != "python" and not columnar:
        msg = f"--engine {engine} reads CSV or Parquet; use --engine python for {source.name!r}"
        raise CommandError(msg)
    return engine


def _counts(
    args: argparse.Namespace, ahead: ReadAhead | None
) -> tuple[CampaignBundle, DailyCounts, str]:
    """The plan, the counts as of the requested day, and a note when that day was chosen.

    A bad row of the records, without ``--skip-bad-rows``, is an error that names it and
    says that option exists. ``ahead`` is the records read ahead (`report._read_ahead`),
    which only the arrow engine takes.
    """
    source: Path = Path(args.path) if args.enrollments is None else args.enrollments
    if args.sheet is not None and args.enrollments is None:
        msg = "--sheet names a sheet of the --enrollments workbook; give --enrollments too"
        raise CommandError(msg)
    if args.enrollments is None:
        records_file(source)  # a folder must not hold two versions of its records
    engine = _engine(args, source)
    if engine != "arrow" and ahead is not None:
        ahead.close()  # another engine reads the file: free what was parsed
        ahead = None
    try:
        return _counted(args, source, engine, ahead)
    except LoadError as error:
        records = records_file(source) if args.enrollments is None else source
        if error.line is None or Path(error.path).name != records.name:
            raise
        msg = f"{error}; report --skip-bad-rows counts the valid rows and lists the rejected ones"
    raise CommandError(msg)


def _counted(
    args: argparse.Namespace, source: Path, engine: Engine, ahead: ReadAhead | None
) -> tuple[CampaignBundle, DailyCounts, str]:
    """`_counts` once the engine is chosen."""
    lenient: bool = args.skip_bad_rows
    rejected: list[str] = []
    if lenient and records_file(source).suffix.lower() != ".parquet":
        plan, rejected = _lenient_plan(args, source)
        engine = "python"
    elif engine != "python":
        plan = load_plan(args.path)
    elif args.enrollments is None:
        with progress_bar(f"{ENROLLMENTS}: loading") as update:
            plan = load_campaign(args.path, progress=update)
    else:
        plan = load_plan(args.path)
        with progress_bar(f"{source.name}: loading") as update:
            loaded = load_folder_records(  # with the folder's encoding, [columns] and level
                args.path,
                level=plan.campaign.level,
                records=args.enrollments,
                sheet=args.sheet,
                progress=update,
            )
        plan = attrs.evolve(plan, records=loaded.records)
    campaign = plan.campaign
    as_of: dt.date | None = args.as_of
    note = ""
    if as_of is None:
        if engine == "python":
            as_of = plan.last_data_day(args.known_at)
        else:
            with progress_bar(f"{records_file(source).name}: last day") as update:
                as_of = last_data_day_for(
                    source,
                    campaign,
                    engine=engine,
                    progress=update,
                    known_at=args.known_at,
                    skip_bad_rows=lenient,
                )
        if as_of is None:
            msg = f"campaign {campaign.id!r} has no record from {campaign.start} to {campaign.end}"
            raise CommandError(msg)
        note = (
            f"(Số liệu đến hết ngày có dữ liệu cuối cùng: {day(as_of, args.lang)}.)"
            if args.lang == "vi"
            else f"(Figures through the last day with data: {day(as_of, args.lang)}.)"
        )
    elif not campaign.contains(as_of):
        msg = f"--as-of {as_of} is outside the campaign, {campaign.start} to {campaign.end}"
        raise CommandError(msg)
    if engine == "python":
        counts = with_rejected(plan.counts(as_of, known_at=args.known_at), rejected)
    else:
        units = [d.code for d in plan.districts]
        with progress_bar(f"{records_file(source).name}: counting") as update:
            counts = daily_counts_for(
                source,
                campaign,
                engine=engine,
                as_of=as_of,
                units=units,
                progress=update,
                known_at=args.known_at,
                skip_bad_rows=lenient,
                ahead=ahead,
            )
    return plan, counts, note


def _lenient_plan(args: argparse.Namespace, source: Path) -> tuple[CampaignBundle, list[str]]:
    """The plan with the valid records of a CSV, XLSX or JSON file, and the rejected codes.

    A problem with the whole file (a bad header) is still an error: no row is valid.
    """
    plan = load_plan(args.path)
    path = records_file(source) if args.enrollments is None else source
    level = plan.campaign.level
    with progress_bar(f"{path.name}: loading") as update:
        loaded = load_folder_records(  # with the folder's settings, whichever file
            args.path,
            level=level,
            strict=False,
            progress=update,
            records=args.enrollments,
            sheet=args.sheet,
        )
    if loaded.problems:
        raise loaded.problems[0].error(loaded.path)
    return attrs.evolve(plan, records=loaded.records), [row.code for row in loaded.rejected]


STDIN: Final = "<stdin>"
"""How messages name the records read from standard input (``--enrollments -``)."""

# The first bytes of the binary types standard input may hold; anything else is CSV.
_MAGIC: Final = ((b"PK\x03\x04", ".xlsx"), (b"PAR1", ".parquet"))


@contextlib.contextmanager
def _stdin_records(args: argparse.Namespace) -> Iterator[argparse.Namespace]:
    """``args`` with ``--enrollments -`` read from standard input into a temporary file.

    The records are copied as they come (a CSV file, or a workbook or Parquet file,
    known by their first bytes) to a file that lives while the report is made, so every
    engine and ``--skip-bad-rows`` read them as a named file would be read; messages name
    the records ``<stdin>``. A terminal is refused, rather than waited on.
    """
    if args.enrollments is None or str(args.enrollments) != STDIO:
        yield args
        return
    stream = sys.stdin
    if stream is None or stream.isatty():
        msg = "--enrollments -: standard input is a terminal; pipe the records in (< FILE)"
        raise CommandError(msg)
    import shutil  # noqa: PLC0415 - only for standard input
    import tempfile  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="bhxh-campaign-") as folder:
        raw = stream.buffer
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        suffix = next((s for magic, s in _MAGIC if head.startswith(magic)), ".csv")
        path = Path(folder) / f"stdin{suffix}"
        with path.open("wb") as file:
            shutil.copyfileobj(raw, file)
        try:
            yield argparse.Namespace(**{**vars(args), "enrollments": path})
        except LoadError as error:
            if Path(error.path) != path:
                raise
            raise LoadError(
                _without_where(error),
                path=STDIN,
                line=error.line,
                field=error.field,
                code=error.code,
            ) from None
        except CommandError as error:
            raise CommandError(str(error).replace(str(path), STDIN)) from None


def _without_where(error: LoadError) -> str:
    """A load error's message without the file, line and field it starts with."""
    where = error.path if error.line is None else f"{error.path}, line {error.line}"
    if error.field is not None:
        where = f"{where}, field {error.field!r}"
    return str(error).removeprefix(f"{where}: ")


def render(args: argparse.Namespace, ahead: ReadAhead | None = None) -> str | bytes:
    """The report of ``args.path`` in the requested format.

    ``--enrollments -`` reads the records from standard input (`_stdin_records`).
    ``ahead`` is the records file read ahead, if any (`report._read_ahead`); the caller
    closes it.
    """
    with _stdin_records(args) as named:
        return _render(named, ahead)


def _render(args: argparse.Namespace, ahead: ReadAhead | None) -> str | bytes:
    """`render`, with the records in a named file."""
    plan, counts, note = _counts(args, ahead)
    report = campaign_report(
        plan.campaign,
        plan.districts,
        plan.targets,
        counts,
        window_days=args.window_days,
        provinces=plan.provinces,
    )
    stocks = _stocks(report, counts, plan)
    if args.format == "json":
        return report_to_json(report, stocks=stocks)
    if args.format == "html":
        # The page's module (SVG charts, collation, assets) is imported only for a page.
        from bhxh_campaign.render.html import fingerprint_files, report_html  # noqa: PLC0415

        folder = Path(args.path)
        return report_html(
            report,
            args.lang,
            counts=counts,
            fingerprint=fingerprint_files(_inputs(folder, args.enrollments)),
            stocks=stocks,
        )
    if args.format == "table":
        return report_table(report, "text", lang=args.lang)
    if args.format == "xlsx":
        from bhxh_campaign.render.xlsx import report_xlsx  # noqa: PLC0415 - openpyxl, lazily

        try:
            return report_xlsx(report, lang=args.lang)
        except ModuleNotFoundError as error:
            raise CommandError(str(error)) from None
    if args.format in {"markdown", "csv"}:
        return report_table(report, args.format, lang=args.lang, bom=not args.no_bom)
    parts = [note] if note else []
    # The bulletin ends with the report's notes: the table under it does not repeat them.
    table = report_table(report, "text", lang=args.lang, notes=False)
    parts += [bulletin(report, args.lang, stocks=stocks), "", table]
    return "\n".join(parts)
