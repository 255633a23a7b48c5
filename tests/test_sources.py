"""Sources: every file has a complete sidecar whose checksum matches; reads are resolved safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analysis.data import sources
from analysis.data.errors import DataError
from analysis.data.sources import physical


def test_every_file_has_a_complete_sidecar_and_matching_checksum(root: Path) -> None:
    files = sources.list_files(root / "data")
    assert {f.source for f in files} >= {"sipri-arms-transfers", "curated"}
    for f in files:
        sources.verify(f)  # raises on mismatch
        for key in sources.SIDECAR_FIELDS:
            assert f.meta[key], (f.path, key)


def test_vintages_are_dates_oldest_first(root: Path) -> None:
    assert sources.vintages("sipri-arms-transfers", root / "data") == [
        "2022-07-28", "2025-03-13", "2026-02-12", "2026-05-18"]


def test_git_tracks_no_publisher_file_under_data_raw(root: Path) -> None:
    """The repository keeps pointers (sidecars); the bytes stay in the data store."""
    import subprocess

    tracked = subprocess.run(["git", "-C", str(root), "ls-files", "data/raw"], capture_output=True,
                             text=True, check=True).stdout.split()
    assert tracked, "no sidecars tracked under data/raw"
    assert [p for p in tracked if not p.endswith(".meta.yml")] == []
    ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "--no-index",
                              "data/raw/sipri-milex/2025-04-28/SIPRI-Milex-data-1949-2024_2.xlsx",
                              "data/raw/sipri-milex/2025-04-28/SIPRI-Milex-data-1949-2024_2.xlsx.meta.yml"],
                             capture_output=True, text=True, check=False).stdout.split()
    assert ignored == ["data/raw/sipri-milex/2025-04-28/SIPRI-Milex-data-1949-2024_2.xlsx"]


def test_nothing_but_the_data_store_reads_the_shared_folder(root: Path) -> None:
    """Only analysis.data.sources (and the stdlib fingerprint) know where the store is by default."""
    # code that builds the store's default place: / "shared" (a path join) or a "../shared" literal
    in_code = re.compile(r"""/\s*["']shared["']|["']\.\./shared""")
    # a notebook names neither the store's path nor its folder
    in_notebook = re.compile(r"\.\./shared\b|shared/data")
    offenders = [p.name for p in (root / "src").rglob("*.py")
                 if in_code.search(p.read_text()) and p.name not in ("sources.py", "fingerprint.py")]
    offenders += [p.name for p in (root / "chapters").glob("*.ipynb")
                  if in_notebook.search(p.read_text())]
    assert offenders == []
    assert in_code.search('(project.parent / "shared" / "data")')  # the rule finds the store
    assert not in_code.search('.resolve_scale(x="shared")')  # and not Vega's word


def test_raw_files_are_read_from_the_data_store(scratch: Path) -> None:
    df = sources.resolve("sipri-milex", "2025-04-28", "SIPRI-Milex-data-1949-2024_2.xlsx")
    assert df.path == scratch.parent / "shared/data/sipri-milex/2025-04-28" / df.name
    assert df.sidecar == scratch / "data/raw/sipri-milex/2025-04-28" / (df.name + ".meta.yml")
    assert df.relpath == "data/raw/sipri-milex/2025-04-28/SIPRI-Milex-data-1949-2024_2.xlsx"
    assert df.meta["size_bytes"] == df.path.stat().st_size
    assert physical(df.relpath) == df.path


def test_a_missing_file_says_where_it_was_looked_for_and_how_to_get_it(
        scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-store"
    empty.mkdir()
    monkeypatch.setenv("REPORT_DATA_STORE", str(empty))
    with pytest.raises(DataError) as err:
        sources.resolve("sipri-arms-transfers", "2026-02-12", "trade-register-deliveries.csv")
    msg = str(err.value)
    side = yaml.safe_load((scratch / "data/raw/sipri-arms-transfers/2026-02-12/"
                           "trade-register-deliveries.csv.meta.yml").read_text())
    for part in ("sipri-arms-transfers, vintage 2026-02-12", "trade-register-deliveries.csv",
                 str(empty), "REPORT_DATA_STORE", side["url"], side["sha256"],
                 f"{side['size_bytes']:,} bytes", "[rule: store-holds-file]"):
        assert part in msg, (part, msg)
    inventory = sources.store_inventory(scratch / "data")
    assert inventory["sipri-milex"] == [("2025-04-28/SIPRI-Milex-data-1949-2024_2.xlsx", False)]


def test_validate_lists_what_the_store_holds_and_lacks(
        scratch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analysis.build import cli

    (scratch.parent / "shared/data/usgs-mcs/2025-01-31/mcs2025-rare-earths.pdf").unlink()
    assert cli.main(["validate"]) == 2
    out, err = capsys.readouterr()
    assert "usgs-mcs: holds 1 of 2 declared files; missing: 2025-01-31/mcs2025-rare-earths.pdf" in out
    assert "sipri-milex: holds 1 of 1 declared files" in out
    assert "mcs2025-rare-earths.pdf" in err and "store-holds-file" in err


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
