"""How current the book is: newest editions held, newer ones announced but not held."""

from __future__ import annotations

import pandas as pd

from analysis.calc import currency
from analysis.data.readers import curated
from analysis.data.sources import list_files


def _files() -> pd.DataFrame:
    return pd.DataFrame([{"source": f.source, "vintage": f.vintage, "name": f.name,
                          **{k: f.meta.get(k) for k in ("publisher", "title", "edition",
                                                        "date_published")}}
                         for f in list_files()])


def test_newer_editions_announced_but_not_held_are_named() -> None:
    held = currency.newest_held(_files())
    editions = currency.announced(curated.table("published_headlines.csv"), held)
    table = currency.as_of(held, editions).set_index("source")
    assert set(table.index) == {"nato-defence-expenditure", "sipri-arms-transfers", "sipri-milex",
                                "usgs-mcs"}
    nato = table.loc["nato-defence-expenditure"]
    assert nato["held_published"] == "2024-06-17"
    assert [n["released"] for n in nato["newer"]] == ["2025-08-28", "2026-07-07"]
    assert any(f["fact"] == "Allies at or above 2% of GDP, 2025e" and f["value"] == "32"
               for f in nato["newer"][0]["figures"])
    # SIPRI's 2026 arms-transfers edition is held as a file: nothing newer is announced
    assert table.loc["sipri-arms-transfers", "newer"] == []
    assert table.loc["sipri-arms-transfers", "held_published"] == "2026-03-09"
    assert [n["released"] for n in table.loc["sipri-milex", "newer"]] == ["2026-04-27"]


def test_every_announced_edition_belongs_to_a_source() -> None:
    titles = curated.table("published_headlines.csv")["title"].unique()
    assert all(currency.source_of_title(t) for t in titles), titles
