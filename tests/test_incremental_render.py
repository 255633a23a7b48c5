"""The render goes on from the last one: Sphinx reads again only the pages whose source changed and
writes those and the pages that show something of theirs, and the book it publishes is
byte-identical to a render from nothing of the same tree."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT

from analysis.build import pipeline

STATIC = pipeline.STATIC_DIR


def _files(html: Path) -> dict[str, bytes]:
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    """Replace one passage of a file byte for byte (its line endings kept); a curated table's
    sidecar gets its new checksum, as a curator updates it."""
    text = path.read_bytes().decode("utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_bytes(text.replace(old, new).encode("utf-8"))
    side = path.with_name(path.name + ".meta.yml")
    if side.exists():
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        side.write_text(re.sub(r"(?m)^sha256: .*$", f"sha256: {sha}",
                               side.read_text(encoding="utf-8")), encoding="utf-8")


def _build_in(folder: Path, project: Path, cache_from: Path,
              monkeypatch: pytest.MonkeyPatch) -> pipeline.BuildReport:
    """A build of ``project`` in its own build folder whose chapter cache starts as a copy of
    ``cache_from`` (so that no notebook already executed runs again)."""
    if not (folder / "cache").exists():
        shutil.copytree(cache_from, folder / "cache")
    monkeypatch.setenv("REPORT_BUILD_DIR", str(folder))
    return pipeline.build(project, progress=False, log=lambda _m: None)


@pytest.mark.book
def test_an_incremental_render_equals_a_render_from_nothing(
        book: Path, scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or pipeline.source_date_epoch(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)  # the real book's: its cached chapters serve
    real_cache = book.parent / "cache"
    first = _build_in(tmp_path / "going-on", scratch, real_cache, monkeypatch)
    assert first.render is not None and first.render.full

    # 1. A sentence of the glossary: that page is read again; the pages that link its terms are
    #    not written again, since none of its terms moved
    _edit(scratch / "chapters/glossary.md", "in alphabetical order.", "in alphabetical order, A to Z.")
    glossary = _build_in(tmp_path / "going-on", scratch, real_cache, monkeypatch)
    assert glossary.executed == []
    assert glossary.render is not None and not glossary.render.full
    assert glossary.render.read == ["chapters/glossary"]
    assert "chapters/glossary" in glossary.render.written
    assert "chapters/ally-pol" not in glossary.render.written
    assert len(glossary.render.written) < 6, glossary.render.written

    # 2. Estonia's row of the timeline: its page, the index and the chapters that read the whole
    #    timeline are executed again; a chapter that does not read it is neither read nor written
    _edit(scratch / "data/curated/constraints_and_europe_timeline.csv",
          "Estonia signs about 200 m EUR", "Estonia signs about 200 million EUR")
    estonia = _build_in(tmp_path / "going-on", scratch, real_cache, monkeypatch)
    assert {"ally-est", "allies"} <= set(estonia.executed)
    assert "ally-pol" not in estonia.executed and "spending" not in estonia.executed
    assert estonia.render is not None and not estonia.render.full
    assert {"chapters/ally-est", "chapters/allies"} <= set(estonia.render.read)
    for untouched in ("chapters/spending", "chapters/exports"):
        assert untouched not in estonia.render.read and untouched not in estonia.render.written
    est = (estonia.html_dir / "chapters/ally-est.html").read_text(encoding="utf-8")
    assert "200 million EUR" in est

    # the same tree rendered from nothing, in another build folder (its chapters from the cache)
    fresh = _build_in(tmp_path / "from-nothing", scratch, tmp_path / "going-on" / "cache",
                      monkeypatch)
    assert fresh.executed == [] and fresh.render is not None and fresh.render.full
    going_on, from_nothing = _files(estonia.html_dir), _files(fresh.html_dir)
    assert sorted(going_on) == sorted(from_nothing)
    assert sorted(k for k in going_on if going_on[k] != from_nothing[k]) == []


def test_what_every_page_shares_starts_the_render_from_nothing(
        scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    key = pipeline.frame_key(scratch)
    assert pipeline.frame_key(scratch) == key
    # a chapter's notebook or a data file: Sphinx sees which pages changed
    _edit(scratch / "chapters/glossary.md", "in alphabetical order.", "in alphabetical order, A to Z.")
    _edit(scratch / "data/curated/constraints_and_europe_timeline.csv",
          "Estonia signs about 200 m EUR", "Estonia signs about 200 million EUR")
    assert pipeline.frame_key(scratch) == key
    # the stylesheet every page links, the build date every page shows, the configuration
    css = scratch / STATIC / "report.css"
    css.write_bytes(css.read_bytes() + b"\n/* one more rule */\n")
    assert pipeline.frame_key(scratch) != key
    key = pipeline.frame_key(scratch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")
    assert pipeline.frame_key(scratch) != key
    key = pipeline.frame_key(scratch)
    _edit(scratch / "_config.yml", 'search_bar_text: "Search the report…"',
          'search_bar_text: "Search this report…"')
    assert pipeline.frame_key(scratch) != key


def test_sync_writes_only_what_changed(tmp_path: Path) -> None:
    new, dest = tmp_path / "new", tmp_path / "dest"
    for folder, files in ((dest, {"a.md": "one", "b.md": "two", "gone/c.md": "three"}),
                          (new, {"a.md": "one", "b.md": "two, edited", "d/e.md": "four"})):
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    old = time.time() - 3600
    for p in dest.rglob("*.md"):
        os.utime(p, (old, old))
    changed = pipeline.sync_tree(new, dest)
    assert changed == ["gone/c.md", "b.md", "d/e.md"]
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) == [
        "a.md", "b.md", "d/e.md"]
    assert not (dest / "gone").exists()
    assert (dest / "a.md").stat().st_mtime == pytest.approx(old)  # Sphinx will not read it again
    assert (dest / "b.md").stat().st_mtime > old + 60
    assert (dest / "b.md").read_text(encoding="utf-8") == "two, edited"
