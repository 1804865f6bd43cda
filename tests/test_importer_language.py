"""Language of a text: kk, ky, ru or en, Kazakh also in its Latin alphabet."""
import pytest

from newsarchive.importer.language import check_language_code, detect_language

KAZAKH = "Облыстық кітапханада жас ақындардың шығармашылық кеші өтті. Оған жүзге жуық оқырман қатысып, өлеңдер оқылды."
KYRGYZ = "Шаардык китепканада жаш акындардын чыгармачылык кечеси өттү. Ага жүзгө жакын окурман катышып, ырлар окулду."
RUSSIAN = "В областной библиотеке прошёл творческий вечер молодых поэтов. На нём собралось около ста читателей."
ENGLISH = "A creative evening of young poets took place at the regional library. About a hundred readers attended it."
LATIN_KAZAKH = "Oblystyq kıtaphanada jas aqyndardyñ şyğarmaşylyq keşı öttı. Oğan jüzge juyq oqyrman qatysyp, öleñder oqyldy."


@pytest.mark.parametrize("text, code", [
    (KAZAKH, "kk"),
    (KYRGYZ, "ky"),
    (RUSSIAN, "ru"),
    (ENGLISH, "en"),
])
def test_each_language_is_recognised(text, code):
    guess = detect_language(text)
    assert guess.code == code
    assert guess.confident


def test_kazakh_in_the_latin_alphabet_is_kazakh():
    guess = detect_language(LATIN_KAZAKH)
    assert (guess.code, guess.script) == ("kk", "Latn")
    assert guess.is_latin_kazakh


def test_a_quoted_kazakh_name_does_not_make_a_russian_text_kazakh():
    text = RUSSIAN + " Вечер прошёл в рамках программы «Рухани жаңғыру» и проекта «Ұлы дала есімдері»."
    assert detect_language(text).code == "ru"


def test_kyrgyz_letters_without_kazakh_ones_make_kyrgyz_even_with_a_kazakh_place_name():
    assert detect_language(KYRGYZ + " Делегация Қарағанды шаарынан келди.").code == "ky"


def test_kazakh_typed_without_kazakh_letters_is_recognised_by_its_words():
    text = "Облыста жана мектеп ашылды жане бул туралы аким айтты. Мектеп ушин жана курылыс бойынша жумыс жургизилди деп хабарлады."
    assert detect_language(text).code == "kk"


def test_a_very_short_text_is_a_guess_an_editor_should_check():
    assert not detect_language("Жаңалық").confident


def test_language_codes_are_checked_against_the_site_table():
    assert check_language_code("ky") == "ky"
    with pytest.raises(ValueError, match="allowed: auto, kk, ky, ru, en"):
        check_language_code("uz")
