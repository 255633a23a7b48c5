"""Two clean builds of the same commit are byte-identical, even from clones in different folders:
HTML, CSV, SVG and everything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.build import pipeline
from analysis.build.bench import copy_project

#: Files allowed to differ between two clean builds. Keep it empty; say why for any entry.
ALLOWED_TO_DIFFER: frozenset[str] = frozenset()


def _files(html: Path) -> dict[str, bytes]:
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()}


@pytest.mark.book
def test_two_clean_builds_are_byte_identical(root: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = pipeline.source_date_epoch(root)
    # the second build is of a copy of the project in another folder (a clone elsewhere)
    elsewhere = copy_project(root, tmp_path / "elsewhere" / "clone")
    builds = []
    for i, project in ((1, root), (2, elsewhere)):
        monkeypatch.setenv("REPORT_BUILD_DIR", str(tmp_path / f"build{i}"))
        monkeypatch.setenv("REPORT_DATA_CACHE", str(tmp_path / f"data{i}"))
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        monkeypatch.setenv("REPORT_ROOT", str(project))
        report = pipeline.build(project, progress=False, log=lambda _m: None)
        assert report.rendered and len(report.executed) == len(pipeline.chapters(project))
        builds.append(_files(report.html_dir))
    one, two = builds
    assert sorted(one) == sorted(two)
    differ = sorted(k for k in one if one[k] != two[k] and k not in ALLOWED_TO_DIFFER)
    assert differ == []
    kinds = {Path(k).suffix for k in one}
    assert {".html", ".csv", ".svg"} <= kinds
    assert os.environ.get("SOURCE_DATE_EPOCH") == epoch
