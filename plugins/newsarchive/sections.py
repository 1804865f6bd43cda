"""Per-language sections: every listing of one language, grouped in one pass.

Each term (tag, kind, region) and each archive period is a `Listing` of the
articles it shows, newest first. Grouping uses dicts keyed by slug, so the
cost is linear in articles × terms per article (Pelican's own generators test
list membership per term, which is quadratic on large archives).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .languages import LANGUAGES, Language
from .related import link_or_reuse
from .slugs import slugify

# URL of every listing, relative to the site root; `save_as` adds index.html.
URL_PATTERNS = {
    "front": "{lang}/",
    "tag": "{lang}/tags/{slug}/",
    "tags": "{lang}/tags/",
    "category": "{lang}/categories/{slug}/",
    "categories": "{lang}/categories/",
    "region": "{lang}/regions/{slug}/",
    "regions": "{lang}/regions/",
    "archive": "{lang}/archive/",
    "year": "{lang}/archive/{year}/",
    "month": "{lang}/archive/{year}/{month:02d}/",
}


def listing_url(kind: str, **parts) -> str:
    return URL_PATTERNS[kind].format(**parts)


@dataclass
class Listing:
    """One list page: a term or a period and the articles it shows."""

    kind: str  # tag, category, region, year, month
    name: str  # shown in the page's language
    url: str
    articles: list = field(default_factory=list)
    key: str = ""  # the tag's slug, the kind's key, the region's code, "2024" or "2024-01"
    year: int | None = None
    month: int | None = None

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    def __len__(self):
        return len(self.articles)


@dataclass
class Section:
    language: Language
    articles: list  # published articles of this language, newest first
    tags: list[Listing]
    categories: list[Listing]
    regions: list[Listing]
    years: list[Listing]
    months: dict  # year -> list of month listings, newest first

    @property
    def lang(self) -> str:
        return self.language.code

    @property
    def url(self) -> str:
        return listing_url("front", lang=self.lang)

    def index_url(self, kind: str) -> str:
        return listing_url(kind, lang=self.lang)


def build_sections(articles) -> dict[str, Section]:
    """One section per language that has published articles, in the table's order."""
    by_lang = defaultdict(list)
    for article in articles:
        by_lang[article.lang].append(article)
    sections = {}
    for code, language in LANGUAGES.items():
        if by_lang.get(code):
            # Reports of the same minute keep one order from build to build (Pelican's
            # own order of them follows which files its cache had): by source path.
            by_path = sorted(by_lang[code], key=lambda a: a.source_path)
            newest_first = sorted(by_path, key=lambda a: a.date, reverse=True)
            sections[code] = _build_section(language, newest_first)
    return sections


def _build_section(language: Language, articles: list) -> Section:
    lang = language.code
    tags: dict[str, Listing] = {}
    categories: dict[str, Listing] = {}
    regions: dict[str, Listing] = {}
    years: dict[int, Listing] = {}
    months: dict[tuple, Listing] = {}

    for article in articles:
        article.tag_listings = []
        for tag in getattr(article, "tags", []) or []:
            slug = slugify(str(tag))
            if not slug:
                continue
            listing = tags.get(slug)
            if listing is None:
                listing = tags[slug] = Listing("tag", str(tag), listing_url("tag", lang=lang, slug=slug), key=slug)
            if article not in listing.articles[-1:]:
                listing.articles.append(article)
                article.tag_listings.append(listing)

        kind = article.kind
        listing = categories.get(kind.key)
        if listing is None:
            listing = categories[kind.key] = Listing(
                "category", kind.label(lang), listing_url("category", lang=lang, slug=kind.key), key=kind.key)
        listing.articles.append(article)
        article.category_listing = listing

        article.region_listings = []
        for region in article.region_list:
            listing = regions.get(region.code)
            if listing is None:
                listing = regions[region.code] = Listing(
                    "region", region.name(lang),
                    listing_url("region", lang=lang, slug=region.slug(lang)), key=region.code)
            listing.articles.append(article)
            article.region_listings.append(listing)

        year, month = article.date.year, article.date.month
        if year not in years:
            years[year] = Listing("year", str(year), listing_url("year", lang=lang, year=year),
                                  key=str(year), year=year)
        years[year].articles.append(article)
        if (year, month) not in months:
            months[(year, month)] = Listing(
                "month", f"{year}-{month:02d}", listing_url("month", lang=lang, year=year, month=month),
                key=f"{year}-{month:02d}", year=year, month=month)
        months[(year, month)].articles.append(article)

    _link_neighbours(articles)
    link_or_reuse(lang, articles)
    months_by_year = defaultdict(list)
    for (year, _), listing in sorted(months.items(), reverse=True):
        months_by_year[year].append(listing)

    by_name = lambda listing: listing.name.casefold()  # noqa: E731
    return Section(
        language=language,
        articles=articles,
        tags=sorted(tags.values(), key=by_name),
        categories=sorted(categories.values(), key=by_name),
        regions=sorted(regions.values(), key=by_name),
        years=[years[y] for y in sorted(years, reverse=True)],
        months=dict(months_by_year),
    )


def _link_neighbours(newest_first: list):
    """Previous (older) and next (newer) article within the same language."""
    for index, article in enumerate(newest_first):
        article.newer_in_language = newest_first[index - 1] if index > 0 else None
        article.older_in_language = newest_first[index + 1] if index + 1 < len(newest_first) else None
