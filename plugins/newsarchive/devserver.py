"""`invoke serve`: preview on 127.0.0.1 that rebuilds on save and refreshes the open page.

Pelican's own `--autoreload --listen` rebuilds but never tells the browser,
and a failed rebuild only shows in the terminal. Here every HTML page gets a
tiny script that listens to a server-sent event stream: a finished build
reloads the page, a failed one shows the error on the page, and the server
keeps running either way. Each build runs Pelican in a fresh process, so
edited templates, settings and plugins are always picked up.
"""
from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from watchfiles import watch

EVENTS_PATH = "/__livereload"
SCRIPT_PATH = "/__livereload.js"

# Plain JS, no dependencies: reconnects by itself (EventSource does), reloads on
# a new build, shows a failed build's message over the page.
CLIENT_SCRIPT = """
(function () {
  var shown = null;
  var source = new EventSource("%(events)s");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (event) {
    var data = JSON.parse(event.data);
    if (!shown) {
      shown = document.createElement("pre");
      shown.id = "build-error";
      shown.setAttribute("role", "alert");
      shown.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;" +
        "padding:1rem;background:#7f1d1d;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;z-index:99999";
      document.body.appendChild(shown);
    }
    shown.textContent = "Build failed — fix the file and save again.\\n\\n" + data.message;
  });
})();
""" % {"events": EVENTS_PATH}


class BuildState:
    """The latest build's number and error, shared by the watcher and the page streams."""

    def __init__(self):
        self.changed = threading.Condition()
        self.number = 0
        self.error: str | None = None

    def finished(self, error: str | None):
        with self.changed:
            self.number += 1
            self.error = error
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number != seen, timeout=timeout)
            return self.number


class LiveReloadHandler(http.server.SimpleHTTPRequestHandler):
    state: BuildState  # set on the partial class by make_server

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            return self._stream_builds()
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", CLIENT_SCRIPT.encode())
        file_path = Path(self.translate_path(path))
        if file_path.is_dir():
            file_path = file_path / "index.html"
        if file_path.suffix == ".html" and file_path.is_file():
            return self._send_html(file_path)
        return super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _send_html(self, file_path: Path):
        if not self.path.split("?", 1)[0].endswith(("/", ".html")):
            # A folder without its slash: redirect as the static server would.
            return super().do_GET()
        html = file_path.read_bytes()
        tag = f'<script src="{SCRIPT_PATH}"></script>'.encode()
        html = html.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in html else html + tag
        self._send(200, "text/html; charset=utf-8", html)

    def _stream_builds(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.state.number
        try:
            if self.state.error:
                self._event("failed", {"message": self.state.error})
            while True:
                number = self.state.wait_for_change(seen, timeout=15)
                if number == seen:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                seen = number
                if self.state.error:
                    self._event("failed", {"message": self.state.error})
                else:
                    self._event("reload", {"build": number})
        except (BrokenPipeError, ConnectionResetError):
            return

    def _event(self, name: str, data: dict):
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


def build_once(command: list[str], cwd: Path) -> str | None:
    """Run one build; return its error output, or None when it succeeded."""
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode == 0:
        print(f"Built in {time.monotonic() - started:.1f} s", flush=True)
        return None
    print(output, file=sys.stderr, flush=True)
    print("Build failed; the server keeps running. Fix the file and save again.", file=sys.stderr, flush=True)
    return output or f"the build exited with status {result.returncode}"


def serve(command: list[str], cwd: Path, output: Path, watched: list[Path], port: int):
    """Build, serve `output` on 127.0.0.1:port, and rebuild whenever a watched path changes."""
    state = BuildState()
    state.finished(build_once(command, cwd))
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(type("Handler", (LiveReloadHandler,), {"state": state}), directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving on http://127.0.0.1:{server.server_address[1]}/ — saving an article or template "
          "rebuilds and refreshes the page (Ctrl-C to stop)", flush=True)
    try:
        for changes in watch(*[str(path) for path in watched if path.exists()]):
            names = ", ".join(sorted({Path(name).name for _, name in changes}))
            print(f"Changed: {names}; rebuilding…", flush=True)
            state.finished(build_once(command, cwd))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
