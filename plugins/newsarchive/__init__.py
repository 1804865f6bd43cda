"""The archive's Pelican plugin: per-language sections from one read of the content.

`register()` only wires signals; each concern lives in its own module.
"""
from pelican import signals

from . import content_model, i18n, progress, views


def register():
    signals.content_object_init.connect(content_model.set_slug_from_title)
    signals.generator_init.connect(i18n.install_in_templates)
    signals.article_generator_finalized.connect(views.drop_pelican_taxonomies)
    signals.get_generators.connect(views.get_generators)
    progress.connect()
