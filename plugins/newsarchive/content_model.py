"""The article as the archive sees it: language, kind, regions, translations.

Pelican gives us articles with raw metadata; `prepare_articles` resolves each
value against the site's tables and attaches the resolved objects; the checks
that report what does not resolve are in validate.py. It runs once per build
on every article, cached or not.
"""
from __future__ import annotations

from collections import defaultdict

from pelican.urlwrappers import Category

from .categories import KINDS
from .errors import Problem
from .events import resolve_event
from .languages import LANGUAGES
from .regions import REGIONS
from .slugs import slugify


def set_slug_from_title(content):
    """Replace Pelican's slug with the project's transliteration when none is given.

    Pelican slugifies through unidecode, which drops Kazakh letters; an explicit
    `Slug:` always wins.
    """
    if "slug" in content.metadata or not getattr(content, "title", None):
        return
    content.slug = slugify(content.title)


def split_codes(raw) -> list[str]:
    """The codes of a comma-separated metadata value such as `Regions: KZ-55, KG-Y`."""
    if not raw:
        return []
    if isinstance(raw, (list, tuple)):
        raw = ",".join(raw)
    return [code.strip() for code in str(raw).split(",") if code.strip()]


def prepare_articles(published, unpublished=()) -> list[Problem]:
    """Resolve language, kind, regions and translation groups; return what is wrong.

    The checks themselves live with the others in validate.py. Drafts and
    hidden articles are checked like the others but never offered as a
    published article's translation.
    """
    from .validate import model_findings, tagged  # validate reads this module's helpers: import here

    everything = [*published, *unpublished]
    event_problems = []
    for article in everything:
        _resolve_article(article)
        event_problems.extend(resolve_event(article))
    _link_translations(published)
    for article in unpublished:
        article.translations = []
    return [*model_findings(published, unpublished), *tagged("event", event_problems)]


def _resolve_article(article) -> None:
    # Pelican applies DEFAULT_CATEGORY only when it writes category pages, which it does not here.
    article.kind_key = str(getattr(article, "category", "") or article.settings.get("DEFAULT_CATEGORY", ""))
    article.kind = KINDS.get(article.kind_key)
    if not hasattr(article, "category"):
        # Pelican's draft writer reads `article.category`: give it the default kind too.
        article.category = Category(article.kind_key, article.settings)
    article.region_list = []
    for code in split_codes(article.metadata.get("regions")):
        region = REGIONS.get(code.upper())
        if region is not None and region not in article.region_list:
            article.region_list.append(region)
    article.translation_key = str(article.metadata.get("translation_key") or article.slug)


def _link_translations(articles) -> None:
    """Every article's `translations`: the other languages' versions of its report.

    A second article of one language in a group is a problem (validate.py);
    the first one stays the group's version of that language.
    """
    groups = defaultdict(list)
    for article in articles:
        groups[article.translation_key].append(article)
    language_order = list(LANGUAGES)
    for group in groups.values():
        by_lang = {}
        for article in group:
            by_lang.setdefault(article.lang, article)
        for article in group:
            article.translations = sorted(
                (other for other in by_lang.values() if other is not article),
                key=lambda other: language_order.index(other.lang) if other.lang in LANGUAGES else 99,
            )
