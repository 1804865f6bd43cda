"""Related reports: up to five articles of the same language that share tags or regions.

Sections (sections.py) have already grouped each language's articles by tag
and region in dicts, so an article is compared only with the articles of its
own listings, never with the whole archive. A listing can still be large (a
region with thousands of reports), and scoring all of it for each of its
articles would be quadratic. So each listing contributes only the
CANDIDATES_PER_SIDE articles on either side of the article in that listing
(listings are sorted newest first, so these are the reports nearest in
time, which is also what a reader of news expects to be related). The work
per article is then bounded by its number of terms, whatever the archive's
size: 20,000 articles with six terms each, one of them shared by all, take
about a second on a 2-core machine.

A shared tag counts more than a shared region: a tag names the subject, a
region only where it happened. Ties go to the report nearest in date.

A rebuild after an edit that changes no article's language, date, tags or
regions (a body, a title) gets the same related reports: `link_or_reuse`
takes them from the last build (incremental.py keeps them with its
manifest) when the section's articles are the same in the same order with
the same dates and terms, instead of scoring the whole section again (about
0.2 s at 5,000 articles).
"""
from __future__ import annotations

from collections import Counter

RELATED_MAX = 5
CANDIDATES_PER_SIDE = 10
TAG_WEIGHT = 2
REGION_WEIGHT = 1


def link_or_reuse(lang: str, newest_first: list) -> None:
    """`link_related` for one language's section, or the last build's result when what it
    depends on is the same: for each article in order, its source, date and the keys of its
    tag and region listings (the listings, their order and so every window follow from them)."""
    from . import incremental  # incremental.py imports the sections (fingerprint.py): imported when needed

    inputs = [(article.source_path, article.date.timestamp(),
               [listing.key for listing in article.tag_listings],
               [listing.key for listing in article.region_listings]) for article in newest_first]
    key = incremental.related_key(inputs)
    kept = incremental.last_related(lang, key)
    if kept is not None and len(kept) == len(newest_first):
        for article, places in zip(newest_first, kept):
            article.related = [newest_first[place] for place in places]
    else:
        link_related(newest_first)
    place_of = {id(article): place for place, article in enumerate(newest_first)}
    incremental.keep_related(lang, key, [[place_of[id(other)] for other in article.related]
                                         for article in newest_first])


def link_related(newest_first: list, limit: int = RELATED_MAX) -> None:
    """Set `article.related` on every article of one language's section (newest first).

    Articles are counted by identity (Pelican's Content has no __eq__), with
    Counter.update, whose counting loop runs in C.
    """
    positions: dict[int, dict] = {}  # id(listing) (a dataclass, unhashable) -> article -> index in it
    stamp = {article: article.date.timestamp() for article in newest_first}

    def position(listing, article) -> int:
        index = positions.get(id(listing))
        if index is None:
            index = positions[id(listing)] = {item: n for n, item in enumerate(listing.articles)}
        return index[article]

    for article in newest_first:
        scores = Counter()
        terms = [(listing, TAG_WEIGHT) for listing in getattr(article, "tag_listings", None) or []]
        terms += [(listing, REGION_WEIGHT) for listing in getattr(article, "region_listings", None) or []]
        for listing, weight in terms:
            at = position(listing, article)
            window = listing.articles[max(0, at - CANDIDATES_PER_SIDE): at + CANDIDATES_PER_SIDE + 1]
            for _ in range(weight):
                scores.update(window)
        scores.pop(article, None)
        article.related = _best(scores, stamp, stamp[article], limit)


def _best(scores: Counter, stamp: dict, when: float, limit: int) -> list:
    """The `limit` highest scores; among equal scores, the nearest in date (then the newer)."""
    by_score: dict[int, list] = {}
    for other, score in scores.items():
        by_score.setdefault(score, []).append(other)
    chosen = []
    for score in sorted(by_score, reverse=True):
        tied = by_score[score]
        if len(tied) > 1:
            # Only the last, partly taken score level is usually long; sorting it is the one cost left.
            tied.sort(key=lambda other: (abs(stamp[other] - when), -stamp[other]))
        chosen.extend(tied[: limit - len(chosen)])
        if len(chosen) == limit:
            break
    return chosen
