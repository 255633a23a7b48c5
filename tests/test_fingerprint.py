"""The no-op fast path: any changed input byte, or a new commit date, means a real build."""

from __future__ import annotations

from pathlib import Path

from analysis.build import fingerprint


def test_any_changed_input_changes_the_fingerprint(scratch: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "html").mkdir(parents=True)
    assert not fingerprint.unchanged(scratch, build, "1")  # no stamp yet
    fingerprint.record(scratch, build, "1")
    assert fingerprint.unchanged(scratch, build, "1")
    assert not fingerprint.unchanged(scratch, build, "2")  # a new commit date

    csv = scratch / "data/curated/claims.csv"
    csv.write_bytes(csv.read_bytes().replace(b"\r\n", b"\n"))
    assert not fingerprint.unchanged(scratch, build, "1")
    fingerprint.record(scratch, build, "1")
    (scratch / "chapters/params.yml").write_text(
        (scratch / "chapters/params.yml").read_text() + "\n", encoding="utf-8")
    assert not fingerprint.unchanged(scratch, build, "1")
    fingerprint.record(scratch, build, "1")
    fingerprint.forget(build)
    assert not fingerprint.unchanged(scratch, build, "1")


def test_no_html_means_no_shortcut(scratch: Path, tmp_path: Path) -> None:
    build = tmp_path / "build"
    build.mkdir()
    fingerprint.record(scratch, build, "1")
    assert not fingerprint.unchanged(scratch, build, "1")
