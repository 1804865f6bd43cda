"""One Markdown instance reads every file (markdown_reader.py) and gives what Pelican's reader gives."""
from __future__ import annotations

from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from newsarchive.markdown_reader import ReusedMarkdownReader
from sitebuild import PROJECT

# Each file leaves state in a Markdown instance that the next one must not see: footnotes
# with the same labels, an abbreviation, metadata, a summary written in Markdown.
FILES = {
    "footnotes.md": """Title: Сілтемелер
Date: 2024-01-28
Summary: Қысқаша *мазмұны* бар.
Tags: су, жол

Бірінші сөйлем[^1] және екінші[^note].

[^1]: Бірінші ескерту.
[^note]: Екінші ескерту.
""",
    "abbreviation.md": """Title: Қысқартулар
Date: 2024-02-01
Category: news

ЖОО туралы есеп.

*[ЖОО]: Жоғары оқу орны
""",
    "plain.md": """Title: Жай мәтін
Date: 2024-02-02

ЖОО туралы тағы бір есеп[^1].

| Аудан | Саны |
|-------|------|
| Арал  | 3    |

[^1]: Басқа ескерту.
""",
    "no-metadata.md": "Тек мәтін, тақырыпсыз.\n",
}


def test_files_read_one_after_another_come_out_as_pelicans_reader_reads_each(tmp_path):
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    paths = {}
    for name, text in FILES.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    reused = ReusedMarkdownReader(settings)
    order = ["footnotes.md", "abbreviation.md", "plain.md", "no-metadata.md", "footnotes.md", "plain.md"]
    for name in order:
        expected = MarkdownReader(settings).read(str(paths[name]))
        assert reused.read(str(paths[name])) == expected, name
    assert "ЖОО" in FILES["plain.md"] and "<abbr" not in reused.read(str(paths["plain.md"]))[0]


def test_the_instance_is_made_once(tmp_path):
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    reader = ReusedMarkdownReader(settings)
    path = tmp_path / "a.md"
    path.write_text(FILES["footnotes.md"], encoding="utf-8")
    reader.read(str(path))
    first = reader._md
    reader.read(str(path))
    assert reader._md is first
