"""`make bench`'s measure of what a reader's browser downloads for an Ally's page beyond the
files every page shares: what it counts as shared and as the page's own, and that it says it
was skipped when there is no browser. The bytes themselves are the benchmark's, never
asserted here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CHROMIUM

pytestmark = [pytest.mark.book, pytest.mark.browser]


def test_without_a_browser_the_measure_says_it_was_skipped(book: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.build import bench

    monkeypatch.setattr(bench, "CHROMIUM", "/nonexistent/chromium")
    result = bench.browser_weights(book, log=lambda _m: None)
    assert set(result) == {"skipped"} and "/nonexistent/chromium" in result["skipped"]


def test_the_shared_files_and_a_pages_own(book: Path) -> None:
    from analysis.build import bench

    if not Path(CHROMIUM).exists():  # as the browser fixture does (the measure runs its own)
        if os.environ.get("REPORT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI installs it")

    result = bench.browser_weights(book, log=lambda _m: None, only=["ally-tur", "ally-isl"])
    assert set(result["pages"]) == {"ally-tur", "ally-isl"}
    shared = [u.split("?")[0] for u in result["shared"]]
    for path in ("/_static/vega-bundle.js", "/_static/report.js", "/_static/report.css"):
        assert path in shared, (path, shared)
    assert not any(u.startswith(("/chapters/", "/_static/report/")) for u in shared), shared
    tur = result["pages"]["ally-tur"]
    # its own bytes are its HTML: no chart image once the charts are drawn, no CSV
    assert tur["html_kb"] > 0 and tur["own_kb"] == tur["html_kb"], tur
    assert tur["images"] == 0 and tur["other_files"] == [], tur
    assert result["heaviest_page"] in result["pages"]
    assert result["over_target"] == sorted(k for k, v in result["pages"].items()
                                           if v["own_kb"] > result["target_kb"])
