"""A new vintage in one step, and what changed between two vintages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import store_path

from analysis.build import cli, vintages
from analysis.calc import revisions
from analysis.data.errors import DataError

SOURCE = "sipri-arms-transfers"
OLD = "2026-02-12"
NEW = "2027-02-16"
NAME = "trade-register-deliveries.csv"
ROOT = Path(__file__).resolve().parents[1]


def _new_edition(scratch: Path, tmp_path: Path) -> Path:
    """The current register with one TIV value revised and one row dropped (as a new edition
    would do), written where an analyst would have downloaded it."""
    lines = store_path(scratch, f"data/raw/{SOURCE}/{OLD}/{NAME}").read_text(encoding="ascii").split("\n")
    assert lines[12].endswith(",0.1,1.2,No;") and lines[14].startswith("33777,")
    lines[12] = lines[12].replace(",0.1,1.2,No;", ",0.1,2.4,No;")
    del lines[14]
    out = tmp_path / "download" / NAME
    out.parent.mkdir()
    out.write_text("\n".join(lines), encoding="ascii")
    return out


def test_add_vintage_stores_fills_sidecar_and_points_params(scratch: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    new_file = _new_edition(scratch, tmp_path)
    params_before = (scratch / "chapters/params.yml").read_text()

    assert cli.main(["add-vintage", SOURCE, NEW, str(new_file), "--edition", "2026 edition"]) == 0

    stored = store_path(scratch, f"data/raw/{SOURCE}/{NEW}/{NAME}")
    assert stored.read_bytes() == new_file.read_bytes()  # placed in the (writable) data store
    side = scratch / "data/raw" / SOURCE / NEW / (NAME + ".meta.yml")
    assert sorted(p.name for p in side.parent.iterdir()) == [side.name]  # the repository: sidecar only
    meta = yaml.safe_load(side.read_text())
    old_meta = yaml.safe_load((scratch / "data/raw" / SOURCE / OLD / (NAME + ".meta.yml")).read_text())
    assert meta["publisher"] == old_meta["publisher"] and meta["credit"] == old_meta["credit"]
    assert meta["edition"] == "2026 edition" and meta["date_published"] == NEW
    assert meta["sha256"] != old_meta["sha256"] and "obtained_from" not in meta
    assert meta["size_bytes"] == new_file.stat().st_size
    out = capsys.readouterr().out
    assert f"placed the file in the data store at {stored}" in out
    params = yaml.safe_load((scratch / "chapters/params.yml").read_text())
    assert params["vintages"]["deliveries"]["vintage"] == NEW
    text = (scratch / "chapters/params.yml").read_text()
    assert text.startswith("# ")  # comments kept
    changed = [(a, b) for a, b in zip(params_before.splitlines(), text.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 1  # one line of the declaration, for every chapter that reads it
    assert "vintages.deliveries: 2026-02-12 -> 2027-02-16" in out

    assert cli.main(["diff", SOURCE, OLD, NEW]) == 0
    out = capsys.readouterr().out
    assert f"{SOURCE}/{NAME}: {OLD} -> {NEW}: 0 added, 1 removed, 1 revised" in out


def test_a_bad_new_vintage_leaves_nothing_behind(scratch: Path, tmp_path: Path) -> None:
    new_file = _new_edition(scratch, tmp_path)
    new_file.write_text(new_file.read_text().replace(",0.1,2.4,No;", ",0.1,lots,No;"))
    params_before = (scratch / "chapters/params.yml").read_bytes()
    with pytest.raises(DataError, match=r"line 13, column 'tiv_delivered'.*is-number"):
        vintages.add_vintage(scratch, SOURCE, NEW, new_file)
    assert not (scratch / "data/raw" / SOURCE / NEW).exists()
    assert not store_path(scratch, f"data/raw/{SOURCE}/{NEW}").exists()
    assert (scratch / "chapters/params.yml").read_bytes() == params_before


def test_a_store_that_already_holds_the_file_is_checked_not_written(
        scratch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_file = _new_edition(scratch, tmp_path)
    in_store = store_path(scratch, f"data/raw/{SOURCE}/{NEW}/{NAME}")
    in_store.parent.mkdir(parents=True)
    in_store.write_bytes(new_file.read_bytes() + b"\n")  # a different file under that name
    with pytest.raises(DataError, match="already holds a different"):
        vintages.add_vintage(scratch, SOURCE, NEW, new_file)
    assert not (scratch / "data/raw" / SOURCE / NEW).exists()
    in_store.write_bytes(new_file.read_bytes())  # the identical file: recorded, not copied
    mtime = in_store.stat().st_mtime_ns
    added = vintages.add_vintage(scratch, SOURCE, NEW, new_file)
    assert not added.placed and in_store.stat().st_mtime_ns == mtime
    assert "already holds an identical file" in added.summary()


def test_a_vintage_is_never_overwritten(scratch: Path) -> None:
    existing = store_path(scratch, f"data/raw/{SOURCE}/{OLD}/{NAME}")
    with pytest.raises(DataError, match="no-overwrite"):
        vintages.add_vintage(scratch, SOURCE, OLD, existing)
    with pytest.raises(DataError, match="not an ISO date"):
        vintages.add_vintage(scratch, SOURCE, "2027-02", existing)


def test_a_new_vintage_changes_one_line_of_the_declaration() -> None:
    """Only the line of the file added changes, though three files share the source."""
    from analysis.build import declaration

    text = (ROOT / "chapters/params.yml").read_text(encoding="utf-8")
    out, changed = declaration.point_at(text, SOURCE, NAME, OLD, NEW)
    before, after = text.splitlines(), out.splitlines()
    moved = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(moved) == 1 and changed == [f"vintages.deliveries: {OLD} -> {NEW}"]
    assert moved[0][1] == moved[0][0].replace(f'"{OLD}"', f'"{NEW}"')
    # another file of the same source and vintage is not touched
    assert declaration.point_at(text, SOURCE, "trade-register-deals.csv", OLD, NEW)[1] == []


def test_diff_series_on_hand_made_frames() -> None:
    old = pd.DataFrame({"k": ["a", "b", "c"], "v": [1.0, 2.0, 3.0]})
    new = pd.DataFrame({"k": ["a", "b", "d"], "v": [1.0, 2.5, 4.0]})
    d = revisions.diff_series(old, new, ["k"], "v")
    assert d.counts() == {"added": 1, "removed": 1, "revised": 1}
    assert d.revised[["k", "old", "new", "difference"]].values.tolist() == [["b", 2.0, 2.5, 0.5]]
    assert d.added["k"].tolist() == ["d"] and d.removed["k"].tolist() == ["c"]


def test_revision_table_of_the_two_sipri_editions() -> None:
    from analysis.calc import exports
    from analysis.data.readers import sipri_tiv_table, sipri_transfers

    table = sipri_tiv_table.turkey_exports("2022-07-28")
    old = table[table["is_total"] & table["year"].between(1995, 2021)][["year", "tiv"]]
    # SIPRI's rounded Total row agrees with the sum of its recipients within rounding
    by_recipient = table[~table["is_total"]].groupby("year")["tiv"].sum()
    assert (old.set_index("year")["tiv"] - by_recipient.loc[1995:2021]).abs().max() <= 3
    new = exports.yearly_tiv(sipri_transfers.deliveries("2026-02-12"), "Turkiye", 1995, 2021)
    rev = revisions.revision_table(old, new)
    row = rev.set_index("year").loc[2021]
    assert row["old"] == 380 and round(row["new"]) == 482  # the figures the sidecar cites


def test_a_renamed_edition_is_found_by_its_reader_pattern(scratch: Path, tmp_path: Path) -> None:
    """NATO renames its workbook every edition; the new one is still the same publication."""
    from analysis.data.readers import nato
    from analysis.data.sources import resolve

    old_dir = store_path(scratch, "data/raw/nato-defence-expenditure/2024-06-17")
    renamed = tmp_path / "250827-def-exp-2025-TABLES-en.xlsx"
    renamed.write_bytes(next(old_dir.glob("*.xlsx")).read_bytes())
    added = vintages.add_vintage(scratch, "nato-defence-expenditure", "2025-08-27", renamed,
                                 edition="2025 edition")
    assert added.previous == "2024-06-17"
    assert added.params_changed == ["vintages.nato: 2024-06-17 -> 2025-08-27"]
    df = resolve("nato-defence-expenditure", "2025-08-27", nato.TABLES_FILE)
    assert df.name == renamed.name and df.meta["credit"].startswith("NATO")


def test_add_vintage_writes_what_the_new_file_says_and_lists_what_to_review(
        scratch: Path, tmp_path: Path) -> None:
    """A new deals register: its generation date and coverage come from the file itself, the
    previous edition's caveats are never carried over, and what was copied is listed."""
    src = store_path(scratch, "data/raw/sipri-arms-transfers/2026-05-18/trade-register-deals.csv")
    lines = src.read_bytes().decode("latin-1").split("\n")
    assert lines[10].startswith("Data generated: 18 May 2026")
    lines[10] = "Data generated: 2 Mar 2027 9:00:00 AM"
    turkish = next(i for i, ln in enumerate(lines) if i > 11 and ",Turkiye," in ln)
    del lines[turkish]
    new = tmp_path / "trade-register.csv"
    new.write_bytes("\n".join(lines).encode("latin-1"))
    added = vintages.add_vintage(scratch, SOURCE, "2027-03-02", new, name="trade-register-deals.csv",
                                 edition="2027 edition")
    meta = yaml.safe_load(added.sidecar.read_text())
    assert added.previous == "2026-05-18"
    assert meta["date_generated"] == "2027-03-02" and meta["edition"] == "2027 edition"
    assert meta["coverage"].startswith("29,915 deals, orders 1940-2025")
    assert "276 with supplier Turkiye" in meta["coverage"]
    assert meta["caveats"].startswith("(fill in") and "date_published_note" not in meta
    assert {"title", "credit", "caveats", "date_published"} <= set(added.review)
    assert "review this in the sidecar (copied from vintage 2026-05-18)" in added.summary()


def test_add_vintage_refuses_a_layout_no_reader_understands(scratch: Path, tmp_path: Path) -> None:
    src = store_path(scratch, "data/raw/sipri-arms-transfers/2026-05-18/trade-register-deals.csv")
    lines = src.read_bytes().decode("latin-1").split("\n")
    lines[11] = lines[11].replace("Weapon description", "Weapon type")
    new = tmp_path / "trade-register.csv"
    new.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(DataError, match=r"line 12, column 'Weapon description'.*'Weapon type'"):
        vintages.add_vintage(scratch, SOURCE, "2027-03-02", new, name="trade-register-deals.csv")
    assert not (scratch / "data/raw" / SOURCE / "2027-03-02").exists()
