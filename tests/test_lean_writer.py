"""Pelican's writer without its repeated work (lean_writer.py): the same paths, no folder made twice."""
from __future__ import annotations

import itertools
import os
from types import SimpleNamespace

import pelican.utils
import pelican.writers

from newsarchive import incremental, lean_writer, parallel
from newsarchive.benchmark import make_corpus
from newsarchive.lean_writer import relative_path_to_root
from newsarchive.runner import build
from sitebuild import PROJECT

SETTINGS = {"SEARCH_INDEX": False, "EVENTS_TODAY": "2020-06-01", "FEED_DOMAIN": "http://127.0.0.1:8000"}


def test_the_way_to_the_root_is_pelicans_for_every_shape_of_path():
    pieces = ["", "/", "//", "a", "kk", ".", "..", "index.html", "жаңалықтар", "a b"]
    paths = {"".join(parts) for length in range(6) for parts in itertools.product(pieces, repeat=length)}
    paths |= {"kk/tags/x/index.html", "/kk/2024/03/slug/index.html", "kk//tags/", "./index.html", "feeds/kk.atom.xml"}
    differing = [path for path in sorted(paths) if relative_path_to_root(path) != pelican.utils.get_relative_path(path)]
    assert differing == []


def test_a_rebuild_makes_no_folder_for_the_pages_it_keeps(tmp_path, monkeypatch):
    corpus = make_corpus(tmp_path / "content", 12, seed=3)
    output = tmp_path / "output"
    settings = {**SETTINGS, "CACHE_PATH": str(tmp_path / "cache"), "THEME": str(PROJECT / "theme")}
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    monkeypatch.setattr(parallel, "can_fork", lambda items: False)  # every page seen in this process
    made = []
    real_makedirs = os.makedirs
    monkeypatch.setattr(os, "makedirs", lambda name, *args, **kwargs: (made.append(name),
                                                                         real_makedirs(name, *args, **kwargs)))
    edited = sorted(corpus.files)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nЖаңа сөйлем.\n", encoding="utf-8")
    build(PROJECT / "pelicanconf.py", corpus.folder, output, **settings)
    assert pelican.writers.get_relative_path is relative_path_to_root  # installed with the plugin
    kept = incremental.BUILD.reused
    page_folders = [name for name in made if name.startswith(str(output))]
    assert kept > 50
    # Only the pages rendered again (a handful after one edit) ask for their folder.
    assert len(page_folders) <= incremental.BUILD.rendered


def test_a_later_writer_in_the_process_makes_the_folders_a_finished_build_kept(tmp_path, monkeypatch):
    """The folders a build found made are its own: once it is done, a writer makes them again."""
    monkeypatch.setattr(incremental.BUILD, "existing_folders", {str(tmp_path / "gone")})
    incremental.finish(SimpleNamespace(settings={}))
    lean_writer._WriterOs().makedirs(str(tmp_path / "gone"), exist_ok=True)
    assert (tmp_path / "gone").is_dir()
