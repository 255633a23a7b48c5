"""The built book speaks to readers: no page uses the words of the data pipeline."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.book

#: pipeline words a reader does not know; pages name publisher, edition and date instead
PIPELINE_WORDS = re.compile(
    r"\bstaged\b|\bstored (?:public )?(?:cop(?:y|ies)|corpus|data|pages?)|\bcorpus\b|per the brief|\bthe brief\b"
    r"|this machine|\bsnapshots?\b|\bsidecars?\b|read log",
    re.IGNORECASE)


def _visible_text(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text)


def test_no_page_uses_the_pipeline_s_words(book: Path) -> None:
    found = {}
    for page in sorted(book.rglob("*.html")):
        if "_static" in page.parts:
            continue
        hits = sorted({m.group(0).lower() for m in PIPELINE_WORDS.finditer(_visible_text(page))})
        if hits:
            found[page.relative_to(book).as_posix()] = hits
    assert found == {}


def test_the_pattern_catches_what_it_should() -> None:
    for bad in ("the staged data hold", "not in the stored copy", "each file's metadata sidecar",
                "Sidecars of the files under data/raw", "this machine has no internet access"):
        assert PIPELINE_WORDS.search(bad), bad
    for good in ("SIPRI Arms Transfers Database, 2026 edition", "staging area for troops"):
        assert not PIPELINE_WORDS.search(good), good
