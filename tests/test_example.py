"""The bundled example is exactly what its seeded generator writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE


@pytest.mark.parametrize(
    "name", ["campaign.toml", "districts.csv", "targets.csv", "enrollments.csv"]
)
def test_committed_files_match_the_generator(tmp_path: Path, name: str) -> None:
    """Regenerating the example from its rules and seed gives byte-identical files."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLE / "generate.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes()
