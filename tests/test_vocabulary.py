"""SIPRI's words through a closed vocabulary held as data: renamed words map, unknown ones stop."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.errors import DataError
from analysis.data.readers import sipri_transfers, vocabulary
from analysis.data.sources import list_files


@pytest.fixture(scope="module")
def vocab() -> pd.DataFrame:
    return vocabulary.vocabulary()


def test_renamed_words_map_to_the_newest_edition(vocab: pd.DataFrame) -> None:
    words = pd.Series(["armed UAV", "armed drone", "APC", "armoured personnel carrier", "SAM",
                       "frigate"])
    assert vocabulary.canonical(words, vocab).tolist() == [
        "armed drone", "armed drone", "armoured personnel carrier", "armoured personnel carrier",
        "surface-to-air missile", "frigate"]
    assert vocabulary.category_of(words, vocab).tolist() == [
        "Aircraft", "Aircraft", "Armoured vehicles", "Armoured vehicles", "Missiles",
        "Ships"]


def test_sipri_categories_are_sipri_s_own_where_the_register_gives_one(vocab: pd.DataFrame) -> None:
    deliveries = sipri_transfers.deliveries("2026-02-12")
    given = deliveries.groupby("description")["category"].first()
    mapped = vocabulary.category_of(pd.Series(given.index, index=given.index), vocab)
    assert (mapped == given).all()
    basis = vocabulary.category_basis(vocab)
    assert (basis[given.index] == "SIPRI").all()
    assert set(vocab.loc[vocab["register_column"] == "category", "word"]) == set(vocabulary.CATEGORIES)


def test_every_word_of_every_register_held_is_documented(vocab: pd.DataFrame) -> None:
    from analysis.data.readers.registry import vocabulary_problems

    files = list_files()
    checked = [df for df in files if (df.source, df.name) in vocabulary.CHECKED]
    assert len(checked) >= 2
    assert vocabulary_problems(files) == []


def test_an_unknown_word_names_file_line_column_and_word(vocab: pd.DataFrame) -> None:
    frame = pd.DataFrame({"description": ["frigate", "laser cannon", "laser cannon"],
                          "status": ["New", "New", "Leased"]}, index=pd.Index([13, 14, 15]))
    problems = vocabulary.unknown_words(frame, vocab, Path("register.csv"), ["description", "status"])
    assert [(p.line, p.column, p.rule) for p in problems] == [
        (14, "description", "vocabulary"), (15, "status", "vocabulary")]
    assert "'laser cannon'" in problems[0].message and "same_as" in problems[0].message


def test_the_vocabulary_refuses_a_rename_to_an_unknown_word(tmp_path: Path) -> None:
    src = next(df for df in list_files() if df.name == vocabulary.VOCABULARY_FILE).path
    lines = src.read_text(encoding="utf-8").splitlines()
    lines.append('description,armed glider,Aircraft,this report,glider drone,"deals register, 2026 edition"')
    bad = tmp_path / vocabulary.VOCABULARY_FILE
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="same-as-a-known-word"):
        vocabulary.parse(bad)
