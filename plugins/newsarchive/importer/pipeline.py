"""One source document through every step, to an article and what an editor must check."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..slugs import slugify
from . import dates
from .article import Article, blocks_from_paragraphs, make_summary
from .chrome import Dropped, remove_chrome, remove_repeats
from .gazetteer import find_regions
from .language import LanguageGuess, detect_language
from .layout import split_paragraphs
from .reading import SourceDocument, UnreadableSource
from .title import choose_title

_LOCATION_LINE = re.compile(
    r"^(?:location|venue|место проведения|өтетін орны|өткізілетін орны|өтетін жері|өтүүчү жери|"
    r"өткөрүлүүчү жери|өтүүчү орду)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_ORGANIZER_LINE = re.compile(
    r"^(?:organi[sz]er|организатор|организаторы|ұйымдастырушы|ұйымдастырушылар|уюштуруучу|уюштуруучулар)"
    r"\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)


@dataclass
class ImportReport:
    article: Article
    language: LanguageGuess
    encoding: str
    dropped: list[Dropped] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    control_characters: int = 0


def _labelled_value(paragraphs: list[str], pattern: re.Pattern) -> str | None:
    """A value an announcement states on a line of its own («Өтетін орны: …»)."""
    for paragraph in paragraphs:
        match = pattern.match(paragraph.strip())
        if match:
            return match.group("value").strip().rstrip(".")
    return None


def _fallback_slug(document: SourceDocument) -> str:
    return slugify(document.path.stem) or "article"


def build_article(
    document: SourceDocument,
    lang: str = "auto",
    published: datetime | None = None,
    today: date | None = None,
) -> ImportReport:
    """The article made from `document`, with what was dropped and what needs review.

    `lang` forces the language ("auto" detects it); `published` is a
    publication date given on the command line, which wins over the page's.
    """
    today = today or date.today()
    review: list[str] = []

    cleaned = remove_chrome(split_paragraphs(document.text))
    choice = choose_title(cleaned.header, cleaned.body, document.title)
    paragraphs, repeats = remove_repeats(choice.subtitle + cleaned.body, choice.original)
    if not paragraphs:
        raise UnreadableSource(f"{document.path}: no article text left after removing the site's chrome")
    title = choice.title
    dropped = cleaned.dropped + choice.dropped + repeats
    if choice.recased:
        dropped.append(Dropped(choice.original, "headline in capitals (made readable)"))
        review.append(f"headline was in capitals; check the case: {title}")
    if choice.made_from_text:
        review.append("no headline found: the title is the first sentence of the text")
    if not title:
        title = document.path.stem

    text = "\n".join([title, *paragraphs])
    guess = detect_language(text)
    if lang == "auto":
        lang = guess.code
        if not guess.confident:
            review.append(f"language guessed as {lang} from little evidence ({guess.reason})")
    elif lang != guess.code and guess.confident:
        review.append(f"--lang {lang} was given, but the text reads as {guess.code} ({guess.reason})")
    if guess.is_latin_kazakh:
        review.append("the text is Kazakh in the Latin alphabet")

    page_date = document.published or cleaned.published
    if published and page_date and published != page_date:
        review.append(f"--date {published:%Y-%m-%d %H:%M} was given; the page says {page_date:%Y-%m-%d %H:%M}")
    published = published or page_date
    if published is None:
        if cleaned.lone_time:
            review.append(f"the page shows a time ({cleaned.lone_time}) but no date")
        review.append(
            "no publication date found: written as a draft (Status: draft) dated the import day; "
            "set Date and remove Status"
        )

    regions = find_regions(text)
    if not regions:
        review.append("no region found in the text")

    event_start = event_end = None
    mentions = dates.find_event_dates(text)
    if mentions:
        event = mentions[0]
        resolved = dates.resolve_event(event, published.date() if published else None)
        if resolved is None:
            review.append(
                f"event date without a year: «{event.text}» (no publication date to take the year from); "
                "no Event_start written"
            )
        else:
            event_start = resolved.start
            event_end = resolved.end if resolved.end != resolved.start else None
            if resolved.year_assumed:
                review.append(f"event year taken from the publication date: «{event.text}» → {resolved.start.year}")
            if published and resolved.start > published.date():
                review.append(f"the event ({resolved.start}) is after the publication date: an announcement?")
        others = [mention.text for mention in mentions[1:] if mention.text != event.text]
        if others:
            review.append("other dates in the text: " + ", ".join(f"«{other}»" for other in others[:5]))

    blocks = blocks_from_paragraphs(paragraphs)
    slug = slugify(title) or _fallback_slug(document)
    article = Article(
        title=title,
        lang=lang,
        slug=slug,
        date=published or datetime(today.year, today.month, today.day),
        source=document.url or cleaned.url or document.name,
        body=blocks,
        is_draft=published is None,
        category="event-report" if mentions else "news",
        tags=cleaned.tags,
        regions=regions,
        event_start=event_start,
        event_end=event_end,
        location=_labelled_value(paragraphs, _LOCATION_LINE),
        organizer=_labelled_value(paragraphs, _ORGANIZER_LINE),
        summary=make_summary(blocks),
        author=cleaned.author or document.author,
    )
    return ImportReport(
        article=article,
        language=guess,
        encoding=document.encoding,
        dropped=dropped,
        needs_review=review,
        control_characters=document.control_characters,
    )
