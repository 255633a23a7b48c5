"""The pipeline on a scratch copy of the project: cache, selective re-execution, safe publish."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import store_path

from analysis.build import pipeline
from analysis.data.errors import BuildError, DataError
from analysis.data.sources import HELD_INPUT

PROBE = """\
# %% parameters
"""


def _add_probe_chapter(project: Path) -> None:
    """A second chapter that reads only the curated claims table."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Probe\n\nClaims held: {glue:text}`n-claims`."),
        nbformat.v4.new_code_cell("table = 'claims.csv'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "from myst_nb import glue\nfrom analysis.data.readers import curated\n"
            "glue('n-claims', str(len(curated.table(table))), display=False)",
            metadata={"tags": ["remove-cell"]}),
    ]
    for i, c in enumerate(nb.cells):
        c.id = f"p{i}"
    nbformat.write(nb, project / "chapters/probe.ipynb")
    toc = yaml.safe_load((project / "_toc.yml").read_text())
    chapters = next(p for p in toc["parts"] if p.get("numbered"))  # the numbered part
    chapters["chapters"].append({"file": "chapters/probe"})
    (project / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))


def _touch_curated(project: Path, name: str) -> None:
    """Append a copy of the last row (kept valid) and update the sidecar's checksum."""
    path = project / "data/curated" / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines) + lines[-1].replace("sales_to_european_allies",
                                                       "sales_to_european_allies"), encoding="utf-8")
    side = path.with_name(name + ".meta.yml")
    meta = yaml.safe_load(side.read_text())
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))


def _build(project: Path, **kw):
    return pipeline.build(project, progress=False, log=lambda _m: None, **kw)


@pytest.fixture()
def project(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORT_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    _add_probe_chapter(scratch)
    return scratch


def test_cache_then_selective_reexecution_then_safe_failure(project: Path, tmp_path: Path) -> None:
    first = _build(project)
    every = sorted(c.name for c in pipeline.chapters(project))
    assert "probe" in every and sorted(first.executed) == every and first.rendered
    html = tmp_path / "build/html"
    assert (html / "chapters/probe.html").exists()
    assert "Claims held: " in (html / "chapters/probe.html").read_text()

    second = _build(project)
    assert second.executed == [] and not second.rendered  # nothing executed, nothing rendered

    cache = tmp_path / "build/cache/chapters"
    readers = sorted(c for c in every if any(
        rel == "data/curated/claims.csv"
        for rel, _ in json.loads((cache / c / "last.json").read_text())["inputs"]))
    assert "probe" in readers and len(readers) < len(every)
    _touch_curated(project, "claims.csv")
    third = _build(project)
    assert sorted(third.executed) == readers and third.rendered  # exactly the chapters that read it
    n = len((project / "data/curated/claims.csv").read_text().splitlines()) - 1
    assert f"Claims held: <span class=\"pasted-text\">{n}</span>" in (
        html / "chapters/probe.html").read_text()

    # a new vintage declared (its sidecar in data/raw, its file in the store): exactly the chapters
    # that list the vintages held re-execute, although none of them reads the new file
    listers = sorted(c for c in every if any(
        rel == HELD_INPUT for rel, _ in json.loads((cache / c / "last.json").read_text())["inputs"]))
    # What changed lists them; the introduction and the spending chapter say how current they are
    assert {"changes", "intro", "spending"} <= set(listers) and "exports" not in listers
    old_rel = "data/raw/sipri-arms-transfers/2022-07-28/tiv-exports-from-turkey.csv"
    new_rel = old_rel.replace("2022-07-28", "2023-07-28")
    for a, b in ((project / (old_rel + ".meta.yml"), project / (new_rel + ".meta.yml")),
                 (store_path(project, old_rel), store_path(project, new_rel))):
        b.parent.mkdir(parents=True)
        b.write_bytes(a.read_bytes())
    fourth = _build(project)
    assert sorted(fourth.executed) == listers and fourth.rendered

    # a failing cell: the build stops, names chapter, cell and error, and the book is untouched
    before = {p: p.read_bytes() for p in html.rglob("*") if p.is_file()}
    nb = nbformat.read(project / "chapters/probe.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('probe broke')"))
    nb.cells[-1].id = "boom"
    nbformat.write(nb, project / "chapters/probe.ipynb")
    with pytest.raises(BuildError, match=r"chapter 'probe' \(probe\.ipynb\), cell .*ValueError: probe broke"):
        _build(project)
    after = {p: p.read_bytes() for p in html.rglob("*") if p.is_file()}
    assert after == before


def test_bad_data_stops_the_build_before_any_html(project: Path, tmp_path: Path) -> None:
    path = project / "data/curated/constraints_and_europe_timeline.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2017-09-12,day", "2017-13-12,day", 1),
                    encoding="utf-8")
    side = path.with_name(path.name + ".meta.yml")
    meta = yaml.safe_load(side.read_text())
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True))
    with pytest.raises(DataError, match=r"constraints_and_europe_timeline\.csv, line 2, column 'date'"):
        _build(project)
    assert not (tmp_path / "build/html").exists()


def test_params_must_match_the_notebook(project: Path) -> None:
    params = yaml.safe_load((project / "chapters/params.yml").read_text())
    params["chapters"]["exports"]["first_year"] = "1995"
    (project / "chapters/params.yml").write_text(yaml.safe_dump(params))
    with pytest.raises(DataError, match=r"params\.yml, line \d+, column 'exports\.first_year'.*is a str; exports\.run takes a int"):
        _build(project)
    params["chapters"]["exports"]["first_year"] = 1995
    params["vintages"]["deliveries"]["vintage"] = "2030-01-01"
    (project / "chapters/params.yml").write_text(yaml.safe_dump(params))
    with pytest.raises(DataError, match=r"column 'vintages\.deliveries'.*holds no vintage '2030-01-01'"):
        _build(project)


def test_injected_parameters_are_hidden(project: Path, tmp_path: Path) -> None:
    _build(project, only=["exports", "probe"], subset=True)
    cache = tmp_path / "build/cache/chapters/exports"
    key = json.loads((cache / "last.json").read_text())["key"]
    nb = nbformat.read(cache / key / "exports.ipynb", as_version=4)
    tagged = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"]
    assert any("injected-parameters" in t and "remove-cell" in t for t in tagged)
    assert all("remove-cell" in t for t in tagged if "parameters" in t)
