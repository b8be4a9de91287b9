"""The site builds with zero warnings (-W -n) and loads nothing from a CDN; then
a real browser (Playwright driving Debian's Chromium) checks the built pages.

The browser tests come after the build test in this file on purpose: `make test`
runs with `--dist loadfile`, so one worker runs this whole file, in order, and
the pages it opens are the ones the build test has just written. They skip when
Chromium is not installed at /usr/bin/chromium (`apt-get install chromium`).
"""

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from chromium import CHROMIUM, CHROMIUM_ARGS

from workbook import notebooks

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Any absolute URL in a src= or href= that a browser would fetch while loading a page.
FETCHED = re.compile(r'<(?:script|link|img)\b[^>]*?(?:src|href)="(https?:)?//[^"]+"')


def test_book_builds_without_warnings_or_cdn():
    assert (ROOT / "_build/vendor/widgets/embed-amd.js").exists(), (
        "run the tests through `make test`, which fetches the widget JavaScript"
    )
    jb = Path(sys.executable).with_name("jupyter-book")
    # The wrong-answer harness sets MPLBACKEND=Agg in this process; kernels that inherit
    # it draw no inline figures, and the execution cache would keep the site plot-less.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    run = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    pages = sorted(HTML.rglob("*.html"))
    assert pages
    for page in pages:
        fetched = FETCHED.search(page.read_text())
        assert not fetched, f"{page.relative_to(HTML)} loads {fetched.group(0)}"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (HTML / "_static" / "embed-amd.js").exists()
    for source, page in plotting_pages():
        images = page.read_text().count('src="../_images/')
        assert images, f"{page.relative_to(HTML)}: {source.name} draws plots, the page shows none"


def plotting_pages():
    """(source, built page) for each chapter or appendix page whose code draws a figure."""
    sources = sorted((ROOT / "chapters").glob("ch*.ipynb")) + [ROOT / "appendix" / "benchmarks.md"]
    for source in sources:
        text = source.read_text()
        if "plt.subplots(" in text or "plt.figure(" in text:
            yield source, HTML / source.parent.name / f"{source.stem}.html"


def test_chapters_offer_launch_buttons_and_their_exercise_notebook():
    """Colab, Binder and download buttons open the exercise notebook (no solutions);
    their addresses come from the one repository URL in _config.yml."""
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    slug = urlsplit(repo).path.strip("/")
    for notebook in sorted((ROOT / "chapters").glob("ch*.ipynb")):
        page = (HTML / "chapters" / f"{notebook.stem}.html").read_text()
        exercise = f"exercises/{notebook.name}"
        colab = f"https://colab.research.google.com/github/{slug}/blob/main/{exercise}"
        binder = f"https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/{exercise}"
        assert colab in page and binder in page, f"{notebook.stem}: launch buttons"
        assert f"chapters/{notebook.name}" not in page, (
            f"{notebook.stem}: a button still opens the chapter with its solutions"
        )
        download = f'href="../exercises/{notebook.name}"'
        assert download in page, f"{notebook.stem}: no link to its exercise notebook"
        copy = HTML / "exercises" / notebook.name
        assert copy.read_bytes() == (ROOT / "exercises" / notebook.name).read_bytes()


# --------------------------------------------------------------------------
# In a real browser.

CHAPTERS = sorted((ROOT / "chapters").glob("ch[0-9][0-9]_*.ipynb"))
# Chapters whose saved `ipywidgets.interact` controls must render (any other page
# that saved a widget view is checked too).
WIDGET_CHAPTERS = {"ch06", "ch08", "ch12", "ch14"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A rendered widget view: the manager puts it in a .widget-subarea; an
# `interact` is a .widget-interact box holding its controls.
WIDGET_ROOTS = ".widget-subarea > .jupyter-widgets"
WIDGET_CONTROLS = ".widget-slider, .widget-dropdown, .widget-text, select, input, button"
WAIT_MS = 15_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    """Base URL of _build/html served on 127.0.0.1 (a free port) from a thread."""
    assert (HTML / "index.html").exists(), (
        "_build/html is missing: the build test above must run first (make test)"
    )
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} "
            "(Debian: `apt-get install chromium`); browser tests skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A fresh browser page that records every request and websocket it opens."""

    def __init__(self, browser, site, **options):
        self.site = site
        options = {"viewport": {"width": 1280, "height": 900}, **options}
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(WAIT_MS)
        self.requests = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))

    def goto(self, path, **options):
        self.page.goto(self.site + path, **options)
        return self.page

    def remote(self):
        """Requests that did not go to the local server (data:/blob: stay in the page)."""
        local = urlsplit(self.site).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).netloc != local
        ]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site):
    visits = []

    def open_visit(**options):
        visits.append(Visit(browser, site, **options))
        return visits[-1]

    yield open_visit
    for one in visits:
        one.close()


@pytest.fixture(scope="module")
def chapter_tabs(browser, site):
    """Chapter pages opened a little ahead of the test that checks them, so that
    Chromium loads the next pages while this one is being checked."""
    stems = [nb.stem for nb in CHAPTERS]
    opened = {}

    def take(stem):
        start = stems.index(stem)
        for ahead in stems[start : start + 3]:
            if ahead not in opened:
                opened[ahead] = Visit(browser, site)
                opened[ahead].goto(f"chapters/{ahead}.html", wait_until="commit")
        tab = opened.pop(stem)
        tab.page.wait_for_load_state("load")
        return tab

    yield take
    for tab in opened.values():
        tab.close()


def collapsed_labels(notebook):
    """The summary of each collapsed code cell, in page order: solutions and tests
    under "Solution" and "Tests", other hide-input cells under the theme's label."""
    labels = []
    for cell in notebooks.read(notebook).cells:
        tags = notebooks.tags(cell) if cell.cell_type == "code" else set()
        if tags & {"remove-cell", "remove-input"}:
            continue
        if "solution" in tags:
            labels.append("Solution")
        elif "tests" in tags:
            labels.append("Tests")
        elif "hide-input" in tags:
            labels.append("Show code cell source")
    return labels


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.stem)
def test_chapter_page_in_browser(chapter_tabs, notebook):
    """Local requests only, math typeset, widgets rendered, solutions collapsed
    and opening on click; saves _build/screenshots/<stem>.png."""
    stem = notebook.stem
    html = HTML / "chapters" / f"{stem}.html"
    assert html.exists(), f"{html.relative_to(ROOT)} was not built"
    tab = chapter_tabs(stem)
    try:
        check_chapter_page(tab, notebook)
    finally:
        tab.close()


def check_chapter_page(tab, notebook):
    stem = notebook.stem
    html = HTML / "chapters" / f"{stem}.html"
    page = tab.page
    assert page.locator("article.bd-article h1").first.is_visible(), f"{stem}: no visible title"

    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise.then(() => true)")
    assert page.locator("mjx-container").count(), f"{stem}: no formula typeset"
    untypeset = page.locator("article.bd-article").evaluate(
        "a => [...a.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container')).length"
    )
    assert untypeset == 0, f"{stem}: {untypeset} formulas left as raw TeX"

    if stem[:4] in WIDGET_CHAPTERS or WIDGET_VIEW in html.read_text():
        views = html.read_text().count(f'<script type="{WIDGET_VIEW}">')
        assert views, f"{stem}: no saved ipywidgets in the page"
        roots = page.locator(WIDGET_ROOTS)
        try:
            page.wait_for_function(
                f"n => document.querySelectorAll('{WIDGET_ROOTS}').length >= n", arg=views
            )
        except Exception as err:
            raise AssertionError(
                f"{stem}: {roots.count()} of {views} saved widget views rendered"
            ) from err
        for index in range(views):
            controls = roots.nth(index).locator(WIDGET_CONTROLS)
            assert controls.count() and controls.first.is_visible(), (
                f"{stem}: widget view {index + 1} rendered no visible control"
            )
        if stem[:4] in WIDGET_CHAPTERS:
            assert page.locator(".widget-interact").count(), (
                f"{stem}: no `ipywidgets.interact` box rendered"
            )

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"))  # the first screen: fast

    collapsed = page.locator("details.hide.above-input")
    expected = collapsed_labels(notebook)
    assert "Solution" in expected, f"{stem}: the notebook has no solution cells"
    assert collapsed.count() == len(expected), (
        f"{stem}: {collapsed.count()} collapsed cells on the page, {len(expected)} in the notebook"
    )
    state = """ds => ds.map(d => ({open: d.open,
        summary: d.querySelector('summary').innerText.trim(),
        code: d.querySelector('.cell_input').checkVisibility()}))"""
    for index, (before, label) in enumerate(zip(collapsed.evaluate_all(state), expected), 1):
        assert before == {"open": False, "summary": label, "code": False}, (
            f"{stem}: collapsed cell {index} should start closed under {label!r}: {before}"
        )
    for index in range(len(expected)):
        collapsed.nth(index).locator("summary").click()
    for index, after in enumerate(collapsed.evaluate_all(state), 1):
        assert after["open"] and after["code"], (
            f"{stem}: cell {index} did not open on click: {after}"
        )

    remote = tab.remote()
    assert not remote, f"{stem}: requests left the machine: {remote[:5]}"


def test_search_finds_an_exercise_by_name(visit):
    tab = visit()
    page = tab.goto("search.html?q=normalize_rows")
    hit = page.locator('#search-results a[href^="chapters/ch02_numpy_tensors.html"]').first
    try:
        hit.wait_for(state="visible")
    except Exception as err:
        shown = page.locator("#search-results").inner_text()[:500]
        raise AssertionError(f"search for normalize_rows did not list ch02: {shown!r}") from err
    hit.click()
    page.wait_for_url(re.compile(r"/chapters/ch02_numpy_tensors\.html"))
    assert not tab.remote(), f"search: requests left the machine: {tab.remote()[:5]}"


def toc_pages():
    """Page paths (no suffix) in _toc.yml order, root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))
            for part in entry.get("parts", []):
                walk(part.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return [re.sub(r"\.(md|ipynb)$", "", page) for page in pages]


def test_next_and_previous_walk_every_chapter(visit, site):
    # Links are plain HTML: no scripts, styles, fonts or images needed to follow them.
    tab = visit(java_script_enabled=False)
    tab.context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.resource_type == "document" else route.abort()
        ),
    )
    page = tab.goto("intro.html", wait_until="domcontentloaded")

    def here():
        return re.sub(r"\.html$", "", urlsplit(page.url).path.lstrip("/"))

    visited = [here()]
    while page.locator("a.right-next").count():
        assert len(visited) <= 100, f"next links loop: {visited[-5:]}"
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.locator("a.right-next").click()
        visited.append(here())
    assert visited == toc_pages(), "next links do not follow _toc.yml"
    chapters = [page_ for page_ in visited if page_.startswith("chapters/")]
    assert chapters == [f"chapters/{nb.stem}" for nb in CHAPTERS], (
        "next links skip or reorder chapters"
    )

    for expected in reversed(visited[-3:-1]):
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.locator("a.left-prev").click()
        assert here() == expected, "previous link goes to the wrong page"
    assert not tab.remote(), f"navigation: requests left the machine: {tab.remote()[:5]}"


def test_exercise_index_lists_every_exercise(visit):
    if not (HTML / "exercise-index.html").exists():
        pytest.skip("exercise index not built")
    exercises = sum(len(notebooks.items(notebooks.read(nb), nb)) for nb in CHAPTERS)
    tab = visit()
    page = tab.goto("exercise-index.html", wait_until="domcontentloaded")
    rows = page.locator("article.bd-article table tbody tr")
    assert rows.count() == exercises, (
        f"exercise index: {rows.count()} table rows, {exercises} exercises in the chapters"
    )
    for index in range(rows.count()):
        row = rows.nth(index)
        text = row.inner_text()
        assert row.locator('a[href*="chapters/ch"]').count(), (
            f"row {index + 1} has no chapter link: {text!r}"
        )
        assert re.search(r"\b(easy|medium|hard)\b", text, re.I), (
            f"row {index + 1} has no difficulty: {text!r}"
        )
    first = rows.first.locator('a[href*="chapters/ch"]').first
    with page.expect_navigation(wait_until="domcontentloaded"):
        first.click()
    landed = urlsplit(page.url)
    assert re.fullmatch(r"/chapters/ch\d\d_\w+\.html", landed.path), (
        f"first link went to {page.url}"
    )
    if landed.fragment:
        assert page.locator(f'[id="{landed.fragment}"]').count(), (
            f"no anchor #{landed.fragment} on {landed.path}"
        )
    assert page.locator("article.bd-article h1").first.is_visible()
    assert not tab.remote(), f"exercise index: requests left the machine: {tab.remote()[:5]}"


def overflowing(page, selector, container="article.bd-article"):
    """The `selector` elements that stick out to the right of the container (an element
    inside a sideways-scrolling box, such as a wide table, can be scrolled to)."""
    return page.evaluate(
        """([sel, box]) => {
        const article = document.querySelector(box);
        const right = article.getBoundingClientRect().right + 1;
        const scrolls = e => {
            for (let a = e.parentElement; a && a !== article; a = a.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
            }
            return false;
        };
        return [...document.querySelectorAll(sel)]
            .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > right
                    && !scrolls(e))
            .map(e => e.textContent.slice(0, 60));
    }""",
        [selector, container],
    )


def test_layout_fits_desktop_and_phone(visit):
    """Display equations fit the column at 1400 px, inline code wraps on a phone, wide
    tables scroll instead of being clipped, one search box, the book's title once."""
    title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    for width in (1400, 390):
        tab = visit(viewport={"width": width, "height": 900})
        for stem in [nb.stem for nb in CHAPTERS]:
            page = tab.goto(f"chapters/{stem}.html")
            page.evaluate("() => MathJax.startup.promise.then(() => true)")
            wide = overflowing(page, 'article.bd-article mjx-container[display="true"]')
            assert not wide, f"{stem} at {width}px: equations overflow the column: {wide[:3]}"
            code = overflowing(page, "article.bd-article code.literal")
            assert not code, f"{stem} at {width}px: inline code overflows: {code[:3]}"
    tab = visit(viewport={"width": 1400, "height": 900})
    page = tab.goto("appendix/benchmarks.html")
    clipped = page.evaluate("""() => [...document.querySelectorAll('article table')].filter(
        t => t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflowX !== 'auto'
        ).length""")
    assert clipped == 0, "a wide table is clipped"
    searches = page.evaluate("""() => [...document.querySelectorAll(
        '.bd-search, .search-button-field')].filter(e => e.checkVisibility()).length""")
    assert searches == 1, f"{searches} search boxes on the page"
    titles = page.evaluate(
        """t => [...document.querySelectorAll('.bd-sidebar-primary a')]
        .filter(a => a.textContent.trim() === t && a.checkVisibility()).length""",
        title,
    )
    assert titles <= 1, f"the book's title is shown {titles} times in the sidebar"
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    page = tab.goto("practice.html")
    assert f"git clone {repo}.git" in page.locator("article").inner_text()
    assert not tab.remote(), f"layout: requests left the machine: {tab.remote()[:5]}"
