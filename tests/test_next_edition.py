"""A next edition of SIPRI's deal register, end to end, as a user brings it in (issue 15's "done
means"): a synthetic edition made from the real 2026 register by revising one of Türkiye's deals'
delivered TIV, adding one deal and renaming one weapon description.

- ``report add-vintage`` records it and points the book at it;
- the renamed word stops the build at validation, naming the file, line, column, the word and
  the vocabulary table to map it in, before any chapter runs;
- once the word is mapped (the row the message asks for), ``report diff`` and the What-changed
  page list exactly the revised deal and the new one: the renamed description is matched, not
  reported as a deal removed and another added.
"""

from __future__ import annotations

import csv
import hashlib
import html as _html
import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, store_path

from analysis.build import cli, pipeline
from analysis.data.errors import DataError

SOURCE = "sipri-arms-transfers"
OLD, NEW = "2026-05-18", "2027-05-20"
FILE = "trade-register-deals.csv"
PREAMBLE = 11  # SIPRI's preamble lines before the header
#: the deal register's columns (positions in SIPRI's export)
RECIPIENT, SUPPLIER, YEAR, DESIGNATION, DESCRIPTION = 0, 1, 2, 6, 7
DELIVERED, DELIVERED_FLAG, YEARS, STATUS, TIV_ORDER, TIV_DELIVERED = 8, 9, 10, 11, 14, 15
RENAMED_FROM, RENAMED_TO = "armed drone", "uncrewed combat aircraft"


def _row(line: str) -> list[str]:
    return next(csv.reader([line]))


def _line(row: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row)
    return out.getvalue()


def next_edition(real: Path, dest: Path) -> dict[str, object]:
    """Write the synthetic edition to ``dest``; say which deals it changed (and on which line)."""
    lines = real.read_bytes().decode("latin-1").split("\n")
    width = len(_row(lines[PREAMBLE]))
    turkish = [i for i, ln in enumerate(lines[PREAMBLE + 1:], PREAMBLE + 1)
               if ln and len(_row(ln)) == width and _row(ln)[SUPPLIER] == "Turkiye"]
    # 1. a revised value: the delivered TIV of Türkiye's first fully delivered deal with a value
    revised = next(i for i in turkish if _row(lines[i])[STATUS] == "New"
                   and _row(lines[i])[TIV_DELIVERED] not in ("", "0")
                   and _row(lines[i])[DESCRIPTION] != RENAMED_FROM)
    row = _row(lines[revised])
    old_tiv = float(row[TIV_DELIVERED])
    row[TIV_DELIVERED] = f"{old_tiv + 12.5:g}"
    lines[revised] = _line(row)
    # 2. a renamed description: one of Türkiye's armed drones
    renamed = next(i for i in turkish if _row(lines[i])[DESCRIPTION] == RENAMED_FROM
                   and i != revised)
    row = _row(lines[renamed])
    row[DESCRIPTION] = RENAMED_TO
    lines[renamed] = _line(row)
    # 3. a new deal: the revised deal's system, ordered again in the register's last year
    row = _row(lines[revised])
    last_year = max(int(_row(lines[i])[YEAR]) for i in turkish)
    row[YEAR], row[DESIGNATION] = str(last_year), row[DESIGNATION] + " Block-2"
    row[DELIVERED], row[DELIVERED_FLAG], row[YEARS], row[TIV_DELIVERED] = "0", "", "", "0"
    new_deal = row
    lines.insert(turkish[-1] + 1, _line(row))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes("\n".join(lines).encode("latin-1"))
    revised_row = _row(lines[revised])
    return {"revised": revised_row, "old_tiv": old_tiv, "renamed_line": renamed + 1,
            "renamed": _row(lines[renamed]), "new": new_deal}


def _map_word(project: Path, word: str, same_as: str) -> None:
    """What the validation error asks for: a vocabulary row (and the table's checksum)."""
    path = project / "data/curated/sipri_vocabulary.csv"
    row = _line(["description", word, "Aircraft", f"SIPRI, as '{same_as}'", same_as,
                 "deals register, 2027 edition"])
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + row + "\n",
                    encoding="utf-8")
    side = path.with_name(path.name + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _table_rows(page: str, table_id: str) -> list[list[str]]:
    """The body rows of the table whose figure/table id is ``table_id`` (cell texts)."""
    start = page.index(f'id="{table_id}"')
    table = page[page.index("<tbody", start):page.index("</tbody>", start)]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.DOTALL)
    return [[_html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, flags=re.DOTALL)] for r in rows]


@pytest.fixture()
def project(scratch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REPORT_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    # the data cache is keyed on each file's checksum, sidecar and the data code: the copy's
    # unchanged files are the real tree's, so they are read from its cache, not parsed again
    monkeypatch.setenv("REPORT_DATA_CACHE", str(ROOT / "_build" / "cache" / "data"))
    monkeypatch.chdir(scratch)
    return scratch


def test_a_next_edition_is_noticed_and_its_new_word_stops_the_build(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = store_path(project, f"data/raw/{SOURCE}/{OLD}/{FILE}")
    download = tmp_path / "downloads" / "trade-register.csv"
    made = next_edition(real, download)

    # add-vintage, as the README says
    assert cli.main(["add-vintage", SOURCE, NEW, str(download), "--name", FILE,
                     "--edition", "2027 edition (synthetic, for this test)"]) == 0
    out = capsys.readouterr().out
    assert f"vintages.deals: {OLD} -> {NEW}" in out
    params = yaml.safe_load((project / "chapters/params.yml").read_text(encoding="utf-8"))
    assert params["vintages"]["deals"]["vintage"] == NEW
    assert params["vintages"]["same_edition_deals"]["vintage"] == "2025-03-13"  # not that one

    # the renamed word stops the build at validation: file, line, column, word, where to map it
    with pytest.raises(DataError) as stopped:
        pipeline.build(project, progress=False, log=lambda _m: None)
    problems = [p for p in stopped.value.problems if p.rule == "vocabulary"]
    assert len(problems) == len(stopped.value.problems) == 1
    message = str(stopped.value)
    assert f"{SOURCE}/{NEW}/{FILE}, line {made['renamed_line']}, column 'description'" in message
    assert f"'{RENAMED_TO}' is not in SIPRI's vocabulary" in message
    assert "data/curated/sipri_vocabulary.csv" in message and "same_as" in message
    assert not (tmp_path / "build/html").exists()  # no book was made from it
    # the line it names is the renamed deal's line in the file as published
    published = download.read_bytes().decode("latin-1").split("\n")
    assert _row(published[made["renamed_line"] - 1])[DESCRIPTION] == RENAMED_TO  # type: ignore[operator]

    # the maintainer maps the word as the message asks; report diff lists exactly the changes
    _map_word(project, RENAMED_TO, RENAMED_FROM)
    assert cli.main(["diff", SOURCE, OLD, NEW]) == 0
    out = capsys.readouterr().out
    assert f"{SOURCE}/{FILE}: {OLD} -> {NEW}: 1 added, 0 removed, 1 revised" in out
    assert "Turkiye's deals: 1 added, 0 removed, 1 revised" in out
    revised, new = made["revised"], made["new"]
    assert new[DESIGNATION] in out and revised[DESIGNATION] in out  # type: ignore[index]
    assert made["renamed"][DESIGNATION] not in out  # type: ignore[index]

    # the What-changed page lists the same two deals, and only them, for the new edition
    pipeline.build(project, only=["changes"], subset=True, progress=False, log=lambda _m: None)
    page = (tmp_path / "build/html/chapters/changes.html").read_text(encoding="utf-8")
    files = _table_rows(page, "tbl-changes-same-file-diffs")
    assert [r for r in files if r[2:4] == [OLD, NEW]] == [
        [SOURCE, FILE, OLD, NEW, "1", "0", "1"]]
    para = page[page.index("Between SIPRI"):]
    para = " ".join(_html.unescape(re.sub(r"<[^>]+>", "", para[:para.index("</p>")]))
                    .replace("\u2019", "'").split())  # the page has typographic quotes
    assert para.startswith(f"Between SIPRI's deal registers of {OLD} and {NEW}, 1 of Türkiye's "
                           "deals are new in the newer register, 0 are no longer listed and 1 "
                           "were revised")
    moved = _table_rows(page, "tbl-changes-deals-moved")
    assert len(moved) == 2
    by_system = {r[1]: r for r in moved}
    assert set(by_system) == {revised[DESIGNATION], new[DESIGNATION]}  # type: ignore[index]
    assert by_system[revised[DESIGNATION]][3] == "delivered TIV"  # type: ignore[index]
    assert by_system[new[DESIGNATION]][3] == "added"  # type: ignore[index]
    assert by_system[new[DESIGNATION]][0] == new[RECIPIENT]  # type: ignore[index]
