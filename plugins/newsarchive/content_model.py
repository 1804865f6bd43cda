"""The article as the archive sees it: language, kind, regions, translations.

Pelican gives us articles with raw metadata; `prepare_articles` checks each
value against the site's tables and attaches the resolved objects, or returns
the problems. It runs once per build on every article, cached or not.
"""
from __future__ import annotations

from collections import defaultdict

from .categories import KINDS
from .errors import Problem, display_path, problem_at
from .languages import LANGUAGES, allowed_codes
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


def _split_codes(raw) -> list[str]:
    if not raw:
        return []
    if isinstance(raw, (list, tuple)):
        raw = ",".join(raw)
    return [code.strip() for code in str(raw).split(",") if code.strip()]


def prepare_articles(published, unpublished=()) -> list[Problem]:
    """Resolve language, kind, regions and translation groups; return what is wrong.

    Drafts and hidden articles are checked like the others but never offered
    as a published article's translation.
    """
    everything = [*published, *unpublished]
    problems: list[Problem] = []
    for article in everything:
        problems.extend(_resolve_article(article))
    problems.extend(_check_unique_urls(everything))
    problems.extend(_link_translations(published))
    for article in unpublished:
        article.translations = []
    return problems


def _resolve_article(article) -> list[Problem]:
    problems = []
    if article.lang not in LANGUAGES:
        problems.append(problem_at(
            article, "Lang", f"unknown language '{article.lang}'", f"allowed: {allowed_codes()}"))

    # Pelican applies DEFAULT_CATEGORY only when it writes category pages, which it does not here.
    kind_key = str(getattr(article, "category", "") or article.settings.get("DEFAULT_CATEGORY", ""))
    article.kind = KINDS.get(kind_key)
    if article.kind is None:
        problems.append(problem_at(
            article, "Category", f"unknown category '{kind_key}'", f"allowed: {', '.join(KINDS)}"))

    article.region_list = []
    for code in _split_codes(article.metadata.get("regions")):
        region = REGIONS.get(code.upper())
        if region is None:
            problems.append(problem_at(
                article, "Regions", f"unknown region code '{code}'",
                "allowed: ISO 3166-2 codes of Kazakhstan and Kyrgyzstan, e.g. KZ-55, KG-Y"))
        elif region not in article.region_list:
            article.region_list.append(region)

    article.translation_key = str(article.metadata.get("translation_key") or article.slug)
    return problems


def _check_unique_urls(articles) -> list[Problem]:
    by_output = defaultdict(list)
    for article in articles:
        by_output[article.save_as].append(article)
    problems = []
    for save_as, clashing in by_output.items():
        if len(clashing) > 1:
            files = " and ".join(display_path(a.source_path) for a in clashing)
            problems.append(Problem(
                display_path(clashing[0].source_path), None,
                f"{files} would both be published at /{clashing[0].url}",
                "give one of them another Slug"))
    return problems


def _link_translations(articles) -> list[Problem]:
    """Every article's `translations`: the other languages' versions of its report."""
    groups = defaultdict(list)
    for article in articles:
        groups[article.translation_key].append(article)
    problems = []
    language_order = list(LANGUAGES)
    for key, group in groups.items():
        by_lang = {}
        for article in group:
            if article.lang in by_lang:
                problems.append(problem_at(
                    article, "Translation_key",
                    f"translation key '{key}' has two {article.lang} articles: "
                    f"{display_path(by_lang[article.lang].source_path)} and {display_path(article.source_path)}",
                    "one article per language in a translation group"))
                continue
            by_lang[article.lang] = article
        for article in group:
            article.translations = sorted(
                (other for other in by_lang.values() if other is not article),
                key=lambda other: language_order.index(other.lang) if other.lang in LANGUAGES else 99,
            )
    return problems
