"""What a new edition changed: rows of a keyed series added, removed and revised, and the deals of
SIPRI's deal register added, removed and revised (pure comparisons of frames; the frames come from
:mod:`analysis.data.editions`).

What a new edition of SIPRI's deal register changed: deals added, removed and revised.

SIPRI's deal register carries no deal identifier, and each edition may reword a deal's weapon
description ('armed UAV' -> 'armed drone') or designation ('Bayraktar TB2' -> 'Bayraktar TB-2').
Deals are therefore matched on a documented key, in two passes:

1. supplier and recipient (as ISO codes where they are countries: SIPRI renamed 'UAE' to
   'United Arab Emirates'), year of order, the description in the newest edition's words (through
   the vocabulary table) and the designation with case, spaces and punctuation removed
   ('bayraktartb2'); deals sharing all of that are told apart by their order within the key
   (by number ordered);
2. deals left unmatched are paired when their supplier, recipient, year of order and
   description leave as many unmatched deals in one edition as in the other: their designation
   was renamed ('ARMA' -> 'Arma 6x6'); they pair in order of number ordered.

A matched deal is revised when any of its numbers ordered or delivered, delivery years, status,
order or delivered TIV differ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.data import countries

#: the fields whose change makes a matched deal "revised"
VALUES = ["number_ordered", "number_delivered", "delivery_years", "status", "tiv_order",
          "tiv_delivered"]
KEY = ["supplier_key", "recipient_key", "order_year", "description", "designation_key"]
LOOSE_KEY = ["supplier_key", "recipient_key", "order_year", "description"]


@dataclass(frozen=True)
class DealsDiff:
    """Deals added and removed, and matched deals whose values moved (one row per deal, old
    and new values side by side, ``renamed`` when the designation's wording changed)."""

    added: pd.DataFrame
    removed: pd.DataFrame
    revised: pd.DataFrame
    matched: int

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "revised": len(self.revised)}

    def of_supplier(self, supplier: str) -> DealsDiff:
        def pick(f: pd.DataFrame) -> pd.DataFrame:
            col = "supplier_new" if "supplier_new" in f else "supplier"
            return f[f[col] == supplier].reset_index(drop=True)

        return DealsDiff(pick(self.added), pick(self.removed), pick(self.revised), self.matched)


def designation_key(designation: pd.Series) -> pd.Series:
    return designation.map(lambda s: re.sub(r"[^0-9a-z]", "", str(s).lower()))


def _keyed(deals: pd.DataFrame, canonical: pd.Series) -> pd.DataFrame:
    d = deals.reset_index(drop=True).assign(
        description=canonical.reset_index(drop=True),
        designation_key=designation_key(deals["designation"]).reset_index(drop=True))
    for col in ("supplier", "recipient"):
        names = d[col].astype("str")
        codes = pd.Series(countries.to_iso3(list(names)), index=d.index, dtype="object")
        d[f"{col}_key"] = codes.where(codes.notna(), names)
    d = d.sort_values([*KEY, "number_ordered"], kind="stable", na_position="last")
    d["occurrence"] = d.groupby(KEY).cumcount() + 1
    return d.reset_index(drop=True)


def _text(s: pd.Series) -> pd.Series:
    """Values as text for comparing, a missing value as '' (a missing number ordered is missing
    in both editions, not a revision: ``astype("str")`` keeps NaN as NaN, and NaN != NaN)."""
    return s.map(lambda v: "" if pd.isna(v) else str(v)).replace({"nan": "", "<NA>": "",
                                                                  "None": ""})


def diff_deals(old: pd.DataFrame, new: pd.DataFrame, old_canonical: pd.Series,
               new_canonical: pd.Series) -> DealsDiff:
    """Compare two editions of the deal register (``*_canonical``: each deal's description in
    the newest edition's words, from the vocabulary)."""
    o, n = _keyed(old, old_canonical), _keyed(new, new_canonical)
    full = [*KEY, "occurrence"]
    pairs = o.merge(n, on=full, how="outer", suffixes=("_old", "_new"), indicator=True)
    matched = pairs[pairs["_merge"] == "both"].assign(renamed=False)
    only_old = o.merge(pairs.loc[pairs["_merge"] == "left_only", full], on=full)
    only_new = n.merge(pairs.loc[pairs["_merge"] == "right_only", full], on=full)
    sizes = pd.concat([only_old.groupby(LOOSE_KEY).size().rename("n_old"),
                       only_new.groupby(LOOSE_KEY).size().rename("n_new")], axis=1)
    even = sizes[sizes["n_old"] == sizes["n_new"]].index.to_frame(index=False).assign(_p=True)

    def ranked(f: pd.DataFrame) -> pd.DataFrame:
        f = f.merge(even, on=LOOSE_KEY, how="left")
        f = f.sort_values([*LOOSE_KEY, "number_ordered"], kind="stable", na_position="last")
        return f.assign(_rank=f.groupby(LOOSE_KEY).cumcount())

    ro, rn = ranked(only_old), ranked(only_new)
    second = ro[ro["_p"].notna()].merge(rn[rn["_p"].notna()], on=[*LOOSE_KEY, "_rank"],
                                        suffixes=("_old", "_new")).assign(renamed=True)
    matched = pd.concat([matched, second], ignore_index=True)
    removed = ro[ro["_p"].isna()]
    added = rn[rn["_p"].isna()]
    flags = pd.DataFrame({c: _text(matched[f"{c}_old"]) != _text(matched[f"{c}_new"])
                          for c in VALUES}).assign(**{"designation renamed": matched["renamed"]})
    matched["changed"] = [", ".join(c for c in flags.columns if row[c])
                          for _, row in flags.iterrows()]
    revised = matched[flags.any(axis=1)].copy()
    keep = ["supplier", "recipient", "order_year", "description", "designation", "status",
            "number_ordered", "number_delivered", "delivery_years", "tiv_order", "tiv_delivered"]
    cols = ["order_year", "description"]
    for c in ["supplier", "recipient", "designation", *VALUES]:
        cols += [f"{c}_old", f"{c}_new"] if f"{c}_old" in revised else [c]
    return DealsDiff(added[keep].reset_index(drop=True), removed[keep].reset_index(drop=True),
                     revised[[*cols, "renamed", "changed"]].reset_index(drop=True),
                     len(matched))


# --------------------------------------------------------------------------- keyed series


@dataclass(frozen=True)
class SeriesDiff:
    """Rows added, removed and revised between two vintages of one keyed series."""

    added: pd.DataFrame
    removed: pd.DataFrame
    revised: pd.DataFrame  # keys, old, new, difference

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "revised": len(self.revised)}


def diff_series(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], value: str,
                tolerance: float = 1e-9) -> SeriesDiff:
    """Compare one value column keyed by ``keys`` (duplicate keys are summed first)."""
    o = old.groupby(keys, dropna=False)[value].sum(min_count=1).rename("old")
    n = new.groupby(keys, dropna=False)[value].sum(min_count=1).rename("new")
    both = pd.concat([o, n], axis=1, join="outer")
    added = both[both["old"].isna() & both["new"].notna()].reset_index()[[*keys, "new"]]
    removed = both[both["old"].notna() & both["new"].isna()].reset_index()[[*keys, "old"]]
    common = both.dropna(subset=["old", "new"])
    rev = common[(common["new"] - common["old"]).abs() > tolerance].copy()
    rev["difference"] = rev["new"] - rev["old"]
    revised = rev.reset_index().sort_values("difference", key=lambda s: s.abs(),
                                            ascending=False, kind="stable")
    return SeriesDiff(added.reset_index(drop=True), removed.reset_index(drop=True),
                      revised.reset_index(drop=True))


def vintage_table(held: dict[str, list[str]], used: dict[str, set[str]]) -> pd.DataFrame:
    """One row per source: the vintages held, the one(s) the book uses, and whether an older
    vintage exists to compare against."""
    rows = []
    for source in sorted(held):
        vs = held[source]
        in_use = sorted(used.get(source, set()))
        rows.append({
            "source": source,
            "vintages held": ", ".join(vs),
            "used by the book": ", ".join(in_use) or "none",
            "older vintage to compare": "yes" if len(vs) > 1 else "no",
        })
    return pd.DataFrame(rows)


def revision_table(old: pd.DataFrame, new: pd.DataFrame, key: str = "year",
                   value: str = "tiv") -> pd.DataFrame:
    """Old and new values side by side over the years both editions cover, with the revision."""
    o = old.set_index(key)[value].rename("old")
    n = new.set_index(key)[value].rename("new")
    both = pd.concat([o, n], axis=1, join="inner").reset_index()
    both["revision"] = both["new"] - both["old"]
    both["revision_pct"] = (both["revision"] / both["old"] * 100).where(both["old"] > 0)
    return both


def diff_pairs(pairs: Mapping[str, tuple[object, pd.DataFrame, pd.DataFrame, tuple]]
               ) -> dict[str, SeriesDiff | DealsDiff]:
    """The comparison of each file of :func:`analysis.data.editions.frames_in_both`: deals matched
    on their key (rule "deals"), or a keyed series (rule (keys, value))."""
    out: dict[str, SeriesDiff | DealsDiff] = {}
    for name, (rule, old, new, extras) in pairs.items():
        if rule == "deals":
            out[name] = diff_deals(old, new, extras[0], extras[1])
        else:
            keys, value = rule  # type: ignore[misc]
            out[name] = diff_series(old, new, list(keys), value)
    return out


# --------------------------------------------------------------------------- curated tables


@dataclass(frozen=True)
class TableDiff:
    """Rows of a curated table added, removed and revised between two versions, matched on the
    table's row key; a revised row names the columns whose text changed."""

    keys: list[str]
    added: pd.DataFrame  #: key columns and the row's line in the newer version
    removed: pd.DataFrame  #: key columns and the row's line in the older version
    revised: pd.DataFrame  #: key columns, line (newer), the columns changed
    columns_added: list[str]
    columns_removed: list[str]

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "revised": len(self.revised)}

    def rows(self) -> pd.DataFrame:
        """One row per row that changed: its key (as text), the change and the columns."""
        def key_text(f: pd.DataFrame) -> list[str]:
            return [" | ".join(str(v) for v in vals) for vals in f[self.keys].itertuples(index=False)]

        parts = [pd.DataFrame({"row": key_text(f), "change": change, "line": f["line"],
                               "columns": f.get("changed", "")})
                 for f, change in ((self.added, "added"), (self.removed, "removed"),
                                   (self.revised, "revised")) if len(f)]
        return (pd.concat(parts, ignore_index=True) if parts else
                pd.DataFrame(columns=["row", "change", "line", "columns"]))


def diff_table(old: pd.DataFrame, new: pd.DataFrame, keys: list[str]) -> TableDiff:
    """Compare two versions of a table of text (index: each row's line in its file). Rows
    sharing a key are told apart by their order; columns only one version has are listed, not
    compared."""
    def keyed(f: pd.DataFrame) -> pd.DataFrame:
        f = f.rename_axis("_line").reset_index().rename(columns={"_line": "line"})
        for k in keys:
            if k not in f:
                f[k] = ""
        return f.assign(_occurrence=f.groupby(keys).cumcount())

    o, n = keyed(old), keyed(new)
    on = [*keys, "_occurrence"]
    pairs = o.merge(n, on=on, how="outer", suffixes=("_old", "_new"), indicator=True)
    shared = [c for c in new.columns if c in old.columns and c not in keys]
    both = pairs[pairs["_merge"] == "both"]
    changed = pd.DataFrame({c: both[f"{c}_old"].fillna("") != both[f"{c}_new"].fillna("")
                            for c in shared}, index=both.index)
    names = [", ".join(c for c in shared if row[c]) for _, row in changed.iterrows()]
    revised = both.assign(changed=names, line=both["line_new"])
    revised = revised[revised["changed"] != ""]
    added = pairs[pairs["_merge"] == "right_only"].assign(line=lambda f: f["line_new"])
    removed = pairs[pairs["_merge"] == "left_only"].assign(line=lambda f: f["line_old"])

    def tidy(f: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
        f = f[[*keys, "line", *extra]].copy()
        f["line"] = f["line"].astype("int64")
        return f.sort_values("line", kind="stable").reset_index(drop=True)

    return TableDiff(keys, tidy(added, []), tidy(removed, []), tidy(revised, ["changed"]),
                     [c for c in new.columns if c not in old.columns],
                     [c for c in old.columns if c not in new.columns])
