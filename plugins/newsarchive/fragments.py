"""`{% cache key, … %}…{% endcache %}`: a piece of a page rendered once per build for each key.

An article's card is shown on every list page it belongs to: its language's
front pages, its category's, each of its tags' and regions', its year's and
month's, some eight pages in all, each rendering the same HTML again; the
navigation is the same on every page of a section, kind and depth.

The key is the tag's values, the first of them naming the piece (a card is
the same card in whichever template shows it); the page's language (every
date and interface string depends on it) and autoescaping are added to it.
Objects in a key other than strings and numbers are compared by identity:
an article, a section or a listing is the same one or another (a section
compares by value, and cannot be hashed). The cache is kept by the Jinja
environment, which Pelican makes anew for every build: nothing carries over
to the next build, where the articles are other objects. Jinja has no such
tag of its own; this is the fragment cache of Jinja's documentation on
extensions, keyed by values rather than by a name and a timeout.
"""
from __future__ import annotations

from jinja2 import Undefined, nodes
from jinja2.ext import Extension

from .i18n import page_lang


_VALUES = (str, int, float, bool, type(None))
# A variable the page does not have (an article page's `page_kind`) is a new Undefined each time.
_UNDEFINED = ("undefined",)


class _Same:
    """A key's object, equal only to itself; holding it keeps its id from being reused."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __hash__(self):
        return id(self.value)

    def __eq__(self, other):
        return isinstance(other, _Same) and other.value is self.value


class FragmentCache(Extension):
    tags = {"cache"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(fragments_rendered={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        values = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            values.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        key = nodes.Tuple(values, "load")
        call = self.call_method("_rendered", [key, nodes.ContextReference()])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _rendered(self, key, context, caller):
        rendered = self.environment.fragments_rendered
        key = (*(value if isinstance(value, _VALUES) else _UNDEFINED if isinstance(value, Undefined)
                 else _Same(value) for value in key),
               page_lang(context), context.eval_ctx.autoescape)
        found = rendered.get(key)
        if found is None:
            found = rendered[key] = caller()
        return found


def install_in_templates(generator):
    """generator_init: give the generator's templates the `cache` tag."""
    generator.env.add_extension(FragmentCache)
