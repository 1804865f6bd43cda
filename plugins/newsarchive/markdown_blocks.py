"""Python-Markdown's block parsing, without asking processors about syntax a block cannot hold.

For every block of a document (a paragraph, mostly), `BlockParser.parseBlocks`
asks each block processor in turn whether the block is its own: `test`, or
`run` returning False for the processors whose test says yes to anything
(link, footnote and abbreviation definitions). Most of them answer by
searching the whole block with a regular expression: a hash header, a setext
header, a rule, a definition, a quote, each definition, a table. A
paragraph of prose pays all of that to become a <p>: in a cold build of
5,000 reports, block parsing was two fifths of Markdown's time.

Every match of those expressions contains a string that `in` finds faster
than the expression's search: "#" for a hash header, "\\n=" or "\\n-" for a
setext header, ">" for a quote, "]:" for a link definition. When the block
holds none of them, the test would say no (or the run would put the block
back and return False, having changed nothing), so `SkippingBlockParser`
goes on to the next processor without asking. Processors that can match are
asked as before, in the registry's order, so the tree is the same.

Safety rests on `RULES`, written for the exact class of each processor and
the exact source and flags of its expression: a subclass, a processor whose
instance overrides `test` or `run`, or an expression that differs is always
asked. Like markdown_inline.py, it is installed only on the pinned
Python-Markdown (3.11), whose processors the rules were written against.
"""
from __future__ import annotations

import re

import markdown
from markdown import blockparser, blockprocessors
from markdown.extensions import abbr, def_list, footnotes, tables

from .markdown_inline import SUPPORTED  # the pinned Python-Markdown, for both shortcuts

_M, _U = re.MULTILINE, re.UNICODE


class Rule:
    """A processor class whose `test` (or `run` returning False) cannot accept a block without
    one of `needs`, as long as its attribute `attribute` is the expression `source` with `flags`."""

    def __init__(self, needs: tuple[str, ...], attribute: str | None = None, source: str | None = None,
                 flags: int = 0):
        self.needs, self.attribute, self.source, self.flags = needs, attribute, source, flags

    def applies_to(self, processor) -> bool:
        if "test" in vars(processor) or "run" in vars(processor):
            return False
        if self.attribute is None:
            return True
        compiled = getattr(processor, self.attribute, None)
        return (isinstance(compiled, re.Pattern) and compiled.pattern == self.source
                and compiled.flags == self.flags | _U)


RULES: dict[type, Rule] = {
    blockprocessors.HashHeaderProcessor: Rule(
        ("#",), "RE", r'(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)'),
    # matched at the block's start: a first line, then a line of "=" or "-"
    blockprocessors.SetextHeaderProcessor: Rule(("\n=", "\n-"), "RE", r'^.*?\n(?:=+|-+)[ ]*(\n|$)', _M),
    # a line of three or more "-", "_" or "*"
    blockprocessors.HRProcessor: Rule(
        ("-", "_", "*"), "SEARCH_RE",
        r'^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$', _M),
    def_list.DefListProcessor: Rule((": ",), "RE", r'(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)'),
    blockprocessors.BlockQuoteProcessor: Rule((">",), "RE", r'(^|\n)[ ]{0,3}>[ ]?(.*)'),
    # The definitions: `test` accepts every block, `run` puts a block without one back.
    footnotes.FootnoteBlockProcessor: Rule(("[^",), "RE", r'^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$', _M),
    abbr.AbbrBlockprocessor: Rule(("*[",), "RE", r'^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$', _M),
    blockprocessors.ReferenceProcessor: Rule(
        ("]:",), "RE",
        r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$', _M),
    # A table's header row has at least two cells or a border: a "|" either way.
    tables.TableProcessor: Rule(("|",)),
}


def needs(processor) -> tuple[str, ...] | None:
    """Strings one of which a block must hold for `processor` to take it, or None: always ask."""
    rule = RULES.get(type(processor))
    return rule.needs if rule is not None and rule.applies_to(processor) else None


class SkippingBlockParser(blockparser.BlockParser):
    """A BlockParser that does not ask a processor about a block lacking what it needs."""

    def parseBlocks(self, parent, blocks: list[str]) -> None:
        known: dict[object, tuple[str, ...] | None] = {}  # processor -> what it needs, for this call
        while blocks:
            # The registry is read for every block, as Python-Markdown does: a processor may
            # register or remove others while it runs.
            for processor in self.blockprocessors:
                if processor not in known:
                    known[processor] = needs(processor)
                required = known[processor]
                if required is not None:
                    block = blocks[0]
                    for needed in required:
                        if needed in block:
                            break
                    else:
                        continue  # what test (or run) would say: not this block
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break


def supported() -> bool:
    return tuple(markdown.__version_info__[:2]) == SUPPORTED


def install(md: markdown.Markdown) -> bool:
    """Make md's block parser skip what cannot match; False (md left stock) if unsupported."""
    if not supported() or type(md.parser) is not blockparser.BlockParser:
        return False
    md.parser.__class__ = SkippingBlockParser
    return True
