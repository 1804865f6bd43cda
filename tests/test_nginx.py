"""The shipped nginx configuration serves a published build: types, encodings, cache headers, 404."""
from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import brotli
import pytest

from newsarchive.postprocess import prepare_for_web
from sitebuild import PROJECT, build_site

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory):
    if not os.path.exists(NGINX) or not os.path.exists(BROTLI_MODULE):
        message = "needs Debian's nginx and libnginx-mod-http-brotli-static"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = build_site(PROJECT / "content", work / "site", conf="publishconf.py",
                      SITEURL=f"http://127.0.0.1:{port}")
    prepare_for_web(site)
    shipped = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    server = re.sub(r"listen \[::\]:80;\n", "", shipped)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = re.sub(r"root [^;]+;", f"root {site};", server)
    (work / "site.conf").write_text(server, encoding="utf-8")
    (work / "logs").mkdir()
    # Workers run as root only here, where the test's temporary folders are private to root.
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(f"""
{user}
load_module {BROTLI_MODULE};
pid {work}/nginx.pid;
error_log {work}/logs/error.log;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}
""", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {process.stderr.read()}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", site
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def fetch(url: str, encoding: str = "gzip"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_page_is_served_gzipped_from_the_precompressed_copy(nginx_site):
    base, site = nginx_site
    status, headers, body = fetch(base + "/kk/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "no-cache"
    assert gzip.decompress(body) == (site / "kk" / "index.html").read_bytes()


def test_page_is_served_with_brotli_when_the_reader_accepts_it(nginx_site):
    base, site = nginx_site
    status, headers, body = fetch(base + "/ru/", encoding="br")
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == (site / "ru" / "index.html").read_bytes()


def test_fingerprinted_stylesheet_is_cached_for_a_year(nginx_site):
    base, site = nginx_site
    html = (site / "kk" / "index.html").read_text(encoding="utf-8")
    stylesheet = re.search(r'href="[^"]*/(theme/css/site\.[0-9a-f]{10}\.css)"', html).group(1)
    assert not (site / "theme" / "css" / "site.css").exists()
    status, headers, _ = fetch(f"{base}/{stylesheet}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]


def test_root_serves_the_language_chooser(nginx_site):
    base, _ = nginx_site
    status, headers, body = fetch(base + "/", encoding="identity")
    assert status == 200 and b'class="chooser"' in body


def test_missing_page_gets_the_custom_404(nginx_site):
    base, site = nginx_site
    status, headers, body = fetch(base + "/kk/no-such-report/", encoding="identity")
    assert status == 404
    assert body == (site / "404.html").read_bytes()


@pytest.mark.parametrize("suffix, content_type", [
    (".atom.xml", "application/atom+xml; charset=utf-8"),
    (".rss.xml", "application/rss+xml; charset=utf-8"),
    (".ics", "text/calendar; charset=utf-8"),
    ("sitemap.xml", "application/xml; charset=utf-8"),
])
def test_feeds_calendars_and_sitemap_get_their_types(nginx_site, suffix, content_type):
    base, site = nginx_site
    written = sorted(path for path in site.rglob("*") if path.is_file() and path.name.endswith(suffix))
    assert written, f"the build wrote no {suffix} file"
    url = base + "/" + written[0].relative_to(site).as_posix()
    status, headers, _ = fetch(url)
    assert status == 200
    assert headers["Content-Type"] == content_type
