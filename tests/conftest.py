"""Shared fixtures: the real repository, a scratch copy of it, and the built book."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_project(dest: Path) -> Path:
    """A copy of what a build reads, with its own copy of the data store in ``../shared/data``
    beside it (the package itself stays installed from the real tree)."""
    from analysis.build.bench import copy_project as copy

    return copy(ROOT, dest)


def store_path(project: Path, relpath: str) -> Path:
    """Where a scratch copy keeps the bytes of ``data/raw/...`` (its own data store)."""
    from analysis.build.bench import store_path as where

    return where(project, relpath)


@pytest.fixture()
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A scratch copy of the project and of its data store; REPORT_ROOT and REPORT_DATA_STORE
    point the package at them."""
    from analysis.build.bench import scratch_store

    dest = copy_project(tmp_path / "project")
    monkeypatch.setenv("REPORT_ROOT", str(dest))
    monkeypatch.setenv("REPORT_DATA_STORE", str(scratch_store(dest)))
    monkeypatch.setenv("REPORT_DATA_CACHE", str(tmp_path / "data-cache"))
    yield dest


@pytest.fixture(scope="session")
def book() -> Path:
    """The book built from the real tree (a cache hit, and no render, when `make book` ran)."""
    from analysis.build import pipeline

    saved = {k: os.environ.get(k) for k in ("REPORT_ROOT", "SOURCE_DATE_EPOCH")}
    report = pipeline.build(ROOT, progress=False, log=lambda _m: None)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    return report.html_dir


def chapter_params(name: str) -> dict[str, object]:
    """A chapter's parameters as the build passes them to papermill: derived from the one
    declaration (``chapters/params.yml``) and checked against the notebook's parameters cell."""
    from analysis.build import pipeline

    return dict(pipeline.load_params(ROOT)[name])


def glue_keys_used(name: str) -> set[str]:
    """Every glue key the chapter notebook's markdown pastes ({glue:text}, {glue}, {glue:md},
    {glue:figure})."""
    import re

    import nbformat

    nb = nbformat.read(ROOT / "chapters" / f"{name}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return (set(re.findall(r"\{glue(?::text)?\}`([^`]+)`", text))
            | set(re.findall(r"\{glue:md\}`([^`:]+)(?::\w+)?`", text))
            | set(re.findall(r"```\{glue:figure\} (\S+)", text)))


def watch_page(page: Any) -> tuple[list[str], list[str]]:
    """Collect a browser page's console errors and every request to a host other than
    127.0.0.1 (the book must load nothing from outside)."""
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    return errors, outside


def keys_pasted_from(chapter: str, page: str = "changes.ipynb") -> set[str]:
    """The glue keys of ``chapter`` that another page's markdown pastes (``chapter.ipynb::key``)."""
    import re

    import nbformat

    nb = nbformat.read(ROOT / "chapters" / page, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return set(re.findall(rf"{re.escape(chapter)}\.ipynb::([a-z0-9-]+)", text))


@pytest.fixture()
def chapter_assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a chapter module called directly writes its charts' and tables' files."""
    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path / "assets"))
    return tmp_path / "assets"


CLAIMS_PARAMS = {"lead": "USA", "regions": ("Europe",), "extra": ("CAN",), "about_pp": 2.0,
                     "supplier": "Turkiye", "supplier_iso3": "TUR", "europe_region": "Europe",
                     "engine_country": "United States", "mining_country": "China"}


@pytest.fixture(scope="session")
def claims_inputs():  # type: ignore[no-untyped-def]
    """The claims checks' inputs on the real data, at the vintages the chapter reads."""
    from analysis.calc import claims
    from analysis.data.readers import curated, nato, sipri_transfers, usgs

    p = chapter_params("claims")
    return claims.Inputs(
        claims=curated.table("claims.csv"), claimed=curated.table(claims.FIGURES_FILE),
        claimed_sales=curated.table(claims.SALES_FILE),
        members=curated.table("nato_members.csv"),
        nato=nato.table(str(p["nato_vintage"])), deals=sipri_transfers.deals(str(p["deals_vintage"])),
        timeline=curated.table("constraints_and_europe_timeline.csv"),
        dependencies=curated.table("programme_dependencies.csv"),
        context=curated.table("european_defence_industrial_context.csv"),
        minerals=curated.table("critical_minerals_facts.csv"),
        usgs=usgs.rare_earths(str(p["usgs_vintage"])),
        headlines=curated.table("published_headlines.csv"), params=claims.Params(**CLAIMS_PARAMS))


@pytest.fixture(scope="session")
def claims_verdicts(claims_inputs):  # type: ignore[no-untyped-def]
    from analysis.calc import claims

    return claims.run(claims_inputs)


# --- the browser tests' shared fixtures (tests/test_browser*.py) -----------------------------

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium; a browser is never downloaded
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu", "--disable-sync", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(book: Path) -> Iterator[str]:
    """The built book served from 127.0.0.1 (the only address a page may reach)."""
    handler = functools.partial(_QuietHandler, directory=str(book))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        if os.environ.get("REPORT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
