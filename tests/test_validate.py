"""Malformed inputs made in the test: each gives one message naming file, line, column and rule."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.data.errors import DataError
from analysis.data.readers import curated, sipri_transfers
from analysis.data.sources import physical

TIMELINE = "constraints_and_europe_timeline.csv"


def _timeline(root: Path) -> list[str]:
    return (root / "data/curated" / TIMELINE).read_text(encoding="utf-8").splitlines()


def _write(tmp_path: Path, lines: list[str], name: str = TIMELINE) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _error(path: Path) -> str:
    with pytest.raises(DataError) as err:
        curated.parse(path)
    return str(err.value)


def test_real_curated_tables_pass(root: Path) -> None:
    for name in curated.SCHEMAS:
        frame = curated.parse(root / "data/curated" / name)
        assert len(frame) > 0
        assert frame.index.name == "_line" and frame.index.min() == 2


def test_empty_source_title_names_line_and_column(root: Path, tmp_path: Path) -> None:
    lines = _timeline(root)
    row = next(csv.reader([lines[4]]))
    row[6] = ""  # source_title
    buf = io.StringIO(); csv.writer(buf, lineterminator="").writerow(row)
    lines[4] = buf.getvalue()
    msg = _error(_write(tmp_path, lines))
    assert f"{TIMELINE}, line 5, column 'source_title'" in msg and "not blank" in msg


def test_date_that_does_not_match_its_precision(root: Path, tmp_path: Path) -> None:
    lines = _timeline(root)
    assert lines[1].startswith("2017-09-12,day,")
    lines[1] = lines[1].replace("2017-09-12,day,", "2017-09,day,", 1)
    msg = _error(_write(tmp_path, lines))
    assert f"{TIMELINE}, line 2, column 'date'" in msg and "matches date_precision" in msg


def test_impossible_date(root: Path, tmp_path: Path) -> None:
    lines = _timeline(root)
    lines[1] = lines[1].replace("2017-09-12,day,", "2017-02-30,day,", 1)
    assert "line 2, column 'date'" in _error(_write(tmp_path, lines))


def test_text_in_a_number_column(root: Path, tmp_path: Path) -> None:
    lines = _timeline(root)
    lines[1] = lines[1].replace(",2.5,USD billion", ",two and a half,USD billion", 1)
    msg = _error(_write(tmp_path, lines))
    assert "line 2, column 'value'" in msg and "'two and a half'" in msg


def test_wrong_delimiter(root: Path, tmp_path: Path) -> None:
    lines = [ln.replace(",", ";") for ln in _timeline(root)]
    msg = _error(_write(tmp_path, lines))
    assert f"{TIMELINE}, line 1, column 'date'" in msg and "delimiter" in msg


def test_renamed_column(root: Path, tmp_path: Path) -> None:
    lines = _timeline(root)
    lines[0] = lines[0].replace("source_url", "url")
    msg = _error(_write(tmp_path, lines))
    assert "line 1, column 'source_url'" in msg and "missing" in msg


def test_truncated_file(root: Path, tmp_path: Path) -> None:
    text = (root / "data/curated" / TIMELINE).read_text(encoding="utf-8")
    p = tmp_path / TIMELINE
    p.write_text(text[: len(text) // 2], encoding="utf-8")
    msg = _error(p)
    assert TIMELINE in msg and "line " in msg and "truncated" in msg


def test_bom_encoding_and_spreadsheet_and_empty(root: Path, tmp_path: Path) -> None:
    raw = (root / "data/curated" / TIMELINE).read_bytes()
    p = tmp_path / TIMELINE
    p.write_bytes(b"\xef\xbb\xbf" + raw)
    assert "line 1" in _error(p) and "no-bom" in _error(p)
    p.write_bytes(raw.replace("Türkiye".encode(), "Türkiye".encode("latin-1"), 1)
                  if "Türkiye".encode() in raw else raw + "é".encode("latin-1"))
    assert "rule: encoding" in _error(p)
    p.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert "spreadsheet" in _error(p)
    p.write_bytes(b"")
    assert "file is empty" in _error(p)


def test_duplicate_key(root: Path, tmp_path: Path) -> None:
    name = "programme_dependencies.csv"
    lines = (root / "data/curated" / name).read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])
    msg = _error(_write(tmp_path, lines, name))
    assert name in msg and "duplicate" in msg.lower()


def test_deliveries_register_parses_and_rejects_negative_tiv(root: Path, tmp_path: Path) -> None:
    path = physical("data/raw/sipri-arms-transfers/2026-02-12/trade-register-deliveries.csv")
    frame = sipri_transfers.parse_deliveries(path)
    assert len(frame) == 25024  # as the sidecar says
    assert frame["delivery_year"].between(1995, 2024).all()
    text = path.read_text(encoding="ascii").splitlines()
    assert text[12].endswith(",1.2,No;")
    text[12] = text[12].replace(",1.2,No;", ",-1.2,No;")
    bad = tmp_path / path.name
    bad.write_text("\n".join(text) + "\n", encoding="ascii")
    with pytest.raises(DataError) as err:
        sipri_transfers.parse_deliveries(bad)
    assert "line 13, column 'tiv_delivered'" in str(err.value)
