"""A digest of everything one output page shows, so that an unchanged page is not rendered again.

A rebuild after one edit must not re-render thousands of pages whose bytes
would come out the same. The writer (incremental.py) asks for a digest of a
page's own template variables; the site-wide part (settings, theme, plugins,
library versions, the day, the list of language sections) is digested once
per build. When both equal the last build's and the file is as that build
left it, the page is skipped.

The digest follows what the templates read, not every object they are given:

- an article page's article is digested with its own fields and the cards
  of the articles it links to (translations, neighbours, related reports);
  beyond that only their source path, so an edit reaches the pages that
  show the edited article and no further;
- an article in a feed: its own fields; on a list page, an events page or a
  calendar, or linked from another article's page, its card: its own fields
  without the body when it has a summary of its own, which is what cards
  show, so that a body edit renders again only the pages that show the body,
  and without the links only its own page shows (PAGE_ONLY: neighbours,
  related reports), so that a new report, which changes those links on some
  twenty others, does not render again every list that shows one of them;
- a listing (a tag, kind, region, year or month) and a language section are
  digested as the templates use them: name and address, not every article
  they hold (a paginated page's articles come in `articles_page`); their
  counts only on the pages that show them (`counts`), so that a new report
  does not re-render every page that links its tags;
- Pelican's paginator by its number of pages, a page of it by its own articles.

tests/test_render_keys.py checks that every variable the templates read is
either digested here or site-wide, so a new template variable cannot be
left out silently; tests/test_incremental.py compares rebuilds with cold
builds byte for byte.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import marshal
import re

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

from .metadata import TEXT_MEMO
from .sections import Listing, Section

# A Content's attributes that are not its own data: the whole site's (digested once, site-wide)
# and memos filled while pages render (they follow from the rest and would differ mid-build).
# `metadata` too: Pelican sets each of its keys as an attribute, digested as such.
NOT_DIGESTED = frozenset({"_context", "settings", "metadata", TEXT_MEMO})
# Kinds of value whose digest does not depend on depth.
_LEAF_KINDS = frozenset({"plain", "time", "term", "listing", "section", "callable"})
# Depth 0 is an article's own fields (the articles it links to by their source path only),
# depth 1 adds what its page shows of the articles it links to: their cards (CARD).
PAGE_DEPTH = 1
# An article shown as a card or a link (list pages, related reports, neighbours, translations):
# its own fields, but not its body when it has a summary of its own, which the card shows instead.
# Not a level of depth: what a card's fields hold is digested as at depth -1, by source path for
# articles; pass a card's articles themselves (a list of them), not an object holding them.
CARD = -0.5
# An article's links that only its own page shows (article.html; tests/test_render_keys.py checks
# that no other template reads them): left out of its card.
PAGE_ONLY = frozenset({"related", "newer_in_language", "older_in_language"})
# With a summary of its own, a card shows neither the body nor the links resolved in it.
_NOT_ON_A_CARD = PAGE_ONLY | {"_content", "resolved"}
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)  # exactly these types: a subclass (Markup) takes the general path


def _hash(parts) -> str:
    # marshal (format 2, which never refers back to an object met before) writes the same bytes
    # for equal nested tuples, lists and strings, several times faster than repr.
    try:
        data = marshal.dumps(parts, 2)
    except ValueError:  # a str subclass such as Markup
        data = repr(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Fingerprinter:
    """Digests of template variables; one per build, because it remembers objects by identity."""

    def __init__(self):
        self._memo: dict[tuple, tuple] = {}  # (id, depth) -> (object kept alive, digest)
        self._active: set[int] = set()

    def digest(self, value, depth: int = PAGE_DEPTH) -> str:
        return _hash(self._parts(value, depth))

    def remember(self, values: list, depths=(0, CARD), fork: bool = True) -> None:
        """Digest many values now (for articles: their own fields and their cards), half in a
        forked copy of the process unless `fork` is off: `digest` and `_parts` then find them
        remembered."""
        from .parallel import split  # parallel.py imports nothing of this module; fingerprint stays light

        work = lambda value: [self._parts(value, depth) for depth in depths]  # noqa: E731
        for value, digests in zip(values, split(values, work) if fork else map(work, values)):
            for depth, digest in zip(depths, digests):
                self._memo[(id(value), depth)] = (value, digest)

    def counts(self, value):
        """What a page shows of a listing's or a list of listings' size; of a section, all but its
        address: the counts, its terms and periods, its newest report (the language chooser)."""
        if isinstance(value, Listing):
            return len(value.articles)
        if isinstance(value, Section):
            listings = [*value.tags, *value.categories, *value.regions, *value.years,
                        *(month for months in value.months.values() for month in months)]
            newest = self._parts(value.articles[0], 0) if value.articles else None
            return (len(value.articles), newest, [(listing.kind, listing.key, listing.name, listing.url,
                                                   len(listing.articles)) for listing in listings])
        if isinstance(value, dict):
            return [(str(key), self.counts(item)) for key, item in value.items()]
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], Listing):
            return [len(item.articles) for item in value]
        return None

    # -- by type

    def _parts(self, value, depth: int):
        kind = self._kinds.get(type(value)) or self._kind_of(value)
        if kind == "plain":
            return value
        if kind == "content":
            return self._remembered(value, depth, self._content)
        if kind == "sequence":
            if len(value) > 16:
                return self._remembered(value, depth, self._sequence)
            return self._sequence(value, depth)
        if kind == "time":
            return (type(value).__name__, value.isoformat(), str(getattr(value, "tzinfo", None)))
        if kind == "listing":
            # Its count only where a page shows it (`counts`): an article's tag links do not.
            return ("listing", value.kind, value.name, value.url, value.key, value.year, value.month)
        if kind == "term":
            # The address follows from the slug and the settings (digested site-wide).
            return (type(value).__name__, value.name, value.slug)
        if kind == "dict":
            return ("dict", sorted(((str(key), self._parts(item, depth)) for key, item in value.items()),
                                   key=lambda pair: pair[0]))
        if kind == "section":
            # What every page shows of a language section: its address (nav, switcher, alternates).
            return ("section", value.lang, value.url, self._parts(value.language, 0))
        if kind == "paginator":
            # Its pages show how many there are, not how many articles they share (pager.html;
            # tests/test_render_keys.py checks that no template reads more of it).
            return ("paginator", value.name, value.url, value.num_pages, value.per_page, value.orphans)
        if kind == "page":
            # A list page shows its articles as cards (article_card.html).
            return ("page", value.number, value.url, value.save_as, self._parts(value.paginator, depth),
                    self._parts(value.object_list, CARD if depth == PAGE_DEPTH else depth - 1))
        if kind == "set":
            return ("set", sorted(repr(self._parts(item, depth)) for item in value))
        if kind == "callable":
            return ("callable", getattr(value, "__module__", ""), value.__qualname__)
        if id(value) in self._active:  # an object met again inside itself
            return ("cycle", type(value).__qualname__)
        return self._remembered(value, depth, self._object)

    # Kinds by type, found once per type. The plain ones from the start: `_fields` takes their
    # values as they are, never asking, and which values are links must not depend on what
    # happened to be digested first.
    _kinds: dict[type, str] = {kind: "plain" for kind in _PLAIN}
    _KIND_CHECKS = (
        ("plain", _PLAIN), ("time", (dt.datetime, dt.date, dt.time)), ("content", Content),
        ("listing", Listing), ("section", Section), ("paginator", Paginator), ("page", Page),
        ("term", URLWrapper), ("sequence", (list, tuple)), ("dict", dict), ("set", (set, frozenset)),
    )

    def _kind_of(self, value) -> str:
        kind = next((name for name, types in self._KIND_CHECKS if isinstance(value, types)), None)
        if kind is None:
            kind = "callable" if callable(value) and hasattr(value, "__qualname__") else "object"
        if kind != "callable":  # callable instances of a class may differ; classes of values do not
            self._kinds[type(value)] = kind
        return kind

    def _remembered(self, value, depth, compute):
        key = (id(value), depth)
        found = self._memo.get(key)
        if found is None or found[0] is not value:
            found = self._memo[key] = (value, _hash(compute(value, depth)))
        return found[1]

    def _sequence(self, value, depth):
        return [self._parts(item, depth) for item in value]

    def _content(self, article, depth):
        if depth < 0 and depth != CARD:
            return ("content", article.source_path)
        attributes = vars(article)
        if depth > 0:
            # The own fields once (depth 0), then the linked articles as cards, other linked
            # objects one level down.
            own = self._parts(article, 0)
            inner = CARD if depth == PAGE_DEPTH else depth - 1
            kinds, links = self._kinds, []
            for name, value in attributes.items():
                kind = kinds.get(type(value)) or self._kind_of(value)
                # A list of tags or listings is the same at every depth, in the own fields already:
                # not digested again with the links (a sixth of deciding that an article page is unchanged).
                if kind in _LEAF_KINDS or name in NOT_DIGESTED or (kind == "sequence" and all(
                        (kinds.get(type(item)) or self._kind_of(item)) in _LEAF_KINDS for item in value)):
                    continue
                links.append((name, value))
            links.sort()
            return ("content", own, [(name, self._parts(value, inner)) for name, value in links])
        metadata = attributes.get("metadata") or {}
        fields = self._fields(attributes)
        if "{" in (attributes.get("_content") or ""):
            # Intra-site links ({filename}…) are resolved against other articles' addresses.
            fields.append(("resolved", article.get_content("")))
        if depth == CARD:
            return self._card(article, metadata, fields)
        if (id(article), CARD) not in self._memo:
            # Its card too, from the same fields: every page linking the article needs it.
            self._memo[(id(article), CARD)] = (article, _hash(self._card(article, metadata, fields)))
        return ("content", type(article).__name__, fields)

    def _fields(self, attributes):
        # Most fields are strings and numbers, their own digest: no call for them (5,000 articles'
        # own fields are digested on every build).
        return [(name, value if type(value) in _PLAIN_TYPES else self._parts(value, -1))
                for name, value in sorted(attributes.items()) if name not in NOT_DIGESTED]

    @staticmethod
    def _card(article, metadata, fields):
        if "summary" in metadata:
            # Pelican gives a card the summary as written in the metadata (not digested as such).
            summary, left_out = metadata["summary"], _NOT_ON_A_CARD
        else:
            # Pelican cuts the summary from the body, its links resolved: the card shows how it begins.
            summary, left_out = None, PAGE_ONLY
        return ("card", type(article).__name__, summary,
                [(name, value) for name, value in fields if name not in left_out])

    def _object(self, value, depth):
        """Value objects of the plugin (kinds, regions, languages, events): their fields."""
        names = _dataclass_fields(type(value))
        if names is not None:
            fields = {name: getattr(value, name) for name in names}
        elif hasattr(value, "__dict__"):
            fields = vars(value)
        else:
            return ("repr", type(value).__qualname__, _ADDRESS.sub("", repr(value)))
        self._active.add(id(value))
        try:
            # A page shows the articles its objects hold (event lists…) as cards.
            inner = CARD if depth == PAGE_DEPTH else depth - 1 if depth > 0 else -1
            return ("object", type(value).__qualname__,
                    sorted((name, self._parts(item, inner)) for name, item in fields.items()
                           if name not in NOT_DIGESTED))
        finally:
            self._active.discard(id(value))


@functools.lru_cache(maxsize=None)
def _dataclass_fields(cls) -> tuple[str, ...] | None:
    """The field names of a dataclass, None for other classes (asked for every event list and
    region an events page shows; dataclasses.fields builds its answer on every call)."""
    return tuple(field.name for field in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
