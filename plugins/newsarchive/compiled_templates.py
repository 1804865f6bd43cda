"""The theme's templates compiled once, not by every generator of every build (Jinja2's bytecode cache).

Pelican gives each generator its own Jinja2 environment, and each environment
compiles the templates it uses from their source: base.html and its includes
once per generator (articles, views, feeds, events, search), in both processes
of a split writing phase, on every build. Jinja2's FileSystemBytecodeCache
keeps the compiled code in CACHE_PATH; a template is looked up by its name and
file, and its code is used only when a checksum of its source and Jinja2's and
Python's versions match, so an edited template is compiled again. It writes
each file under a temporary name and renames it, so two processes of one
build can share it.
"""
from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache

FOLDER = "jinja2-bytecode"


def install(generator) -> None:
    """generator_init: the generator's environment keeps and finds compiled templates in CACHE_PATH."""
    environment = getattr(generator, "env", None)
    if environment is None:
        return
    folder = os.path.join(generator.settings["CACHE_PATH"], FOLDER)
    os.makedirs(folder, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(folder)
