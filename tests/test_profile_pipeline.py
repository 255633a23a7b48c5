"""The profiles in the build: one page per Ally listed by the build, each cached on its own
parameters and on what it read (the timeline rows that name it, not the whole timeline)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from analysis.build import pipeline


def test_every_ally_is_a_chapter_and_a_toc_entry(root: Path) -> None:
    with (root / pipeline.MEMBERS_FILE).open(encoding="utf-8", newline="") as fh:
        iso3s = {r["iso3"] for r in csv.DictReader(fh)}
    assert len(iso3s) == 32 and {"USA", "CAN", "TUR"} <= iso3s
    names = {c.name: c for c in pipeline.chapters(root)}
    assert {f"ally-{i.lower()}" for i in iso3s} <= set(names) and "profile" not in names
    assert names["ally-pol"].params["iso3"] == "POL"
    assert names["ally-pol"].path == names["ally-tur"].path == root / "chapters/profile.ipynb"
    docs = pipeline.toc_files(root)
    assert docs.index("chapters/allies") < docs.index("chapters/ally-alb")
    assert {f"chapters/ally-{i.lower()}" for i in iso3s} <= set(docs)
    # by hand, _toc.yml names the index only
    assert "ally-" not in (root / "_toc.yml").read_text(encoding="utf-8")


def _edit_timeline_row(project: Path, starts: str, old: str, new: str,
                       table: str = "constraints_and_europe_timeline.csv") -> None:
    """Change one row of a curated table (the timeline unless told; kept valid) and its
    sidecar's checksum."""
    path = project / "data/curated" / table
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    hits = [i for i, ln in enumerate(lines) if ln.startswith(starts) and old in ln]
    assert len(hits) == 1
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    side = path.with_name(path.name + ".meta.yml")  # its checksum line, as a curator updates it
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(re.sub(r"(?m)^sha256: .*$", f"sha256: {sha}", side.read_text(encoding="utf-8")),
                    encoding="utf-8")


def profiles_pattern(country: str, iso3: str) -> str:
    from analysis.calc import profiles

    return profiles.name_pattern(country, iso3).pattern


def _changed_inputs(project: Path, cache: Path, name: str) -> list[str]:
    from analysis.data.sources import input_digest

    recorded = json.loads((cache / name / "last.json").read_text())["inputs"]
    return [rel for rel, sha in recorded if rel != "data/raw/" and input_digest(project, rel) != sha]


def test_one_allys_row_re_executes_its_page_and_the_index(scratch: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    cache = tmp_path / "cache" / "chapters"
    cache.mkdir(parents=True)
    todo = pipeline.chapters(scratch, ["ally-est", "ally-pol", "allies"])
    first = pipeline.run_chapters(scratch, todo, cache=cache, jobs=2, timeout=600, progress=False)
    assert sorted(r.name for r in first if r.executed) == ["allies", "ally-est", "ally-pol"]
    assert all(pipeline.cached_key(scratch, c, cache) for c in todo)
    # Estonia's row of the timeline (it names no other Ally)
    _edit_timeline_row(scratch, "2023-10-18", "Estonia signs about 200 m EUR",
                       "Estonia signs about 200 million EUR")
    stale = sorted(c.name for c in todo if pipeline.cached_key(scratch, c, cache) is None)
    changed = {c.name: _changed_inputs(scratch, cache, c.name) for c in todo}
    assert stale == ["allies", "ally-est"], changed
    assert changed["ally-est"] == ["data/curated/constraints_and_europe_timeline.csv#event~"
                                   + profiles_pattern("Estonia", "EST")]
    again = pipeline.run_chapters(scratch, todo, cache=cache, jobs=2, timeout=600, progress=False)
    assert sorted(r.name for r in again if r.executed) == ["allies", "ally-est"]
    est = (cache / "ally-est" / next(r.key for r in again if r.name == "ally-est")
           / "ally-est.ipynb").read_text(encoding="utf-8")
    assert "200 million EUR" in est and "# Estonia" in est


def test_greeces_rule_re_executes_its_page_and_the_index(scratch: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile reads only the rows of the EU defence rules whose actor or statement names its
    Ally: a change to Greece's position re-executes Greece's page and the index, not Poland's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    cache = tmp_path / "cache" / "chapters"
    cache.mkdir(parents=True)
    todo = pipeline.chapters(scratch, ["ally-grc", "ally-pol", "allies"])
    pipeline.run_chapters(scratch, todo, cache=cache, jobs=2, timeout=600, progress=False)
    assert all(pipeline.cached_key(scratch, c, cache) for c in todo)
    _edit_timeline_row(scratch, "greece_veto,", "while the threat of war against it continues",
                       "while the threat of war against Greece continues",
                       table="eu_defence_rules.csv")
    stale = sorted(c.name for c in todo if pipeline.cached_key(scratch, c, cache) is None)
    changed = {c.name: _changed_inputs(scratch, cache, c.name) for c in todo}
    assert stale == ["allies", "ally-grc"], changed
    pattern = profiles_pattern("Greece", "GRC")
    assert changed["ally-grc"] == [f"data/curated/eu_defence_rules.csv#{col}~{pattern}"
                                   for col in ("actor", "statement")]
    again = pipeline.run_chapters(scratch, todo, cache=cache, jobs=2, timeout=600, progress=False)
    assert sorted(r.name for r in again if r.executed) == ["allies", "ally-grc"]
    grc = (cache / "ally-grc" / next(r.key for r in again if r.name == "ally-grc")
           / "ally-grc.ipynb").read_text(encoding="utf-8")
    assert "against Greece continues" in grc
