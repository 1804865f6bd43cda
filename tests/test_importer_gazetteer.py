"""Regions from the text: every language, inflected forms, most mentioned first."""
import pytest

from newsarchive.importer.gazetteer import NEEDS_REGION_WORD, find_regions, names_by_region
from newsarchive.regions import REGIONS


@pytest.mark.parametrize("text, codes", [
    # The forms the issue names.
    ("Павлодар облысы бойынша бөлім жобаны бастады.", ["KZ-55"]),
    ("Қарағанды облысының көрнекті тұлғалары", ["KZ-35"]),
    ("Жалал-Абад жана Ысык-Көл облустарынан келген консультанттар", ["KG-J", "KG-Y"]),
    ("в Костанайской области открылась школа", ["KZ-39"]),
    # Other cases, lists and languages.
    ("Абай және Қостанай облыстарынан 20-ға жуық маман келді", ["KZ-10", "KZ-39"]),
    ("Маңғыстау, Атырау облыстарының өкілдері", ["KZ-47", "KZ-23"]),
    ("в Павлодарской и Северо-Казахстанской областях", ["KZ-55", "KZ-59"]),
    ("Delegates came from Pavlodar Region and the Kyzylorda region.", ["KZ-55", "KZ-43"]),
    ("Soltüstık Qazaqstan oblysynyñ äkımdıgı", ["KZ-59"]),
    ("Түркстан облусунан жана Нарын облусунан келишти", ["KZ-61", "KG-N"]),
    ("по данным акимата области Абай", ["KZ-10"]),
    ("Ош облусунда жана Ош шаарында", ["KG-O", "KG-GO"]),
    ("Бишкекте жана Чүй облусунда", ["KG-GB", "KG-C"]),
    ("Караганда облысында", ["KZ-35"]),  # typed without Kazakh letters
    ("Қарағанды облыс ы әкімінің орынбасары", ["KZ-35"]),  # a word broken by the site
])
def test_regions_are_found_in_their_inflected_forms(text, codes):
    assert find_regions(text) == codes


@pytest.mark.parametrize("text, codes", [
    # The region's centre, a lake, a university named after the region.
    ("Павлодар қаласының мектептері", ["KZ-55"]),
    ("Иссык-Куле прошёл фестиваль", ["KG-Y"]),
    ("в Караганде открылся музей", ["KZ-35"]),
    ("Солтүстік Қазақстан университетінде өткен шара", ["KZ-59"]),
    ("Шымкент пен Астана арасында", ["KZ-79", "KZ-71"]),
])
def test_bare_names_count_where_they_are_not_ambiguous(text, codes):
    assert find_regions(text) == codes


@pytest.mark.parametrize("text", [
    "облыстық Абай кітапханасының директоры",  # the poet
    "Жамбыл Жабаевтың шығармалары",  # the poet
    "Талас өзенінің бойында",  # a river
    "Нарынбек Асанов сөз сөйледі",  # a personal name starting like Naryn
    "Алматы қаласы",  # the city is not the Almaty region
])
def test_ambiguous_names_need_the_region_word(text):
    assert not set(find_regions(text)) & {"KZ-10", "KZ-31", "KG-T", "KG-N", "KZ-19"}


def test_almaty_city_and_almaty_region_are_told_apart():
    assert find_regions("Алматы облысы мен Алматы қаласының әкімдіктері") == ["KZ-19", "KZ-75"]


def test_the_most_mentioned_region_comes_first_and_ties_go_to_the_first_mentioned():
    text = (
        "Семинарға Қостанай облысынан және Абай облысынан мамандар келді. "
        "Абай облысы білім басқармасының өкілі сөз сөйледі. Ақтөбе облысы да қатысты."
    )
    assert find_regions(text) == ["KZ-10", "KZ-39", "KZ-15"]


def test_every_region_of_the_table_can_be_found_by_each_of_its_names():
    for code, region in REGIONS.items():
        for language, name in region.names.items():
            assert code in find_regions(f"{name} "), (code, language, name)


def test_names_that_need_a_region_word_are_regions_of_the_table():
    assert NEEDS_REGION_WORD <= set(REGIONS)
    assert set(names_by_region()) == set(REGIONS)
