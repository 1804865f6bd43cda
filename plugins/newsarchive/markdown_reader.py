"""Pelican's Markdown reader, with one Markdown instance for every file it reads.

Pelican's `MarkdownReader.read` makes a new `markdown.Markdown` for each
file: loading the extensions (extra, meta, smarty) and building their
processors is about a fifth of the time it takes to parse a 400-word report,
some two seconds of a cold 5,000-article build. Python-Markdown supports
converting many documents with one instance: `reset()` clears the document
state, and every extension it ships clears its own (footnotes, abbreviations,
tables of contents, metadata). The output is the same.

Pelican's `_parse_metadata` removes the `meta` preprocessor from the instance
(so that a summary's text is not read as metadata): it is put back, at the
same priority, before the next file.

The instance's inline treeprocessors skip the inline patterns that cannot
match a text (markdown_inline.py), and its block parser the block processors
that cannot take a block (markdown_blocks.py): the same HTML, in about half
the time.
"""
from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from . import markdown_blocks, markdown_inline


class ReusedMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._instance: Markdown | None = None
        self._meta = None  # (preprocessor, priority), to register again after _parse_metadata

    def _markdown(self) -> Markdown:
        md = self._instance
        if md is None:
            md = self._instance = Markdown(**self.settings["MARKDOWN"])
            markdown_inline.install(md)
            markdown_blocks.install(md)
            if "meta" in md.preprocessors:
                priority = next(item.priority for item in md.preprocessors._priority if item.name == "meta")
                self._meta = (md.preprocessors["meta"], priority)
            return md
        md.reset()
        if self._meta is not None and "meta" not in md.preprocessors:
            md.preprocessors.register(self._meta[0], "meta", self._meta[1])
        return md

    def read(self, source_path):
        # MarkdownReader.read, but for the instance.
        self._source_path = source_path
        self._md = self._markdown()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        return content, metadata


def use_reused_instance(readers) -> None:
    """readers_init: read Markdown with ReusedMarkdownReader, unless READERS chose another reader."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = ReusedMarkdownReader
