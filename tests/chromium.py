"""Helpers for the tests that look at the course in a real browser: the site, the slides, the student release.

Chromium is the first of chromium, google-chrome, chromium-browser on PATH (or COURSEKIT_BROWSER); Playwright's
own browser download is never used. Without one the tests are skipped, except under CI=true, where a missing
browser is a failure. Every server and browser started here runs in temporary folders and is stopped.
"""
import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
BROWSERS = ("chromium", "google-chrome", "chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
JUPYTER_FOLDERS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR")


def find_browser():
    if os.environ.get("COURSEKIT_BROWSER"):
        return shutil.which(os.environ["COURSEKIT_BROWSER"])
    return next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)


def browser_or_skip():
    """The browser's path; skips (or fails under CI=true) without a browser or the playwright package."""
    path = find_browser()
    problem = None if path else f"no Chromium on PATH (looked for {', '.join(BROWSERS)})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = problem or "the playwright package is missing"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; CI=true needs the browser tests to run")
        pytest.skip(problem)
    return path


@contextlib.contextmanager
def chromium(path):
    """A headless Chromium (Playwright), its HOME in a temporary folder; closed on the way out."""
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="coursekit-chromium-")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
               XDG_CACHE_HOME=os.path.join(home, "cache"))
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS, env=env, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        shutil.rmtree(home, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def static_server(folder):
    """Serve `folder` on 127.0.0.1 (a free port) from a thread; yields the base URL; shut down on the way out."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class PageWatch:
    """What a page asked for and complained about: requests to other hosts, failed requests, console errors."""

    def __init__(self, page, base):
        self.origin = urllib.parse.urlsplit(base).netloc
        self.foreign, self.failed, self.errors = [], [], []
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _request(self, request):
        parts = urllib.parse.urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.origin:
            self.foreign.append(request.url)

    def problems(self):
        return ([f"request to another host: {url}" for url in self.foreign] +
                [f"failed request: {item}" for item in self.failed] +
                [f"console error: {text}" for text in self.errors])


@contextlib.contextmanager
def jupyterlab(root, expose_app=False, settings=None):
    """A fresh JupyterLab serving `root` on a free 127.0.0.1 port, its Jupyter, IPython and matplotlib folders
    and its settings in a temporary folder, no token; yields the base URL; always stopped."""
    home = tempfile.mkdtemp(prefix="coursekit-lab-")
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", PYTHONUNBUFFERED="1")
    for variable in JUPYTER_FOLDERS:
        env[variable] = os.path.join(home, variable.lower())
        os.makedirs(env[variable])
    env.pop("MPLBACKEND", None)
    user_settings = {("apputils-extension", "notification"): {"fetchNews": "false", "checkForUpdates": False},
                     ("notebook-extension", "tracker"): {"windowingMode": "none"}}
    user_settings.update(settings or {})
    for (plugin, name), values in user_settings.items():
        folder = os.path.join(home, "lab-settings", "@jupyterlab", plugin)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{name}.jupyterlab-settings"), "w") as f:
            json.dump(values, f)
    port = free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
               "--ServerApp.port_retries=0", f"--LabApp.user_settings_dir={os.path.join(home, 'lab-settings')}",
               f"--LabApp.workspaces_dir={os.path.join(home, 'workspaces')}"]
    if expose_app:
        command.append("--LabApp.expose_app_in_browser=True")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = os.path.join(home, "lab.log")
    log = open(log_path, "w")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/api/status", server, log_path)
        yield base
    finally:
        stop(server)
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def wait_for_http(url, process, log_path, timeout=90):
    """Wait until `url` answers 200 while `process` runs; a clear error with the log's tail otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{Path(log_path).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s:\n{Path(log_path).read_text()[-3000:]}")
        time.sleep(0.25)


def stop(process):
    """Stop a server process (terminate, then kill), and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def kernel_idle(page, timeout=30_000):
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-StatusBar-Widget')].some(e => e.textContent.includes('| Idle'))
                 && !document.querySelector('.jp-NotebookPanel .jp-Spinner')""", timeout=timeout)


def open_notebook(page, base, name, workspace):
    """Open `name` in JupyterLab in its own workspace, accept the kernel, wait until the kernel is idle."""
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{name}", wait_until="domcontentloaded", timeout=60_000)
    try:
        page.locator(".jp-Dialog .jp-mod-accept").first.click(timeout=5000)
    except Exception:
        pass
    kernel_idle(page, timeout=60_000)
    for button in page.locator(".jp-toast-button", has_text="No").all():
        try:
            button.click(timeout=2000)
        except Exception:
            pass


PROMPTS = """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                               .map(p => p.textContent);
                     return {total: prompts.length, run: prompts.filter(t => /\\[\\d+\\]/.test(t)).length,
                             busy: prompts.filter(t => t.includes('*')).length,
                             idle: [...document.querySelectorAll('.jp-StatusBar-Widget')]
                                   .some(e => e.textContent.includes('| Idle'))}; }"""


def run_all(page, timeout=180):
    """Run → Run All Cells; waits until every code cell has run, or nothing has moved for 5 s with the kernel
    idle (Run All stopped at an error). Returns (code cells run, code cells)."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    deadline, last, still_since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        state = page.evaluate(PROMPTS)
        if state["total"] and state["run"] == state["total"] and not state["busy"] and state["idle"]:
            return state["run"], state["total"]
        key = (state["run"], state["busy"])
        if key != last:
            last, still_since = key, time.monotonic()
        elif state["idle"] and not state["busy"] and time.monotonic() - still_since > 5:
            return state["run"], state["total"]
        time.sleep(0.25)
    raise TimeoutError(f"Run All did not finish within {timeout} s: {page.evaluate(PROMPTS)}")
