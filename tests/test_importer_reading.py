"""Reading inputs: encodings, control characters, HTML through trafilatura, clear errors."""
import pytest

from newsarchive.importer.reading import (
    UnreadableSource,
    decode,
    read_source,
    strip_control_characters,
)

RUSSIAN = "Семинар для учителей прошёл в областном центре. Участники обсудили новые методики обучения."
KAZAKH = "Білім саласының қызметкерлері тәжірибе алмасты. Семинарға жүзге жуық маман қатысты."


@pytest.mark.parametrize("codec, name", [
    ("cp1251", "windows-1251"),
    ("koi8_r", "koi8-r"),
])
def test_legacy_russian_encodings_are_recognised_and_named(codec, name):
    text, encoding = decode(RUSSIAN.encode(codec))
    assert (text, encoding) == (RUSSIAN, name)


def test_kazakh_letters_in_the_kazakh_windows_code_page_are_recognised():
    text, encoding = decode(KAZAKH.encode("kz1048"))
    assert (text, encoding) == (KAZAKH, "kz-1048")


def test_utf8_with_and_without_byte_order_mark_reads_as_utf8():
    assert decode(KAZAKH.encode("utf-8")) == (KAZAKH, "utf-8")
    assert decode(b"\xef\xbb\xbf" + KAZAKH.encode("utf-8")) == (KAZAKH, "utf-8")


def test_binary_data_is_not_taken_for_text():
    with pytest.raises(UnicodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_control_characters_that_break_xml_feeds_are_stripped_and_counted():
    text, removed = strip_control_characters("Ала\x07тау\x1b жаңалықтары\x00\r\nкелесі\u200bжол\x85")
    assert text == "Алатау жаңалықтары\nкелесіжол"
    assert removed == 5


def test_a_legacy_file_is_read_and_says_its_encoding(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(("Заголовок\n\n" + RUSSIAN).encode("koi8_r"))
    document = read_source(path)
    assert document.encoding == "koi8-r"
    assert document.text.startswith("Заголовок")
    assert not document.is_html


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"  \n\n \t", "empty"),
    (b"\x00\x01\x02binary", "cannot be decoded"),
])
def test_unusable_files_give_an_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableSource, match=reason) as problem:
        read_source(path)
    assert str(path) in str(problem.value)


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(UnreadableSource, match="no such file") as problem:
        read_source(tmp_path / "gone.txt")
    assert "gone.txt" in str(problem.value)


HTML_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="windows-1251">
<title>Семинар учителей | Городские новости</title>
<link rel="canonical" href="https://news.example.kz/2023/seminar">
<meta property="article:published_time" content="2023-04-12T10:15:00+06:00">
</head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/sport">Спорт</a></nav>
<article><h1>Семинар учителей</h1>
<p>Вчера в областном центре прошёл семинар для учителей сельских школ. Участники обсудили новые
методики обучения и обменялись опытом работы.</p>
<p>Семинар организовал областной методический центр. В нём участвовали более ста педагогов
из всех районов области.</p>
</article>
<footer><p>© 2023 Городские новости. Все права защищены.</p><p>Тел.: +7 (7182) 12-34-56</p></footer>
</body></html>"""


def test_html_goes_through_the_extractor_with_its_declared_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.encode("cp1251"))
    document = read_source(path)
    assert document.is_html
    assert document.encoding == "windows-1251"
    assert document.url == "https://news.example.kz/2023/seminar"
    assert document.published.strftime("%Y-%m-%d %H:%M") == "2023-04-12 10:15"
    assert "Семинар учителей" in document.title
    assert "прошёл семинар для учителей" in document.text
    assert "Спорт" not in document.text
    assert "Все права защищены" not in document.text
