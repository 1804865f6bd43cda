"""The archive's Pelican plugin: per-language sections from one read of the content.

`register()` only wires signals; each concern lives in its own module.
"""
from pelican import signals

from . import content_model, events, i18n, progress, views
from . import feeds, metadata, sitemap
from . import search
from . import accounting, sanitize, validate
from . import images, iso_dates, markdown_reader, reading_time
from . import article_cache, frozen_urls, incremental, preparse, split_output
from . import compiled_templates, fragments, lean_writer


def register():
    lean_writer.install()
    # Pages are rendered in batches (incremental.produce); the last batch runs before any
    # other `finalized` receiver reads the output.
    signals.finalized.connect(incremental.run_queue)
    # A forked copy may be writing the article and events pages (split_output.py): its share
    # of the build is taken next, while it may still be rendering its own last batch.
    signals.finalized.connect(split_output.join)
    signals.content_object_init.connect(content_model.set_slug_from_title)
    signals.generator_init.connect(i18n.install_in_templates)
    signals.generator_init.connect(fragments.install_in_templates)
    signals.generator_init.connect(compiled_templates.install)
    # URLs are final once the articles are read; every later reader gets them without formatting.
    signals.article_generator_finalized.connect(frozen_urls.freeze)
    signals.article_generator_finalized.connect(preparse.release_reader_cache)
    signals.article_generator_finalized.connect(article_cache.save)
    signals.article_generator_finalized.connect(views.drop_pelican_taxonomies)
    signals.get_generators.connect(views.get_generators)
    # Strict content: the files are checked before Pelican reads them, bodies are
    # sanitized as they are read, and every article file must end up as a page.
    signals.article_generator_init.connect(validate.check_sources)
    # Unchanged files' articles come back as the last build read them (article_cache.py);
    # the files neither cache holds are parsed on both cores, before Pelican reads them.
    signals.article_generator_init.connect(article_cache.install)
    signals.article_generator_init.connect(preparse.warm_reader_cache)
    signals.readers_init.connect(markdown_reader.use_reused_instance)
    signals.readers_init.connect(iso_dates.install)
    signals.content_object_init.connect(sanitize.sanitize_content)
    signals.article_generator_finalized.connect(sanitize.sanitize_cached)
    # Body images: lazy, async, and sized (after the sanitizer, which would drop `decoding`).
    signals.content_object_init.connect(images.prepare_images)
    signals.article_generator_finalized.connect(images.prepare_cached)
    signals.content_object_init.connect(reading_time.set_on_read)
    signals.article_generator_finalized.connect(reading_time.set_reading_time)
    signals.article_generator_finalized.connect(accounting.count_found)
    signals.content_written.connect(accounting.count_written)
    signals.finalized.connect(accounting.check_all_written)
    signals.generator_init.connect(events.install_in_templates)
    signals.get_generators.connect(events.get_generators)
    signals.all_generators_finalized.connect(events.collect_events)
    # Pagefind reads the finished output (every page is written before `finalized`);
    # connected before progress so that the build summary counts the index files too.
    signals.finalized.connect(search.index_site)
    progress.connect()
    signals.generator_init.connect(metadata.install_in_templates)
    signals.generator_init.connect(feeds.install_in_templates)
    signals.get_generators.connect(feeds.get_generators)
    # The sitemap lists every page written, by any generator: it records them as they are written.
    signals.get_generators.connect(sitemap.get_generators)
    signals.generator_init.connect(search.install_in_templates)
    signals.get_generators.connect(search.get_generators)
    # Rebuilds: write only changed bytes, remove what the content no longer produces,
    # and record a manifest so an unchanged site is not rebuilt (incremental.py).
    signals.get_writer.connect(incremental.get_writer)
    signals.initialized.connect(incremental.start)
    signals.initialized.connect(article_cache.open_for_build)  # after start: it needs the build's inputs
    signals.static_generator_finalized.connect(incremental.record_static)
    signals.all_generators_finalized.connect(incremental.finish_last)
    # Last: every other receiver has set the articles' fields (their digests are made when
    # Pelican asks for its writer, once it has resolved the links in their summaries).
    signals.all_generators_finalized.connect(incremental.remember_articles)
    signals.all_generators_finalized.connect(split_output.prepare)
