"""The introduction module, called directly: it computes only its own wording; every other number
of the page is pasted from the chapter that computes it (so the two cannot disagree)."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT, chapter_params, glue_keys_used

from analysis.calc import claims
from analysis.chapters import intro as chapter
from analysis.chapters import spending


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.IntroChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "intro")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**chapter_params("intro"))


@pytest.fixture(scope="module")
def claims_result(tmp_path_factory: pytest.TempPathFactory):
    from analysis.chapters import claims as claims_chapter

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("claims-assets")))
        mp.setenv("REPORT_CHAPTER", "claims")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return claims_chapter.run(**chapter_params("claims"))


def _pasted() -> dict[str, set[str]]:
    nb = nbformat.read(ROOT / "chapters" / "intro.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    out: dict[str, set[str]] = {}
    for doc, key in re.findall(r"\{glue:text\}`([a-z]+)\.ipynb::([^`:]+):s`", text):
        out.setdefault(doc, set()).add(key)
    return out


def test_its_own_values_are_glued_and_the_rest_is_pasted(result: chapter.IntroChapter) -> None:
    own = {k for k in glue_keys_used("intro") if "::" not in k}
    assert own == set(dict(result.glued())) == {"data-as-of", "build-date", "n-sources",
                                                "n-sources-stale"}
    pasted = _pasted()
    assert set(pasted) == {"spending", "exports", "outlook", "constraints", "claims"}
    assert len(pasted["spending"]) >= 8


def test_the_spending_values_it_pastes_exist(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path))
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    glued = dict(spending.run(**chapter_params("spending")).glued())
    assert _pasted()["spending"] <= set(glued)
    assert glued["lead-name"] == "the United States"  # the page reads "carried by the ..."


def test_the_answer_pastes_the_deciding_numbers_from_outlook_and_constraints(
        tmp_path, monkeypatch) -> None:
    """The answer's deciding numbers (the share against the benchmarks, the scenario range, the
    strongest category; the S-400 and CAATSA dates, the 35% cap, the customers' SAFE share) are
    the outlook's and constraints' own glued values."""
    from analysis.chapters import constraints, outlook

    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path))
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    pasted = _pasted()
    assert {"south-korea-share-latest", "israel-share-latest",
            "scenario-low", "scenario-high", "best-category"} <= pasted["outlook"]
    assert "tr-eu-share-latest" in pasted["exports"]  # Türkiye's share: the exports chapter's
    assert {"s400-delivered-date", "caatsa-date", "safe-components-pct",
            "customers-share"} <= pasted["constraints"]
    assert pasted["outlook"] <= set(dict(outlook.run(**chapter_params("outlook")).glued()))
    assert pasted["constraints"] <= set(dict(
        constraints.run(**chapter_params("constraints")).glued()))


def test_the_claims_table_and_sentences_are_pasted_from_the_claims_page(claims_result) -> None:
    nb = nbformat.read(ROOT / "chapters" / "intro.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "{glue}`claims.ipynb::summary`" in text
    assert {"engine-programmes", "n-claims-checkable"} <= _pasted()["claims"]
    table = claims_result.tables["summary"]
    # its links name the claims page, so they work from the introduction and from the page itself
    assert all(str(s).startswith("claims.html#claim-") for s in table.frame["Section"])
    assert len(claims_result.summary) == len(claims.ORDER)
    decidable = int((claims_result.summary["verdict"] != claims.CANNOT).sum())
    assert claims_result.values["n-claims-checkable"] == str(decidable)
    assert claims_result.values["engine-programmes"].startswith("both of its flagship")
