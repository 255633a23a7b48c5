"""The book in a real browser (Debian's chromium, driven by playwright): charts drawn offline,
no console error, no request leaving 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.book, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(book: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(book))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REPORT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _pages(book: Path) -> list[str]:
    return sorted(p.relative_to(book).as_posix() for p in book.rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html",))


def test_every_page_draws_offline_without_errors(book: Path, server: str, browser, root: Path) -> None:
    shots = root / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for rel in _pages(book):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
        page.goto(f"{server}/{rel}", wait_until="load")
        charts = page.locator(".report-chart")
        n = charts.count()
        if n:
            page.wait_for_function(
                "n => document.querySelectorAll('.report-chart.report-drawn').length === n", arg=n,
                timeout=20000)
            for i in range(n):
                marks = charts.nth(i).locator(".report-chart-vega svg .mark-rect path, "
                                              ".report-chart-vega svg [class^='mark-'] path, "
                                              ".report-chart-vega svg [class^='mark-'] line")
                assert marks.count() > 0, (rel, i)
        assert errors == [], (rel, errors)
        assert outside == [], (rel, outside)
        if rel.startswith("chapters/"):
            page.screenshot(path=str(shots / (Path(rel).stem + ".png")), full_page=True)
        page.close()


def test_narrow_viewport_has_no_horizontal_scroll(book: Path, server: str, browser) -> None:
    for rel in _pages(book):
        if not rel.startswith("chapters/"):
            continue
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{server}/{rel}", wait_until="load")
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (rel, overflow)
        page.close()
