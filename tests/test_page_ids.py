"""Every id on a page is unique: a chart's element and the figure around it must not share one
(in-page links, numref targets and screen readers' landmarks depend on it)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.book


def test_no_page_repeats_an_id(book: Path) -> None:
    for page in sorted(book.rglob("*.html")):
        if "_static" in page.parts:
            continue
        ids = re.findall(r"""\sid=["']([^"']+)["']""", page.read_text(encoding="utf-8"))
        repeated = [i for i, n in Counter(ids).items() if n > 1]
        assert repeated == [], (page.name, repeated)
