"""Sources: every file has a complete sidecar whose checksum matches; reads are resolved safely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis import sources
from analysis.errors import DataError


def test_every_file_has_a_complete_sidecar_and_matching_checksum(root: Path) -> None:
    files = sources.list_files(root / "data")
    assert {f.source for f in files} >= {"sipri-arms-transfers", "curated"}
    for f in files:
        sources.verify(f)  # raises on mismatch
        for key in sources.SIDECAR_FIELDS:
            assert f.meta[key], (f.path, key)


def test_vintages_are_dates_oldest_first(root: Path) -> None:
    assert sources.vintages("sipri-arms-transfers", root / "data") == [
        "2022-07-28", "2025-03-13", "2026-02-12"]


def test_the_project_never_reads_the_shared_folder(root: Path) -> None:
    offenders = [p for p in (root / "src").rglob("*.py") if "../shared" in p.read_text()]
    offenders += [p for p in (root / "chapters").glob("*.ipynb") if "../shared" in p.read_text()]
    assert offenders == []


def test_missing_vintage_names_what_is_held(scratch: Path) -> None:
    with pytest.raises(DataError) as err:
        sources.resolve("sipri-arms-transfers", "2031-01-01", "trade-register-deliveries.csv")
    msg = str(err.value)
    assert "2031-01-01" in msg and "2026-02-12" in msg and "vintage-present" in msg


def test_checksum_mismatch_is_caught(scratch: Path) -> None:
    path = scratch / "data/curated/claims.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(DataError, match=r"claims\.csv: sha256 .* differs from the sidecar"):
        sources.resolve("curated", "curated", "claims.csv")


def test_missing_sidecar_is_caught(scratch: Path) -> None:
    (scratch / "data/curated/claims.csv.meta.yml").unlink()
    with pytest.raises(DataError, match=r"claims\.csv: no sidecar .*\[rule: sidecar-present\]"):
        sources.resolve("curated", "curated", "claims.csv")


def test_sidecar_without_a_field_is_caught(scratch: Path) -> None:
    side = scratch / "data/curated/claims.csv.meta.yml"
    meta = yaml.safe_load(side.read_text())
    meta["terms"] = ""
    side.write_text(yaml.safe_dump(meta))
    with pytest.raises(DataError, match=r"column 'terms'.*sidecar field 'terms' is missing"):
        sources.resolve("curated", "curated", "claims.csv")


def test_vintage_folder_must_be_a_date(scratch: Path) -> None:
    (scratch / "data/raw/sipri-arms-transfers/latest").mkdir()
    with pytest.raises(DataError, match=r"vintage folder 'latest' is not an ISO date"):
        sources.list_files(scratch / "data")


def test_reads_are_logged_for_the_cache(scratch: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "inputs.txt"
    monkeypatch.setenv("REPORT_INPUT_LOG", str(log))
    df = sources.resolve("curated", "curated", "claims.csv")
    sources.resolve("curated", "curated", "claims.csv")
    assert log.read_text().splitlines() == [
        f"data/curated/claims.csv\t{df.sha256}",
        f"data/curated/claims.csv.meta.yml\t{sources.sha256_of(df.sidecar)}"]
