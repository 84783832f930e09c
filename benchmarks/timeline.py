"""When each phase of ``bhxh-campaign report`` ends, with its read ahead, in fresh processes.

    python benchmarks/timeline.py --rows 1e6 --repeat 9

Each round runs the command (``report FOLDER --as-of 2023-05-18 --format json``, as
`cli.py` does) in its own interpreter, through the script's entry point, and prints the
milliseconds from the child script's first line (after the interpreter's own start) to:
the arguments read (`read_ahead` called), pyarrow imported and the read-ahead thread
started, each chunk parsed (by the thread, then by the count's workers), the
count taking the read ahead (the package imported and the plan loaded meanwhile), the
count's end (the engine closes the read ahead), and the report written (the report and
its JSON made). The last line gives the median of each phase over the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cli import folder_of  # noqa: E402
from generate import AS_OF  # noqa: E402

# Marks the phases by wrapping, before the command runs, the few functions that end them;
# nothing else of the command is imported before it would be.
_CHILD = """
import time
start = time.perf_counter()
import sys
from bhxh_campaign.cli import run
import bhxh_campaign.commands.report as command
from bhxh_campaign.engines import _ahead
marks = []

def mark(name):
    marks.append((name, time.perf_counter()))

def wrap(owner, name, before=None, after=None):
    function = getattr(owner, name)
    def wrapped(*args, **kwargs):
        if before:
            mark(before)
        result = function(*args, **kwargs)
        if after:
            mark(after)
        return result
    setattr(owner, name, wrapped)

read_ahead = _ahead.read_ahead
def started(*args, **kwargs):
    mark("arguments")
    ahead = read_ahead(*args, **kwargs)
    mark("pyarrow")
    if ahead is not None:
        parse = ahead._parse
        ahead._parse = lambda chunk: (parse(chunk), mark("chunk"))[0]
    return ahead
_ahead.read_ahead = started
import bhxh_campaign.engines as engines
engines.read_ahead = started
wrap(_ahead.ReadAhead, "jobs", after="taken")
closed = []
close = _ahead.ReadAhead.close
def closing(self):
    if not closed:
        closed.append(1)
        mark("counted")
    close(self)
_ahead.ReadAhead.close = closing
wrap(command, "write_output", after="written")
import atexit
atexit.register(lambda: print(" ".join(
    f"{name}={1000 * (at - start):.0f}" for name, at in marks), file=sys.stderr))
sys.argv = ["bhxh-campaign", "report", sys.argv[1], "--as-of", sys.argv[2], "--format", "json",
            "--out", sys.argv[3]]
run()
"""

PHASES = ("arguments", "pyarrow", "taken", "counted", "written")


def main() -> None:
    """Run the rounds; print each round's marks, then the median of each phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    folder = folder_of(int(args.rows))
    out = folder.parent / "timeline.json"
    found: dict[str, list[float]] = {phase: [] for phase in (*PHASES, "chunks ahead")}
    for _ in range(args.repeat):
        command = [sys.executable, "-c", _CHILD, str(folder), AS_OF.isoformat(), str(out)]
        marks = subprocess.run(command, capture_output=True, text=True, check=True).stderr
        print(marks.strip())
        pairs = [item.split("=") for item in marks.split()]
        at = {name: float(ms) for name, ms in pairs if name != "chunk"}
        taken = at.get("taken", float("inf"))
        found["chunks ahead"].append(
            sum(1 for name, ms in pairs if name == "chunk" and float(ms) <= taken)
        )
        for phase in PHASES:
            found[phase].append(at[phase])
    print("median: " + ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in found.items()))


if __name__ == "__main__":
    main()
