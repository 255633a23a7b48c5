"""The debate's seven public claims, each checked against the data, with a verdict.

Claims are data: ``data/curated/claims.csv`` holds one row per sourced utterance (who said it,
when, where, the page). Each claim id maps to one check in :data:`CHECKS`: a pure function of the
validated frames and the chapter's parameters that returns a :class:`Verdict` (one of
:data:`VERDICTS`), the numbers that decide it, a one-sentence reason and what would change it.

The checks compute nothing that :mod:`analysis.calc.spending`, :mod:`analysis.calc.exports` and
:mod:`analysis.calc.constraints` already compute: they call those functions and apply an explicit
verdict rule to the result. Four rules of honesty run through the module:

* a claim the staged data cannot decide gets :data:`CANNOT`, and says which data would decide it;
  a verdict never rests on a number typed here;
* production claims rest on estimates: the check returns every estimate with its source, and
  decides only when comparable figures for the whole of both sides exist;
* a figure that is not the claim's quantity (NATO's common-funded budget against national
  defence spending) is shown as a contrast, never judged;
* a verdict is recomputed on the previous vintage of each source when one is held
  (:func:`rerun`), so that a verdict that moves with the data is marked as changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.calc import constraints, exports, prose, spending

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CANNOT = "cannot be checked with open data"
VERDICTS: tuple[str, ...] = (SUPPORTED, PARTLY, NOT_SUPPORTED, CANNOT)

#: A claims row whose quality note starts so has no source: it is shown, marked unsourced.
UNSOURCED = "source not found"

#: The seven claims as the report's brief states them, in the order the chapter checks them. The
#: checks read the claimed figures from these sentences (never from a second, typed copy).
STATEMENTS: dict[str, str] = {
    "wales_2pct_hague_5pct": ("The 2% of GDP pledge was set at the 2014 Wales summit; the target "
                              "was raised to 5% by 2035 at The Hague in June 2025."),
    "us_share_60_65": "The United States accounts for 60 to 65 per cent of NATO's defence spending.",
    "russia_3_months": ("Russia produces in three months the munitions that all of NATO produces "
                        "in a year (said in early 2025)."),
    "allies_outproduce_russia": ("The 32 allies together produce more equipment and munitions "
                                 "than Russia (a counter-claim)."),
    "systems_178_vs_30": ("The US fields about 30 major weapon systems while EU members operate "
                          "178 (a 2017 comparison)."),
    "sales_to_european_allies": ("Türkiye has sold drones to Poland and Croatia, replenishment "
                                 "ships to Portugal and armoured land systems to Romania and "
                                 "Estonia."),
    "minerals_and_engines": ("Türkiye depends on imported critical minerals from China and on "
                             "US-made engines for its fighter and jet-trainer projects."),
}
#: Short names for the summary table.
LABELS: dict[str, str] = {
    "wales_2pct_hague_5pct": "2% set at Wales (2014), raised to 5% at The Hague (2025)",
    "us_share_60_65": "The US pays 60 to 65% of NATO's defence spending",
    "russia_3_months": "Russia makes in three months what NATO makes in a year",
    "allies_outproduce_russia": "The allies together outproduce Russia",
    "systems_178_vs_30": "178 weapon-system types in Europe, 30 in the US",
    "sales_to_european_allies": "Turkish sales to Poland, Croatia, Portugal, Romania, Estonia",
    "minerals_and_engines": "Minerals from China, US engines for KAAN and Hürjet",
}
ORDER: list[str] = list(STATEMENTS)


def anchor(claim_id: str) -> str:
    """The page anchor of a claim's section: the notebook labels each section ``(claim-...)=``."""
    return "claim-" + claim_id.replace("_", "-")


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict with what decides it.

    ``numbers`` is a small tidy frame of the deciding data (what the chapter shows), ``figures``
    the key figures by name, ``deciding`` the deciding numbers in a few words (summary table),
    ``reason`` one sentence, ``would_change`` what would change the verdict, and ``vintages`` the
    data each figure came from (source -> vintage; filled by :func:`run`).
    """

    claim_id: str
    verdict: str
    numbers: pd.DataFrame
    figures: dict[str, float | str]
    deciding: str
    reason: str
    would_change: str
    vintages: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: {self.verdict!r} is not one of {VERDICTS}")


# --------------------------------------------------------------------------- utterances


def utterances(claims: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """One claim's rows of the claims table, with the file line, whether the row has a source,
    and the year of the utterance (missing when its date is unknown)."""
    rows = claims[claims["claim_id"] == claim_id]
    if rows.empty:
        raise KeyError(f"claims table holds no row for {claim_id!r}")
    out = rows.copy()
    out.insert(0, "line", rows.index.astype("int64"))
    out["sourced"] = ~rows["quality_note"].str.lower().str.startswith(UNSOURCED)
    out["year"] = pd.array([int(d[:4]) if re.match(r"^\d{4}", str(d)) else pd.NA
                            for d in rows["claim_date"]], dtype="Int64")
    return out.reset_index(drop=True)


def _numbers_in(text: str) -> list[float]:
    """The numbers a sentence states (thousands separators allowed, '2%' -> 2.0)."""
    return [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)]


def _percentages_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s*%", text)]


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def combine(parts: Sequence[str]) -> str:
    """The verdict of a claim made of parts: supported only if every part is; cannot be checked
    only if no part can; not supported if no part is supported and one is contradicted; partly
    supported otherwise."""
    if not parts:
        raise ValueError("a claim has at least one part")
    if all(p == SUPPORTED for p in parts):
        return SUPPORTED
    if all(p == CANNOT for p in parts):
        return CANNOT
    if any(p in (SUPPORTED, PARTLY) for p in parts):
        return PARTLY
    return NOT_SUPPORTED


# --------------------------------------------------------------------------- 1. Wales and The Hague

#: NATO's own texts in the claims table: the summit declarations, paraphrased.
OFFICIAL_CLAIMANT = "NATO Heads of State and Government"
_PLEDGES = re.compile(
    r"The (?P<wales_pct>[\d.]+)% of GDP pledge was set at the (?P<wales_year>\d{4}) Wales summit; "
    r"the target was raised to (?P<hague_pct>[\d.]+)% by (?P<by_year>\d{4}) at The Hague in "
    r"(?P<hague_month>\w+) (?P<hague_year>\d{4})")
#: Words in NATO's Wales text that say 2% was not new there.
_EXISTING = re.compile(r"\bexisting\b.*\bguideline\b|\bmove towards\b", re.IGNORECASE)


def check_wales_hague(rows: pd.DataFrame, statement: str) -> Verdict:
    """Each half of the claim against NATO's own summit texts (the rows whose claimant is NATO's
    Heads of State and Government), read from the texts themselves, not from the rows' notes.

    A half *matches* when NATO's text of that summit states the claimed figure (and, for The
    Hague, the year 2035); it matches *with a qualification* when the same text says more that
    changes its sense: that 2% was an existing guideline Wales pledged to move towards, or that
    5% is the sum of a core and a related part. The verdict combines the halves
    (:func:`combine`; a qualified match counts as partly supported).
    """
    m = _PLEDGES.match(statement)
    if not m:
        raise ValueError("the Wales/Hague statement no longer reads as the check expects")
    claimed = {k: float(v) if k.endswith("pct") else v for k, v in m.groupdict().items()}
    official = rows[rows["claimant"].str.startswith(OFFICIAL_CLAIMANT)]
    hague_month = pd.Timestamp(f"1 {claimed['hague_month']} {claimed['hague_year']}").strftime("%Y-%m")
    out, parts, shorts, figures = [], [], [], {}

    wales = official[official["claim_date"].str.startswith(str(claimed["wales_year"]))]
    part = f"{claimed['wales_pct']:g}% set at Wales, {claimed['wales_year']}"
    if wales.empty:
        finding, outcome = "no NATO text of that summit in the claims table", CANNOT
        row = None
    else:
        row = wales.iloc[0]
        pcts = _percentages_in(row["claim"])
        if not any(_same(p, claimed["wales_pct"]) for p in pcts):
            finding, outcome = f"NATO's text does not state {claimed['wales_pct']:g}%", NOT_SUPPORTED
        elif _EXISTING.search(row["claim"]):
            finding = (f"NATO's text calls {claimed['wales_pct']:g}% an existing guideline that "
                       "the Allies pledged to move towards within a decade: the pledge was made "
                       "at Wales, the figure was not set there")
            outcome = PARTLY
        else:
            finding, outcome = f"NATO's text sets {claimed['wales_pct']:g}% at Wales", SUPPORTED
        figures["wales_pct"] = claimed["wales_pct"]
    shorts.append({SUPPORTED: f"{claimed['wales_pct']:g}% set at Wales",
                   PARTLY: f"{claimed['wales_pct']:g}% an existing guideline Wales pledged to reach",
                   NOT_SUPPORTED: f"{claimed['wales_pct']:g}% not in NATO's Wales text",
                   CANNOT: "no NATO Wales text"}[outcome])
    parts.append(outcome)
    out.append(_pledge_row(part, row, finding, outcome))

    hague = official[official["claim_date"].str.startswith(hague_month)]
    part = f"{claimed['hague_pct']:g}% by {claimed['by_year']} at The Hague, {hague_month}"
    if hague.empty:
        finding, outcome = "no NATO text of that summit in the claims table", CANNOT
        row = None
    else:
        row = hague.iloc[0]
        pcts = _percentages_in(row["claim"])
        total = claimed["hague_pct"]
        states_total = any(_same(p, total) for p in pcts)
        states_year = claimed["by_year"] in re.findall(r"\d{4}", row["claim"])
        others = [p for p in pcts if not _same(p, total)]
        if not (states_total and states_year):
            finding = (f"NATO's text does not state {total:g}% by {claimed['by_year']}")
            outcome = NOT_SUPPORTED
        elif len(others) >= 2 and _same(sum(others), total):
            core, related = max(others), min(others)
            finding = (f"NATO's text states {total:g}% by {claimed['by_year']}, made of at least "
                       f"{core:g}% on core defence and up to {related:g}% on defence- and "
                       f"security-related spending: not a {total:g}% defence-spending target like "
                       f"the {claimed['wales_pct']:g}%")
            outcome = PARTLY
            figures.update(core_pct=core, related_pct=related)
        else:
            finding, outcome = (f"NATO's text states {total:g}% by {claimed['by_year']}",
                                SUPPORTED)
        figures.update(hague_pct=total, by_year=claimed["by_year"])
    shorts.append({SUPPORTED: f"{claimed['hague_pct']:g}% by {claimed['by_year']} in NATO's text",
                   PARTLY: (f"{claimed['hague_pct']:g}% = {figures.get('core_pct', 0):g}% core + "
                            f"{figures.get('related_pct', 0):g}% related"),
                   NOT_SUPPORTED: f"{claimed['hague_pct']:g}% not in NATO's Hague text",
                   CANNOT: "no NATO Hague text"}[outcome])
    parts.append(outcome)
    out.append(_pledge_row(part, row, finding, outcome))

    verdict = combine(parts)
    numbers = pd.DataFrame(out)
    reason = {
        SUPPORTED: "NATO's own texts state both figures at both summits, as claimed.",
        PARTLY: ("NATO's own texts confirm the dates and figures but not their sense: "
                 + "; ".join(f for f, o in zip(numbers["finding"], parts, strict=True)
                             if o != SUPPORTED) + "."),
        NOT_SUPPORTED: "NATO's own texts of those summits do not state the claimed figures.",
        CANNOT: "The claims table holds no NATO text of either summit.",
    }[verdict]
    return Verdict(
        claim_id="wales_2pct_hague_5pct", verdict=verdict, numbers=numbers, figures=figures,
        deciding="; ".join(shorts),
        reason=reason,
        would_change=("No newer data can: the verdict rests on NATO's own declarations. Only a "
                      f"NATO text showing that {claimed['wales_pct']:g}% was first set at Wales, "
                      f"and that {claimed['hague_pct']:g}% is a target for defence spending "
                      "alone, would make it supported."))


def _pledge_row(part: str, row: pd.Series | None, finding: str, outcome: str) -> dict[str, object]:
    return {"part": part, "nato_text": "" if row is None else row["claim"],
            "nato_text_date": "" if row is None else row["claim_date"],
            "source_title": "" if row is None else row["source_title"],
            "source_url": "" if row is None else row["source_url"],
            "line": pd.NA if row is None else int(row["line"]),
            "finding": finding, "outcome": outcome}


# --------------------------------------------------------------------------- 2. the US share

_RANGE = re.compile(r"(?P<low>\d+(?:\.\d+)?) to (?P<high>\d+(?:\.\d+)?) per cent")
#: A claims row that reports a different quantity, shown beside the claim and never judged.
CONTRAST_PREFIX = "Contrast"


def share_verdict(share_pct: float, low: float, high: float, about_pp: float) -> str:
    """Supported inside the claimed range; partly supported within ``about_pp`` points of it (the
    claim says 'about'); not supported further away."""
    if low <= share_pct <= high:
        return SUPPORTED
    if low - about_pp <= share_pct <= high + about_pp:
        return PARTLY
    return NOT_SUPPORTED


def us_share_by_year(nato_table: pd.DataFrame, members: pd.DataFrame, *, lead: str,
                     regions: Sequence[str], extra: Sequence[str]) -> pd.DataFrame:
    """The lead Ally's share (%) of all Allies' defence expenditure per year, by NATO's own
    figures in current US dollars (:func:`analysis.calc.spending.burden_shares`)."""
    names = members.set_index("iso3")["country"]
    current = spending.series(nato_table, "defence_expenditure", "current")
    shares = spending.burden_shares(current, members, lead=lead, regions=regions, extra=extra,
                                    lead_name=str(names[lead]), group_name="the other Allies",
                                    source="NATO")
    lead_rows = shares[shares["group"] == str(names[lead])]
    return lead_rows[["year", "year_label", "is_estimate", "share_pct", "spending_usd_m",
                      "all_allies_usd_m"]].reset_index(drop=True)


def check_us_share(rows: pd.DataFrame, nato_table: pd.DataFrame, members: pd.DataFrame,
                   statement: str, *, lead: str, regions: Sequence[str], extra: Sequence[str],
                   about_pp: float) -> Verdict:
    """The claimed range against the US share of all Allies' defence expenditure in the year of
    each utterance (NATO's table, current USD).

    An utterance dated after the table's last year is judged on the last year, and says so. The
    verdict is that of the latest utterance (:func:`share_verdict`); a row that reports another
    quantity (NATO's common-funded budget) is listed as a contrast and not judged.
    """
    m = _RANGE.search(statement)
    if not m:
        raise ValueError("the US-share statement names no range 'a to b per cent'")
    low, high = float(m["low"]), float(m["high"])
    by_year = us_share_by_year(nato_table, members, lead=lead, regions=regions, extra=extra)
    if by_year.empty:
        raise ValueError("NATO's table gives no year with every Ally's spending")
    latest = int(by_year["year"].max())
    indexed = by_year.set_index("year")
    out = []
    for r in rows.itertuples(index=False):
        contrast = str(r.claim).startswith(CONTRAST_PREFIX)
        year = None if pd.isna(r.year) else int(r.year)
        judged = None if (contrast or year is None) else min(year, latest)
        rec: dict[str, object] = {
            "line": r.line, "claim_date": r.claim_date, "claimant": r.claimant, "claim": r.claim,
            "source_title": r.source_title, "source_url": r.source_url,
            "kind": "contrast: a different quantity" if contrast else "utterance",
            "year_judged": judged, "year_label": "", "covered": bool(judged == year),
            "us_share_pct": float("nan"), "verdict": "",
        }
        if judged is not None:
            share = float(indexed.loc[judged, "share_pct"])
            rec.update(year_label=str(indexed.loc[judged, "year_label"]), us_share_pct=share,
                       verdict=share_verdict(share, low, high, about_pp))
        out.append(rec)
    numbers = pd.DataFrame(out)
    numbers["year_judged"] = numbers["year_judged"].astype("Int64")
    judged_rows = numbers[numbers["kind"] == "utterance"].dropna(subset=["year_judged"])
    if judged_rows.empty:
        raise ValueError("no dated utterance of the US-share claim")
    last = judged_rows.sort_values(["year_judged", "claim_date"]).iloc[-1]
    claim_year = int(last["claim_date"][:4])
    share, label = float(last["us_share_pct"]), str(last["year_label"])
    verdict = str(last["verdict"])
    where = ("inside" if verdict == SUPPORTED else
             f"{prose.number(share - high if share > high else low - share, 1)} points "
             f"{'above' if share > high else 'below'}")
    coverage = ("" if claim_year <= latest else
                f" ({claim_year} is beyond the table's last year, {latest}, so {latest} is used)")
    reason = (f"By NATO's own figures the United States carried {prose.percent(share, 1)} of all "
              f"Allies' defence expenditure in {label}{coverage}, {where} the claimed "
              f"{low:g}-{high:g}%.")
    figures: dict[str, float | str] = {
        "low_pct": low, "high_pct": high, "about_pp": about_pp, "share_pct": share,
        "year_label": label, "claim_year": str(claim_year), "latest_year": str(latest),
        "first_year": str(int(by_year["year"].min())),
        "first_share_pct": float(by_year.iloc[0]["share_pct"]),
        "peak_share_pct": float(by_year["share_pct"].max()),
        "peak_year": str(int(by_year.loc[by_year["share_pct"].idxmax(), "year"])),
        "claim_year_covered": "yes" if claim_year <= latest else "no",
    }
    would = (f"NATO's figures for {claim_year}: a US share between {low:g}% and {high:g}% would "
             f"make the claim supported, one more than {about_pp:g} points outside it not "
             "supported.") if claim_year > latest else (
             f"A revision of NATO's {label} figure that moves the share across {low:g}%, "
             f"{high:g}% or {about_pp:g} points beyond them.")
    return Verdict(
        claim_id="us_share_60_65", verdict=verdict, numbers=numbers, figures=figures,
        deciding=f"US share {prose.percent(share, 1)} in {label} (NATO, current US$)",
        reason=reason, would_change=would)


# --------------------------------------------------------------------------- 3, 4. production

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
#: The quality a figure needs to decide a claim: a primary, open publication.
DECIDING_QUALITY = "primary"


def production_estimates(context: pd.DataFrame,
                         classes: Mapping[str, tuple[str, str, str]] = ESTIMATES) -> pd.DataFrame:
    """Every shell-production figure of the industrial-context table, per year, with who it
    covers, what it measures and its source: the estimates, not one number."""
    shells = context[context["unit"].str.startswith("shells per")]
    unknown = sorted(set(shells["fact_id"]) - set(classes))
    if unknown:
        raise KeyError(f"shell figures without a class in analysis.calc.claims.ESTIMATES: {unknown}")
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


def estimate_spread(estimates: pd.DataFrame) -> dict[str, float | str]:
    """Russia's estimated yearly output, a quarter of it, and the range of the Western figures
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
                   russia_three_months=float(r["shells_per_year"]) / 4,
                   russia_period=str(r["period"]), russia_quality=str(r["source_quality"]))
        if not west.empty:
            out.update(ratio_low=float(r["shells_per_year"]) / float(west["shells_per_year"].max()),
                       ratio_high=float(r["shells_per_year"]) / float(west["shells_per_year"].min()))
    return out


def ratios(estimates: pd.DataFrame) -> pd.DataFrame:
    """Russia's yearly estimate over each Western figure, and what Russia's three months are of
    it: the comparisons the two claims make, figure by figure (none of them like for like)."""
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
    out["quarter_over_west"] = out["russia_over_west"] / 4
    return out.reset_index(drop=True)


_DECIDING_DATA = ("open, comparable figures of artillery-ammunition output for the same year: "
                  "Russia's and the sum of all NATO Allies' (national production statistics "
                  "or audited industry output), by the same definition of a round")


def check_russia_three_months(rows: pd.DataFrame, context: pd.DataFrame,
                              classes: Mapping[str, tuple[str, str, str]] = ESTIMATES) -> Verdict:
    """Russia's output in three months against all of NATO's in a year.

    Decided only by a :func:`deciding_pair`: supported when a quarter of Russia's yearly output is
    at least NATO's yearly output, partly supported when Russia out-produces NATO over a year but
    by less than four to one, not supported otherwise. Without such a pair: cannot be checked.
    """
    estimates = production_estimates(context, classes)
    spread = estimate_spread(estimates)
    pair = deciding_pair(estimates)
    if pair is None:
        verdict = CANNOT
        reason = (f"The staged data hold {len(estimates)} estimates of shell production, none "
                  "an output figure for all of NATO from a primary source; "
                  + _spread_sentence(spread))
    else:
        russia, nato = pair
        quarter = russia["shells_per_year"] / 4
        if quarter >= nato["shells_per_year"]:
            verdict = SUPPORTED
        elif russia["shells_per_year"] > nato["shells_per_year"]:
            verdict = PARTLY
        else:
            verdict = NOT_SUPPORTED
        spread.update(deciding_russia=float(russia["shells_per_year"]),
                      deciding_nato=float(nato["shells_per_year"]))
        reason = (f"In {russia['period']} Russia produced {prose.number(russia['shells_per_year'])} "
                  f"shells and all of NATO {prose.number(nato['shells_per_year'])}: three months "
                  f"of Russia's output are {prose.number(quarter / nato['shells_per_year'] * 100)}% "
                  "of NATO's year.")
    return Verdict(
        claim_id="russia_3_months", verdict=verdict, numbers=estimates, figures=spread,
        deciding=_deciding_text(spread, pair),
        reason=reason,
        would_change=f"It would be decided by {_DECIDING_DATA}.")


def check_allies_outproduce(rows: pd.DataFrame, context: pd.DataFrame,
                            classes: Mapping[str, tuple[str, str, str]] = ESTIMATES) -> Verdict:
    """The counter-claim: all Allies together produce more than Russia. Decided only by a
    :func:`deciding_pair` (supported when NATO's yearly output exceeds Russia's, not supported
    otherwise); the claim also names equipment, for which the staged data hold no figure at all,
    so even a decided munitions half leaves it partly supported at best."""
    estimates = production_estimates(context, classes)
    spread = estimate_spread(estimates)
    pair = deciding_pair(estimates)
    if pair is None:
        parts = [CANNOT, CANNOT]
        reason = ("No open output figure for all of NATO exists in the staged data, for munitions "
                  "or for equipment; " + _spread_sentence(spread))
    else:
        russia, nato = pair
        munitions = SUPPORTED if nato["shells_per_year"] > russia["shells_per_year"] else NOT_SUPPORTED
        parts = [munitions, CANNOT]
        spread.update(deciding_russia=float(russia["shells_per_year"]),
                      deciding_nato=float(nato["shells_per_year"]))
        reason = (f"In {russia['period']} all of NATO produced "
                  f"{prose.number(nato['shells_per_year'])} shells and Russia "
                  f"{prose.number(russia['shells_per_year'])}; no figure on equipment is staged.")
    return Verdict(
        claim_id="allies_outproduce_russia", verdict=combine(parts), numbers=ratios(estimates),
        figures=spread, deciding=_deciding_text(spread, pair), reason=reason,
        would_change=(f"It would be decided by {_DECIDING_DATA}, and for equipment by the "
                      "numbers of major systems each side delivers a year."))


def _spread_sentence(spread: Mapping[str, float | str]) -> str:
    if "russia_per_year" not in spread or "west_low" not in spread:
        return "no spread can be shown."
    return (f"Russia's estimated {prose.number(float(spread['russia_per_year']) / 1e6, 1)} million "
            f"a year ({spread['russia_period']}) is {prose.number(float(spread['ratio_low']), 1)} "
            f"to {prose.number(float(spread['ratio_high']), 1)} times the Western figures, which "
            "measure capacity, goals or supply to Ukraine, not NATO's output.")


def _deciding_text(spread: Mapping[str, float | str], pair: object) -> str:
    if pair is not None:
        return (f"Russia {prose.number(float(spread['deciding_russia']) / 1e6, 2)} m, NATO "
                f"{prose.number(float(spread['deciding_nato']) / 1e6, 2)} m shells a year")
    if "ratio_low" not in spread:
        return "no comparable estimates"
    return (f"{int(spread['n_estimates'])} estimates, none for all of NATO; Russia's is "
            f"{prose.number(float(spread['ratio_low']), 1)}-"
            f"{prose.number(float(spread['ratio_high']), 1)} times the Western figures")


# --------------------------------------------------------------------------- 5. 178 against 30

_SYSTEMS = re.compile(r"about (?P<us>\d+) major weapon systems while EU members operate (?P<eu>\d+)")
SYSTEM_FACTS = {"eu": "weapon_system_types_europe", "us": "weapon_system_types_us"}


def check_systems(rows: pd.DataFrame, context: pd.DataFrame, statement: str) -> Verdict:
    """The claimed counts against the counts in the industrial-context table (the Munich Security
    Report 2017's). Supported when both match, and then only as "that report says so": the check
    names the source's quality (a secondary summary is marked). Not supported when a count
    differs; cannot be checked when the table holds no count. Each utterance is listed with the
    figures it gives: one with another US figure is a variant, one without a source unsourced."""
    m = _SYSTEMS.search(statement)
    if not m:
        raise ValueError("the weapon-systems statement names no 'about N ... operate M'")
    claimed = {"eu": float(m["eu"]), "us": float(m["us"])}
    facts = context.set_index("fact_id")
    found = {k: facts.loc[f] for k, f in SYSTEM_FACTS.items() if f in facts.index}
    listed = []
    for r in rows.itertuples(index=False):
        numbers = [n for n in _numbers_in(r.claim) if n < 1000]
        fewer = re.search(r"(fewer|less) than (\d+)", r.claim)
        us_given = (f"fewer than {fewer.group(2)}" if fewer else
                    ", ".join(f"{n:g}" for n in numbers if _same(n, claimed["us"])) or "none")
        same = any(_same(n, claimed["eu"]) for n in numbers) and us_given == f"{claimed['us']:g}"
        listed.append({"line": r.line, "claim_date": r.claim_date, "claimant": r.claimant,
                       "claim": r.claim, "source_title": r.source_title,
                       "source_url": r.source_url,
                       "europe_given": ", ".join(f"{n:g}" for n in numbers
                                                 if _same(n, claimed["eu"])) or "none",
                       "us_given": us_given,
                       "status": ("unsourced" if not r.sourced else
                                  "same figures" if same else "variant")})
    numbers_frame = pd.DataFrame(listed)
    figures: dict[str, float | str] = {"claimed_eu": claimed["eu"], "claimed_us": claimed["us"],
                                       "n_utterances": float(len(rows)),
                                       "n_variants": float((numbers_frame["status"] == "variant").sum()),
                                       "n_unsourced": float((numbers_frame["status"] == "unsourced").sum())}
    if len(found) < 2:
        verdict = CANNOT
        reason = "The staged data hold no count of weapon-system types for Europe and the US."
        deciding = "no count staged"
    else:
        eu, us = float(found["eu"]["value"]), float(found["us"]["value"])
        quality = str(found["eu"]["source_quality"])
        figures.update(count_eu=eu, count_us=us, period=str(found["eu"]["period"]),
                       quality=quality, source_title=str(found["eu"]["source_title"]))
        secondary = "" if quality == DECIDING_QUALITY else f" (via a {quality}, not the report itself)"
        if _same(eu, claimed["eu"]) and _same(us, claimed["us"]):
            verdict = SUPPORTED
            reason = (f"The count the staged data hold, from “{found['eu']['source_title']}”, is "
                      f"{eu:g} types in Europe and {us:g} in the US for {found['eu']['period']}"
                      f"{secondary}: supported only in the sense that this source says so; no "
                      "open, independent count exists.")
        else:
            verdict = NOT_SUPPORTED
            reason = (f"The count in the staged data is {eu:g} types in Europe and {us:g} in the "
                      f"US{secondary}, not the claimed {claimed['eu']:g} and {claimed['us']:g}.")
        deciding = (f"{eu:g} against {us:g} types, {found['eu']['period']}"
                    f"{' (secondary)' if secondary else ''}")
    return Verdict(
        claim_id="systems_178_vs_30", verdict=verdict, numbers=numbers_frame, figures=figures,
        deciding=deciding, reason=reason,
        would_change=("The report's own page (not a summary of it), or a newer count of the "
                      "types in service, would confirm or replace the figures."))


# --------------------------------------------------------------------------- 6. sales to allies

#: How each kind of system the claim names reads in SIPRI's deal descriptions and in the timeline.
SALE_KINDS: dict[str, dict[str, str]] = {
    "drones": {"sipri": r"\bUAV\b", "timeline": r"\bdrones?\b|\bTB2\b|Bayraktar"},
    "replenishment ships": {"sipri": r"\bship\b", "timeline": r"\bships?\b"},
    "armoured land systems": {"sipri": r"\b(?:APC|IFV|AFV|tank|armoured vehicle)\b",
                              "timeline": r"armou?red|\bvehicles?\b|\bAPC\b|Cobra|Arma|NMS"},
}
SALES_LANE = "Sales to European allies"
_NAMED = re.compile(r"(?P<kind>" + "|".join(map(re.escape, SALE_KINDS))
                    + r") to (?P<buyers>[A-Z][a-z]+(?: and [A-Z][a-z]+)?)")


def named_sales(statement: str) -> list[tuple[str, str]]:
    """(buyer, kind) for each sale the statement names, in its order."""
    out = [(buyer, m["kind"]) for m in _NAMED.finditer(statement)
           for buyer in m["buyers"].split(" and ")]
    if not out:
        raise ValueError("the sales statement names no 'kind to buyer'")
    return out


def sales_found(statement: str, deals: pd.DataFrame, timeline: pd.DataFrame,
                members: pd.DataFrame, *, supplier: str, europe_region: str,
                exclude: Sequence[str]) -> pd.DataFrame:
    """Each named sale looked up in SIPRI's deals register (:func:`analysis.calc.exports.deals_with`:
    order year, numbers, delivered or not) and in the curated timeline
    (:func:`analysis.calc.constraints.timeline_events`, lane of sales to European allies)."""
    deal_table = exports.deals_with(deals, supplier, members, europe_region, exclude=exclude)
    events = constraints.timeline_events(timeline)
    events = events[events["lane"] == SALES_LANE]
    out = []
    for buyer, kind in named_sales(statement):
        pattern = SALE_KINDS[kind]
        d = deal_table[(deal_table["recipient"] == buyer)
                       & deal_table["description"].str.contains(pattern["sipri"], regex=True)]
        e = events[events["event"].str.contains(rf"\b{re.escape(buyer)}", regex=True)
                   & events["event"].str.contains(pattern["timeline"], regex=True)]
        delivered = d["number_delivered"].fillna(0) > 0
        out.append({
            "buyer": buyer, "kind": kind,
            "in_sipri": not d.empty,
            "sipri_deals": "; ".join(f"{r.designation} ({r.description}), ordered {r.order_year}: "
                                     f"{r.number_delivered:g} of {r.number_ordered:g} delivered"
                                     for r in d.itertuples()),
            "order_years": ", ".join(str(y) for y in sorted(d["order_year"].unique())),
            "sipri_status": "; ".join(d["status"]),
            "any_delivered": bool(delivered.any()),
            "in_timeline": not e.empty,
            "timeline_date": "; ".join(e["date"]),
            "timeline_event": "; ".join(e["event"]),
            "source_title": e["source_title"].iloc[0] if not e.empty else "",
            "source_url": e["source_url"].iloc[0] if not e.empty else "",
            "timeline_line": int(e["line"].iloc[0]) if not e.empty else pd.NA,
        })
    frame = pd.DataFrame(out)
    frame["found"] = frame["in_sipri"] | frame["in_timeline"]
    frame["timeline_line"] = frame["timeline_line"].astype("Int64")
    return frame


def check_sales(rows: pd.DataFrame, deals: pd.DataFrame, timeline: pd.DataFrame,
                members: pd.DataFrame, statement: str, *, supplier: str, europe_region: str,
                exclude: Sequence[str]) -> Verdict:
    """The share of the named sales found in SIPRI's deals register or the timeline: all of them
    supported, at least half partly supported, fewer not supported. An order counts as a sale
    ("has sold"); whether anything was delivered by the register's data year is reported."""
    found = sales_found(statement, deals, timeline, members, supplier=supplier,
                        europe_region=europe_region, exclude=exclude)
    n, n_found = len(found), int(found["found"].sum())
    share = n_found / n
    verdict = SUPPORTED if share == 1 else PARTLY if share >= 0.5 else NOT_SUPPORTED
    delivered = found.loc[found["any_delivered"], "buyer"].tolist()
    missing = found.loc[~found["found"], "buyer"].tolist()
    years = sorted({int(y) for ys in found["order_years"] if ys for y in ys.split(", ")})
    figures: dict[str, float | str] = {
        "n_named": float(n), "n_found": float(n_found),
        "n_in_sipri": float(found["in_sipri"].sum()),
        "n_in_timeline": float(found["in_timeline"].sum()),
        "n_delivered": float(len(delivered)), "delivered": ", ".join(delivered) or "none",
        "missing": ", ".join(missing) or "none",
        "first_order": str(years[0]) if years else "", "last_order": str(years[-1]) if years else "",
    }
    reason = (f"{n_found} of the {n} named sales are recorded: {int(found['in_sipri'].sum())} in "
              f"SIPRI's deals register"
              + (f" (ordered {years[0]}-{years[-1]})" if years else "")
              + f" and {int(found['in_timeline'].sum())} in the curated timeline; by the register's "
              f"last year, deliveries had begun for {', '.join(delivered) or 'none'}"
              + (f"; not found: {', '.join(missing)}" if missing else "") + ".")
    return Verdict(
        claim_id="sales_to_european_allies", verdict=verdict, numbers=found, figures=figures,
        deciding=f"{n_found} of {n} sales recorded, {len(delivered)} with deliveries begun",
        reason=reason,
        would_change=("A sale cancelled before delivery, or missing from the next SIPRI register, "
                      "would lower the count; the next register also shows which orders were "
                      "delivered."))


# --------------------------------------------------------------------------- 7. minerals, engines

#: The fighter and the jet trainer of the claim, as the dependency table names them.
ENGINE_PROGRAMMES: dict[str, str] = {"fighter": "KAAN fighter", "jet trainer": "Hürjet trainer"}
#: Dependency statuses under which a programme no longer rests on the foreign engine.
NOT_DEPENDING = ("withdrawn", "replaced by domestic")
#: The minerals table names a fact about Türkiye with the prefix turkey_ (or turkiye_).
_ABOUT_TURKIYE = r"^(?:turkey|turkiye)_"
_IMPORTS = r"(?:^|[_\s])imports?(?:$|[_\s,.;])"


def engine_dependencies(dependencies: pd.DataFrame, engine_country: str) -> pd.DataFrame:
    """The engine and engine-licence rows of the claim's programmes
    (:func:`analysis.calc.constraints.matrix_entries`), with whether each makes the programme depend
    on ``engine_country``."""
    entries = constraints.matrix_entries(dependencies)
    rows = entries[entries["flagship"].isin(ENGINE_PROGRAMMES.values())
                   & entries["component_kind"].isin(["engine", "export licence"])].copy()
    head = rows["status"].str.replace(r" \(.+\)$", "", regex=True)
    rows["depends"] = ((rows["component_kind"] == "engine")
                       & (rows["supplier_country"] == engine_country)
                       & ~head.isin(NOT_DEPENDING))
    return rows.reset_index(drop=True)


def turkiye_import_facts(minerals: pd.DataFrame) -> pd.DataFrame:
    """Facts of the critical-minerals table about Türkiye's imports (none are staged today)."""
    about = minerals["fact_id"].str.contains(_ABOUT_TURKIYE, regex=True)
    imports = (minerals["fact_id"].str.contains(_IMPORTS, regex=True)
               | minerals["description"].str.contains(_IMPORTS, regex=True, case=False))
    return minerals[about & imports]


def check_minerals_engines(rows: pd.DataFrame, dependencies: pd.DataFrame,
                           minerals: pd.DataFrame, usgs: pd.DataFrame, *,
                           engine_country: str, mining_country: str,
                           production_column: str) -> Verdict:
    """Two parts, combined (:func:`combine`).

    Engines: supported when every programme of :data:`ENGINE_PROGRAMMES` has an engine from
    ``engine_country`` it still depends on, partly when some do, not supported when none do,
    cannot be checked when the table holds no engine row. Minerals: supported when a staged fact
    shows China supplying more than half of Türkiye's imports of a critical mineral, not supported
    when such facts show less, cannot be checked when none is staged (today). China's share of
    world mining (USGS) is context: it says nothing of where Türkiye buys.
    """
    engines = engine_dependencies(dependencies, engine_country)
    per_programme = engines.groupby("flagship")["depends"].any().reindex(
        list(ENGINE_PROGRAMMES.values()), fill_value=False)
    engine_rows = engines[engines["component_kind"] == "engine"]
    if engine_rows.empty:
        engines_part = CANNOT
    elif per_programme.all():
        engines_part = SUPPORTED
    elif per_programme.any():
        engines_part = PARTLY
    else:
        engines_part = NOT_SUPPORTED
    imports = turkiye_import_facts(minerals)
    if imports.empty:
        minerals_part = CANNOT
    else:
        china = imports[imports["description"].str.contains(mining_country)
                        & imports["unit"].str.contains("percent")]
        shares = [float(v.split("-")[0]) for v in china["value"]]
        minerals_part = SUPPORTED if any(s > 50 for s in shares) else NOT_SUPPORTED
    mining = constraints.share_of_world(usgs, mining_country, production_column)
    numbers = pd.DataFrame([
        {"part": "US-made engines for the fighter and the jet trainer", "outcome": engines_part,
         "evidence": "; ".join(f"{p}: {'depends' if d else 'no dependent engine row'}"
                               for p, d in per_programme.items())},
        {"part": "critical minerals imported from China", "outcome": minerals_part,
         "evidence": (f"{len(imports)} staged facts on Türkiye's imports" if len(imports)
                      else "Türkiye's imports by mineral and origin are not in the staged data")},
    ])
    depend = engines[engines["depends"]]
    figures: dict[str, float | str] = {
        "n_programmes": float(len(per_programme)),
        "n_depending": float(per_programme.sum()),
        "engines": "; ".join(f"{r.flagship}: {r.dependency} ({r.status}, {r.status_date})"
                             for r in depend.itertuples()),
        "mining_share_pct": mining.pct_of_world, "mining_country": mining_country,
        "mining_year": production_column.split("_")[1],
        "n_import_facts": float(len(imports)),
        "engines_part": engines_part, "minerals_part": minerals_part,
    }
    verdict = combine([engines_part, minerals_part])
    reason = (f"Engines: {int(per_programme.sum())} of {len(per_programme)} programmes "
              f"({', '.join(per_programme.index)}) fly on an engine made in the {engine_country} "
              f"({engines_part}); minerals: Türkiye's import mix is not in the staged data "
              f"({minerals_part}), though {mining_country} mined "
              f"{prose.percent(mining.pct_of_world)} of the world's rare earths in "
              f"{figures['mining_year']} (USGS).") if imports.empty else (
              f"Engines: {engines_part}; minerals: {minerals_part}, from {len(imports)} staged "
              "facts on Türkiye's imports.")
    return Verdict(
        claim_id="minerals_and_engines", verdict=verdict, numbers=numbers, figures=figures,
        deciding=(f"{int(per_programme.sum())} of {len(per_programme)} programmes on engines made "
                  f"in the {engine_country}; Türkiye's mineral imports "
                  + ("not staged" if imports.empty else f"in {len(imports)} staged facts")),
        reason=reason,
        would_change=("Türkiye's imports by mineral and country of origin (trade statistics "
                      "such as UN Comtrade or TurkStat, for rare-earth compounds, gallium, "
                      "germanium and permanent magnets) would decide the minerals half; a "
                      "domestic engine in service would change the engines half."))


# --------------------------------------------------------------------------- running the checks


@dataclass(frozen=True)
class Params:
    """The chapter's parameters the checks use (from chapters/params.yml; no defaults here)."""

    lead: str
    regions: tuple[str, ...]
    extra: tuple[str, ...]
    about_pp: float
    supplier: str
    supplier_iso3: str
    europe_region: str
    engine_country: str
    mining_country: str
    production_year: str


@dataclass(frozen=True)
class Inputs:
    """The validated frames the seven checks read, and the parameters."""

    claims: pd.DataFrame
    members: pd.DataFrame
    nato: pd.DataFrame
    deals: pd.DataFrame
    timeline: pd.DataFrame
    dependencies: pd.DataFrame
    context: pd.DataFrame
    minerals: pd.DataFrame
    usgs: pd.DataFrame
    params: Params


#: The raw source behind each frame of :class:`Inputs` that has vintages; the others are curated.
RAW_SOURCES: dict[str, str] = {"nato": "nato-defence-expenditure", "deals": "sipri-arms-transfers",
                               "usgs": "usgs-mcs"}
CURATED_FILES: dict[str, str] = {
    "claims": "claims.csv", "members": "nato_members.csv",
    "timeline": "constraints_and_europe_timeline.csv",
    "dependencies": "programme_dependencies.csv",
    "context": "european_defence_industrial_context.csv",
    "minerals": "critical_minerals_facts.csv",
}
#: Which frames each check reads (its vintages, and what a new vintage re-runs).
USES: dict[str, tuple[str, ...]] = {
    "wales_2pct_hague_5pct": ("claims",),
    "us_share_60_65": ("claims", "nato", "members"),
    "russia_3_months": ("claims", "context"),
    "allies_outproduce_russia": ("claims", "context"),
    "systems_178_vs_30": ("claims", "context"),
    "sales_to_european_allies": ("claims", "deals", "timeline", "members"),
    "minerals_and_engines": ("claims", "dependencies", "minerals", "usgs"),
}


def _rows(i: Inputs, claim_id: str) -> pd.DataFrame:
    return utterances(i.claims, claim_id)


CHECKS: dict[str, Callable[[Inputs], Verdict]] = {
    "wales_2pct_hague_5pct": lambda i: check_wales_hague(
        _rows(i, "wales_2pct_hague_5pct"), STATEMENTS["wales_2pct_hague_5pct"]),
    "us_share_60_65": lambda i: check_us_share(
        _rows(i, "us_share_60_65"), i.nato, i.members, STATEMENTS["us_share_60_65"],
        lead=i.params.lead, regions=i.params.regions, extra=i.params.extra,
        about_pp=i.params.about_pp),
    "russia_3_months": lambda i: check_russia_three_months(_rows(i, "russia_3_months"), i.context),
    "allies_outproduce_russia": lambda i: check_allies_outproduce(
        _rows(i, "allies_outproduce_russia"), i.context),
    "systems_178_vs_30": lambda i: check_systems(
        _rows(i, "systems_178_vs_30"), i.context, STATEMENTS["systems_178_vs_30"]),
    "sales_to_european_allies": lambda i: check_sales(
        _rows(i, "sales_to_european_allies"), i.deals, i.timeline, i.members,
        STATEMENTS["sales_to_european_allies"], supplier=i.params.supplier,
        europe_region=i.params.europe_region, exclude=[i.params.supplier_iso3]),
    "minerals_and_engines": lambda i: check_minerals_engines(
        _rows(i, "minerals_and_engines"), i.dependencies, i.minerals, i.usgs,
        engine_country=i.params.engine_country, mining_country=i.params.mining_country,
        production_column=constraints.PRODUCTION[i.params.production_year]),
}


def vintages_used(inputs: Inputs, claim_id: str) -> dict[str, str]:
    """Source -> vintage for the raw data a check reads; curated tables by file name."""
    out = {}
    for name in USES[claim_id]:
        frame = getattr(inputs, name)
        if name in RAW_SOURCES:
            out[RAW_SOURCES[name]] = str(frame.attrs.get("vintage", "unknown"))
        else:
            out[f"curated/{CURATED_FILES[name]}"] = "curated"
    return out


def run(inputs: Inputs) -> dict[str, Verdict]:
    """Every claim's verdict, in :data:`ORDER`. Every claim of the table must have a check and
    every check a claim: a claim added to the data without a check stops the chapter."""
    in_table = list(dict.fromkeys(inputs.claims["claim_id"]))
    without_check = [c for c in in_table if c not in CHECKS]
    without_claim = [c for c in CHECKS if c not in in_table]
    if without_check or without_claim:
        raise KeyError(f"claims without a check: {without_check}; checks without a claim: "
                       f"{without_claim} (see analysis.calc.claims.CHECKS)")
    return {c: replace(CHECKS[c](inputs), vintages=vintages_used(inputs, c)) for c in ORDER}


def rerun(inputs: Inputs, previous: Mapping[str, pd.DataFrame]) -> dict[str, Verdict | None]:
    """Each verdict recomputed with the frames of ``previous`` (frame name -> the same file of
    the previous vintage) in place of the current ones; None for a claim that reads none of them
    (no previous vintage of its data is held)."""
    unknown = set(previous) - set(RAW_SOURCES)
    if unknown:
        raise KeyError(f"previous vintages are only for raw sources {sorted(RAW_SOURCES)}, "
                       f"not {sorted(unknown)}")
    older = replace(inputs, **dict(previous))
    out: dict[str, Verdict | None] = {}
    for c in ORDER:
        if set(USES[c]) & set(previous):
            out[c] = replace(CHECKS[c](older), vintages=vintages_used(older, c))
        else:
            out[c] = None
    return out


def _vintage_text(vintages: Mapping[str, str], short: bool = False) -> str:
    """'nato-defence-expenditure 2024-06-17; curated: claims.csv, ...' (short: the curated tables
    counted, not named)."""
    raw = [f"{s} {v}" for s, v in vintages.items() if not s.startswith("curated/")]
    curated = [s.removeprefix("curated/") for s in vintages if s.startswith("curated/")]
    if short:
        n = len(curated)
        return "; ".join(raw + ([f"{n} curated table{'s' if n > 1 else ''}"] if n else []))
    return "; ".join(raw + ([f"curated: {', '.join(curated)}"] if curated else []))


def summary(current: Mapping[str, Verdict], previous: Mapping[str, Verdict | None]) -> pd.DataFrame:
    """One row per claim: its verdict, deciding numbers and vintages, and the verdict on the
    previous vintage with a mark when it differs ("changed since vintage ...")."""
    out = []
    for n, c in enumerate(ORDER, 1):
        v, p = current[c], previous.get(c)
        if p is None:
            change = "no previous vintage held"
        else:
            older = {s: pv for s, pv in p.vintages.items() if v.vintages.get(s) != pv}
            since = ", ".join(f"{s} {pv}" for s, pv in older.items())
            change = (f"changed since vintage {since} (was {p.verdict})" if p.verdict != v.verdict
                      else f"unchanged since vintage {since}")
        out.append({"number": n, "claim_id": c, "claim": LABELS[c], "statement": STATEMENTS[c],
                    "verdict": v.verdict, "deciding": v.deciding,
                    "vintages": _vintage_text(v.vintages),
                    "vintages_short": _vintage_text(v.vintages, short=True),
                    "previous_verdict": None if p is None else p.verdict,
                    "previous_vintages": "" if p is None else _vintage_text(p.vintages),
                    "changed": p is not None and p.verdict != v.verdict, "change": change,
                    "anchor": anchor(c)})
    return pd.DataFrame(out)


#: How the summary table is published: its verdict column as badges, its claims as links.
SUMMARY_BADGES: tuple[str, ...] = ("Verdict",)
SUMMARY_LINKS: tuple[tuple[str, str], ...] = (("Claim", "Section"),)


def summary_table(summary_frame: pd.DataFrame, page: str = "") -> pd.DataFrame:
    """The summary as a page shows it (the claims chapter and the introduction alike); ``page``
    is the claims chapter's page as seen from the page showing it ('' on the chapter itself)."""
    shown = summary_frame.assign(section=page + "#" + summary_frame["anchor"])
    return shown[["number", "claim", "section", "verdict", "deciding", "vintages_short",
                  "change"]].rename(columns={
        "number": "No.", "claim": "Claim", "section": "Section", "verdict": "Verdict",
        "deciding": "Deciding numbers", "vintages_short": "Data (vintage)",
        "change": "Since the previous vintage"})


def verdicts_json(current: Mapping[str, Verdict], previous: Mapping[str, Verdict | None]) -> str:
    """The verdicts as JSON for the build (``verdicts.json``): the pipeline prints each change."""
    records = [{"claim_id": c, "verdict": v.verdict,
                "previous_verdict": None if previous.get(c) is None else previous[c].verdict,
                "vintages": v.vintages,
                "previous_vintages": None if previous.get(c) is None else previous[c].vintages}
               for c, v in current.items()]
    return json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False)


__all__: Sequence[str] = [
    "CANNOT",
    "CHECKS",
    "LABELS",
    "NOT_SUPPORTED",
    "ORDER",
    "PARTLY",
    "STATEMENTS",
    "SUPPORTED",
    "VERDICTS",
    "Inputs",
    "Params",
    "Verdict",
    "anchor",
    "check_allies_outproduce",
    "check_minerals_engines",
    "check_russia_three_months",
    "check_sales",
    "check_systems",
    "check_us_share",
    "check_wales_hague",
    "combine",
    "deciding_pair",
    "engine_dependencies",
    "estimate_spread",
    "named_sales",
    "production_estimates",
    "ratios",
    "rerun",
    "run",
    "sales_found",
    "share_verdict",
    "summary",
    "summary_table",
    "turkiye_import_facts",
    "us_share_by_year",
    "utterances",
    "verdicts_json",
    "vintages_used",
]
