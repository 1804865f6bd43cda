"""One Markdown instance reads every file (markdown_reader.py) and gives what Pelican's reader gives.

Its inline processing skips the patterns that cannot match (markdown_inline.py): every document
here must come out byte for byte as stock Python-Markdown, with the site's configuration, gives it.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

import markdown
import pytest
from markdown import blockparser, blockprocessors, inlinepatterns, treeprocessors
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from newsarchive import markdown_blocks, markdown_inline
from newsarchive.benchmark import make_corpus
from newsarchive.markdown_reader import ReusedMarkdownReader
from sitebuild import PROJECT

# Each file leaves state in a Markdown instance that the next one must not see: footnotes
# with the same labels, an abbreviation, metadata, a summary written in Markdown.
FILES = {
    "footnotes.md": """Title: Сілтемелер
Date: 2024-01-28
Summary: Қысқаша *мазмұны* бар.
Tags: су, жол

Бірінші сөйлем[^1] және екінші[^note].

[^1]: Бірінші ескерту.
[^note]: Екінші ескерту.
""",
    "abbreviation.md": """Title: Қысқартулар
Date: 2024-02-01
Category: news

ЖОО туралы есеп.

*[ЖОО]: Жоғары оқу орны
""",
    "plain.md": """Title: Жай мәтін
Date: 2024-02-02

ЖОО туралы тағы бір есеп[^1].

| Аудан | Саны |
|-------|------|
| Арал  | 3    |

[^1]: Басқа ескерту.
""",
    "no-metadata.md": "Тек мәтін, тақырыпсыз.\n",
}


def test_files_read_one_after_another_come_out_as_pelicans_reader_reads_each(tmp_path):
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    paths = {}
    for name, text in FILES.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    reused = ReusedMarkdownReader(settings)
    order = ["footnotes.md", "abbreviation.md", "plain.md", "no-metadata.md", "footnotes.md", "plain.md"]
    for name in order:
        expected = MarkdownReader(settings).read(str(paths[name]))
        assert reused.read(str(paths[name])) == expected, name
    assert "ЖОО" in FILES["plain.md"] and "<abbr" not in reused.read(str(paths["plain.md"]))[0]


def test_the_instance_is_made_once(tmp_path):
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    reader = ReusedMarkdownReader(settings)
    path = tmp_path / "a.md"
    path.write_text(FILES["footnotes.md"], encoding="utf-8")
    reader.read(str(path))
    first = reader._md
    reader.read(str(path))
    assert reader._md is first


# ---- the inline fast path -------------------------------------------------------------------

# Every inline syntax, alone and mixed, with the site's extensions (extra, meta, smarty without
# quotes). Each text is one document; all of them joined make another.
EDGE_CASES = [
    "",
    "Plain text with no markup at all",
    "Жай мәтін, ешқандай белгісіз",
    "Кириллица: *курсив*, **жирный**, «кавычки» — тире -- и многоточие... [ссылка](/ru) `код`",
    "Code `a*b*c` and ``x ` y`` and `` `tick` `` and an unclosed ` tick and ```three``",
    "Backslash pairs \\\\`code` and \\\\\\`not code` and \\\\\\\\`code`",
    "Escaped \\*not em\\* and \\_ and \\\\ and \\` and \\[x] and \\< and \\& and \\z and \\- and \\.",
    "*em* **strong** ***both*** _em_ __strong__ ___both___ **nested *em* inside** *a **b** c*",
    "snake_case_word and 2*3*4 and * spaced * and ** and __init__ and *_a_* _*b*_ and **a*",
    "Unbalanced *em and **strong and [bracket and `tick and <tag and &amp",
    'A [link](http://example.com/a_b) and [*em link*](/x "Title *t*") and [link with `code`](/y)',
    "[ref link][r1] and [short ref] and [collapsed][] and [unknown][nope] and [r1]\n\n"
    '[r1]: http://example.com/r1 "R1"\n[short ref]: /short\n[collapsed]: /c',
    '![image](/img.png "T") and ![alt *em*][img] and ![img] and ![unknown][x]\n\n[img]: /i.jpg',
    "Nested brackets [a [b] c](/d) and [a](/b(c)d) and [x](<http://example.com/a b>) and [y](/y 'T')",
    "Combined: **[strong link](/s)** and *`code in em`* and [![img](/i.png)](/link) and **a `b*c` d**",
    "Footnote[^1] and another[^n] and missing[^x] and [^1] again.\n\n"
    "[^1]: One *em*.\n[^n]: Two with [link](/l) -- and...",
    "Footnote in emphasis *text[^1]* and in a link [text[^1]](/x)\n\n[^1]: note",
    "The HTML spec is kept by the W3C.\n\n"
    "*[HTML]: Hyper Text Markup Language\n*[W3C]:  World Wide Web Consortium",
    "Abbreviation in a link and in emphasis: *ЖОО* [ЖОО](/x)\n\n*[ЖОО]: Жоғары оқу орны",
    "Dashes -- en and --- em and ---- four and a-b single; ellipsis... and .... four and ...",
    "Smarty in code `a -- b ... c`, in a link [a -- b](/x--y...) "
    'and in html <span title="a -- b">x</span>',
    "Quotes 'single' and \"double\" stay (smart_quotes is off), it's the '80s",
    'Inline <span class="x">html *em*</span> and <b>bold</b> <!-- comment --> <?php x ?> '
    "<![CDATA[ x ]]> and a < b > c and <br/> and </i>",
    "Entities &amp; &copy; &#169; &#xA9; &notanentity and & alone and AT&T and &mdash;--",
    "An abbreviation that is also an entity's name: &copy; copy\n\n*[copy]: Copyright",
    "Line one  \nline two with a break\\\nand three  \n",
    "Hard break in em *a  \nb* and in a link [a  \nb](/c)",
    "Text ending with two spaces  ",
    "Autolink <http://example.com/a_b*c> and <https://example.com/?q=1&r=2> and mail "
    "<me@example.com> and <mailto:you@example.org> and <ftp://x--y...>",
    "An e-mail without brackets me@example.com, a URL http://example.com, a tag <me @example.com>",
    "Em across placeholders *a `b` c* and _a &amp; b_ and *a <b>x</b> c* and *a [l](/l) c*",
    "# Heading {: .title #id }\n\nParagraph with attributes\n{: .lead }\n\n"
    "[link](/x){: .btn } *em*{: .e }",
    "| a | *b* |\n|---|---|\n| `c|d` | [e](/f) -- g... |\n| &amp; | <i>h</i> |",
    "Term\n: Definition with *em* -- and [link](/d)",
    "```\nfenced *not em* <b> -- ...\n```",
    "    indented code *not em* -- ...",
    "> quote with **strong** and [link](/q)\n> > nested -- dash",
    "- item *one*\n- item `two`\n    - nested [three](/3)\n\n1. first...\n2. second --",
    '<div markdown="1">*inside* block html -- ok</div>',
    "<div>raw *block* -- html</div>\n\nAfter the *block*.",
    "Control characters \x02 and \x03 and \x02klzzwxh:0000\x03 in text *em*",
    "Title: With metadata\nSummary: A *summary*\n\nBody -- with... [x](/x)",
    "Long run ***** and ___ and `````` and \\\\\\\\ and [[[ ]]] and <<<>>> and &&& and --------",
    # Block syntax (markdown_blocks.py): each kind at a block's start, after a first line, and
    # near misses that only look like it.
    "## Тақырып ##\n\nMid-block header:\n### Third\nafter it\n\n#NoSpace and a # in text and C# and #7",
    "Setext one\n==========\n\nSetext two\n---\n\nNot setext\n= x\n\nNot either\n-- x\n\nLine\n\n=\n",
    "Rules:\n\n***\n\n- - -\n\n___\n\nText\n* * *\nmore\n\n--\n\n**\n\n_ _ _ _\n\na-b-c and x_y_z and 2*3*4",
    "Term one\nTerm two\n: First definition\n:   Second\n\nNot a definition: colon mid-line\n\n:no space",
    "> Quote\ncontinued\n\nText then\n> quote inside\n\n   > indented quote\n\na > b and -> arrow",
    "Before\n[^a]: Footnote defined mid-block\n\nUse[^a] and [^b]\n\n[^b]:\n    Indented footnote text",
    "*[HTML]: Hyper Text\nHTML in a block with a definition\n\n*[]: empty\n\n*[X]: \n\nX and HTML",
    "Text\n[id]: /url 'Title'\n[other]:\n  /two\n\n[id] and [other] and [no]: not a definition here",
    "a | b\n--|--\n1 | 2\n\n| one column |\n| --- |\n| x |\n\nno | table\nwithout separator\n\n|lonely",
    "1. one\n2. two\n\n* star\n+ plus\n- dash\n\n    code block # not header\n\n<div>\n# not a header\n</div>",
]


def site_markdown_settings() -> dict:
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    MarkdownReader(settings)  # adds the extension_configs keys to `extensions`, as a build does
    return settings["MARKDOWN"]


def stock_and_fast():
    config = site_markdown_settings()
    stock = markdown.Markdown(**config)
    fast = markdown.Markdown(**config)
    markdown_inline.install(fast)
    markdown_blocks.install(fast)
    return stock, fast


def test_the_pinned_markdown_gets_the_fast_path():
    # On another major.minor the reader stays stock (and correct). Before moving SUPPORTED, check
    # each expression of the new version against TRIGGERS: the keys are their exact sources.
    assert markdown_inline.supported(), markdown.__version__
    assert markdown_inline.install(markdown.Markdown(**site_markdown_settings()))
    assert markdown_blocks.supported(), markdown.__version__
    assert markdown_blocks.install(markdown.Markdown(**site_markdown_settings()))


def differences(documents, stock, fast) -> list:
    found = []
    for name, text in documents:
        stock.reset()
        fast.reset()
        expected, got = stock.convert(text), fast.convert(text)
        if got != expected or getattr(fast, "Meta", None) != getattr(stock, "Meta", None):
            found.append((name, expected, got))
    return found


def edge_documents():
    documents = [(f"edge {i}", text) for i, text in enumerate(EDGE_CASES)]
    return documents + [("all edges", "\n\n".join(EDGE_CASES))]


def test_the_fast_path_gives_stock_html_for_the_edge_cases():
    stock, fast = stock_and_fast()
    assert differences(edge_documents(), stock, fast) == []


def test_the_fast_path_gives_stock_html_for_the_sample_articles_and_seed_texts():
    paths = sorted((PROJECT / "content").rglob("*.md")) + sorted(
        path for path in (PROJECT / "tests" / "fixtures").rglob("*") if path.is_file())
    assert len(paths) > 10
    documents = [(str(path.relative_to(PROJECT)), path.read_text(encoding="utf-8")) for path in paths]
    stock, fast = stock_and_fast()
    assert differences(documents, stock, fast) == []


def test_the_fast_path_gives_stock_html_for_a_synthetic_corpus(tmp_path):
    corpus = make_corpus(tmp_path, 120)
    documents = [(path.name, path.read_text(encoding="utf-8")) for path in corpus.files]
    stock, fast = stock_and_fast()
    assert differences(documents, stock, fast) == []


@pytest.mark.parametrize("source", sorted(markdown_inline.TRIGGERS))
def test_a_wrong_trigger_is_caught_by_the_edge_cases(source, monkeypatch):
    # Each entry of the table is exercised: claiming a pattern needs a character no text has
    # must change some document's HTML.
    if not markdown_inline.supported():
        pytest.skip("stock Python-Markdown on both sides")
    monkeypatch.setitem(markdown_inline.TRIGGERS, source, ("\x00",))
    stock, fast = stock_and_fast()
    assert differences(edge_documents(), stock, fast)


def test_every_inline_pattern_of_the_site_has_triggers():
    # Otherwise the pattern is tried on every text, as stock Python-Markdown does: still correct,
    # slower. A Markdown upgrade that changes an expression shows up here.
    _, fast = stock_and_fast()
    inline = [p for p in fast.treeprocessors if isinstance(p, markdown_inline.SkippingInlineProcessor)]
    assert len(inline) == 2  # Markdown's own and smarty's
    for processor in inline:
        for pattern in processor.inlinePatterns:
            assert markdown_inline.triggers(pattern) is not None, pattern


def test_an_unknown_pattern_is_always_tried():
    class Percent(inlinepatterns.InlineProcessor):
        def handleMatch(self, m, data):
            return "[percent]", m.start(0), m.end(0)

    stock, fast = stock_and_fast()
    for md in (stock, fast):
        md.inlinePatterns.register(Percent(r"%%"), "percent", 95)
    assert markdown_inline.triggers(fast.inlinePatterns["percent"]) is None
    # A known expression compiled with other flags is unknown too.
    verbose = inlinepatterns.SubstituteTagInlineProcessor(r"  \n", "br")
    verbose.compiled_re = re.compile(r"  \n", re.DOTALL | re.UNICODE | re.VERBOSE)
    assert markdown_inline.triggers(verbose) is None
    documents = [("percent", "a %% b *c %% d* [e %% f](/g)")]
    assert differences(documents, stock, fast) == []
    fast.reset()
    assert "[percent]" in fast.convert(documents[0][1])


def test_another_markdown_version_keeps_the_stock_processors(monkeypatch):
    monkeypatch.setattr(markdown_inline, "SUPPORTED", (0, 0))
    md = markdown.Markdown(**site_markdown_settings())
    assert markdown_inline.install(md) is False
    assert {type(p) for p in md.treeprocessors} >= {treeprocessors.InlineProcessor}
    assert not any(isinstance(p, markdown_inline.SkippingInlineProcessor) for p in md.treeprocessors)


def test_the_reader_uses_the_fast_path(tmp_path):
    reader = ReusedMarkdownReader(read_settings(str(PROJECT / "pelicanconf.py")))
    path = tmp_path / "a.md"
    path.write_text(FILES["footnotes.md"], encoding="utf-8")
    reader.read(str(path))
    assert isinstance(reader._md.treeprocessors["inline"], markdown_inline.SkippingInlineProcessor)
    assert isinstance(reader._md.treeprocessors["smarty"], markdown_inline.SkippingInlineProcessor)


# ---- the block fast path --------------------------------------------------------------------

@pytest.mark.parametrize("processor_class", sorted(markdown_blocks.RULES, key=lambda cls: cls.__name__),
                         ids=lambda cls: cls.__name__)
def test_a_wrong_block_rule_is_caught_by_the_edge_cases(processor_class, monkeypatch):
    # Claiming a processor needs a character no block has must change some document's tree.
    if not markdown_blocks.supported():
        pytest.skip("stock Python-Markdown on both sides")
    monkeypatch.setattr(markdown_blocks.RULES[processor_class], "needs", ("\x00",))
    stock, fast = stock_and_fast()
    assert differences(edge_documents(), stock, fast)


def test_every_block_rule_applies_to_the_site_processors():
    # A Markdown upgrade that changes an expression shows up here: its processor is then asked
    # about every block, as stock Python-Markdown does (still correct, slower).
    _, fast = stock_and_fast()
    assert isinstance(fast.parser, markdown_blocks.SkippingBlockParser)
    ruled = [p for p in fast.parser.blockprocessors if type(p) in markdown_blocks.RULES]
    assert {type(p) for p in ruled} == set(markdown_blocks.RULES)
    for processor in ruled:
        assert markdown_blocks.needs(processor) is not None, processor


def test_an_unknown_or_changed_block_processor_is_always_asked():
    class Bang(blockprocessors.BlockProcessor):
        def test(self, parent, block):
            return block.startswith("!!")

        def run(self, parent, blocks):
            blocks.pop(0)
            parent.append(ElementTree.Element("hr"))

    class OwnQuote(blockprocessors.BlockQuoteProcessor):
        RE = re.compile(r"(^|\n)[ ]{0,3}%[ ]?(.*)")  # quotes marked with "%"

    stock, fast = stock_and_fast()
    for md in (stock, fast):
        md.parser.blockprocessors.register(Bang(md.parser), "bang", 200)
        md.parser.blockprocessors.register(OwnQuote(md.parser), "quote", 20)
    assert markdown_blocks.needs(fast.parser.blockprocessors["bang"]) is None
    assert markdown_blocks.needs(fast.parser.blockprocessors["quote"]) is None
    # A stock class whose instance has another expression is unknown too.
    header = blockprocessors.HashHeaderProcessor(fast.parser)
    header.RE = re.compile(r"(?:^|\n)(?P<level>=)(?P<header>.*)")
    assert markdown_blocks.needs(header) is None
    documents = [("unknown", "!!\n\n% quoted with a percent sign\n\n> not a quote now")]
    assert differences(documents, stock, fast) == []
    fast.reset()
    assert "<blockquote>" in fast.convert(documents[0][1])


def test_another_markdown_version_keeps_the_stock_block_parser(monkeypatch):
    monkeypatch.setattr(markdown_blocks, "SUPPORTED", (0, 0))
    md = markdown.Markdown(**site_markdown_settings())
    assert markdown_blocks.install(md) is False
    assert type(md.parser) is blockparser.BlockParser


def test_the_reader_uses_the_block_fast_path(tmp_path):
    reader = ReusedMarkdownReader(read_settings(str(PROJECT / "pelicanconf.py")))
    path = tmp_path / "a.md"
    path.write_text(FILES["footnotes.md"], encoding="utf-8")
    reader.read(str(path))
    assert isinstance(reader._md.parser, markdown_blocks.SkippingBlockParser)
