"""SIPRI's words as this report understands them: a closed vocabulary held as data.

SIPRI rewords its registers between editions ('armed UAV' became 'armed drone', 'APC' became
'armoured personnel carrier'). Code that matched on those words would silently miss the renamed
ones, so no analysis matches SIPRI's wording directly: every weapon description, status and
armament category of a register must be a row of ``data/curated/sipri_vocabulary.csv``, which
says where it was seen, which SIPRI armament category it belongs to (SIPRI's own where a register
gives it, else this report's, marked so) and, for a renamed word, the word it is the same as.
A word that is not there stops validation with its file, line, column and the row to add.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import store
from analysis.data.errors import DataError, Problem
from analysis.data.sources import CURATED, DataFile
from analysis.data.validate import check, not_blank, read_csv_table

VOCABULARY_FILE = "sipri_vocabulary.csv"
#: SIPRI's armament categories (the deliveries register's 'Armament category' column)
CATEGORIES = ["Aircraft", "Air-defence systems", "Armoured vehicles", "Artillery", "Engines",
              "Missiles", "Naval weapons", "Other", "Satellites", "Sensors", "Ships"]
#: the register columns whose words are closed
COLUMNS = ["description", "status", "category"]
#: which columns of which register are checked: (source, file) -> columns
CHECKED = {
    ("sipri-arms-transfers", "trade-register-deals.csv"): ["description", "status"],
    ("sipri-arms-transfers", "trade-register-deliveries.csv"): ["description", "status", "category"],
}
SCHEMA = pa.DataFrameSchema(
    {
        "register_column": pa.Column("str", pa.Check.isin(COLUMNS)),
        "word": pa.Column("str", not_blank()),
        "category": pa.Column("str", pa.Check.isin([*CATEGORIES, ""])),
        "category_from": pa.Column("str"),
        "same_as": pa.Column("str"),
        "seen_in": pa.Column("str", not_blank()),
    },
    checks=[
        pa.Check(lambda df: (df["register_column"] != "description") | (df["category"] != ""),
                 name="category|description-has-category", error="description-has-category"),
        pa.Check(lambda df: (df["category"] == "") | (df["category_from"] != ""),
                 name="category_from|category-has-basis", error="category-has-basis"),
        pa.Check(lambda df: (df["same_as"] == "") | df["same_as"].isin(
                     df.loc[df["register_column"] == "description", "word"]),
                 name="same_as|same-as-a-known-word", error="same-as-a-known-word"),
    ],
    unique=["register_column", "word"],
    strict=True,
    name="SIPRI vocabulary",
)


def parse(path: Path) -> pd.DataFrame:
    """As every curated table is parsed (``analysis.data.readers.curated.parse``)."""
    return check(read_csv_table(path, SCHEMA.columns), SCHEMA, path)


def vocabulary() -> pd.DataFrame:
    """The validated vocabulary table (its read is logged: it is an input of the chapters)."""
    return store.load(CURATED, CURATED, VOCABULARY_FILE, parse)


def unknown_words(frame: pd.DataFrame, vocab: pd.DataFrame, path: Path | str,
                  columns: list[str]) -> list[Problem]:
    """One problem per word of ``columns`` that the vocabulary does not hold, at the first line
    where it appears (the frame's index is the file's line number)."""
    from analysis.data.errors import _display

    problems = []
    for col in columns:
        if col not in frame.columns:
            continue
        known = set(vocab.loc[vocab["register_column"] == col, "word"])
        values = frame[col].astype("str")
        for word in sorted(set(values) - known - {""}):
            line = int(values.index[values == word][0])
            problems.append(Problem(
                _display(path), line, col, "vocabulary",
                f"{word!r} is not in SIPRI's vocabulary as this report documents it "
                f"(data/curated/{VOCABULARY_FILE}): a new or renamed word. Add a row "
                f"(register_column={col}, word={word!r}, the SIPRI armament category it belongs "
                "to, and same_as the word it renames, if it does) and re-run"))
    return problems


def check_words(frame: pd.DataFrame, df: DataFile, columns: list[str]) -> None:
    problems = unknown_words(frame, vocabulary(), df.path, columns)
    if problems:
        raise DataError(problems=problems)


def canonical(words: pd.Series, vocab: pd.DataFrame) -> pd.Series:
    """Each description as the newest edition words it ('armed UAV' -> 'armed drone')."""
    rows = vocab[vocab["register_column"] == "description"].set_index("word")
    same = rows["same_as"].where(rows["same_as"] != "", rows.index.to_series())
    return words.map(same)


def category_of(words: pd.Series, vocab: pd.DataFrame) -> pd.Series:
    """The SIPRI armament category of each description (SIPRI's where it gives one)."""
    rows = vocab[vocab["register_column"] == "description"].set_index("word")["category"]
    return words.map(rows)


def category_basis(vocab: pd.DataFrame) -> pd.Series:
    rows = vocab[vocab["register_column"] == "description"].set_index("word")
    return rows["category_from"]
