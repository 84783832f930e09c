"""Tests of `bhxh_campaign.render.html`: the self-contained page, its escaping and its order."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import struct
import sys
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from random import Random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bhxh_campaign as bc
from bhxh_campaign.render import _collate
from bhxh_campaign.render._collate import vi_sort_key
from bhxh_campaign.render._format import Lang
from bhxh_campaign.render.html import fingerprint_files, report_html, report_iframe
from bhxh_campaign.strategies import campaign_bundles

from .conftest import BULLETIN_DAY, EXAMPLE

FILES = ("campaign.toml", "districts.csv", "targets.csv", "enrollments.csv")
HOSTILE = "<script>alert(1)</script>"


class Element:
    """One parsed element: its tag, attributes, children and text, in document order."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        """The text of the element and its descendants, with one space between parts."""
        return " ".join(" ".join(self._texts()).split())

    def _texts(self) -> list[str]:
        out = list(self.parts)
        for child in self.children:
            out += child._texts()
        return out

    def iter(self, tag: str | None = None) -> list[Element]:
        """Every descendant (and self) with ``tag``, in document order."""
        found = [self] if tag in {None, self.tag} else []
        for child in self.children:
            found += child.iter(tag)
        return found

    def find(self, tag: str, **attrs: str) -> Element:
        """The first descendant with ``tag`` and the given attributes."""
        for element in self.iter(tag):
            if all(element.attrs.get(k) == v for k, v in attrs.items()):
                return element
        msg = f"no <{tag}> with {attrs}"
        raise LookupError(msg)


class Tree(HTMLParser):
    """A minimal DOM built with the standard library's tokenizer."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "wbr", "source"})

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.parts.append(data)


def page_of(bundle: bc.CampaignBundle, lang: Lang = "vi") -> str:
    report = bundle.report(BULLETIN_DAY)
    return report_html(
        report, lang, counts=bundle.counts(BULLETIN_DAY), fingerprint="sha256:ab", version="9.9"
    )


@pytest.fixture(scope="module")
def page_vi(example: bc.CampaignBundle) -> Element:
    return Tree(page_of(example, "vi")).root


@pytest.fixture(scope="module")
def page_en(example: bc.CampaignBundle) -> Element:
    return Tree(page_of(example, "en")).root


@pytest.fixture
def hostile(tmp_path: Path) -> bc.CampaignBundle:
    """The example with markup in a district's name and in the campaign's name."""
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    districts = folder / "districts.csv"
    text = districts.read_text(encoding="utf-8").replace("Sơn Động", HOSTILE)
    districts.write_text(text, encoding="utf-8")
    toml = folder / "campaign.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'name = "Tháng', 'name = "<b>&amp;</b> \\"Tháng', 1
        ),
        encoding="utf-8",
    )
    return bc.load_campaign(folder)


class TestReportHtml:
    def test_language_attribute(self, page_vi: Element, page_en: Element) -> None:
        """The root element says the page's language."""
        assert page_vi.find("html").attrs["lang"] == "vi"
        assert page_en.find("html").attrs["lang"] == "en"

    def test_ten_district_rows_in_rank_order(self, page_vi: Element) -> None:
        """The league table has one body row per district, ordered by rank by actual."""
        body = page_vi.find("table", id="league").find("tbody")
        rows = body.iter("tr")
        assert len(rows) == 10
        names = [row.find("th").text for row in rows]
        assert names[:3] == ["Yên Dũng", "Hiệp Hòa", "Lục Ngạn"]
        assert [row.iter("td")[0].text for row in rows] == [str(i) for i in range(1, 11)]

    def test_headers_have_scope(self, page_vi: Element) -> None:
        """Every table header says what it heads: a column or a row."""
        headers = page_vi.iter("th")
        assert len(headers) > 20
        assert {th.attrs.get("scope") for th in headers} == {"col", "row"}

    def test_no_external_resources(self, example: bc.CampaignBundle) -> None:
        """No src or href points anywhere: the page works offline and leaks nothing."""
        page = page_of(example)
        tree = Tree(page).root
        links = [
            value
            for element in tree.iter()
            for name, value in element.attrs.items()
            if name in {"src", "href", "srcset", "action", "xlink:href"}
        ]
        assert links == []
        assert "http://" not in page
        assert "https://" not in page
        policy = tree.find("meta", **{"http-equiv": "Content-Security-Policy"})
        assert "default-src 'none'" in (policy.attrs["content"] or "")

    def test_vietnamese_figures(self, page_vi: Element) -> None:
        """Headline figures in Vietnamese formats: 1.928; 3.285; 58,69%; 12/5 to 18/5/2023."""
        figures = page_vi.find("dl").text
        for figure in ("1.928", "3.285", "58,69%", "1.074", "12/5 đến 18/5/2023"):
            assert figure in figures

    def test_english_figures(self, page_en: Element) -> None:
        """Headline figures in English formats: 1,928; 3,285; 58.69%; 12 May to 18 May 2023."""
        figures = page_en.find("dl").text
        for figure in ("1,928", "3,285", "58.69%", "1,074", "12 May to 18 May 2023"):
            assert figure in figures

    def test_reached_targets_are_marked(self, page_vi: Element) -> None:
        """The two districts past 100% carry the mark and their completion day."""
        rows = page_vi.find("table", id="league").find("tbody").iter("tr")
        marked = {row.find("th").text: row.text for row in rows if "✓" in row.text}
        assert set(marked) == {"Yên Dũng", "Sơn Động"}
        assert "13/5/2023" in marked["Sơn Động"]
        assert "112,67%" in marked["Sơn Động"]

    def test_sortable_headers(self, page_vi: Element) -> None:
        """Each column header says how it sorts; the page starts sorted by rank."""
        heads = page_vi.find("table", id="league").find("thead").iter("th")
        assert [h.attrs["data-key"] for h in heads][:3] == ["rank", "code", "district"]
        assert [h.attrs.get("aria-sort") for h in heads].count("ascending") == 1
        assert page_vi.find("th", **{"data-key": "percent"}).attrs["data-first"] == "descending"
        assert len(page_vi.iter("script")) == 1

    def test_name_sort_key_is_vietnamese_order(self, page_vi: Element) -> None:
        """Name cells carry their position in Vietnamese alphabetical order."""
        rows = page_vi.find("table", id="league").find("tbody").iter("tr")
        keyed = sorted(rows, key=lambda r: int(r.find("th").attrs["data-sort"] or ""))
        assert [r.find("th").text for r in keyed] == [
            "Bắc Giang",
            "Hiệp Hòa",
            "Lạng Giang",
            "Lục Nam",
            "Lục Ngạn",
            "Sơn Động",
            "Tân Yên",
            "Việt Yên",
            "Yên Dũng",
            "Yên Thế",
        ]

    def test_charts_have_text_alternatives(self, page_vi: Element) -> None:
        """Both charts are labelled by a title and a description, and have a caption."""
        figures = page_vi.iter("figure")
        assert len(figures) == 2
        for figure in figures:
            svg = figure.find("svg")
            assert svg.attrs["role"] == "img"
            labels = (svg.attrs["aria-labelledby"] or "").split()
            assert [svg.find("title").attrs["id"], svg.find("desc").attrs["id"]] == labels
            assert figure.find("figcaption").text
        assert "Sơn Động 112,67%" in figures[1].find("desc").text
        assert "1.928" in figures[0].find("desc").text

    def test_cumulative_chart_needs_counts(self, example_report: bc.CampaignReport) -> None:
        """Without daily counts the page has only the completion chart."""
        page = report_html(example_report, "en", version="1")
        assert page.count("<figure>") == 1
        assert "100%" in page

    def test_excluded_tallies(self, page_vi: Element, page_en: Element) -> None:
        """The records not counted are tallied by reason, with a total."""
        table = page_vi.find("table", **{"class": "excluded"})
        assert "trùng người đã tính 9" in table.text
        assert "Tổng cộng 1.163" in table.text
        assert "repeat participant 9" in page_en.find("table", **{"class": "excluded"}).text

    def test_nothing_excluded(self, example: bc.CampaignBundle) -> None:
        """A report with no record set aside says so."""
        report = example.report(BULLETIN_DAY)
        note = bc.Note(
            "province_target_differs", [("province_code", "24"), ("target", 3300), ("units_sum", 1)]
        )
        province = attrs.evolve(report.provinces[0], name="A & B")
        report = attrs.evolve(report, excluded=(), notes=(note,), provinces=(province,))
        page = report_html(report, "en", version="1")
        assert "No record was set aside." in page
        assert (
            '<li data-code="province_target_differs">The target of A &amp; B province is 3,300,'
            in page
        )

    def test_notes_in_the_page_language(self, example: bc.CampaignBundle) -> None:
        """The Vietnamese page words its notes in Vietnamese; records set aside are its table."""
        report = example.report(BULLETIN_DAY)
        note = bc.Note(
            "province_target_differs", [("province_code", "24"), ("target", 3300), ("units_sum", 1)]
        )
        page = report_html(attrs.evolve(report, notes=(note, *report.notes)), "vi", version="1")
        notes = page[page.index("<h2>Ghi chú</h2>") :]
        assert "Kế hoạch giao cho toàn tỉnh là 3.300 người" in notes
        assert notes.count("<li") == 1

    def test_footer(self, page_vi: Element) -> None:
        """The footer gives the as-of day, the data fingerprint and the library version."""
        footer = page_vi.find("footer").text
        assert "18/5/2023" in footer
        assert "sha256:ab" in footer
        assert "9.9" in footer

    def test_installed_version_by_default(self, example_report: bc.CampaignReport) -> None:
        """Without a version the footer shows the installed library's."""
        assert f"bhxh_campaign {bc.__version__}." in report_html(example_report)

    def test_printable_on_a4(self, example_report: bc.CampaignReport) -> None:
        """The style sheet sets an A4 page and print rules."""
        page = report_html(example_report, version="1")
        assert "@page{size:A4" in page
        assert "@media print" in page

    def test_unit_name_is_text(self, hostile: bc.CampaignBundle) -> None:
        """A unit name that looks like markup appears as text, never as an element."""
        page = page_of(hostile)
        tree = Tree(page).root
        assert len(tree.iter("script")) == 1
        assert tree.iter("b") == []
        assert HOSTILE not in page
        rows = tree.find("table", id="league").find("tbody").iter("tr")
        assert HOSTILE in [row.find("th").text for row in rows]
        assert (
            HOSTILE
            in tree.find("svg", **{"aria-labelledby": "completion-title completion-desc"}).text
        )

    def test_campaign_name_is_text(self, hostile: bc.CampaignBundle) -> None:
        """The campaign's name is escaped in the title and the heading."""
        tree = Tree(page_of(hostile, "en")).root
        assert tree.find("h1").text.startswith('<b>&amp;</b> "Tháng')
        assert tree.find("title").text.startswith('<b>&amp;</b> "Tháng')

    def test_dates_follow_the_language(self, example: bc.CampaignBundle) -> None:
        """Completion days are written d/M/yyyy in Vietnamese and d MMMM yyyy in English."""
        assert "13/5/2023" in page_of(example, "vi")
        assert "13 May 2023" in page_of(example, "en")
        assert example.report(BULLETIN_DAY).district("220").completed_on == dt.date(2023, 5, 13)


class TestFingerprintFiles:
    def test_order_does_not_matter(self) -> None:
        """The same files in any order give the same fingerprint."""
        files = [EXAMPLE / name for name in FILES]
        assert fingerprint_files(files) == fingerprint_files(reversed(files))
        assert fingerprint_files(files).startswith("sha256:")

    def test_moving_the_folder_keeps_it(self, tmp_path: Path) -> None:
        """A copy of the folder elsewhere has the same fingerprint."""
        shutil.copytree(EXAMPLE, tmp_path / "copy")
        here = fingerprint_files(EXAMPLE / name for name in FILES)
        assert fingerprint_files(tmp_path / "copy" / name for name in FILES) == here

    def test_any_change_changes_it(self, tmp_path: Path) -> None:
        """Changing one byte, or renaming a file, changes the fingerprint."""
        a, b = tmp_path / "a.csv", tmp_path / "b.csv"
        a.write_bytes(b"x,y\n1,2\n")
        b.write_bytes(b"x,y\n")
        first = fingerprint_files([a, b])
        b.write_bytes(b"x,z\n")
        assert fingerprint_files([a, b]) != first
        b.write_bytes(b"x,y\n")
        assert fingerprint_files([a, b]) == first
        c = b.rename(tmp_path / "c.csv")
        assert fingerprint_files([a, c]) != first

    def test_boundaries_count(self, tmp_path: Path) -> None:
        """Moving bytes from one file to the next changes the fingerprint."""
        a, b = tmp_path / "a", tmp_path / "b"
        a.write_bytes(b"12")
        b.write_bytes(b"3")
        first = fingerprint_files([a, b])
        a.write_bytes(b"1")
        b.write_bytes(b"23")
        assert fingerprint_files([a, b]) != first


VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


@st.composite
def vietnamese_words(draw: st.DrawFn) -> str:
    letters = draw(st.lists(st.sampled_from(VI_LETTERS), min_size=1, max_size=5))
    cased = [ch.upper() if draw(st.booleans()) else ch for ch in letters]
    cased[-1] += draw(st.sampled_from(TONES))
    return "".join(cased)


class TestViSortKey:
    def test_d_with_stroke_after_d(self) -> None:
        """Đ is a letter of its own, after every word in D."""
        assert sorted(["Đa", "Dz", "Da", "Dương"], key=vi_sort_key) == ["Da", "Dương", "Dz", "Đa"]

    def test_letters_with_modifiers_follow_their_base(self) -> None:
        """Ă and Â come after every word in A; Ơ after Ô after O; Ư after U."""
        assert sorted(["Ân", "Ăn", "Anh"], key=vi_sort_key) == ["Anh", "Ăn", "Ân"]
        assert sorted(["Ơn", "On", "Ôn", "Ưu", "Uy"], key=vi_sort_key) == [
            "On",
            "Ôn",
            "Ơn",
            "Uy",
            "Ưu",
        ]

    def test_tones_break_ties_after_the_letters(self) -> None:
        """Tone marks order words only when the letters are the same, unmarked first."""
        words = ["Hạ", "Há", "Hã", "Ha", "Hà", "Hả", "Hb"]
        assert sorted(words, key=vi_sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ", "Hb"]

    def test_normalisation_does_not_matter(self) -> None:
        """Composed and decomposed spellings of a name have the same key."""
        name = "Lục Ngạn Đồng Hỷ"
        nfd = unicodedata.normalize("NFD", name)
        assert vi_sort_key(name) == vi_sort_key(nfd)

    @given(st.lists(vietnamese_words(), min_size=2, max_size=8))
    def test_fallback_agrees_with_the_collator(self, words: list[str]) -> None:
        """Without pyuca, Vietnamese words sort exactly as with it."""
        pytest.importorskip("pyuca")
        assert sorted(words, key=_collate._fallback_key) == sorted(words, key=vi_sort_key)

    def test_fallback_without_pyuca(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pyuca installed, the fallback key is used."""
        monkeypatch.setitem(sys.modules, "pyuca", None)  # makes ``import pyuca`` fail
        _collate._collator.cache_clear()
        try:
            assert _collate._collator() is None
            assert vi_sort_key("Đa") == _collate._fallback_key("Đa")
            assert sorted(["Đa", "Dz", "Ăn", "Anh"], key=vi_sort_key) == ["Anh", "Ăn", "Dz", "Đa"]
        finally:
            monkeypatch.undo()
            _collate._collator.cache_clear()


class TestReportHtmlArguments:
    def test_unknown_language(self, example_report: bc.CampaignReport) -> None:
        """A language other than vi or en is refused, naming the argument."""
        with pytest.raises(bc.InvalidValueError, match="lang") as info:
            report_html(example_report, "fr")  # type: ignore[arg-type]
        assert info.value.field == "lang"

    def test_counts_of_another_day(self, example: bc.CampaignBundle) -> None:
        """Daily counts that end on another day than the report are refused."""
        with pytest.raises(bc.InvalidValueError, match="counts cover"):
            report_html(example.report(BULLETIN_DAY), counts=example.counts(dt.date(2023, 5, 17)))

    @given(campaign_bundles())
    def test_every_report_renders(self, bundle: bc.CampaignBundle) -> None:
        """Any valid report gives a page with one row per district and one script."""
        report = bundle.report()
        for lang in ("vi", "en"):
            page = report_html(report, lang, counts=bundle.counts(report.as_of), version="1")
            tree = Tree(page).root
            rows = tree.find("table", id="league").find("tbody").iter("tr")
            assert len(rows) == len(report.districts)
            assert len(tree.iter("script")) == 1
            assert len(tree.iter("figure")) == 2
            by_key = sorted(rows, key=lambda r: int(r.find("th").attrs["data-sort"] or ""))
            expected = sorted(report.districts, key=lambda d: (vi_sort_key(d.name), d.code))
            assert [r.attrs["data-code"] for r in by_key] == [d.code for d in expected]


class TestReportIframe:
    def test_page_in_a_sandboxed_frame(self, example_report: bc.CampaignReport) -> None:
        """The frame holds the whole page, escaped, and allows only scripts."""
        frame = report_iframe(example_report, "en", height=640)
        tree = Tree(frame).root
        iframe = tree.find("iframe")
        assert iframe.attrs["sandbox"] == "allow-scripts"
        assert "height:640px" in (iframe.attrs["style"] or "")
        inner = Tree(iframe.attrs["srcdoc"] or "").root
        assert len(inner.find("table", id="league").find("tbody").iter("tr")) == 10
        assert tree.iter("table") == []


# File names: Vietnamese letters, digits, dots and dashes (never "." or "..").
FILE_NAMES = st.text(alphabet="abcđêươ019.-_", min_size=1, max_size=6).filter(
    lambda name: name not in {".", ".."}
)


class TestFingerprintFilesProperties:
    @given(
        st.lists(
            st.tuples(st.sampled_from(["a", "b"]), FILE_NAMES, st.binary(max_size=40)),
            max_size=5,
            unique_by=lambda f: (f[0], f[1]),
        ),
        st.randoms(use_true_random=False),
    )
    def test_sha256_of_names_lengths_and_bytes(
        self, files: list[tuple[str, str, bytes]], rng: Random
    ) -> None:
        """The fingerprint is SHA-256 over each file's name and bytes, both length-prefixed.

        The oracle hashes, in order of the UTF-8 name then the folder, an 8-byte
        big-endian length and the name, then an 8-byte length and the contents; the
        files are given to `fingerprint_files` in a shuffled order, half as text paths.
        """
        with tempfile.TemporaryDirectory() as tmp:
            paths: list[str | Path] = []
            for folder, name, data in files:
                path = Path(tmp) / folder / name
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(data)
                paths.append(str(path) if len(paths) % 2 else path)
            rng.shuffle(paths)
            got = fingerprint_files(paths)
        digest = hashlib.sha256()
        for _folder, name, data in sorted(files, key=lambda f: (f[1].encode("utf-8"), f[0])):
            encoded = name.encode("utf-8")
            digest.update(struct.pack(">Q", len(encoded)) + encoded)
            digest.update(struct.pack(">Q", len(data)) + data)
        assert got == "sha256:" + digest.hexdigest()
