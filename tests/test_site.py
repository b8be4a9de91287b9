"""The site builds with zero warnings (-W -n) and loads nothing from a CDN."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
# Any absolute URL in a src= or href= that a browser would fetch while loading a page.
FETCHED = re.compile(r'<(?:script|link|img)\b[^>]*?(?:src|href)="(https?:)?//[^"]+"')


def test_book_builds_without_warnings_or_cdn():
    assert (ROOT / "_build/vendor/widgets/embed-amd.js").exists(), \
        "run the tests through `make test`, which fetches the widget JavaScript"
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    pages = sorted(HTML.rglob("*.html"))
    assert pages
    for page in pages:
        fetched = FETCHED.findall(page.read_text()) and FETCHED.search(page.read_text()).group(0)
        assert not fetched, f"{page.relative_to(HTML)} loads {fetched}"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (HTML / "_static" / "embed-amd.js").exists()
