"""Every interface string has a translation in every language's catalog."""
import os
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
                    str(PROJECT)], check=True, cwd=PROJECT, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(PROJECT / "plugins")})
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


def test_interface_text_is_the_same_as_jinjas_gettext_gives_in_each_language():
    """i18n.py remembers what a message without variables comes to, per language and escaping;
    pages in one language after another must still each get their own language's text."""
    from types import SimpleNamespace

    from jinja2 import Environment, pass_context

    from newsarchive import i18n

    def environment(autoescape):
        return Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)

    memoized = SimpleNamespace(env=environment(True), theme=str(PROJECT / "theme"))
    i18n.install_in_templates(memoized)
    catalogs = i18n.load_catalogs(str(TRANSLATIONS))
    plain = environment(True)
    plain.install_gettext_callables(
        pass_context(lambda context, message: catalogs[i18n.page_lang(context)].ugettext(message)),
        pass_context(lambda context, singular, plural, n: catalogs[i18n.page_lang(context)].ungettext(
            singular, plural, n)),
        newstyle=True)
    source = ('{{ _("Sections") }}|{{ gettext("Events") }}|{{ _("Page %(number)s", number=n) }}|'
              '{% trans %}Language{% endtrans %}|{{ _("<b>") }}|{{ _("100%% sure") }}')
    shown = set()
    for lang in ["kk", "ru", "kk", "en", "ky", "ru"]:
        page = {"page_lang": lang, "n": 3}
        expected = plain.from_string(source).render(page)
        assert memoized.env.from_string(source).render(page) == expected, lang
        shown.add(expected)
    assert len(shown) == 4, "each language shows its own text"
    assert expected.endswith("|<b>|100% sure")  # a message is markup, and %-formatted
