"""Writes every language's section in the same run: front pages, term and archive lists, the chooser.

Pelican writes the article pages itself (URL scheme in pelicanconf.py); this
generator writes the listings that replace Pelican's global ones.
"""
from __future__ import annotations

from pelican.generators import Generator

from . import validate
from .content_model import prepare_articles
from .languages import LANGUAGES
from .sections import Section, build_sections


def get_generators(pelican):
    return LanguageViewsGenerator


def drop_pelican_taxonomies(article_generator):
    """Empty Pelican's own tag, category and author groupings.

    Their pages are switched off in the settings, but Pelican's generate_tags()
    and friends still walk every term and filter all dates by list membership
    (quadratic: most of a 20,000-article build). The per-language sections
    replace them, so nothing is lost. This is the one place we reach into
    ArticlesGenerator's state.
    """
    article_generator.tags = {}
    article_generator.categories = []
    article_generator.authors = []


class LanguageViewsGenerator(Generator):
    """Holds the sections in the shared context; writes their pages."""

    def generate_context(self):
        published = self.context.get("articles", [])
        unpublished = [*self.context.get("drafts", []), *self.context.get("hidden_articles", [])]
        problems = prepare_articles(published, unpublished)
        # Sections of the articles that resolved, so the link check knows every
        # listing URL even when other problems will stop the build below.
        sound = [article for article in published if article.kind is not None and article.lang in LANGUAGES]
        self.sections: dict[str, Section] = build_sections(sound)
        problems += validate.check_after_reading(self.context, self.settings, self.sections)
        validate.enforce(self.context, problems, self.settings)  # raises ContentError on any error
        for article in unpublished:
            article.tag_listings, article.region_listings, article.category_listing = [], [], None
            article.newer_in_language = article.older_in_language = None
        self.context["sections"] = self.sections

    def generate_output(self, writer):
        write = lambda name, template, **kwargs: writer.write_file(  # noqa: E731
            name, self.get_template(template), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], **kwargs)

        write("index.html", "chooser", page_lang=self.settings["DEFAULT_LANG"], url="", page_kind="chooser")
        # The 404 page is served at any depth, so its links must not be relative.
        writer.write_file("404.html", self.get_template("404"), self.context, relative_urls=False,
                          page_lang=self.settings["DEFAULT_LANG"], url="404.html", page_kind="404")

        for section in self.sections.values():
            common = {"section": section, "page_lang": section.lang}
            write(section.url + "index.html", "index", url=section.url, template_name="index",
                  articles=section.articles, page_kind="front", **common)
            for listings, index_kind in ((section.tags, "tags"), (section.categories, "categories"),
                                         (section.regions, "regions")):
                write(section.index_url(index_kind) + "index.html", "terms", url=section.index_url(index_kind),
                      listings=listings, listing_kind=index_kind, page_kind=index_kind, **common)
                for listing in listings:
                    write(listing.save_as, "taxonomy", url=listing.url, template_name="taxonomy",
                          listing=listing, articles=listing.articles, page_kind=listing.kind, **common)
            write(section.index_url("archive") + "index.html", "archive_index", url=section.index_url("archive"),
                  page_kind="archive", **common)
            for year in section.years:
                write(year.save_as, "archive", url=year.url, template_name="archive", listing=year,
                      months=section.months[year.year], articles=year.articles, page_kind="year", **common)
                for month in section.months[year.year]:
                    write(month.save_as, "archive", url=month.url, template_name="archive", listing=month,
                          months=[], year_listing=year, articles=month.articles, page_kind="month", **common)
