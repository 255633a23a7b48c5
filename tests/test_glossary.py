"""The glossary: one page before the back matter, defining the abbreviations the chapters use,
each definition citing its law or publisher or linking its source."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

TERMS = ["AOR", "CAATSA", "CRMA", "EDIP", "NATO", "SAFE", "SaSaD", "SSB", "TIV", "TİM"]


def test_glossary_sits_before_the_back_matter(root: Path) -> None:
    from analysis.build.pipeline import toc_files

    docs = toc_files(root)
    assert "chapters/glossary" in docs
    assert docs.index("chapters/glossary") == docs.index("chapters/cite") - 1


@pytest.mark.book
def test_glossary_defines_every_abbreviation_with_a_source(book: Path) -> None:
    text = (book / "chapters" / "glossary.html").read_text(encoding="utf-8")
    entries = dict(re.findall(r'<dt id="term-[^"]*">(.*?)<a class="headerlink".*?</dt>\s*<dd>(.*?)</dd>',
                              text, re.DOTALL))
    terms = {re.sub(r"<[^>]+>", "", t).strip(): d for t, d in entries.items()}
    missing = [t for t in TERMS if t not in terms]
    assert missing == [], missing
    def plain(term: str) -> str:  # TİM sorts as TIM
        return "".join(c for c in unicodedata.normalize("NFKD", term)
                       if not unicodedata.combining(c)).casefold()

    assert list(terms) == sorted(terms, key=plain)
    for term in TERMS:
        body = terms[term]
        sourced = "bibtex-citation" in body or 'class="reference external"' in body
        assert sourced or term == "AOR", (term, "no citation or link")
    for page in (book / "chapters").glob("*.html"):  # {term} links resolve to the glossary
        for href in re.findall(r'href="([^"]*#term-[^"]*)"', page.read_text(encoding="utf-8")):
            assert href.startswith(("glossary.html#", "#")), (page.name, href)


#: (page, term) used in prose and left unlinked on purpose (none)
NOT_YET_LINKED: set[tuple[str, str]] = set()


@pytest.mark.book
def test_each_chapter_links_the_terms_of_its_prose_to_the_glossary(book: Path, root: Path) -> None:
    """A chapter whose running text (its paragraphs, tables and charts aside) uses one of the
    glossary's abbreviations links it to the glossary at least once, on its first use in prose."""
    from analysis.build.pipeline import toc_files

    linked_somewhere = set()
    for doc in toc_files(root):
        if doc in ("chapters/glossary", "chapters/bibliography", "chapters/data", "chapters/cite"):
            continue
        page = (book / f"{doc}.html").read_text(encoding="utf-8")
        main = page[page.index('<main'):page.index('</main>')]
        main = re.sub(r"<(table|script|style|pre)\b.*?</\1>", "", main, flags=re.DOTALL)
        # text pasted from another page ({glue:text}) cannot carry a link of its own
        main = re.sub(r'<span class="pasted-text">.*?</span>', "", main, flags=re.DOTALL)
        # a chart's source line and description are the chart's, not the running text
        main = re.sub(r"<p class='report-chart-source'>.*?</p>", "", main, flags=re.DOTALL)
        # the lists of the files read (the summary's editions, a page's "Cite this page" data)
        # name files and their titles, not terms of the prose
        main = re.sub(r'<ul class="report-(?:vintages|cite-data)[^"]*">.*?</ul>', "", main,
                      flags=re.DOTALL)
        paragraphs = re.findall(r"<p\b[^>]*>(.*?)</p>", main, re.DOTALL)
        for term in TERMS:
            if term == "NATO":
                continue
            word = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])")
            uses = [p for p in paragraphs if word.search(re.sub(r"<[^>]+>", "", p))]
            if not uses or (doc, term) in NOT_YET_LINKED:
                continue
            anchor = "term-" + term.lower()
            links = [p for p in uses if re.search(r'href="[^"]*#' + anchor + '"', p, re.IGNORECASE)
                     or re.search(r'href="[^"]*#term-[^"]*"[^>]*>(?:<[^>]+>)*' + re.escape(term), p)]
            assert links, (doc, term, "used in prose, never linked to the glossary")
            first = uses[0]
            assert first in links, (doc, term, "first use not linked", re.sub(r"<[^>]+>", "", first)[:120])
            linked_somewhere.add(term)
    assert {"CAATSA", "SAFE", "EDIP", "TIV", "SaSaD", "AOR"} <= linked_somewhere
