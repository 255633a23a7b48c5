"""How current the book is: per source, the newest edition it holds as a file, and the newer
editions its publisher has announced that it does not hold, with what they announced.

The announced figures come from ``published_headlines.csv`` (news reports quoting the
publisher, a page on every row): they are shown as announced, never recomputed or spliced into a
series computed from the files.
"""

from __future__ import annotations

import pandas as pd

#: which source folder an announced edition belongs to, by words of its title
TITLE_WORDS = {"Arms Transfers": "sipri-arms-transfers", "Military Expenditure": "sipri-milex",
               "Defence Expenditure of NATO Countries": "nato-defence-expenditure",
               "NATO, Defence expenditure": "nato-defence-expenditure",
               "Mineral Commodity Summaries": "usgs-mcs"}


def source_of_title(title: str) -> str | None:
    for words, source in TITLE_WORDS.items():
        if words in title:
            return source
    return None


def newest_held(files: pd.DataFrame) -> pd.DataFrame:
    """Per source, the newest vintage held and its edition (``files``: one row per declared
    file with source, vintage, name, publisher, title, edition, date_published)."""
    raw = files[files["source"] != "curated"].sort_values(["source", "vintage", "name"])
    last = raw.groupby("source").tail(1).copy()
    # every file of the newest vintage, e.g. a workbook and its PDF
    return last.reset_index(drop=True)


def announced(headlines: pd.DataFrame, held: pd.DataFrame) -> pd.DataFrame:
    """One row per edition a publisher announced: its source, release date, whether the book
    holds it as a file (same source and publication date as the newest held), and the figures
    announced with it."""
    rows = []
    for title, group in headlines.groupby("title", sort=False):
        source = source_of_title(str(title))
        dates = group.loc[group["unit"] == "date", "value"]
        released = str(dates.iloc[0]) if len(dates) else ""
        figures = group[group["unit"] != "date"]
        held_row = held[held["source"] == source]
        is_held = bool(len(held_row)) and released != "" and (
            str(held_row["date_published"].iloc[0]) == released)
        rows.append({"source": source, "title": str(title), "released": released,
                     "held": is_held, "n_figures": len(figures),
                     "figures": figures[["fact", "value", "unit", "source_url"]].to_dict("records")})
    return pd.DataFrame(rows)


def as_of(held: pd.DataFrame, editions: pd.DataFrame) -> pd.DataFrame:
    """The "data as of" table: per source, the newest edition held and the newer ones
    announced but not held (released after it), with how many figures each announced."""
    out = []
    for _, h in held.iterrows():
        newer = editions[(editions["source"] == h["source"]) & ~editions["held"]
                         & (editions["released"] > str(h["date_published"]))]
        newer = newer.sort_values("released")
        out.append({
            "source": h["source"], "publisher": h["publisher"], "held_title": h["title"],
            "held_edition": h["edition"], "held_published": str(h["date_published"]),
            "newer": [{"title": r["title"], "released": r["released"],
                       "n_figures": int(r["n_figures"]), "figures": r["figures"]}
                      for _, r in newer.iterrows()],
        })
    return pd.DataFrame(out)
