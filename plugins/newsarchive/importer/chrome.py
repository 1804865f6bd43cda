"""Site chrome out, article text in.

A scraped page carries the site around the article: section labels and the
masthead above the headline; counters, share buttons, «Яндекс.Метрика»,
copyright, address and phone lines of the masthead below the text. The
article itself must come through whole, so lines are removed by two rules
of different strength:

* `site_chrome` recognises lines that are never article text wherever they
  stand (a line that is only «Facebook», «Версия для печати», an e-mail
  address or a phone number, a copyright notice).
* `edge_chrome` recognises lines that are chrome at the top or the bottom of
  the page but could be text in the middle (a bare number, a quoted name, an
  address, a section label). It is applied only before the first paragraph of
  prose and in the run of chrome that ends the page.

Datelines, bylines, the page's URL and tag lines are chrome too, but their
content is kept as metadata.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..categories import KINDS
from . import dates

# ---- lines that are never article text ------------------------------------------------------

_SOCIAL_NETWORKS = {
    "facebook", "telegram", "whatsapp", "twitter", "x", "instagram", "youtube", "vk", "vkontakte",
    "вконтакте", "одноклассники", "ok", "ok.ru", "мой мир", "tiktok", "linkedin", "viber", "pinterest",
    "threads", "email", "e-mail", "print", "copy link", "скопировать ссылку",
}
_SHARE_WORDS = {
    "share", "share on", "share this", "поделиться", "бөлісу", "бөлісіңіз", "бөлүшүү", "бөлүшүңүз",
    "tweet", "like", "нравится", "ұнайды",
}
_NEVER_TEXT_PHRASES = {
    # Web counters and analytics.
    "яндекс.метрика", "yandex.metrika", "яндекс метрика", "google analytics", "liveinternet",
    "рейтинг@mail.ru", "top.mail.ru",
    # Page tools.
    "back to top", "back to top button", "scroll to top", "наверх", "вверх", "жоғары", "жогору",
    "версия для печати", "печать", "распечатать", "print version", "printer-friendly version",
    "басып шығару", "басып шығару нұсқасы", "басып чыгаруу", "pdf", "скачать pdf", "download pdf",
    "pdf нұсқасы", "pdf версия", "a a a", "а а а",
    # Sharing.
    "әлеуметтік желілерде бөлісіңіз", "әлеуметтік желілерде бөлісу", "социалдык тармактарда бөлүшүү",
    "социалдык тармактарда бөлүшүңүз", "поделиться в социальных сетях", "share this article",
    "share this post", "поделиться новостью", "жаңалықпен бөлісу",
    # Comments.
    "комментарии", "комментарий", "пікірлер", "пікір", "пикирлер", "комментарийлер", "comments",
    "оставить комментарий", "добавить комментарий", "пікір қалдыру", "пікір жазу", "пикир калтыруу",
    "leave a comment", "leave a reply", "написать комментарий",
    # Navigation.
    "басты бетке", "на главную", "башкы бетке", "назад", "артқа", "артка", "previous", "next",
    "предыдущая", "следующая", "алдыңғы", "келесі", "все новости", "барлық жаңалықтар",
    "бардык жаңылыктар", "all news", "подробнее", "толығырақ", "кененирээк", "read more",
}
# Markers of a block of links to other articles: the marker and the
# headlines after it go, the next paragraph of prose stays.
_RELATED_MARKERS = {
    "басқа материалдар", "басқа жаңалықтар", "ұқсас жаңалықтар", "ұқсас материалдар", "тағы оқыңыз",
    "оқи отырыңыз", "сондай-ақ оқыңыз", "другие материалы", "другие новости", "похожие новости",
    "похожие материалы", "похожие статьи", "читайте также", "читайте еще", "читайте ещё",
    "смотрите также", "related posts", "related articles", "related news", "read also", "see also",
    "more news", "башка жаңылыктар", "башка материалдар", "окшош жаңылыктар", "дагы окуңуз",
    "ошондой эле окуңуз", "популярное", "популярные новости", "танымал", "танымал жаңалықтар",
    "соңғы жаңалықтар", "последние новости", "акыркы жаңылыктар", "latest news", "most read",
    "ең көп оқылған", "самое читаемое", "эң көп окулгандар",
}
_COPYRIGHT = re.compile(
    r"©|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\))?\s*\d{4}|все права защищены|барлық құқықтар қорғалған|"
    r"бардык укуктар корголгон|all rights reserved|при (?:полном или частичном )?использовании материалов|"
    r"материалдарды пайдаланған(?:да)? сілтеме|сілтеме міндетті|ссылка обязательна|гиперссылка обязательна",
    re.IGNORECASE,
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_LINE = re.compile(
    rf"^(?:(?:e-?mail|эл\.?\s?пошта|электрондық пошта|электронная почта|электрондук почта|почта|пошта)\s*:?\s*)?"
    rf"{_EMAIL}(?:[\s,;]+{_EMAIL})*$",
    re.IGNORECASE,
)
_PHONE_LINE = re.compile(
    r"^(?:(?:тел(?:ефон)?|phone|tel|факс|fax|моб(?:\.|ильный)?|байланыс телефоны|анықтама телефоны|"
    r"сенім телефоны|телефон доверия|call[- ]?cent(?:er|re)|қабылдау бөлмесі|приемная|кабыл алуу бөлмөсү)"
    r"\.?\s*:?\s*)?(?:[+\d(][\d\s()\-–.]{5,}\d[,;\s]*)+$",
    re.IGNORECASE,
)


def _is_phone_line(line: str) -> bool:
    """«Телефон: 8 (7102) 20-19-88», «+7 701 123 45 67»; a bare «2 000 000» is a number, not a phone."""
    match = _PHONE_LINE.match(line)
    if not match:
        return False
    has_label = bool(re.match(r"[^\W\d_]", line))
    digits = len(re.findall(r"\d", line))
    return has_label or (digits >= 7 and bool(re.search(r"[-()]|^\+", line)))


def _phrase_key(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip().strip(".:!…|•·-–— ").lower())


def _is_share_line(line: str) -> bool:
    """A line made only of share prompts and social network names: «Share on facebook», «Facebook»."""
    key = _phrase_key(line)
    if not key:
        return False
    key = re.sub(r"^share on\b", "share", key).replace(":", " ")
    parts = [part.strip() for part in re.split(r"[,|/•·]|\s{2,}", key) if part.strip()]
    words = []
    for part in parts:
        if part in _SOCIAL_NETWORKS or part in _SHARE_WORDS:
            continue
        words.extend(part.split())
    return all(word in _SOCIAL_NETWORKS or word in _SHARE_WORDS or word == "on" for word in words)


def is_related_marker(line: str) -> bool:
    return _phrase_key(line) in _RELATED_MARKERS


def site_chrome(line: str) -> str | None:
    """Why `line` is site chrome wherever it stands, or None when it may be article text."""
    key = _phrase_key(line)
    if key in _NEVER_TEXT_PHRASES or key.startswith(("версия для печати", "print version")):
        return "site tools"
    if is_related_marker(line):
        return "links to other articles"
    if _is_share_line(line):
        return "share buttons"
    if _COPYRIGHT.search(line) and len(line.split()) <= 25:
        return "copyright"
    if _EMAIL_LINE.match(line.strip()):
        return "e-mail of the masthead"
    if _is_phone_line(line.strip()):
        return "phone of the masthead"
    return None


# ---- lines that are chrome only at the top or the bottom of the page ------------------------

_SECTION_LABELS = {
    label.lower() for kind in KINDS.values() for label in kind.labels.values()
} | {
    "жаңалық", "жаңалықтар", "жаңылык", "жаңылыктар", "кабар", "кабарлар", "новость", "новости", "news",
    "басты бет", "башкы бет", "главная", "главная страница", "home", "басты", "latest", "лента новостей",
    "іс-шара", "іс-шаралар", "иш-чара", "иш-чаралар", "мероприятие", "мероприятия", "event", "events",
    "хабарландыру", "кулактандыруу", "объявление",
    "объявления", "анонс", "анонсы", "сұхбат", "маек", "интервью", "interview", "пресс-релиз",
    "аймақ", "аймақтар", "өңір", "өңірлер", "регион", "регионы", "регионы казахстана", "аймак", "region",
    "қоғам", "общество", "коом", "society", "білім", "образование", "билим", "education", "мәдениет",
    "культура", "маданият", "culture", "спорт", "sport", "саясат", "политика", "politics", "экономика",
    "economy", "денсаулық", "здоровье", "ден соолук", "health", "руханият", "рухани жаңғыру", "тарих",
    "история", "history", "ғылым", "наука", "илим", "science", "жастар", "молодежь", "жаштар", "youth",
    "ресми", "официально", "расмий", "official", "актуально", "өзекті", "маңызды", "важно", "главное",
    "в мире", "әлем", "дүйнө", "world", "мақалалар", "статьи", "макалалар", "articles", "блог", "blog",
    "фото", "видео", "photo", "video", "фоторепортаж", "бейне", "галерея", "gallery", "газет", "газета",
    "архив", "archive", "басылым", "нөмір", "номер", "выпуск", "issue",
}
_COUNTER = re.compile(
    r"^(?:[\d\s:.,|/•·]+|(?:👁\ufe0f?|👀|🔥|💬|views?|просмотр\w*|көрілім\w*|қаралды|каралды|"
    r"көрүүлөр\w*|hits|оқылды|прочитано)\s*:?\s*\d[\d\s]*|\d[\d\s]*\s*(?:просмотр\w*|views?|"
    r"рет қаралды|рет оқылды|көрілім|жолу каралды|comments?|комментари\w*|пікір))$",
    re.IGNORECASE,
)
# «Ертіс өңірі», “Soltüstık Qazaqstan”.: a paper's name, not a quoted sentence («Бәрі жақсы болады!»).
_QUOTED_NAME_ONLY = re.compile(r"^[«“\"„‘']\s*[^«»“”\"„.!?…,:;]{1,60}?\s*[»”\"“’']\s*[.,]?$")
_LEGAL_FORM = re.compile(
    r"(?<![\w-])(?:ЖШС|ТОО|АҚ|АО|ЖАҚ|ЗАО|ОАО|ООО|ОсОО|ЖЧК|LLP|LLC|JSC|Ltd|РМК|РГП|КММ|ГУ|КГУ|МКК|КМҚК|ГККП|РМҚК)(?![\w-])"
)
_ADDRESS_LABEL = re.compile(r"^(?:мекен-?жай\w*|адрес\w*|дарек\w*|address)\s*:", re.IGNORECASE)
_STREET = re.compile(
    r"(?<!\w)(?:көш\.|көшесі|к-сі|даңғылы|даңғ\.|ул\.|улица|пр\.|пр-т|проспект|мкр\.?|ш\.а\.|шағын ауданы|"
    r"бульвар|street|st\.|avenue|ave\.|көчөсү|кеч\.|үй|офис|office)(?!\w)",
    re.IGNORECASE,
)
_COUNTRY_FIRST = re.compile(
    r"^(?:Қазақстан(?: Республикасы)?|Казахстан|Республика Казахстан|Kazakhstan|Republic of Kazakhstan|"
    r"Кыргызстан|Кыргыз Республикасы|Кыргызская Республика|Kyrgyzstan|Kyrgyz Republic|\d{6})\s*,",
    re.IGNORECASE,
)
_URL_LINE = re.compile(
    r"^(?:(?:source|url|link|сілтеме|ссылка|дереккөз|источник|булак|шилтеме)\s*:\s*)?(https?://\S+)$",
    re.IGNORECASE,
)
_TAGS_LINE = re.compile(r"^(?:теги|тэги|тегтер|тегдер|тэгдер|белгілер|tags|кілт сөздер|ключевые слова)\s*:\s*(.*)$",
                        re.IGNORECASE)
_BREADCRUMB_SEPARATORS = re.compile(r"\s+(?:/|»|>|›|\||→)\s+")
_PROSE_END = re.compile(r"[.!?…][»”\"')\]]*$")


def _words(line: str) -> list[str]:
    return re.findall(r"[^\W\d_][^\s]*", line)


def _is_breadcrumb(line: str) -> bool:
    """«Басты бет / Жаңалықтар / Аймақ»: short parts, one of them a known section.

    A headline may contain a slash too («Алматы / Бишкек рейсі ашылды»), so
    short parts alone are not enough.
    """
    parts = _BREADCRUMB_SEPARATORS.split(line.strip())
    return (
        len(parts) >= 2
        and all(0 < len(_words(part)) <= 4 and not _PROSE_END.search(part) for part in parts)
        and any(_phrase_key(part) in _SECTION_LABELS for part in parts)
    )


def _is_address(line: str) -> bool:
    if _ADDRESS_LABEL.match(line):
        return True
    words = len(line.split())
    # A sentence that names a street («…Абай көшесі 10 мекенжайында өтеді.») is text, not an address.
    return (
        (words <= 6 or (words <= 12 and not _PROSE_END.search(line)))
        and bool(re.search(r"\d", line))
        and bool(_STREET.search(line) or _COUNTRY_FIRST.match(line))
    )


def is_section_label(line: str) -> bool:
    return _phrase_key(line) in _SECTION_LABELS or _is_breadcrumb(line)


def edge_chrome(line: str) -> str | None:
    """Why `line` is chrome when it stands above the article or in the page's foot, else None."""
    stripped = line.strip()
    if dates.is_time_only(stripped):
        return "time without a date"
    if dates.parse_dateline(stripped):
        return "publication date"
    if _COUNTER.match(stripped):
        return "counter"
    if is_section_label(stripped):
        return "section label"
    if _QUOTED_NAME_ONLY.match(stripped) and len(_words(stripped)) <= 4:
        return "masthead"
    if _LEGAL_FORM.search(stripped) and len(stripped.split()) <= 10 and not _PROSE_END.search(stripped):
        return "publisher"
    if _is_address(stripped):
        return "address"
    if _URL_LINE.match(stripped):
        return "page address"
    if _TAGS_LINE.match(stripped):
        return "tags"
    return None


# ---- bylines --------------------------------------------------------------------------------

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_NAME = rf"[{_UPPER}][{_LOWER}{_UPPER}'’-]+"
_INITIALS = rf"(?:[{_UPPER}]\.\s?){{1,2}}"
_CAPS_NAME = rf"[{_UPPER}][{_UPPER}'’-]+"
_BYLINE_LABEL = (
    r"(?i:автор(?:ы)?|author|by|written by|дайындаған|даярдаган|подготовил[аи]?|мәтін|текст|"
    r"материалды дайындаған|материалды даярдаган)\s*[:\-–—]?\s*"
)
# «Автор: Айгүл Сәрсенова», «By John Smith»
_LABELLED_BYLINE = re.compile(rf"^{_BYLINE_LABEL}(?P<name>(?:{_INITIALS})?{_NAME}(?:\s+{_NAME}){{0,2}})[.,]?$")
_UNLABELLED_BYLINES = (
    # «Рабиға ЕРАЛЫ,», «Абзал НҮКЕНОВ»: the surname in capitals is how newspapers sign.
    re.compile(rf"^(?P<name>{_NAME}\s+{_CAPS_NAME}(?:\s+{_NAME})?)[.,]?$"),
    re.compile(rf"^(?P<name>{_CAPS_NAME}\s+{_NAME})[.,]?$"),
    # «А.ЕРАЛЫ», «А. Ералы,»
    re.compile(rf"^(?P<name>{_INITIALS}{_NAME})[.,]?$"),
    # «Рабиға Ералы,»: a name in ordinary case signs only with the trailing comma.
    re.compile(rf"^(?P<name>{_NAME}\s+{_NAME}(?:\s+{_NAME})?),$"),
)


def _readable_name(name: str) -> str:
    """«Рабиға ЕРАЛЫ» → «Рабиға Ералы», «А.ЕРАЛЫ» → «А.Ералы»: a surname in capitals in ordinary case."""
    def ordinary(match: re.Match) -> str:
        word = match.group()
        return word[0] + word[1:].lower() if word.isupper() else word

    return re.sub(r"[^\W\d_]{2,}", ordinary, " ".join(name.split()))


def parse_byline(line: str) -> str | None:
    """The author's name of a byline such as «Рабиға ЕРАЛЫ,», with the surname in ordinary case."""
    stripped = line.strip()
    match = _LABELLED_BYLINE.match(stripped)
    if match:
        return _readable_name(match.group("name"))
    for pattern in _UNLABELLED_BYLINES:
        match = pattern.match(stripped)
        if not match:
            continue
        name = match.group("name")
        if name.upper() == name and "." not in name:
            return None  # «ЖАҢАЛЫҚТАР ЛЕНТАСЫ»: a label in capitals, not a name
        if is_section_label(name):
            return None
        return _readable_name(name)
    return None


# ---- the whole page -------------------------------------------------------------------------

@dataclass(frozen=True)
class Dropped:
    line: str
    reason: str


@dataclass
class Cleaned:
    header: list[str] = field(default_factory=list)  # lines above the first prose, chrome removed
    body: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    published: datetime | None = None  # from a dateline
    lone_time: str | None = None  # a clock time found without a date
    author: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)


def is_prose(line: str) -> bool:
    """A paragraph of running text, as opposed to a headline, label or chrome line."""
    words = len(line.split())
    return words >= 40 or (words >= 8 and bool(_PROSE_END.search(line)))


def _headline_like(line: str) -> bool:
    return not is_prose(line) and len(line.split()) <= 20 and not _PROSE_END.search(line)


def _keep_metadata(cleaned: Cleaned, line: str, reason: str) -> None:
    """Keep what a chrome line says about the article before the line goes."""
    stripped = line.strip()
    if reason == "publication date" and cleaned.published is None:
        cleaned.published = dates.parse_dateline(stripped)
    elif reason == "time without a date" and cleaned.lone_time is None:
        cleaned.lone_time = stripped
    elif reason == "page address" and cleaned.url is None:
        cleaned.url = _URL_LINE.match(stripped).group(1)
    elif reason == "tags":
        values = _TAGS_LINE.match(stripped).group(1)
        cleaned.tags.extend(tag.strip(" #") for tag in re.split(r"[,;]|\s#", values) if tag.strip(" #"))


def remove_chrome(paragraphs: list[str]) -> Cleaned:
    """Split `paragraphs` into header lines, article body and dropped chrome."""
    cleaned = Cleaned()
    first_prose = next((index for index, line in enumerate(paragraphs) if is_prose(line)), None)
    if first_prose is not None:
        header_end = first_prose
    else:
        # No prose at all (a short note): the header ends with the first line that is not chrome.
        first_text = next(
            (index for index, line in enumerate(paragraphs) if not (site_chrome(line) or edge_chrome(line))),
            len(paragraphs) - 1,
        )
        header_end = first_text + 1

    for line in paragraphs[:header_end]:
        reason = site_chrome(line) or edge_chrome(line)
        if reason:
            _keep_metadata(cleaned, line, reason)
            cleaned.dropped.append(Dropped(line, reason))
        else:
            cleaned.header.append(line)

    rest = paragraphs[header_end:]
    # The foot of the page: walk up from the last line while it is chrome.
    footer: list[Dropped] = []
    end = len(rest)
    while end > 0:
        line = rest[end - 1]
        reason = site_chrome(line) or edge_chrome(line)
        if not reason and cleaned.author is None:
            author = parse_byline(line)
            if author:
                cleaned.author = author
                reason = "byline"
        if not reason:
            break
        _keep_metadata(cleaned, line, reason)
        footer.append(Dropped(line, reason))
        end -= 1

    in_related_links = False
    for line in rest[:end]:
        if is_related_marker(line):
            in_related_links = True
            cleaned.dropped.append(Dropped(line, "links to other articles"))
            continue
        if in_related_links and _headline_like(line):
            cleaned.dropped.append(Dropped(line, "links to other articles"))
            continue
        in_related_links = False
        reason = site_chrome(line)
        if reason:
            cleaned.dropped.append(Dropped(line, reason))
        else:
            cleaned.body.append(line)
    cleaned.dropped.extend(reversed(footer))
    return cleaned


def _same_text(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def remove_repeats(paragraphs: list[str], title: str) -> tuple[list[str], list[Dropped]]:
    """Paragraphs with verbatim repeats (a lead printed twice, the headline again) kept once.

    Short repeated lines («* * *», «Да.») can be legitimate, so only
    paragraphs of some length count as repeats.
    """
    kept: list[str] = []
    dropped: list[Dropped] = []
    seen: set[str] = set()
    for paragraph in paragraphs:
        key = " ".join(paragraph.split())
        if title and _same_text(paragraph, title):
            dropped.append(Dropped(paragraph, "headline repeated"))
            continue
        if len(key) >= 20 and key in seen:
            dropped.append(Dropped(paragraph, "paragraph repeated"))
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept, dropped
