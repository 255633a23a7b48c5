"""The two production claims' shared evidence: every shell-production estimate of the
industrial-context table with what it measures, the only kind of pair that could decide a
production claim, and the spread of the estimates a reader should see."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.calc import prose
from analysis.calc.claims.base import DECIDING_QUALITY

RUSSIA = "Russia"
ALL_NATO = "all NATO Allies"
PART_OF_NATO = "part of NATO"
#: What each shell estimate of the industrial-context table measures, read from its description
#: (who produces, how much of each side it covers, and what kind of figure it is). Only an
#: "output" figure for the whole of a side can decide a production claim; a capacity, a goal or
#: deliveries to Ukraine cannot. A new shell row must be added here or the check stops.
ESTIMATES: dict[str, tuple[str, str, str]] = {
    "russia_artillery_shell_output": ("Russia", RUSSIA, "output"),
    "us_europe_shells_for_ukraine": ("United States and Europe", PART_OF_NATO,
                                     "capacity for Ukraine"),
    "us_army_shell_target": ("United States (Army, 155mm)", PART_OF_NATO, "production goal"),
    "eu_shell_capacity_march_2023": ("European Union", PART_OF_NATO, "capacity"),
    "eu_shell_capacity_2024_expected": ("European Union", PART_OF_NATO, "expected capacity"),
    "eu_shell_output_2025_expected": ("European Union", PART_OF_NATO, "expected output"),
}
_PER = {"shells per year": 1.0, "shells per month": 12.0}


def production_estimates(context: pd.DataFrame,
                         classes: Mapping[str, tuple[str, str, str]] = ESTIMATES) -> pd.DataFrame:
    """Every shell-production figure of the industrial-context table, per year, with who it
    covers, what it measures and its source: the estimates, not one number."""
    shells = context[context["unit"].str.startswith("shells per")]
    unknown = sorted(set(shells["fact_id"]) - set(classes))
    if unknown:
        raise KeyError(f"shell figures without a class in analysis.calc.claims.production.ESTIMATES: {unknown}")
    out = []
    for line, r in shells.iterrows():
        if r["unit"] not in _PER:
            raise ValueError(f"line {line}: unit {r['unit']!r} is not one of {sorted(_PER)}")
        who, side, measure = classes[r["fact_id"]]
        out.append({"line": int(line), "fact_id": r["fact_id"], "who": who, "side": side,
                    "measure": measure, "period": r["period"], "value": float(r["value"]),
                    "unit": r["unit"], "shells_per_year": float(r["value"]) * _PER[r["unit"]],
                    "description": r["description"], "source_title": r["source_title"],
                    "source_url": r["source_url"], "source_date": r["source_date"],
                    "source_quality": r["source_quality"]})
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    return frame.sort_values(["side", "shells_per_year"], ascending=[False, False]
                             ).reset_index(drop=True)


def deciding_pair(estimates: pd.DataFrame) -> tuple[pd.Series, pd.Series] | None:
    """A Russian and an all-NATO output figure for the same period, both from a primary source:
    the only kind of pair that can decide a production claim (None when the data hold none)."""
    if estimates.empty:
        return None
    ok = (estimates["measure"] == "output") & (estimates["source_quality"] == DECIDING_QUALITY)
    russia = estimates[ok & (estimates["side"] == RUSSIA)]
    nato = estimates[ok & (estimates["side"] == ALL_NATO)]
    for _, r in russia.iterrows():
        same = nato[nato["period"] == r["period"]]
        if not same.empty:
            return r, same.iloc[0]
    return None


def estimate_spread(estimates: pd.DataFrame, fraction: float) -> dict[str, float | str]:
    """Russia's estimated yearly output, the claimed ``fraction`` of it (three months of a year:
    the key keeps its name, ``russia_three_months``), and the range of the Western figures
    (whatever they measure), with the ratios they imply: the spread a reader should see."""
    russia = estimates[estimates["side"] == RUSSIA]
    west = estimates[estimates["side"] != RUSSIA]
    out: dict[str, float | str] = {"n_estimates": float(len(estimates)),
                                   "n_west": float(len(west))}
    if not west.empty:
        out.update(west_low=float(west["shells_per_year"].min()),
                   west_high=float(west["shells_per_year"].max()))
    if not russia.empty:
        r = russia.iloc[0]
        out.update(russia_per_year=float(r["shells_per_year"]),
                   russia_three_months=float(r["shells_per_year"]) * fraction,
                   russia_period=str(r["period"]), russia_quality=str(r["source_quality"]))
        if not west.empty:
            out.update(ratio_low=float(r["shells_per_year"]) / float(west["shells_per_year"].max()),
                       ratio_high=float(r["shells_per_year"]) / float(west["shells_per_year"].min()))
    return out


def ratios(estimates: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """Russia's yearly estimate over each Western figure, and what Russia's three months (the
    claimed ``fraction`` of a year) are of it: the comparisons the two claims make, figure by
    figure (none of them like for like)."""
    russia = estimates[estimates["side"] == RUSSIA]
    west = estimates[estimates["side"] != RUSSIA]
    if russia.empty or west.empty:
        return pd.DataFrame(columns=["who", "measure", "period", "shells_per_year",
                                     "russia_per_year", "russia_over_west", "quarter_over_west"])
    r = russia.iloc[0]
    out = west[["who", "measure", "period", "shells_per_year", "source_quality"]].copy()
    out["russia_per_year"] = float(r["shells_per_year"])
    out["russia_period"] = r["period"]
    out["russia_over_west"] = out["russia_per_year"] / out["shells_per_year"]
    out["quarter_over_west"] = out["russia_over_west"] * fraction
    return out.reset_index(drop=True)


DECIDING_DATA = ("open, comparable figures of artillery-ammunition output for the same year: "
                  "Russia's and the sum of all NATO Allies' (national production statistics "
                  "or audited industry output), by the same definition of a round")


def spread_sentence(spread: Mapping[str, float | str]) -> str:
    if "russia_per_year" not in spread or "west_low" not in spread:
        return "no spread can be shown."
    return (f"Russia's estimated {prose.number(float(spread['russia_per_year']) / 1e6, 1)} million "
            f"a year ({spread['russia_period']}) is {prose.number(float(spread['ratio_low']), 1)} "
            f"to {prose.number(float(spread['ratio_high']), 1)} times the Western figures, which "
            "measure capacity, goals or supply to Ukraine, not NATO's output.")


def deciding_text(spread: Mapping[str, float | str], pair: object) -> str:
    if pair is not None:
        return (f"Russia {prose.number(float(spread['deciding_russia']) / 1e6, 2)} m, NATO "
                f"{prose.number(float(spread['deciding_nato']) / 1e6, 2)} m shells a year")
    if "ratio_low" not in spread:
        return "no comparable estimates"
    return (f"{int(spread['n_estimates'])} estimates, none for all of NATO; Russia's is "
            f"{prose.number(float(spread['ratio_low']), 1)}-"
            f"{prose.number(float(spread['ratio_high']), 1)} times the Western figures")
