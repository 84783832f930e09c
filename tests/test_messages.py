"""The message catalog: one place for both languages, complete, and compiled from source."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import assume, given
from hypothesis import strategies as st

from bhxh_campaign.counting import Exclusion
from bhxh_campaign.errors import MissingMessageError
from bhxh_campaign.io.codes import ERROR_CODES
from bhxh_campaign.levels import UnitKind, UnitLevel
from bhxh_campaign.messages import LANGUAGES, message

LOCALE = Path(__file__).parent.parent / "src" / "bhxh_campaign" / "locale"


def entries(lang: str) -> dict[tuple[str, str], str]:
    """The .po source read by Babel: (context, key) -> text."""
    with (LOCALE / lang / "LC_MESSAGES" / "bhxh_campaign.po").open("rb") as file:
        catalog = read_po(file, locale=lang)
    return {(m.context or "", str(m.id)): str(m.string) for m in catalog if m.id}


class TestCatalog:
    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_compiled_file_matches_its_source(self, lang: str) -> None:
        """The committed .mo holds exactly the .po's messages (run tools/catalog.py)."""
        path = LOCALE / lang / "LC_MESSAGES" / "bhxh_campaign.mo"
        with path.open("rb") as file:
            compiled = gettext.GNUTranslations(file)
        source = entries(lang)
        assert source
        assert {key: compiled.pgettext(*key) for key in source} == source
        assert len(compiled._catalog) - 1 == len(source)  # type: ignore[attr-defined]

    def test_both_languages_have_the_same_keys(self) -> None:
        """Every message exists in Vietnamese and in English, and none is empty."""
        vi, en = entries("vi"), entries("en")
        assert set(vi) == set(en)
        assert all(vi.values())
        assert all(en.values())

    @pytest.mark.parametrize("lang", LANGUAGES)
    def test_every_code_has_a_label(self, lang: str) -> None:
        """Exclusions, unit kinds, levels and loader errors are all in the catalog."""
        for reason in Exclusion:
            assert message("exclusion", reason.value, lang)
        for kind in UnitKind:
            assert message("kind", kind.value, lang)
        for level in UnitLevel:
            for context in ("level.one", "level.many", "level.header"):
                assert message(context, level.value, lang)
        for code in ERROR_CODES:
            assert message("load_error", code, lang)

    @given(st.text(min_size=1, max_size=12), st.sampled_from(LANGUAGES))
    def test_an_unknown_key_is_an_error(self, key: str, lang: str) -> None:
        """A key the catalog lacks raises, it never comes back as its own text."""
        assume(key not in {k for c, k in entries(lang) if c == "exclusion"})
        with pytest.raises(MissingMessageError):
            message("exclusion", key, lang)

    def test_an_unknown_language_is_refused(self) -> None:
        """Only the catalog's languages are accepted."""
        with pytest.raises(ValueError, match="no messages in language 'fr'"):
            message("kind", "xa", "fr")

    def test_the_sources_of_truth(self) -> None:
        """The level and kind words read the catalog; no module keeps its own copy."""
        assert UnitLevel.COMMUNE.plural_vi == entries("vi")[("level.many", "commune")]
        assert UnitKind.DAC_KHU.label_en == entries("en")[("kind", "dac_khu")]
        assert ERROR_CODES["impossible_date"].vi == entries("vi")[("load_error", "impossible_date")]
