"""ISO 3166-2 subdivisions of Kazakhstan and Kyrgyzstan, named in every language.

Articles name regions by code (`Regions: KZ-55, KG-Y`); pages, feeds and
search show the name in the reader's language. `kk-Latn` is the Kazakh Latin
alphabet of 2021, which some newspapers use in their mastheads; the importer's
gazetteer reads it.
"""
from __future__ import annotations

from dataclasses import dataclass

from .slugs import slugify


@dataclass(frozen=True)
class Region:
    code: str
    names: dict  # language code -> name

    def name(self, lang: str) -> str:
        return self.names[lang]

    def slug(self, lang: str) -> str:
        """URL part of this region's pages in one language's section."""
        return slugify(self.names[lang])

    @property
    def country(self) -> str:
        return self.code.split("-", 1)[0]

    def __hash__(self):
        return hash(self.code)

    def __eq__(self, other):
        return isinstance(other, Region) and other.code == self.code


def _region(code, kk, ky, ru, en, kk_latn):
    return Region(code, {"kk": kk, "ky": ky, "ru": ru, "en": en, "kk-Latn": kk_latn})


REGIONS: dict[str, Region] = {
    region.code: region
    for region in (
        # Kazakhstan: 17 regions and 3 cities of republican significance.
        _region("KZ-10", "Абай облысы", "Абай облусу", "Абайская область", "Abai Region", "Abai oblysy"),
        _region("KZ-11", "Ақмола облысы", "Акмола облусу", "Акмолинская область", "Akmola Region", "Aqmola oblysy"),
        _region("KZ-15", "Ақтөбе облысы", "Актөбө облусу", "Актюбинская область", "Aktobe Region", "Aqtöbe oblysy"),
        _region("KZ-19", "Алматы облысы", "Алматы облусу", "Алматинская область", "Almaty Region", "Almaty oblysy"),
        _region("KZ-23", "Атырау облысы", "Атырау облусу", "Атырауская область", "Atyrau Region", "Atyrau oblysy"),
        _region("KZ-27", "Батыс Қазақстан облысы", "Батыш Казакстан облусу", "Западно-Казахстанская область", "West Kazakhstan Region", "Batys Qazaqstan oblysy"),
        _region("KZ-31", "Жамбыл облысы", "Жамбыл облусу", "Жамбылская область", "Jambyl Region", "Jambyl oblysy"),
        _region("KZ-33", "Жетісу облысы", "Жетису облусу", "Жетысуская область", "Jetisu Region", "Jetısu oblysy"),
        _region("KZ-35", "Қарағанды облысы", "Караганды облусу", "Карагандинская область", "Karaganda Region", "Qarağandy oblysy"),
        _region("KZ-39", "Қостанай облысы", "Костанай облусу", "Костанайская область", "Kostanay Region", "Qostanai oblysy"),
        _region("KZ-43", "Қызылорда облысы", "Кызылорда облусу", "Кызылординская область", "Kyzylorda Region", "Qyzylorda oblysy"),
        _region("KZ-47", "Маңғыстау облысы", "Маңгыстау облусу", "Мангистауская область", "Mangystau Region", "Mañğystau oblysy"),
        _region("KZ-55", "Павлодар облысы", "Павлодар облусу", "Павлодарская область", "Pavlodar Region", "Pavlodar oblysy"),
        _region("KZ-59", "Солтүстік Қазақстан облысы", "Түндүк Казакстан облусу", "Северо-Казахстанская область", "North Kazakhstan Region", "Soltüstık Qazaqstan oblysy"),
        _region("KZ-61", "Түркістан облысы", "Түркстан облусу", "Туркестанская область", "Turkistan Region", "Türkıstan oblysy"),
        _region("KZ-62", "Ұлытау облысы", "Улытоо облусу", "Улытауская область", "Ulytau Region", "Ūlytau oblysy"),
        _region("KZ-63", "Шығыс Қазақстан облысы", "Чыгыш Казакстан облусу", "Восточно-Казахстанская область", "East Kazakhstan Region", "Şyğys Qazaqstan oblysy"),
        _region("KZ-71", "Астана", "Астана", "Астана", "Astana", "Astana"),
        _region("KZ-75", "Алматы", "Алматы", "Алматы", "Almaty", "Almaty"),
        _region("KZ-79", "Шымкент", "Шымкент", "Шымкент", "Shymkent", "Şymkent"),
        # Kyrgyzstan: 7 regions and 2 cities.
        _region("KG-B", "Баткен облысы", "Баткен облусу", "Баткенская область", "Batken Region", "Batken oblysy"),
        _region("KG-C", "Шу облысы", "Чүй облусу", "Чуйская область", "Chüy Region", "Şu oblysy"),
        _region("KG-GB", "Бішкек", "Бишкек", "Бишкек", "Bishkek", "Bışkek"),
        _region("KG-GO", "Ош қаласы", "Ош шаары", "город Ош", "Osh City", "Oş qalasy"),
        _region("KG-J", "Жалалабад облысы", "Жалал-Абад облусу", "Джалал-Абадская область", "Jalal-Abad Region", "Jalalabad oblysy"),
        _region("KG-N", "Нарын облысы", "Нарын облусу", "Нарынская область", "Naryn Region", "Naryn oblysy"),
        _region("KG-O", "Ош облысы", "Ош облусу", "Ошская область", "Osh Region", "Oş oblysy"),
        _region("KG-T", "Талас облысы", "Талас облусу", "Таласская область", "Talas Region", "Talas oblysy"),
        _region("KG-Y", "Ыстықкөл облысы", "Ысык-Көл облусу", "Иссык-Кульская область", "Issyk-Kul Region", "Ystyqköl oblysy"),
    )
}

# The time zone events in a region happen in (for iCalendar and event boxes).
COUNTRY_TIMEZONES = {"KZ": "Asia/Almaty", "KG": "Asia/Bishkek"}


def region(code: str) -> Region:
    """The region with this ISO 3166-2 code (case-insensitive); KeyError if unknown."""
    return REGIONS[code.strip().upper()]
