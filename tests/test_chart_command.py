"""Tests of ``bhxh-campaign chart``: files written, defaults, and one-line errors."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import bhxh_campaign as bc
from bhxh_campaign.cli import main
from bhxh_campaign.render import Lang, charts

from .conftest import BULLETIN_DAY, EXAMPLE

AS_OF = BULLETIN_DAY.isoformat()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["chart", *args])
    out, err = capsys.readouterr()
    return code, out, err


class TestChart:
    @pytest.mark.parametrize("kind", ["cumulative", "completion", "daily"])
    def test_writes_the_chart(
        self,
        kind: str,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        example: bc.CampaignBundle,
    ) -> None:
        """Each kind writes the PNG the Python API draws, byte for byte, and prints nothing."""
        out = tmp_path / f"{kind}.png"
        code, stdout, stderr = run(
            capsys, str(EXAMPLE), "--kind", kind, "--as-of", AS_OF, "--out", str(out)
        )
        assert (code, stdout, stderr) == (0, "", "")
        report, counts = example.report(BULLETIN_DAY), example.counts(BULLETIN_DAY)
        figure = {
            "cumulative": lambda: charts.cumulative_chart(report, counts),
            "completion": lambda: charts.completion_chart(report),
            "daily": lambda: charts.daily_chart(report, counts),
        }[kind]()
        assert out.read_bytes() == charts.chart_bytes(figure)

    def test_svg_and_english(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], example: bc.CampaignBundle
    ) -> None:
        """A .svg name writes SVG; --lang en draws the English chart."""
        out = tmp_path / "completion.SVG"
        code, _, _ = run(
            capsys,
            str(EXAMPLE),
            "--kind",
            "completion",
            "--as-of",
            AS_OF,
            "--lang",
            "en",
            "--out",
            str(out),
        )
        assert code == 0
        figure = charts.completion_chart(example.report(BULLETIN_DAY), lang="en")
        assert out.read_bytes() == charts.chart_bytes(figure, "svg")

    def test_defaults(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Without --as-of the chart is as of the last day with data, with a 7-day window."""
        seen: list[bc.CampaignReport] = []

        def spy(report: bc.CampaignReport, counts: bc.DailyCounts, *, lang: Lang) -> Figure:
            seen.append(report)
            assert counts.end == report.as_of
            assert lang == "vi"
            return charts.completion_chart(report)

        monkeypatch.setattr(charts, "daily_chart", spy)
        code, _, _ = run(capsys, str(EXAMPLE), "--kind", "daily", "--out", str(tmp_path / "d.png"))
        assert code == 0
        assert [(r.as_of.isoformat(), r.window.days) for r in seen] == [("2023-05-31", 7)]

    def test_window_days(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        example: bc.CampaignBundle,
    ) -> None:
        """--window-days sets the highlighted window of the daily chart."""
        out = tmp_path / "daily.png"
        code, _, _ = run(
            capsys,
            str(EXAMPLE),
            "--kind",
            "daily",
            "--as-of",
            AS_OF,
            "--window-days",
            "14",
            "--out",
            str(out),
        )
        assert code == 0
        report = example.report(BULLETIN_DAY, window_days=14)
        figure = charts.daily_chart(report, example.counts(BULLETIN_DAY))
        assert out.read_bytes() == charts.chart_bytes(figure)

    def test_listed_in_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``bhxh-campaign --help`` lists the chart command."""
        with pytest.raises(SystemExit):
            main(["--help"])
        assert "chart" in capsys.readouterr().out


class TestChartErrors:
    def test_bad_suffix(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An --out name that is neither .png nor .svg is a one-line error, exit code 2."""
        code, _, err = run(
            capsys, str(EXAMPLE), "--kind", "daily", "--out", str(tmp_path / "d.jpg")
        )
        assert code == 2
        assert err.startswith("bhxh-campaign: error: --out must end in .png or .svg")
        assert not (tmp_path / "d.jpg").exists()

    def test_as_of_outside(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An --as-of outside the campaign is refused."""
        code, _, err = run(
            capsys,
            str(EXAMPLE),
            "--kind",
            "daily",
            "--as-of",
            "2023-06-01",
            "--out",
            str(tmp_path / "d.png"),
        )
        assert code == 2
        assert "--as-of 2023-06-01 is outside the campaign" in err

    def test_no_data(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A campaign with no record in its window, and no --as-of, is a one-line error."""
        folder = tmp_path / "empty"
        shutil.copytree(EXAMPLE, folder)
        lines = (folder / "enrollments.csv").read_text(encoding="utf-8").splitlines()
        (folder / "enrollments.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
        code, _, err = run(capsys, str(folder), "--kind", "daily", "--out", str(tmp_path / "d.png"))
        assert code == 2
        assert "has no record from 2023-05-01 to 2023-05-31" in err

    def test_unwritable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that cannot be written is a one-line error naming it."""
        out = tmp_path / "missing" / "d.png"
        code, _, err = run(capsys, str(EXAMPLE), "--kind", "completion", "--out", str(out))
        assert code == 2
        assert repr(str(out)) in err

    def test_without_matplotlib(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Without matplotlib the command says which extra to install."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        code, _, err = run(
            capsys, str(EXAMPLE), "--kind", "completion", "--out", str(tmp_path / "c.png")
        )
        assert code == 2
        assert "pip install 'bhxh-campaign[plot]'" in err

    def test_kind_and_out_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--kind and --out are required, as argparse reports it."""
        with pytest.raises(SystemExit) as info:
            main(["chart", str(EXAMPLE)])
        assert info.value.code == 2
        assert "--kind" in capsys.readouterr().err
