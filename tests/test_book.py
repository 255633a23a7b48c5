"""The built book: pages exist, nothing is loaded from outside, every chart has its files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

pytestmark = pytest.mark.book


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []  # script src, stylesheet/icon href, img src
        self.links: list[str] = []  # a href

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.assets.append(a["src"] or "")
        elif tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.assets.append(a["href"] or "")
        elif tag in ("img", "iframe", "source") and a.get("src"):
            self.assets.append(a["src"] or "")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def _pages(book: Path) -> list[Path]:
    return sorted(p for p in book.rglob("*.html") if "_static" not in p.parts)


def _refs(page: Path) -> _Refs:
    r = _Refs()
    r.feed(page.read_text(encoding="utf-8"))
    return r


def _local_target(book: Path, page: Path, ref: str) -> Path:
    rel = page.relative_to(book).as_posix()
    url = urlparse(urljoin(f"http://book/{rel}", urldefrag(ref)[0]))
    return book / url.path.lstrip("/")


def test_toc_pages_exist(book: Path, root: Path) -> None:
    from analysis.pipeline import toc_files

    for doc in toc_files(root):
        assert (book / f"{doc}.html").exists(), doc
    assert (book / "index.html").exists()


def test_no_asset_comes_from_outside_the_book(book: Path) -> None:
    for page in _pages(book):
        for ref in _refs(page).assets:
            assert not re.match(r"^(https?:)?//", ref), (page.name, ref)
            assert _local_target(book, page, ref).exists(), (page.name, ref)
        assert "unpkg.com" not in page.read_text(encoding="utf-8"), page.name


def test_every_chart_has_its_csv_svg_and_source_line(book: Path) -> None:
    charts = 0
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<div class='report-chart' id='(fig-[a-z0-9-]+)'>", text):
            charts += 1
            block = text[m.start(): text.index("</script></div>", m.start())]
            assert "Source:" in block and "vintage" in block, m.group(1)
            for ref in re.findall(r"(?:href|src)='([^']+)'", block):
                assert _local_target(book, page, ref).exists(), (page.name, ref)
        for ref in _refs(page).links:
            if ref.endswith(".csv"):
                target = _local_target(book, page, ref)
                assert target.exists() and target.stat().st_size > 0, (page.name, ref)
    assert charts >= 1


def test_chart_ids_are_stable_and_unique(book: Path) -> None:
    ids: list[str] = []
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        assert "altair-viz-" not in text
        ids += re.findall(r"class='report-chart' id='([^']+)'", text)
    assert len(ids) == len(set(ids))


def test_prose_numbers_are_glued(book: Path) -> None:
    text = (book / "chapters/exports.html").read_text(encoding="utf-8")
    assert text.count('class="pasted-text"') >= 8
    assert "{glue" not in text
