"""Each article's URL and output path computed once per build instead of on every access.

Pelican's `Content.url` and `save_as` format the URL setting from a fresh copy
of the metadata (and a `relpath` of the source) each time they are read; the
checks, listings, feeds, sitemap and switchers read them tens of thousands of
times (about 15 % of a 1,000-article build). Once the article generator has
read everything (article_generator_finalized), slugs, languages, dates and
statuses are final, so:

- the url is fixed through Pelican's own `override_url` attribute, which
  `get_url_setting` returns as it is;
- `save_as` is kept beside it, and Pelican's `Content.save_as` property
  returns that frozen value when there is one (Pelican's own loop over the
  articles reads it once more per article). An article kept between builds
  (article_cache.py) comes back with both already frozen: they follow from
  the file and the settings, which are unchanged. No `override_save_as` is set:
  Pelican reads one as permission to overwrite another page's file, and the
  duplicate-URL check must keep failing loudly.

Both come from one formatting of the metadata (`addresses`): Pelican's
properties would copy and format it once each.
"""
from __future__ import annotations

from pelican.contents import Article, Content, Page

FROZEN_SAVE_AS = "_frozen_save_as"
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations", "pages", "hidden_pages", "draft_pages", "translations_pages")
# Pelican's own property, even when this module is imported again (another plugin path).
_PELICAN_SAVE_AS = getattr(Content.save_as, "pelicans", Content.save_as)


def _frozen_or_computed_save_as(content) -> str:
    frozen = content.__dict__.get(FROZEN_SAVE_AS)
    return frozen if frozen is not None else _PELICAN_SAVE_AS.fget(content)


class _FrozenSaveAs(property):
    """The save_as property installed here; `pelicans` is the one it replaced."""

    def __init__(self, fget, pelicans):
        super().__init__(fget)
        self.pelicans = pelicans


# Installed when the plugin is imported: a kept article (article_cache.py) is read back frozen.
Content.save_as = _FrozenSaveAs(_frozen_or_computed_save_as, _PELICAN_SAVE_AS)


def freeze(generator) -> None:
    """article_generator_finalized: fix the url and remember the save_as of every article."""
    for name in CONTENT_LISTS:
        for content in getattr(generator, name, None) or ():
            if not hasattr(content, "get_url_setting") or FROZEN_SAVE_AS in content.__dict__:
                continue  # not a Content, or kept from the last build with its addresses
            url, frozen_save_as = addresses(content)
            content.override_url = url
            content.__dict__[FROZEN_SAVE_AS] = frozen_save_as


def addresses(content) -> tuple[str, str]:
    """(content.url, content.save_as) as Pelican's `get_url_setting` makes them, the metadata
    formatted once for both (tests/test_frozen_urls.py compares them with Pelican's)."""
    values = []
    url_format = None
    for key in ("url", "save_as"):
        if hasattr(content, "override_" + key):
            values.append(getattr(content, "override_" + key))
            continue
        if url_format is None:
            url_format = content.url_format
        setting = key if content.in_default_lang else f"lang_{key}"
        if isinstance(content, Article):  # Article's and Page's _expand_settings: drafts have their own URLs
            kind = "draft" if content.status == "draft" else "article"
        elif isinstance(content, Page) and content.status == "draft":
            kind = "draft_page"
        else:
            kind = type(content).__name__
        values.append(str(content.settings[f"{kind}_{setting}".upper()]).format(**url_format))
    return values[0], values[1]
