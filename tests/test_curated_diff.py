"""Two versions of the report's curated tables compared row by row, matched on each table's row
key (``analysis.data.readers.curated.key_columns``): ``report diff curated <old> <new>`` for two
folders or a git revision and the working copy, and the What-changed page's table of each table
against its previous version in the repository's history."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from analysis.build import cli
from analysis.data.readers import curated


def test_every_curated_table_has_a_row_key_unique_in_its_rows() -> None:
    for name in sorted(curated.SCHEMAS):
        keys = curated.key_columns(name)
        frame = curated.table(name)
        assert keys and set(keys) <= set(frame.columns), name
        assert not frame.duplicated(keys).any(), f"{name}: {keys} is not unique"


def _edit_claims(path: Path) -> dict[str, str]:
    """Revise one row's quality note, drop another row, add a copy of a third with a new date."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    frame = curated.table("claims.csv")
    revised, removed, copied = frame.iloc[0], frame.iloc[1], frame.iloc[2]
    assert lines[1].startswith(revised["claim_id"] + ",")
    lines[1] = lines[1].replace(revised["quality_note"], revised["quality_note"] + " (checked again)")
    assert revised["quality_note"] in lines[1]
    added = lines[3].replace(copied["claim_date"], "2099-01-01", 1)
    assert added != lines[3]
    del lines[2]
    path.write_text("".join([*lines, added]), encoding="utf-8")
    return {"revised": revised["claim_id"], "removed": removed["claim_id"],
            "added": copied["claim_id"]}


def test_report_diff_curated_between_two_folders(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(ROOT / "data/curated", old)
    shutil.copytree(ROOT / "data/curated", new)
    ids = _edit_claims(new / "claims.csv")
    assert cli.main(["diff", "curated", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert (f"curated/claims.csv: {old} -> {new}: 1 added, 1 removed, 1 revised (rows matched "
            "on claim_id, claimant, claim_date)") in out
    lines = out.splitlines()
    assert any(ln.strip().startswith(ids["revised"]) and " revised " in ln
               and ln.rstrip().endswith("quality_note") for ln in lines)
    assert any(ln.strip().startswith(ids["added"]) and "2099-01-01" in ln and " added " in ln
               for ln in lines)
    assert any(ln.strip().startswith(ids["removed"]) and " removed " in ln for ln in lines)
    n = len(curated.SCHEMAS)
    assert f"{n - 1} table(s) unchanged" in out  # every other table: nothing spurious
    assert cli.main(["diff", "curated", str(old), str(old), "--table", "claims.csv"]) == 0
    assert capsys.readouterr().out.strip() == "1 table(s) unchanged: claims.csv"


def _git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(project), "-c", "user.name=test",
                           "-c", "user.email=test@example.org", *args],
                          capture_output=True, text=True, check=True).stdout


def test_the_working_copy_against_the_repository_s_history(
        scratch: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.chapters import changes

    # a copy of the report without its history (an archive): nothing to compare
    shutil.rmtree(scratch / ".git", ignore_errors=True)
    summary, rows = changes.curated_changes()
    assert (summary["previous version"] == "none held").all() and rows.empty

    _git(scratch, "init", "-q")
    _git(scratch, "add", "-A")
    _git(scratch, "commit", "-q", "-m", "tables as published")
    path = scratch / "data/curated/claims.csv"
    ids = _edit_claims(path)
    side = path.with_name("claims.csv.meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.chdir(scratch)
    assert cli.main(["diff", "curated", "HEAD", "data/curated"]) == 0
    out = capsys.readouterr().out
    assert "curated/claims.csv: HEAD -> data/curated: 1 added, 1 removed, 1 revised" in out

    date = _git(scratch, "log", "-1", "--format=%cs").strip()
    for committed in (False, True):  # the same before and after the edit is committed
        if committed:
            _git(scratch, "commit", "-q", "-am", "claims revised")
        summary, rows = changes.curated_changes()
        s = summary.set_index("table")
        assert s.loc["claims.csv", ["previous version", "added", "removed", "revised"]].tolist() \
            == [date, 1, 1, 1]
        assert (s.drop(index="claims.csv")["previous version"] == "none held").all()
        assert sorted(zip(rows["change"], [r.split(" | ")[0] for r in rows["row"]],
                          strict=True)) == sorted([("added", ids["added"]),
                                                   ("removed", ids["removed"]),
                                                   ("revised", ids["revised"])])
        assert rows.loc[rows["change"] == "revised", "columns"].tolist() == ["quality_note"]
