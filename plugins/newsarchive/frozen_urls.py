"""Each article's URL computed once per build instead of on every access.

Pelican's `Content.url` and `save_as` format the URL setting from a fresh copy
of the metadata (and a `relpath` of the source) each time they are read; the
listings, feeds, sitemap and switchers read them tens of thousands of times
(about 15 % of a 1,000-article build). Once every generator has built its
context, slugs, languages, dates and statuses are final, so the values are
fixed through Pelican's own `override_url` attribute, which
`get_url_setting` returns as it is. `save_as` is left alone: Pelican reads an
`override_save_as` as permission to overwrite another page's file, and the
duplicate-URL check must keep failing loudly.
"""
from __future__ import annotations


def freeze(generators) -> None:
    """all_generators_finalized: fix the url of every article and page."""
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                     "drafts_translations", "pages", "hidden_pages", "draft_pages", "translations_pages"):
            for content in getattr(generator, name, None) or ():
                if not hasattr(content, "get_url_setting"):
                    continue
                content.override_url = content.url
