"""`invoke serve`: saving an article refreshes the open page; a broken article shows its error."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

from sitebuild import PROJECT

ARTICLE = "2020/2020-01-20-trening-dlia-trenerov.ru.md"
PAGE = "ru/2020/01/trening-dlia-trenerov/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"invoke serve exited early: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("invoke serve did not start listening")


@pytest.fixture
def live_server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port), "--content", str(content),
         "--output", str(tmp_path / "output")],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}/", content / "articles"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_saving_an_article_refreshes_the_open_page(browser, live_server):
    url, articles = live_server
    tab = browser.new_page()
    tab.goto(url + PAGE)
    assert tab.locator("h1").inner_text() == "Тренинг для тренеров"
    article = articles / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Title: Тренинг для тренеров", "Title: Тренинг для тренеров (обновлено)"), encoding="utf-8")
    tab.wait_for_function(
        "document.querySelector('h1') && document.querySelector('h1').textContent.includes('обновлено')",
        timeout=60_000)
    tab.close()


def test_a_broken_article_shows_its_error_on_the_page_and_the_server_keeps_running(browser, live_server):
    url, articles = live_server
    tab = browser.new_page()
    tab.goto(url + PAGE)
    article = articles / ARTICLE
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("Regions: KG-J, KG-Y", "Regions: KG-J, KG-ZZ"), encoding="utf-8")
    error = tab.locator("#build-error")
    error.wait_for(timeout=60_000)
    assert "KG-ZZ" in error.inner_text() and "trening-dlia-trenerov.ru.md" in error.inner_text()
    article.write_text(good.replace("Title: Тренинг для тренеров", "Title: Тренинг исправлен"), encoding="utf-8")
    tab.wait_for_function("document.querySelector('h1').textContent === 'Тренинг исправлен'", timeout=60_000)
    assert tab.locator("#build-error").count() == 0
    tab.close()
