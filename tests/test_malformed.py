"""A corpus of malformed inputs, made here from the real files: each stops `report build` before
any HTML is written, with a message naming file, line, column and rule, a non-zero exit code,
and the previous book left byte-for-byte as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, store_path

from analysis.build import cli
from analysis.build.bench import scratch_store

TIMELINE = "data/curated/constraints_and_europe_timeline.csv"
DEPS = "data/curated/programme_dependencies.csv"
MEMBERS = "data/curated/nato_members.csv"
REGISTER = "data/raw/sipri-arms-transfers/2026-02-12/trade-register-deliveries.csv"
PARAMS = "chapters/params.yml"


def resha(project: Path, rel: str) -> None:
    """Keep the sidecar's checksum in step, so that the error is the one under test."""
    path = store_path(project, rel)
    side = project / (rel + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit_text(rel: str, fn: Callable[[str], str], encoding: str = "utf-8"):
    def mutate(project: Path) -> None:
        p = store_path(project, rel)
        p.write_text(fn(p.read_text(encoding=encoding)), encoding=encoding, newline="")
        resha(project, rel)
    return mutate


def edit_bytes(rel: str, fn: Callable[[bytes], bytes], keep_sha: bool = True):
    def mutate(project: Path) -> None:
        p = store_path(project, rel)
        p.write_bytes(fn(p.read_bytes()))
        if keep_sha:
            resha(project, rel)
    return mutate


def edit_cell(rel: str, line: int, column: str, value: str):
    """Set one cell of a CSV (1-based line number in the file)."""
    def fn(text: str) -> str:
        lines = text.splitlines(keepends=True)
        header = next(csv.reader([lines[0]]))
        row = next(csv.reader([lines[line - 1]]))
        row[header.index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerow(row)
        lines[line - 1] = buf.getvalue()
        return "".join(lines)
    return edit_text(rel, fn)


def register_line(line: int, fn: Callable[[str], str]):
    def edit(text: str) -> str:
        lines = text.split("\n")
        lines[line - 1] = fn(lines[line - 1])
        return "\n".join(lines)
    return edit_text(REGISTER, edit, encoding="ascii")


def edit_params(fn: Callable[[str], str]):
    def mutate(project: Path) -> None:
        p = project / PARAMS
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")
    return mutate


def edit_sidecar(rel: str, fn: Callable[[dict], dict]):
    def mutate(project: Path) -> None:
        side = project / (rel + ".meta.yml")
        side.write_text(yaml.safe_dump(fn(yaml.safe_load(side.read_text(encoding="utf-8")))),
                        encoding="utf-8")
    return mutate


def raise_in_notebook(project: Path) -> None:
    import nbformat

    nb_path = project / "chapters/exports.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = nbformat.v4.new_code_cell("raise RuntimeError('a chapter that raises')")
    cell.id = "raises"
    nb.cells.append(cell)
    nbformat.write(nb, nb_path)


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None]
    expect: tuple[str, ...]  # substrings of the message: file, line, column, rule
    exit_code: int = 2


def _dup_last_row(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines) + lines[1]


CASES = [
    Case("wrong delimiter", edit_text(TIMELINE, lambda t: t.replace(",", ";")),
         ("constraints_and_europe_timeline.csv", "line 1", "column 'date'", "rule: columns", "delimiter")),
    Case("missing column", edit_text(TIMELINE, lambda t: "\n".join(
        ",".join(r[:-1]) for r in csv.reader(io.StringIO(t))) + "\n"),
         ("constraints_and_europe_timeline.csv", "line 1", "column 'quality_note'", "rule: columns")),
    Case("renamed column", edit_text(TIMELINE, lambda t: t.replace("source_url", "link", 1)),
         ("constraints_and_europe_timeline.csv", "line 1", "column 'source_url'", "rule: columns")),
    Case("wrong encoding", edit_bytes(TIMELINE, lambda b: b.replace(b"Erdogan", "Erdo\xf0an".encode("latin-1"), 1)),
         ("constraints_and_europe_timeline.csv", "line 2", "rule: encoding")),
    Case("byte-order mark", edit_bytes(TIMELINE, lambda b: b"\xef\xbb\xbf" + b),
         ("constraints_and_europe_timeline.csv", "line 1", "rule: no-bom")),
    Case("text in a number column", edit_cell(TIMELINE, 2, "value", "2.5bn"),
         ("constraints_and_europe_timeline.csv", "line 2", "column 'value'", "rule: is a number or blank")),
    Case("value without a unit", edit_cell(TIMELINE, 2, "unit", ""),
         ("constraints_and_europe_timeline.csv", "line 2", "column 'unit'", "rule: value has a unit")),
    Case("impossible date", edit_cell(TIMELINE, 2, "date", "2017-02-30"),
         ("constraints_and_europe_timeline.csv", "line 2", "column 'date'", "rule: matches date_precision")),
    Case("date of the wrong precision", edit_cell(TIMELINE, 2, "date", "2017-09"),
         ("constraints_and_europe_timeline.csv", "line 2", "column 'date'", "rule: matches date_precision")),
    Case("unknown date precision", edit_cell(TIMELINE, 3, "date_precision", "week"),
         ("constraints_and_europe_timeline.csv", "line 3", "column 'date_precision'", "rule: isin")),
    Case("row without a source title", edit_cell(TIMELINE, 4, "source_title", " "),
         ("constraints_and_europe_timeline.csv", "line 4", "column 'source_title'", "rule: not blank")),
    Case("row without a source address", edit_cell(TIMELINE, 5, "source_url", "see above"),
         ("constraints_and_europe_timeline.csv", "line 5", "column 'source_url'", "rule: is http(s) address")),
    Case("source date out of form", edit_cell(TIMELINE, 6, "source_date", "12/09/2017"),
         ("constraints_and_europe_timeline.csv", "line 6", "column 'source_date'", "rule: is YYYY")),
    Case("empty file", edit_bytes(TIMELINE, lambda b: b""),
         ("constraints_and_europe_timeline.csv", "rule: not-empty")),
    Case("header only", edit_bytes(TIMELINE, lambda b: b.splitlines(keepends=True)[0]),
         ("constraints_and_europe_timeline.csv", "line 1", "rule: has-rows")),
    Case("truncated file", edit_bytes(TIMELINE, lambda b: b[: len(b) // 2]),
         ("constraints_and_europe_timeline.csv", "line ", "truncated", "rule: complete")),
    Case("spreadsheet instead of CSV", edit_bytes(TIMELINE, lambda b: b"PK\x03\x04" + b"\x00" * 64),
         ("constraints_and_europe_timeline.csv", "line 1", "spreadsheet", "rule: is-csv")),
    Case("duplicate key", edit_text(DEPS, _dup_last_row),
         ("programme_dependencies.csv", "column 'programme+dependency'", "first on line 2",
          "rule: unique-key")),
    Case("category outside the closed list", edit_cell(DEPS, 2, "component_kind", "engines"),
         ("programme_dependencies.csv", "line 2", "column 'component_kind'", "rule: isin")),
    Case("unknown region", edit_cell(MEMBERS, 2, "region", "Asia"),
         ("nato_members.csv", "line 2", "column 'region'", "rule: isin")),
    Case("malformed country code", edit_cell(MEMBERS, 3, "iso3", "BE"),
         ("nato_members.csv", "line 3", "column 'iso3'", "rule: str_matches")),
    Case("text in the register's TIV column", register_line(13, lambda s: s.replace(",1.2,No;", ",1.2m,No;")),
         ("trade-register-deliveries.csv", "line 13", "column 'tiv_delivered'", "rule: is-number")),
    Case("negative TIV", register_line(13, lambda s: s.replace(",1.2,No;", ",-1.2,No;")),
         ("trade-register-deliveries.csv", "line 13", "column 'tiv_delivered'", "rule: greater_than_or_equal_to")),
    Case("delivery year out of range", register_line(14, lambda s: s.replace(",2016,Yes,Second", ",1850,Yes,Second")),
         ("trade-register-deliveries.csv", "line 14", "column 'delivery_year'", "rule: in_range")),
    Case("order after delivery", register_line(14, lambda s: s.replace("60840,Algeria,Western Sahara,BTR-60PB,armoured personnel carrier,Armoured vehicles,2016,",
                                                                         "60840,Algeria,Western Sahara,BTR-60PB,armoured personnel carrier,Armoured vehicles,2019,")),
         ("trade-register-deliveries.csv", "line 14", "column 'order_year'", "rule: order-before-delivery")),
    Case("truncated register line", register_line(15, lambda s: s.rsplit(",", 3)[0]),
         ("trade-register-deliveries.csv", "line 15", "rule: complete")),
    Case("duplicate register key", register_line(16, lambda s: s.replace("33871,", "33777,", 1).replace(",2002,No,Second", ",2002,No,Second")),
         ("trade-register-deliveries.csv", "line 16", "column 'deal_id+delivery_year'",
          "first on line 15", "rule: unique-key")),
    Case("a SIPRI word the vocabulary does not know (a renamed description)",
         register_line(14, lambda s: s.replace(",armoured personnel carrier,", ",armoured troop carrier,")),
         ("trade-register-deliveries.csv", "line 14", "column 'description'", "'armoured troop carrier'",
          "sipri_vocabulary.csv", "same_as", "rule: vocabulary")),
    Case("unknown country name", register_line(14, lambda s: s.replace("60840,Algeria,Western Sahara", "60840,Algeria,Westeros")),
         ("trade-register-deliveries.csv", "line 14", "column 'recipient'", "'Westeros'", "rule: known-country")),
    Case("a file the data store does not hold", lambda p: store_path(p, REGISTER).unlink(),
         ("trade-register-deliveries.csv", "sipri-arms-transfers, vintage 2026-02-12",
          "https://", "sha256 ", "REPORT_DATA_STORE", "rule: store-holds-file")),
    Case("a different file in the data store", lambda p: store_path(p, REGISTER).write_bytes(
        store_path(p, REGISTER).read_bytes() + b"\n"),
         ("trade-register-deliveries.csv", "differs from the sidecar", "rule: checksum")),
    Case("missing sidecar", lambda p: (p / (TIMELINE + ".meta.yml")).unlink(),
         ("constraints_and_europe_timeline.csv", "rule: sidecar-present")),
    Case("sidecar without a field", edit_sidecar(TIMELINE, lambda m: {**m, "terms": ""}),
         ("constraints_and_europe_timeline.csv.meta.yml", "column 'terms'", "rule: sidecar-field")),
    Case("sidecar that is not YAML", lambda p: (p / (TIMELINE + ".meta.yml")).write_text("title: [unclosed\n"),
         ("constraints_and_europe_timeline.csv.meta.yml", "line ", "rule: sidecar-yaml")),
    Case("checksum mismatch", edit_bytes(TIMELINE, lambda b: b.replace(b"2017-09-12", b"2017-09-13", 1), keep_sha=False),
         ("constraints_and_europe_timeline.csv", "sha256", "rule: checksum")),
    Case("vintage folder that is not a date", lambda p: shutil.copytree(
        p / "data/raw/sipri-arms-transfers/2026-02-12", p / "data/raw/sipri-arms-transfers/latest"),
         ("sipri-arms-transfers/latest", "not an ISO date", "rule: vintage-is-date")),
    Case("params: a vintage not held", edit_params(lambda t: t.replace('trade-register-deliveries.csv, vintage: "2026-02-12"', 'trade-register-deliveries.csv, vintage: "2026-02-13"', 1)),
         ("re:params.yml, line \\d+, column 'vintages.deliveries'", "rule: params-vintage")),
    Case("params: a file not held", edit_params(lambda t: t.replace("file: trade-register-deals.csv", "file: trade-register-deal.csv", 1)),
         ("re:params.yml, line \\d+, column 'vintages.deals'", "'trade-register-deal.csv'", "rule: params-file")),
    Case("params: a wrong type", edit_params(lambda t: t.replace("    first_year: 1995", '    first_year: "1995"', 1)),
         ("re:params.yml, line \\d+, column 'exports.first_year'", "rule: params-type")),
    Case("params: an unknown parameter", edit_params(lambda t: t.replace("    top_exporters_shown: 15", "    top_exporters_shown: 15\n    window_lenght: 4", 1)),
         ("re:params.yml, line \\d+, column 'exports.window_lenght'", "rule: params-known")),
    Case("params: a value declared twice", edit_params(lambda t: t.replace("    top_exporters_shown: 15", "    top_exporters_shown: 15\n    window_length: 4", 1)),
         ("re:params.yml, line \\d+, column 'exports.window_length'", "rule: params-once")),
    Case("params: a type a chapter module refuses", edit_params(lambda t: t.replace("  target_year: 2035", '  target_year: "2035"', 1)),
         ("re:params.yml, line \\d+, column 'common.target_year'", "spending.run takes a int", "rule: params-type")),
    Case("params: a parameter a chapter module needs left out", edit_params(lambda t: t.replace("  core_pct: 3.5\n", "", 1)),
         ("column 'spending.core_pct'", "rule: params-missing")),
    Case("params: not YAML", edit_params(lambda t: t + "exports: [\n"),
         ("params.yml", "rule: params-yaml")),
    Case("a notebook that raises", raise_in_notebook,
         ("chapter 'exports' (exports.ipynb)", "RuntimeError: a chapter that raises"), exit_code=1),
]


@pytest.fixture(scope="module")
def data_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data-cache")


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_fails_before_any_html(case: Case, tmp_path: Path, data_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    build = tmp_path / "build"
    old_book = build / "html"
    (old_book / "chapters").mkdir(parents=True)
    (old_book / "index.html").write_text("<p>the last good book</p>", encoding="utf-8")
    (old_book / "chapters/exports.html").write_bytes(b"\x00good\x01")
    before = {p.relative_to(old_book): p.read_bytes() for p in old_book.rglob("*") if p.is_file()}
    monkeypatch.setenv("REPORT_ROOT", str(project))
    monkeypatch.setenv("REPORT_DATA_STORE", str(scratch_store(project)))
    monkeypatch.setenv("REPORT_BUILD_DIR", str(build))
    monkeypatch.setenv("REPORT_DATA_CACHE", str(data_cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    case.mutate(project)

    code = cli.main(["build", "--quiet"])

    err = capsys.readouterr().err
    assert code == case.exit_code, err
    for part in case.expect:
        if part.startswith("re:"):
            assert re.search(part[3:], err), f"{part!r} does not match:\n{err}"
        else:
            assert part in err, f"{part!r} not in:\n{err}"
    after = {p.relative_to(old_book): p.read_bytes() for p in old_book.rglob("*") if p.is_file()}
    assert after == before
    assert not (build / "work" / "out" / "_build" / "html").exists()
