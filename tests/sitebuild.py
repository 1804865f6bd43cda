"""Build a site from a content folder into an output folder, as `invoke build` does.

Tests use this to check what a real build writes.
"""
from __future__ import annotations

from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

PROJECT = Path(__file__).resolve().parent.parent


def site_settings(content: Path, output: Path, conf: str = "pelicanconf.py", **overrides):
    """Project settings from `conf`, pointed at `content` and `output`, with overrides."""
    settings_overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(Path(output).parent / (Path(output).name + "-cache")),
        "LOAD_CONTENT_CACHE": False,
        "THEME": str(PROJECT / "theme"),
        "PLUGIN_PATHS": [str(PROJECT / "plugins")],
        **overrides,
    }
    return read_settings(str(PROJECT / conf), override=settings_overrides)


def build_site(content: Path, output: Path, conf: str = "pelicanconf.py", **overrides) -> Path:
    """Run one full Pelican build and return the output folder."""
    Pelican(site_settings(Path(content), Path(output), conf, **overrides)).run()
    return Path(output)
