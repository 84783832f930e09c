"""Compile the message catalogs: ``locale/<lang>/LC_MESSAGES/bhxh_campaign.po`` -> ``.mo``.

The ``.po`` files are the source (edit them, with any gettext tool or by hand); the
library reads the compiled ``.mo`` files with the standard library's `gettext`, so
importing it never imports Babel. A test compiles each catalog again and checks the
committed ``.mo`` is byte-identical, so the two cannot drift.

Run::

    python tools/catalog.py            # write the .mo files
    python tools/catalog.py --check    # exit 1 if a .mo file is stale
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "src" / "bhxh_campaign" / "locale"
DOMAIN = "bhxh_campaign"


def compiled(po: Path) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (fuzzy entries included: none are fuzzy)."""
    with po.open("rb") as file:
        catalog = read_po(file, locale=po.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def catalogs() -> list[Path]:
    """Every ``.po`` file of the package, by language."""
    return sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main() -> int:
    """Write (or, with ``--check``, compare) every ``.mo`` file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a .mo file is stale")
    args = parser.parse_args()
    stale = []
    for po in catalogs():
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if args.check:
            if not mo.exists() or mo.read_bytes() != data:
                stale.append(str(mo))
        else:
            mo.write_bytes(data)
    if stale:
        print("stale:", *stale, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
