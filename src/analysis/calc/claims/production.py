"""The two production claims as the two sides of one question -- how Russia's yearly output of
artillery munitions compares with all NATO Allies' -- on one body of evidence: every
shell-production estimate of the industrial-context table with what it measures, the evidence
standard applied to it (:func:`answer`: only an output figure for Russia and one for all of NATO,
for the same period, each admissible, can answer), and the spread a reader should see. Claim 3
(:mod:`~analysis.calc.claims.russia`) asks whether the ratio is at least four, claim 4
(:mod:`~analysis.calc.claims.allies`) whether it is below one: one answer decides both."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.calc import prose
from analysis.calc.claims.base import admissibility, evidence_row

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
                    "source_quality": r["source_quality"], "source_grade": r["source_grade"]})
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    return frame.sort_values(["side", "shells_per_year"], ascending=[False, False]
                             ).reset_index(drop=True)


#: The part of both claims the shell estimates bear on.
PART = "artillery-munitions output, Russia against all of NATO"
QUESTION = ("How does Russia's yearly output of artillery munitions compare with the output of "
            "all NATO Allies together?")


def _pairs(estimates: pd.DataFrame) -> list[tuple[int, int]]:
    """(Russia row, all-NATO row) positions of output figures for the same period."""
    if estimates.empty:
        return []
    out = estimates["measure"] == "output"
    russia = estimates[out & (estimates["side"] == RUSSIA)]
    nato = estimates[out & (estimates["side"] == ALL_NATO)]
    return [(int(i), int(j)) for i, r in russia.iterrows()
            for j, n in nato.iterrows() if n["period"] == r["period"]]


def question_evidence(estimates: pd.DataFrame, said: object) -> pd.DataFrame:
    """Every estimate as evidence under the one standard
    (:func:`~analysis.calc.claims.base.admissibility`): a figure measures the question's quantity
    only as one half of an output pair for the same period (Russia's and all of NATO's), and a
    pair may decide only when both halves may."""
    members = {k for pair in _pairs(estimates) for k in pair}
    rows = [evidence_row(PART, f"{r.who}: {r.measure} ({r.period})", str(r.source_grade),
                         str(r.source_date), i in members)
            for i, r in zip(estimates.index, estimates.itertuples(), strict=True)]
    ev = pd.DataFrame(rows, index=estimates.index)
    ev["fact_id"] = estimates["fact_id"] if not estimates.empty else []
    ev = admissibility(ev, said)
    for i, j in _pairs(estimates):
        if not (ev.loc[i, "admissible"] and ev.loc[j, "admissible"]):
            for k, other in ((i, j), (j, i)):
                if ev.loc[k, "admissible"]:
                    ev.loc[k, "admissible"] = False
                    ev.loc[k, "why_not"] = (f"its counterpart ({ev.loc[other, 'evidence']}) may "
                                            "not decide")
    return ev


def answer(estimates: pd.DataFrame, said: object) -> tuple[
        float | None, pd.DataFrame, tuple[pd.Series, pd.Series] | None]:
    """The one answer both claims read: Russia's yearly output over all of NATO's from the first
    admissible pair (None when there is none), the evidence weighed, and the pair."""
    ev = question_evidence(estimates, said)
    for i, j in _pairs(estimates):
        if ev.loc[i, "admissible"] and ev.loc[j, "admissible"]:
            r, n = estimates.loc[i], estimates.loc[j]
            return float(r["shells_per_year"]) / float(n["shells_per_year"]), ev, (r, n)
    return None, ev, None


def deciding_pair(estimates: pd.DataFrame, said: object = None) -> tuple[pd.Series, pd.Series] | None:
    """The pair of output figures that answers the question under the standard, if any."""
    return answer(estimates, said)[2]


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
