"""JupyterLab or Notebook 7 in headless Chromium, for the browser tests and bench/widget_latency.py.

    with jupyter_server("lab", root, dark=False) as base:        # a fresh server in temporary folders
        with chromium() as browser:
            page = open_notebook(browser, base, "lab", "views.ipynb", viewport=(1024, 768))
            run_all(page)

Every server starts from nothing (temporary config, data, runtime, IPython, matplotlib and settings folders, no
token, 127.0.0.1 on a free port) and is always stopped. The browser is the first of chromium, google-chrome,
chromium-browser on PATH (or COURSEKIT_BROWSER); Playwright's own browser download is never used.
"""
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from coursekit.server import OPTION as QUICK_SOCKETS           # frames without a 40 ms wait (see that module)

BROWSERS = ("chromium", "google-chrome", "chromium-browser")   # Debian's first; a snap chromium-browser last
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 30_000               # ms, for any single wait in the page


def find_browser():
    if os.environ.get("COURSEKIT_BROWSER"):                    # an explicit path or name wins
        return shutil.which(os.environ["COURSEKIT_BROWSER"])
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder, dark):
    """User settings: no news toast, every cell rendered (also scrolled out of view), the theme."""
    files = {
        ("@jupyterlab", "apputils-extension", "notification"): {"fetchNews": "false", "checkForUpdates": False},
        ("@jupyterlab", "notebook-extension", "tracker"): {"windowingMode": "none"},
    }
    if dark:
        files[("@jupyterlab", "apputils-extension", "themes")] = {"theme": "JupyterLab Dark"}
    for (scope, extension, name), value in files.items():
        os.makedirs(os.path.join(folder, scope, extension), exist_ok=True)
        with open(os.path.join(folder, scope, extension, f"{name}.jupyterlab-settings"), "w") as f:
            json.dump(value, f)


@contextlib.contextmanager
def jupyter_server(app, root, dark=False, log_copy=None):
    """`jupyter lab` (app "lab") or Notebook 7 (app "notebook") serving `root`; yields its base URL."""
    home = tempfile.mkdtemp(prefix=f"coursekit-{app}-")
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", PYTHONUNBUFFERED="1")
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        env[variable] = os.path.join(home, variable.lower())
        os.makedirs(env[variable])
    env.pop("MPLBACKEND", None)                                 # the kernel picks the inline backend itself
    settings = os.path.join(home, "settings")
    _settings(settings, dark)
    port = free_port()
    klass = "LabApp" if app == "lab" else "JupyterNotebookApp"
    command = [sys.executable, "-m", "jupyter", app, "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               "--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
               "--ServerApp.port_retries=0", f"--{klass}.user_settings_dir={settings}", QUICK_SOCKETS,
               f"--{klass}.workspaces_dir={os.path.join(home, 'workspaces')}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = os.path.join(home, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"jupyter {app} exited with {server.returncode}:\n{open(log_path).read()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyter {app} did not answer within 60 s:\n{open(log_path).read()[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        if log_copy:
            shutil.copy(log_path, log_copy)
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def chromium(path=None):
    """Headless Chromium through Playwright; its HOME (crash reports, dconf) is a temporary folder."""
    from playwright.sync_api import sync_playwright

    path = path or find_browser()
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


def open_notebook(browser, base, app, name, viewport=(1400, 1000), workspace="w"):
    """A new page with notebook `name` open (JupyterLab: in its own workspace) and its kernel started."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.set_default_timeout(TIMEOUT)
    if app == "lab":
        url = f"{base}/lab/workspaces/{workspace}/tree/{name}"
    else:
        url = f"{base}/notebooks/{name}"
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    accept_kernel_dialog(page)
    kernel_idle(page, timeout=60_000)
    dismiss_toasts(page)
    return page


def kernel_idle(page, timeout=TIMEOUT):
    """The page's kernel is started and idle (asked of the server's REST API, the same in Lab and Notebook 7)."""
    page.wait_for_function(
        """async () => {
            const kernels = await (await fetch('/api/kernels', {cache: 'no-store'})).json();
            return kernels.length > 0 && kernels.every(k => k.execution_state === 'idle')
                   && !!document.querySelector('.jp-Notebook .jp-Cell');
        }""", timeout=timeout, polling=250)


def accept_kernel_dialog(page):
    """JupyterLab may ask which kernel to start; take the one proposed (python3)."""
    try:
        page.locator(".jp-Dialog .jp-mod-accept").first.click(timeout=4000)
    except Exception:
        pass


def dismiss_toasts(page):
    for button in page.locator(".jp-toast-button", has_text="No").all():
        try:
            button.click(timeout=2000)
        except Exception:
            pass


def run_all(page, timeout=120_000):
    """Run > Run All Cells, then wait until every code cell has run (a number in its prompt, no [*])."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(
        """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                   return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }""",
        timeout=timeout)
    page.keyboard.press("Escape")
