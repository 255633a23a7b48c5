"""The summary at the front: the answer in pasted numbers, five or six of the chapters' charts
pasted (not drawn again), and the editions of every publisher's file the book read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def test_the_summary_comes_first(root: Path) -> None:
    from analysis.build.pipeline import toc_files

    docs = toc_files(root)
    assert docs.index("chapters/summary") == 1  # right after the title page


@pytest.mark.book
def test_the_summary_pastes_the_answer_the_charts_and_the_vintages(book: Path) -> None:
    text = (book / "chapters" / "summary.html").read_text(encoding="utf-8")
    assert "{glue" not in text and text.count('class="pasted-text"') >= 12
    charts = re.findall(r"class='report-chart' id='(chart-[a-z0-9-]+)'", text)
    assert 5 <= len(charts) <= 6, charts
    for chart in charts:  # each is one of a chapter's own charts
        chapter = chart.split("-")[1]
        assert f"id='{chart}'" in (book / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    vintages = re.search(r'<ul class="report-vintages[^"]*">(.*?)</ul>', text, re.DOTALL)
    assert vintages, "no list of data editions"
    items = re.findall(r"<li>(.*?)</li>", vintages.group(1), re.DOTALL)
    assert len(items) >= 4 and all("vintage 20" in i for i in items), items
    for name in ("SIPRI", "NATO", "Mineral Commodity Summaries"):
        assert name in vintages.group(1), name


def test_the_summary_types_no_count_of_its_charts(root: Path) -> None:
    """The summary named its charts by a typed count ("six of its charts", "Six charts"), which
    no chapter computes and which a chart added or dropped would falsify: it names them without
    a count, and pastes every chart from a chapter."""
    text = (root / "chapters" / "summary.md").read_text(encoding="utf-8")
    words = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    assert not re.search(rf"\b(?:{words})\b(?: of its)? charts\b", text, flags=re.IGNORECASE)
    assert "## The main charts" in text
    pasted = re.findall(r"^```\{report-paste-figure\} (\w+\.ipynb)::[\w-]+$", text,
                        flags=re.MULTILINE)
    assert len(pasted) >= 5 and set(pasted) <= {"spending.ipynb", "exports.ipynb",
                                                 "constraints.ipynb", "outlook.ipynb"}, pasted


def test_the_window_length_is_pasted_not_typed(root: Path) -> None:
    """The windows' length is the exports chapter's parameter (chapters/params.yml), pasted
    from it: the summary and the introduction typed it ("five-year windows")."""
    import nbformat

    from analysis.build import pipeline

    length = int(pipeline.load_params(root)["exports"]["window_length"])
    assert length > 1
    intro = nbformat.read(root / "chapters" / "intro.ipynb", as_version=4)
    for page, text in (
            ("summary.md", (root / "chapters" / "summary.md").read_text(encoding="utf-8")),
            ("intro.ipynb", "\n".join(c.source for c in intro.cells if c.cell_type == "markdown"))):
        assert "{glue:text}`exports.ipynb::window-length:s`-year windows" in text, page
        assert not re.search(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)-year "
                             r"windows?\b", text, flags=re.IGNORECASE), page


@pytest.mark.book
def test_the_pages_read_the_window_length_of_the_declaration(book: Path, root: Path) -> None:
    from analysis.build import pipeline

    length = int(pipeline.load_params(root)["exports"]["window_length"])
    for page in ("summary.html", "intro.html"):
        text = re.sub(r"<[^>]+>", "", (book / "chapters" / page).read_text(encoding="utf-8"))
        assert f"{length}-year windows" in re.sub(r"\s+", " ", text), page
