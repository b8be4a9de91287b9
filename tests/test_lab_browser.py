"""The learner's notebook in a real JupyterLab, in a real browser.

A JupyterLab server is started on 127.0.0.1 over a temporary work/ folder (made by
`make update`'s code), Playwright drives Debian's Chromium to it, and we check what a
learner sees: the title first, the answer-checks cell collapsed, a hint hidden until
its summary is clicked, and the hint's math typeset. The server is stopped by PID.
Skips when Chromium is not installed at /usr/bin/chromium.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS

from workbook import notebooks, update

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "workbook-test"
NOTEBOOK = "ch04_losses.ipynb"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; JupyterLab test skipped")
    work = tmp_path_factory.mktemp("work")
    update.update(ROOT / "exercises", work)
    port = free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    home = tmp_path_factory.mktemp("home")
    env = dict(
        os.environ,
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError as err:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "JupyterLab did not start: " + server.stderr.read().decode()[-2000:]
                    ) from err
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def hint_words():
    """The first words of the first hint with math in it (words before any TeX)."""
    nb = notebooks.read(ROOT / "exercises" / NOTEBOOK)
    for cell in nb.cells:
        for block in re.findall(r"<details>(.*?)</details>", cell.source, re.DOTALL):
            body = block.split("</summary>", 1)[-1].strip()
            if "$" in body and body.index("$") > 20:
                return body[: body.index("$")].split("\n")[0][:20]
    pytest.fail(f"no hint with math in exercises/{NOTEBOOK}")


def test_hints_are_collapsed_with_math_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{lab}/lab/tree/{NOTEBOOK}?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown h1")
        first = page.locator(".jp-Notebook .jp-Cell").first
        assert first.locator("h1").inner_text().startswith("Chapter 4"), "title is not first"
        # The answer-checks cell: its source is collapsed (a placeholder shows instead).
        bootstrap = page.locator(".jp-Notebook .jp-Cell").nth(2)
        assert bootstrap.locator(".jp-InputPlaceholder").count() == 1, (
            "the answer-checks cell is not collapsed"
        )
        hint = page.locator(".jp-RenderedMarkdown details", has_text=hint_words()).first
        hint.scroll_into_view_if_needed()
        body = hint.locator("p").first
        assert hint.get_attribute("open") is None and not body.is_visible(), (
            "the hint is visible before it is clicked"
        )
        hint.locator("summary").click()
        page.wait_for_function("d => d.open", arg=hint.element_handle())
        assert body.is_visible(), "the hint did not open on click"
        hint.locator("mjx-container").first.wait_for(state="visible")
        assert "$" not in body.inner_text(), f"raw TeX in the hint: {body.inner_text()!r}"
        raw_myst = page.locator(".jp-RenderedMarkdown", has_text="{dropdown}").count()
        assert raw_myst == 0, "raw MyST fences are shown"
        browser.close()
