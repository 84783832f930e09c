"""The ``bhxh-campaign`` command: progress reports of enrollment campaigns.

Each subcommand lives in its own module under `bhxh_campaign.commands`.

Examples:
    >>> args = ["report", "examples/bac_giang_2023", "--as-of", "2023-05-18", "--format", "json"]
    >>> main(args)  # doctest: +ELLIPSIS
    {
      "schema_version": 2,
    ...
    0
"""

from __future__ import annotations

import argparse
import atexit
import errno
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Final, NoReturn

from bhxh_campaign.commands import CommandError
from bhxh_campaign.errors import CampaignError

__all__ = ["main", "run"]

_COMMANDS = ("report", "audit", "chart", "validate", "diff", "init")
"""The subcommands, in the order ``--help`` lists them (modules of `bhxh_campaign.commands`)."""
_USAGE_ERROR = 2

EXIT_CODES = """\
exit codes:
  0  done: the output is written (audit: every figure agrees)
  1  done, with findings: figures that disagree (audit), rows rejected (validate)
  2  could not run: a bad argument or input, or the output could not be written"""
"""The exit codes, as ``--help`` lists them under every command."""


def _modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    # A command line naming its subcommand first imports only that subcommand's module
    # (``report`` need not import what ``chart`` or ``audit`` use); else all, for --help.
    first = (sys.argv[1:] if argv is None else argv)[:1]
    names = tuple(first) if tuple(first) and first[0] in _COMMANDS else _COMMANDS
    return [importlib.import_module(f"bhxh_campaign.commands.{name}") for name in names]


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bhxh-campaign",
        description="Progress reports of voluntary social-insurance enrollment campaigns.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # The version is read only when asked for: importlib.metadata is slow to import.
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in _modules(argv):
        sub = commands.add_parser(
            module.NAME,
            help=module.HELP,
            description=module.HELP[:1].upper() + module.HELP[1:] + ".",
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


class _Version(argparse.Action):
    """``--version``: print ``bhxh-campaign X.Y.Z`` and exit with code 0."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002 - argparse's keyword
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from bhxh_campaign import __version__  # noqa: PLC0415 - read only when asked for

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit()


def _os_error(error: OSError) -> str:
    """A one-line message for a file error no command caught: mostly a failed write."""
    reason = error.strerror or type(error).__name__
    if error.filename is None:  # standard output: a full disk, a device error
        return f"cannot write the output: {reason}"
    return f"{str(error.filename)!r}: {reason}"


def _drop_stdout() -> None:
    """Point the process's standard output at the null device after a failed write.

    What a write left in the buffer would fail again when Python flushes it at exit,
    printing a traceback and exiting with 120 (the recipe of the `signal` module's docs for
    a broken pipe). Only the process's own standard output is redirected, never a stand-in.
    """
    stdout = sys.__stdout__
    if stdout is None or sys.stdout is not stdout:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - no file descriptor to redirect
        return


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see `EXIT_CODES`).

    Examples:
        >>> args = ["report", "examples/bac_giang_2023", "--as-of", "2023-05-18"]
        >>> main([*args, "--format", "csv", "--no-bom"])  # without, it starts with a BOM
        rank,code,district,new,target,percent,rank_by_completion,completed_on,window...
        1,221,Yên Dũng,318,285,111.58,2,2023-05-16,156...
        ...
        ,24,Total,1928,3285,58.69,,,1074...
        0
    """
    args = _parser(argv).parse_args(argv)
    try:
        code: int = args.run(args)
        sys.stdout.flush()
    except (CampaignError, CommandError) as error:
        print(f"bhxh-campaign: error: {error}", file=sys.stderr)
        return _USAGE_ERROR
    except OSError as error:
        # The commands word their own reading errors; what is left is mostly the output.
        if error.filename is None:
            _drop_stdout()
        if error.errno != errno.EPIPE:  # a reader that stopped early (| head) is no error
            print(f"bhxh-campaign: error: {_os_error(error)}", file=sys.stderr)
        return _USAGE_ERROR
    return code


# glibc's mallopt parameters (malloc.h): M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD,
# M_ARENA_MAX.
_GLIBC_OPTIONS: Final = ((-1, 256 << 20), (-2, 64 << 20), (-3, 64 << 20), (-8, 2))


def _tune_memory() -> bool:
    """Keep the memory a count frees for its next allocation, rather than returning it.

    The arrow engine reads a file in chunks of a few MiB, and each chunk, the arrays parsed
    from it and the arrays computed from those are allocated and freed in turn. By default
    glibc maps every block over 128 KiB fresh from the system and unmaps it when it is
    freed, and pyarrow allocates with its own allocator beside it: every block pays again
    for the first touch of its pages, about 20 ms of a 0.37 s report at 10^6 rows. So
    pyarrow uses the system allocator (unless ``ARROW_DEFAULT_MEMORY_POOL`` names
    another), and glibc keeps blocks of up to 64 MiB in its heap, grows the heap by 64 MiB
    at a time and returns freed memory only past 256 MiB, so blocks are reused. The
    threads share one heap beside the main thread's (glibc would give each its own): the
    batches the read-ahead thread parsed (`bhxh_campaign.engines.read_ahead`) are freed
    where the count's workers allocate theirs, which kept 40 MiB more at 10^6 rows.
    Called by the script before anything is allocated or any thread starts.

    Returns:
        Whether glibc's allocator was tuned (False elsewhere: macOS, Windows, musl...).
    """
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # noqa: PLC0415 - only for the script

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - no C library with mallopt
        return False
    return all(mallopt(option, value) == 1 for option, value in _GLIBC_OPTIONS)


def run() -> NoReturn:
    """The ``bhxh-campaign`` script: `main`, then the process ends without tearing down.

    Tearing the interpreter down after a report (the modules of numpy and pyarrow, their
    memory) takes 25 to 30 ms, a tenth of a report at 10^6 rows. Once the output is
    flushed and the `atexit` functions have run (coverage, logging), `os._exit` ends the
    process; while another thread still runs, Python's normal exit waits for it instead.

    The command does no linear algebra: unless the environment says otherwise, OpenBLAS
    (loaded with numpy by the arrow engine) starts one thread, not one per core, whose
    start-up would take CPU from the count.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _tune_memory()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a failed write: Python's normal exit deals with it
        sys.exit(code)
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()  # what Python's own exit runs first, before tearing down
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
