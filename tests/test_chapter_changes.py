"""The changes chapter module, called directly on SIPRI's two editions: the editions are named from
the files' descriptions, and the revisions agree with the two files read another way."""

from __future__ import annotations

import pytest
from conftest import chapter_params, glue_keys_used

from analysis.calc import prose
from analysis.chapters import changes as chapter
from analysis.data.readers import sipri_tiv_table, sipri_transfers


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.ChangesChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "changes")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return chapter.run(**chapter_params("changes"))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.ChangesChapter) -> None:
    own = {k for k in glue_keys_used("changes") if "::" not in k}  # not those pasted from claims
    assert own and own <= set(dict(result.glued()))


def test_editions_come_from_the_files(result: chapter.ChangesChapter) -> None:
    p = chapter_params("changes")
    old = sipri_tiv_table.turkey_exports(p["tiv_table_vintage"])
    new = sipri_transfers.deliveries(p["deliveries_vintage"])
    assert result.old_edition == old.attrs["edition"] == "2022 edition"
    assert result.new_edition == new.attrs["edition"] == "2025 edition"
    table = result.tables["revisions"].frame
    assert {result.old_edition, result.new_edition} <= set(table.columns)


def test_revisions_agree_with_the_two_files(result: chapter.ChangesChapter) -> None:
    p = chapter_params("changes")
    old = sipri_tiv_table.turkey_exports(p["tiv_table_vintage"])
    # the comparison ends with the last year both editions cover: the older table's last year
    assert result.values["last-year"] == str(old["year"].max()) == "2021"
    p["last_year"] = int(old["year"].max())
    old = old[old["is_total"] & old["year"].between(p["first_year"], p["last_year"])]
    new = sipri_transfers.deliveries(p["deliveries_vintage"])
    new = new[(new["supplier"] == p["supplier"])
              & new["delivery_year"].between(p["first_year"], p["last_year"])]
    assert result.values["sum-old"] == prose.number(old["tiv"].sum())
    assert result.values["sum-new"] == prose.number(new["tiv_delivered"].sum())
    assert result.values["n-years"] == prose.count(p["last_year"] - p["first_year"] + 1)
    rev = result.revisions.set_index("year")
    last = rev.loc[p["last_year"]]
    assert last["revision"] == pytest.approx(last["new"] - last["old"])


def test_turkiye_s_deals_that_moved_between_the_deal_registers(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path))
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    monkeypatch.setenv("REPORT_CHAPTER", "changes")
    from conftest import chapter_params

    from analysis.chapters import changes

    r = changes.run(**chapter_params("changes"))
    assert (r.values["deals-old-vintage"], r.values["deals-new-vintage"]) == ("2025-03-13",
                                                                             "2026-05-18")
    assert r.values["deals-diff-counts"].startswith("41 of Türkiye's deals are new")
    moved = r.tables["deals-moved"].frame.set_index(["Recipient", "System"])
    croatia = moved.loc[("Croatia", "Bayraktar TB-2")]
    assert croatia["Number delivered (old → new)"] == "0 → 6"
    assert "number delivered" in croatia["What changed"]
    assert moved.loc[("Spain", "Hurjet"), "What changed"] == "added"
    files = r.tables["same-file-diffs"].frame
    assert files["file"].tolist() == ["trade-register-deals.csv"]  # each file against its own
