"""Every interface string has a translation in every language's catalog."""
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from sitebuild import PROJECT

TRANSLATIONS = PROJECT / "theme" / "translations"


def _ids(catalog):
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


def test_messages_pot_is_up_to_date_with_the_templates(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(TRANSLATIONS / "babel.cfg"), "-o", str(fresh), "--no-location", "--omit-header",
                    str(PROJECT)], check=True, cwd=PROJECT, capture_output=True)
    with open(fresh, "rb") as new, open(TRANSLATIONS / "messages.pot", "rb") as committed:
        assert _ids(read_po(new)) == _ids(read_po(committed)), "run `invoke translations`"


@pytest.mark.parametrize("lang", ["kk", "ky", "ru"])
def test_every_interface_string_is_translated(lang):
    with open(TRANSLATIONS / "messages.pot", "rb") as pot_file:
        wanted = _ids(read_po(pot_file))
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    missing = sorted(m for m in wanted if not catalog.get(m) or not (
        catalog.get(m).string if isinstance(catalog.get(m).string, str) else all(catalog.get(m).string)))
    assert not missing, f"{lang} lacks translations for: {missing}"
