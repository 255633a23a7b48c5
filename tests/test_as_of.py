"""The first page's "Data as of" box and the spending chapter's note on newer editions."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.chapters import as_of


@pytest.fixture()
def assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path))
    monkeypatch.setenv("REPORT_CHAPTER", "intro")
    return tmp_path


def test_the_box_names_the_newest_edition_held_and_newer_ones_announced(assets: Path) -> None:
    table = as_of.as_of_table(as_of.editions(), "2026-12-01")
    rows = table.frame.set_index("Source")
    nato = rows.loc[next(s for s in rows.index if "NATO" in s)]
    assert nato["Newest edition in this report"] == "2024 edition (annual release of 17 June 2024, data 2014-2024e), published 17 June 2024"
    assert "released 28 August 2025" in nato["Newer editions announced, not held as files"]
    assert "released 7 July 2026" in nato["Newer editions announced, not held as files"]
    announced = nato["What they announced (as reported, not recomputed)"]
    assert "Allies at or above 2% of GDP, 2025e: 32 allies (of 32)" in announced
    assert "(blank)" not in announced  # a figure the report could not read is not shown
    arms = rows.loc[next(s for s in rows.index if "Arms Transfers" in s)]
    assert arms["Newer editions announced, not held as files"] == "none"
    assert "published 9 March 2026" in arms["Newest edition in this report"]
    assert (assets / f"{table.element_id}.csv").exists()


def test_short_edition_keeps_the_name_and_drops_the_notes() -> None:
    assert as_of.short_edition("2025 release (data to 2024), published with the SIPRI Fact Sheet "
                               "'Trends'. File name suffix '_2'") == "2025 release (data to 2024)"
