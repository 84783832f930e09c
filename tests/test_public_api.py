"""Tests for the public surface of `bhxh_campaign`: `__all__`, `__dir__`, `__version__`."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
from typing import Any

import pytest

import bhxh_campaign
import bhxh_campaign.io

from .conftest import EXAMPLE

HEAVY = (
    "pandas",
    "polars",
    "numpy",
    "pyarrow",
    "duckdb",
    "narwhals",
    "matplotlib",
    "hypothesis",
    "cattrs",
    "tqdm",
    "dask",
    "dateutil",
)


def _isort_style(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 enforces: CONSTANTS, then CamelCase, then the rest."""
    if name.isupper():
        return (0, name)
    if name[0].isupper():
        return (1, name)
    return (2, name)


class TestAll:
    def test_sorted(self) -> None:
        """`__all__` is sorted the way the linter (RUF022, isort-style) keeps it."""
        assert bhxh_campaign.__all__ == sorted(bhxh_campaign.__all__, key=_isort_style)

    def test_isort_style_key(self) -> None:
        """The sort key puts constants before classes before functions and dunders."""
        names = ["rank", "__version__", "Window", "NATIONAL", "Campaign"]
        assert sorted(names, key=_isort_style) == [
            "NATIONAL",
            "Campaign",
            "Window",
            "__version__",
            "rank",
        ]

    def test_no_duplicates(self) -> None:
        """Each public name is listed once."""
        assert len(set(bhxh_campaign.__all__)) == len(bhxh_campaign.__all__)

    @pytest.mark.parametrize("name", bhxh_campaign.__all__)
    def test_every_name_resolves(self, name: str) -> None:
        """Every listed name is an attribute of the package."""
        assert hasattr(bhxh_campaign, name)
        assert getattr(bhxh_campaign, name) is not None

    @pytest.mark.parametrize("package", [bhxh_campaign, bhxh_campaign.io])
    def test_names_come_from_their_modules(self, package: Any) -> None:
        """Each lazily imported name is its defining module's own object, and is kept."""
        for name in package.__all__:
            if name == "__version__":
                continue
            module = importlib.import_module(f"{package.__name__}.{package._EXPORTS[name]}")
            assert getattr(package, name) is getattr(module, name)
            assert vars(package)[name] is getattr(module, name)

    @pytest.mark.parametrize("package", [bhxh_campaign, bhxh_campaign.io])
    def test_unknown_name_raises(self, package: Any) -> None:
        """A name that is not public is an AttributeError naming the package."""
        with pytest.raises(AttributeError, match=f"module '{package.__name__}' has no"):
            _ = package.no_such_name

    def test_star_import_brings_exactly_all(self) -> None:
        """`from bhxh_campaign import *` brings every name of `__all__` and nothing else."""
        namespace: dict[str, Any] = {}
        exec("from bhxh_campaign import *", namespace)
        namespace.pop("__builtins__", None)
        assert set(namespace) == set(bhxh_campaign.__all__)

    def test_dir_is_all(self) -> None:
        """`dir(bhxh_campaign)` shows only the public API (for tab completion)."""
        # dir() always sorts plainly, so it equals __all__ up to that order.
        assert dir(bhxh_campaign) == sorted(bhxh_campaign.__all__)
        assert bhxh_campaign.__dir__() == bhxh_campaign.__all__

    def test_core_types_are_listed(self) -> None:
        """The domain types and errors are public."""
        expected = {
            "Campaign",
            "CampaignBundle",
            "CampaignError",
            "District",
            "EnrollmentRecord",
            "InvalidValueError",
            "LoadError",
            "Province",
            "Target",
            "UnitKind",
        }
        assert expected <= set(bhxh_campaign.__all__)

    def test_strategies_are_not_reexported(self) -> None:
        """The Hypothesis strategies stay in their own module, outside the core API."""
        assert "campaigns" not in bhxh_campaign.__all__
        assert "strategies" not in bhxh_campaign.__all__


class TestVersion:
    def test_is_a_str(self) -> None:
        """`__version__` is a string."""
        assert isinstance(bhxh_campaign.__version__, str)
        assert bhxh_campaign.__version__

    def test_matches_metadata(self) -> None:
        """`__version__` comes from the installed distribution's metadata."""
        assert bhxh_campaign.__version__ == importlib.metadata.version("bhxh-campaign")


class TestImportCost:
    def test_no_optional_dependency_is_imported(self) -> None:
        """Importing the package loads none of the heavy optional dependencies."""
        script = (
            "import json, sys, bhxh_campaign\n"
            f"heavy = {list(HEAVY)!r}\n"
            "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        loaded = json.loads(result.stdout)
        assert loaded == []

    @pytest.mark.parametrize(
        ("fmt", "needed"),
        [
            ("text", []),
            ("html", ["bhxh_campaign.render.html", "importlib.metadata", "zipfile"]),
        ],
    )
    def test_the_command_imports_what_its_format_needs(self, fmt: str, needed: list[str]) -> None:
        """The text report loads no page renderer, workbook reader or optional engine."""
        watched = [
            *HEAVY,
            "bhxh_campaign.render.html",
            "importlib.metadata",
            "zipfile",
            "tqdm",
            "cattrs",
        ]
        script = (
            "import contextlib, io, json, sys\n"
            "from bhxh_campaign.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['report', {str(EXAMPLE)!r}, '--as-of', '2023-05-18', '--format', {fmt!r}])\n"
            f"print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        assert json.loads(result.stdout) == needed

    def test_probe_detects_an_import(self) -> None:
        """The probe above would see a module that was imported (it is not vacuous)."""
        script = (
            "import json, sys, bhxh_campaign, hypothesis\n"
            f"heavy = {list(HEAVY)!r}\n"
            "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        assert "hypothesis" in json.loads(result.stdout)
