"""Tests against the approval snapshot: every output of the example, as reviewed."""

from __future__ import annotations

import pytest

from . import snapshot


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    """Every section, as the library makes it now."""
    return snapshot.outputs()


class TestSnapshot:
    def test_same_sections(self, made: dict[str, str]) -> None:
        """The snapshot has one section per output, in the same order."""
        assert list(snapshot.sections()) == list(made)

    @pytest.mark.parametrize("name", list(snapshot.sections()))
    def test_section(self, made: dict[str, str], name: str) -> None:
        """Each output is byte for byte its reviewed section (regenerate: python -m tests.snapshot)."""
        assert made[name] == snapshot.section(name)
