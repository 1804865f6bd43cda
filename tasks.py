"""Editor and developer commands: `invoke --list` shows them all."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task

PROJECT = Path(__file__).resolve().parent
sys.path.insert(0, str(PROJECT / "plugins"))

DEV_SETTINGS = PROJECT / "pelicanconf.py"
PUBLISH_SETTINGS = PROJECT / "publishconf.py"
CHROMIUM = "/usr/bin/chromium"

from newsarchive.importer.cli import HELP as IMPORT_HELP  # noqa: E402


@task(help={"content": "content folder (default content/)", "output": "output folder (default output/)"})
def build(c, content=None, output=None):
    """Build the archive with the development settings, showing progress and a summary."""
    from newsarchive.runner import run_build

    status = run_build(DEV_SETTINGS, Path(content or PROJECT / "content"), Path(output or PROJECT / "output"),
                       BUILD_PROGRESS=True)
    if status:
        sys.exit(status)
    print("Open it with: invoke serve   (then visit http://127.0.0.1:8000/)")


@task(help={"content": "content folder (default content/)", "settings": "settings file (default pelicanconf.py)"})
def check(c, content=None, settings=None):
    """Check every article as a build would, writing nothing: one line per problem, then a count."""
    from newsarchive.validate import check_site

    if check_site(Path(settings or DEV_SETTINGS).resolve(), content=content or PROJECT / "content"):
        sys.exit(1)


@task(help={"root": "publish root holding releases/ and the `current` link (default PUBLISH_ROOT)",
            "keep": "releases to keep for rollback (default PUBLISH_KEEP)",
            "content": "content folder (default content/)", "settings": "settings file (default publishconf.py)"})
def publish(c, root=None, keep=None, content=None, settings=None):
    """Build with the production settings into a new release, then switch `current` to it in one rename."""
    from newsarchive.publishing import run_publish

    sys.exit(run_publish(Path(settings or PUBLISH_SETTINGS).resolve(), Path(content or PROJECT / "content"),
                         root=root, keep=keep, BUILD_PROGRESS=True))


@task(help={"root": "publish root (default PUBLISH_ROOT)", "to": "release name to switch to (default: the previous)",
            "settings": "settings file (default publishconf.py)"})
def rollback(c, root=None, to=None, settings=None):
    """Switch the published site back to the previous release (or to --to NAME)."""
    from newsarchive.publishing import run_rollback

    sys.exit(run_rollback(Path(settings or PUBLISH_SETTINGS).resolve(), root=root, to=to))


@task(help={"port": "port on 127.0.0.1 (default 8000)", "content": "content folder (default content/)",
            "output": "output folder (default output/)"})
def serve(c, port=8000, content=None, output=None):
    """Build and serve on 127.0.0.1; saving an article or template rebuilds and refreshes the page."""
    from newsarchive.devserver import serve as serve_live

    content = Path(content or PROJECT / "content").resolve()
    output = Path(output or PROJECT / "output").resolve()
    # Each rebuild is a fresh `invoke build`, so edited templates, settings and plugins are picked up.
    command = [sys.executable, "-m", "invoke", "build", "--content", str(content), "--output", str(output)]
    watched = [content, PROJECT / "theme", PROJECT / "plugins", DEV_SETTINGS]
    serve_live(command, PROJECT, output, watched, int(port))


@task
def translations(c):
    """Extract interface strings to messages.pot and merge them into every language's catalog."""
    folder = PROJECT / "theme" / "translations"
    pot = folder / "messages.pot"
    c.run(f"pybabel extract -F {folder / 'babel.cfg'} -o {pot} --no-location --omit-header {PROJECT}",
          env={"PYTHONPATH": str(PROJECT / "plugins")})  # the templates' cache tag (babel.cfg)
    c.run(f"pybabel update -i {pot} -d {folder} --no-fuzzy-matching --ignore-obsolete")


@task(help=IMPORT_HELP, name="import")
def import_(c, paths, dest="content/articles", lang="auto", date=None, json=False):
    """Turn scraped text or saved HTML pages into Markdown articles for review (comma-separate paths)."""
    from newsarchive.importer.cli import import_files

    status = import_files(paths.split(","), dest=dest, lang=lang, date=date, as_json=json)
    if status:
        sys.exit(status)


@task(help={"lang": "kk, ky, ru or en", "title": "the headline", "category": "news, event-report, …",
            "regions": "ISO 3166-2 codes, comma-separated (KZ-55,KZ-35)",
            "translation_of": "path of the article this one translates",
            "content": "content folder (default content/)"})
def new(c, lang, title, category=None, regions=None, translation_of=None, content=str(PROJECT / "content")):
    """Write a new article file with its header filled in and print its path."""
    from newsarchive.scaffold import ScaffoldError, new_article

    try:
        path = new_article(Path(content), lang, title, category=category, regions=regions,
                           translation_of=Path(translation_of) if translation_of else None)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print(path)


@task(help={"articles": "article files in the synthetic corpus (default 5000)",
            "languages": "comma-separated language codes (default kk,ky,ru,en)",
            "no_stock": "skip the stock Pelican build (quicker)",
            "no_search": "skip the Pagefind phases",
            "keep": "build in this folder and keep it (default: a temporary folder, removed)"})
def bench(c, articles=5000, languages="kk,ky,ru,en", no_stock=False, no_search=False, keep=None):
    """Time cold, no-change, one-edit and one-added-article builds of a synthetic corpus, next to stock Pelican."""
    from newsarchive.benchmark import bench as run_bench
    from newsarchive.benchmark import report

    results = run_bench(int(articles), tuple(languages.split(",")), stock=not no_stock, search=not no_search,
                        keep=Path(keep) if keep else None)
    print(report(results, int(articles)))
    if any(phase.status for phases in results.values() for phase in phases):
        sys.exit(1)


@task(help={"dest": "folder for the PNG files (default screenshots/)"})
def screenshots(c, dest=str(PROJECT / "screenshots")):
    """Build the sample and take a screenshot of every page kind at 360 and 1280 px."""
    from newsarchive.runner import run_build
    from newsarchive.screenshots import take_screenshots

    output = PROJECT / "output"
    if run_build(DEV_SETTINGS, PROJECT / "content", output):
        sys.exit(1)
    for path in take_screenshots(output, Path(dest)):
        print(path)


# Debian packages the tests drive: the browser, and nginx with the Brotli module for the deploy test.
TEST_SYSTEM_PACKAGES = {
    "chromium": CHROMIUM,
    "nginx-light": "/usr/sbin/nginx",
    "libnginx-mod-http-brotli-static": "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
    "default-jre-headless": "/usr/bin/java",  # the Nu Html Checker (vnu.jar) in tests/test_html_validity.py
}


def _ensure_system_packages():
    """Install the Debian packages the tests need when they are missing and we may."""
    missing = [package for package, path in TEST_SYSTEM_PACKAGES.items() if not os.path.exists(path)]
    if not missing:
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        # CI has no terminal: never let a package's configuration stop to ask a question.
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=environment)
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *missing], check=True, env=environment)
    else:
        print(f"Missing Debian packages {', '.join(missing)} and no root to install them: "
              "the browser and nginx tests will be skipped (or fail under CI).", file=sys.stderr)


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """Run the whole test suite (installs Chromium and nginx for the browser and deploy tests if needed)."""
    _ensure_system_packages()
    result = subprocess.run([sys.executable, "-m", "pytest", *args.split()], cwd=PROJECT)
    sys.exit(result.returncode)
