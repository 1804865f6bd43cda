"""Python-Markdown's inline processing, without trying patterns that cannot match.

Most of the time Python-Markdown spends on a news report goes to its inline
treeprocessor (`markdown.treeprocessors.InlineProcessor`). For every text of
the tree it tries every inline pattern in turn (backticks, escapes,
footnotes, five kinds of links and images, autolinks, e-mail links, line
breaks, HTML, entities, emphasis; then smarty's dashes and ellipses in a
second instance of the processor), and each try costs Python work before
the pattern's regular expression even runs: the registry is sorted again,
the pattern's ancestor exclusions are checked, its expression is searched
through the whole text. A paragraph of plain prose pays all of that about
twenty times to come out as it went in: that was about half of the time
Markdown took in a cold 5,000-article build.

Every match of each of the site's patterns contains some text that can be
looked for with `in`: a match of the backtick pattern contains "`", one of
the emphasis pattern "*" or "_", one of the en-dash pattern "--". When the
text holds none of them, the expression cannot match, so Python-Markdown's
`__applyPattern` would return the text unchanged, "no match", and start
the next pattern at index 0, having called nothing else (a pattern's
`handleMatch` only runs on a match). `SkippingInlineProcessor` does exactly
that without calling it. The test runs on the text as it is at that
moment, placeholders of earlier patterns included, for the texts of nested
elements (which start at the next pattern) as for the rest. Patterns that
do match run as they always did, so the HTML is the same, byte for byte.

Safety rests on `TRIGGERS`, written for the exact source of each
expression (not for a pattern's name or class): a pattern whose expression
is not in the table, or is compiled with other flags, or whose class finds
its matches by other means (an old-style `Pattern`, an overridden
`getCompiledRegExp`) is always tried. A registry is read once per run of the
processor rather than sorted again for every try.

`install` refuses a Python-Markdown whose major.minor is not the pinned
one's (3.11): the processor overrides name-mangled private methods of that
version, and another version's could work differently.
"""
from __future__ import annotations

import re

import markdown
from markdown import inlinepatterns, treeprocessors, util

SUPPORTED = (3, 11)

# Each expression's source, exactly as Python-Markdown 3.11 (or smarty, footnotes) compiles it,
# and strings of which every match of it contains at least one.
TRIGGERS: dict[str, tuple[str, ...]] = {
    # backtick: a run of backslash pairs only when a "`" follows it (lookahead), else a "`".
    r'(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)': ("`",),
    # escape
    r'\\(.)': ("\\",),
    # footnote (footnotes extension, in `extendMarkdown`)
    r'\[\^([^\]]*)\]': ("[^",),
    # reference, link, short_reference
    r'(?<!\!)\[': ("[",),
    # image_link, image_reference, short_image_ref
    r'\!\[': ("![",),
    # autolink
    r'<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>': ("://",),
    # automail
    r'<([^<> !]+@[^@<> ]+)>': ("@",),
    # linebreak
    r'  \n': ("  \n",),
    # html: a tag, comment, processing instruction or CDATA section, each opened by "<".
    (r'''(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|'''
     r'!--(?:(?!<!--|-->).)*--|'
     r'[?](?:(?!<[?]|[?]>).)*[?]|'
     r'!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\]'
     ')>)'): ("<",),
    # entity
    r'(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)': ("&",),
    # em_strong: the expression DelimiterProcessor compiles from its tokens "*" and "_".
    r'\*|_': ("*", "_"),
    # smarty's em dashes, en dashes and ellipses
    r'(?<!-)---(?!-)': ("---",),
    r'(?<!-)--(?!-)': ("--",),
    r'(?<!\.)\.{3}(?!\.)': ("...",),
}

# The flags `inlinepatterns.InlineProcessor.__init__` compiles with; VERBOSE, say, would change
# what an expression's spaces mean.
_FLAGS = re.compile("", re.DOTALL | re.UNICODE).flags


def triggers(pattern) -> tuple[str, ...] | None:
    """What a text must contain for `pattern` to match in it, or None: always try it."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    if (type(pattern).getCompiledRegExp is not inlinepatterns.Pattern.getCompiledRegExp
            or "getCompiledRegExp" in vars(pattern)):
        return None
    compiled = getattr(pattern, "compiled_re", None)
    if not isinstance(compiled, re.Pattern) or compiled.flags != _FLAGS:
        return None
    return TRIGGERS.get(compiled.pattern)


class SkippingInlineProcessor(treeprocessors.InlineProcessor):
    """An InlineProcessor whose `__handleInline` passes over patterns that cannot match the text."""

    _plan: list[tuple[object, tuple[str, ...] | None]] | None = None  # (pattern, triggers), in order

    def _make_plan(self) -> list:
        self._plan = [(pattern, triggers(pattern)) for pattern in self.inlinePatterns]
        return self._plan

    def run(self, tree, ancestors=None):
        # Read again for each document: an extension may register a pattern between two.
        self._make_plan()
        return super().run(tree, ancestors)

    # Python-Markdown 3.11's loop, named as the base class's private method so that its own
    # callers (`run`, and `__applyPattern` for the texts of a matched element) call this one;
    # `install` makes sure the base class still has that method.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        plan = self._plan or self._make_plan()
        apply = self._InlineProcessor__applyPattern
        startIndex = 0
        count = len(plan)
        while patternIndex < count:
            pattern, needs = plan[patternIndex]
            if needs is not None:
                for needed in needs:
                    if needed in data:
                        break
                else:
                    # What __applyPattern returns when its expression finds nothing.
                    patternIndex += 1
                    startIndex = 0
                    continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


def supported() -> bool:
    return (tuple(markdown.__version_info__[:2]) == SUPPORTED
            and hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__handleInline")
            and hasattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern"))


def install(md: markdown.Markdown) -> bool:
    """Make md's inline treeprocessors skip what cannot match; False (md left stock) if unsupported."""
    if not supported():
        return False
    for processor in md.treeprocessors:
        # Only the stock class: a subclass may have reasons of its own to try every pattern.
        # Changing the class keeps the instance, its place in the registry and the patterns it
        # was given (smarty gives its instance a registry of its own).
        if type(processor) is treeprocessors.InlineProcessor:
            processor.__class__ = SkippingInlineProcessor
    return True
