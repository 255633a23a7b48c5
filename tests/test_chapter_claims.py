"""The claims chapter module, called directly (no papermill) on the real data: every value the
notebook pastes is produced, the verdicts it writes for the build are the ones it returns, and
the values agree with the tables read another way."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import chapter_params, glue_keys_used

from analysis.calc import claims
from analysis.chapters import claims as chapter
from analysis.publishing import figures


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("assets")


@pytest.fixture(scope="module")
def result(assets: Path) -> chapter.ClaimsChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(assets))
        mp.setenv("REPORT_CHAPTER", "claims")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**chapter_params("claims"))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.ClaimsChapter) -> None:
    glued = dict(result.glued())
    assert glue_keys_used("claims") <= set(glued)
    for claim in claims.CLAIMS:
        badge = glued[f"{claim.key}-badge"]
        assert isinstance(badge, figures.Badge)
        assert badge.verdict == result.verdicts[claim.claim_id].verdict
        assert glued[f"{claim.key}-statement"] == claim.statement


def test_the_build_reads_the_verdicts_the_chapter_returns(result: chapter.ClaimsChapter,
                                                          assets: Path) -> None:
    records = chapter.read_verdicts(assets)
    assert [r["claim_id"] for r in records] == claims.ORDER
    assert {r["claim_id"]: r["verdict"] for r in records} == {
        c: v.verdict for c, v in result.verdicts.items()}
    # the claims that read SIPRI's deal register are rerun on its previous edition (2025), the
    # others have no older vintage of their files
    rerun = {r["claim_id"]: r["previous_verdict"] for r in records if r["previous_verdict"]}
    assert "sales_to_european_allies" in rerun
    assert rerun["sales_to_european_allies"] == result.verdicts["sales_to_european_allies"].verdict
    assert chapter.read_verdicts(assets / "nowhere") == []


def test_counts_and_figures_on_the_real_data(result: chapter.ClaimsChapter) -> None:
    v = result.values
    verdicts = [x.verdict for x in result.verdicts.values()]
    assert v["n-claims"] == "7"
    assert [v[k] for k in ("n-supported", "n-partly", "n-not", "n-cannot")] == [
        str(verdicts.count(x)) for x in claims.VERDICTS]
    assert v["us-low"] == "60%" and v["us-high"] == "65%"  # the claimed figures' table
    assert v["systems-eu"] == "178" and v["systems-us"] == "30"
    assert v["sales-n"] == "5" and v["sales-found"] == "5"
    assert v["allies-reversal-date"] == "2025-11-06"
    assert v["supplier-name"] == "Türkiye"
    assert v["n-unsourced"] == "1"  # the Mogherini row
    assert set(result.tables) >= {f"{c.key}-who" for c in claims.CLAIMS
                                  if c.claim_id not in chapter.LISTED_WITH_FIGURES}


def test_the_number_of_claims_is_counted_not_typed(result: chapter.ClaimsChapter) -> None:
    """The summary table's caption counted the claims in a typed word ("The seven claims"): it
    pastes the count of claims in the claims table, in words, and the table's own caption says
    the same."""
    import csv
    import re

    import nbformat
    from conftest import ROOT

    from analysis.calc import prose

    with (ROOT / "data/curated/claims.csv").open(encoding="utf-8") as f:
        claim_ids = {row["claim_id"] for row in csv.DictReader(f)}
    assert len(claim_ids) > 1
    assert result.values["n-claims"] == prose.count(len(claim_ids))
    assert result.values["n-claims-words"] == prose.count_words(len(claim_ids))
    assert result.tables["summary"].caption.startswith(
        f"The {prose.count_words(len(claim_ids))} claims and their verdicts")
    nb = nbformat.read(ROOT / "chapters/claims.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "The {glue:text}`n-claims-words` claims" in text
    # no count of all the claims typed as a word ("the two claims" of section 3 is the pair)
    assert not re.search(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
                         r"claims(?:,| and) their verdicts", text, flags=re.IGNORECASE)


def test_counts_in_words() -> None:
    from analysis.calc import prose

    assert [prose.count_words(n) for n in (0, 1, 2, 7, 12)] == [
        "zero", "one", "two", "seven", "twelve"]
    assert prose.count_words(13) == "13" and prose.count_words(1200) == "1,200"
    assert prose.count_words(2, capital=True) == "Two"
    assert prose.count_words(7.0) == "seven"
    with pytest.raises(ValueError):
        prose.count_words(-1)
    with pytest.raises(ValueError):
        prose.count_words(2.5)
