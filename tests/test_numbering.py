"""Figures and tables numbered apart and by chapter (Figure 2.3, Table 3.1), each referred to as
what it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.book

_NUMBERED = re.compile(r'<(?:figure|div)[^>]* id="((?:fig|tbl)-[^"]+)"[^>]*>.*?'
                       r'<span class="caption-number">([^<]+)</span>', re.DOTALL)


def _chapters(book: Path, root: Path) -> list[tuple[int, Path]]:
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [p for p in toc["parts"] if p.get("numbered")]
    docs = [c["file"] for p in numbered for c in p["chapters"]]
    return [(i, book / f"{doc}.html") for i, doc in enumerate(docs, start=1)]


def test_figures_and_tables_are_numbered_apart_by_chapter(book: Path, root: Path) -> None:
    tables = figures = 0
    for number, page in _chapters(book, root):
        text = page.read_text(encoding="utf-8")
        seen: dict[str, list[int]] = {"Figure": [], "Table": []}
        for anchor, caption in _NUMBERED.findall(text):
            kind, _, num = caption.strip().partition(" ")
            want = "Table" if anchor.startswith("tbl-") else "Figure"
            assert kind == want, (page.name, anchor, caption)
            chapter, _, within = num.partition(".")
            assert chapter == str(number), (page.name, anchor, caption)
            seen[kind].append(int(within))
        for kind, nums in seen.items():
            assert nums == list(range(1, len(nums) + 1)), (page.name, kind, nums)
        tables += len(seen["Table"])
        figures += len(seen["Figure"])
    assert tables >= 10 and figures >= 5


def test_references_name_tables_as_tables(book: Path, root: Path) -> None:
    """A {numref} to a tbl- name reads "Table ..." and one to a fig- name "Figure ..."."""
    checked = 0
    for _number, page in _chapters(book, root):
        text = page.read_text(encoding="utf-8")
        for anchor, label in re.findall(r'<a class="reference internal" href="[^"]*#((?:fig|tbl)-'
                                        r'[^"]+)"><span class="std std-numref">([^<]+)</span>', text):
            want = "Table" if anchor.startswith("tbl-") else "Figure"
            assert label.startswith(want), (page.name, anchor, label)
            checked += 1
    assert checked >= 5
