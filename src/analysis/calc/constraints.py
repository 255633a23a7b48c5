"""What limits Türkiye's reach as a supplier to Europe: sanctions and permits over time, the foreign
parts its flagship programmes depend on, and the critical minerals China dominates.

Pure functions over the validated curated tables and USGS's rare-earth table: frames in, frames or
numbers out. Nothing here reads a file; the chapter loads the tables and calls these.

Three rules run through the module:

* a date is shown at the precision its source gives (day, month or year), never finer;
* where the curated data say nothing, the answer is :data:`NO_SOURCE`, never a guess;
* every derived row keeps the line of the curated file it came from, so each cell can be traced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.data.readers import usgs as usgs_reader
from analysis.data.readers.curated import TIMELINE_CATEGORIES

NO_SOURCE = "no open source found"
NOT_STAGED = "not in the report's data"

# --- timeline -------------------------------------------------------------------------------------

#: One lane per theme of the issue; each curated category belongs to exactly one lane.
TIMELINE_LANES: dict[str, str] = {
    "S-400": "S-400 and CAATSA",
    "CAATSA": "S-400 and CAATSA",
    "F-35": "F-35",
    "F-16": "F-16",
    "Eurofighter": "Eurofighter",
    "Engine dependency": "Engines and optics",
    "Canada export controls": "Engines and optics",
    "Acquisition in Europe": "European acquisitions and joint programmes",
    "European air defence cooperation": "European acquisitions and joint programmes",
    "NATO cooperation (air defence)": "European acquisitions and joint programmes",
    "Steel Dome": "Air defence (Steel Dome)",
    "EU SAFE": "EU SAFE and vetoes",
    "Export to European NATO ally": "Sales to European allies",
    # The Spanish Hürjet order is both a sale and an engine dependency; it is drawn with the sales
    # and its tooltip names the category as the table spells it.
    "Export to European NATO ally / engine dependency": "Sales to European allies",
    "EU EDIP": "EU SAFE and vetoes",
    "China export controls": "China's export controls",
    "NATO summit": "NATO summits",
}
LANE_ORDER: list[str] = [
    "S-400 and CAATSA", "F-35", "F-16", "Eurofighter", "Engines and optics",
    "European acquisitions and joint programmes", "Air defence (Steel Dome)", "EU SAFE and vetoes",
    "Sales to European allies", "China's export controls", "NATO summits",
]
_unmapped = set(TIMELINE_CATEGORIES) - set(TIMELINE_LANES)
if _unmapped:
    raise RuntimeError(f"timeline categories without a lane: {sorted(_unmapped)}")


def period_bounds(date: str, precision: str) -> tuple[str, str]:
    """The first day of the period a date names, and the first day after it (ISO strings).

    A month-precision event is drawn across its month, not pinned to the 1st: that would invent a
    day the source does not give.
    """
    if precision == "day":
        start = pd.Timestamp(date)
        end = start + pd.Timedelta(days=1)
    elif precision == "month":
        start = pd.Timestamp(f"{date}-01")
        end = start + pd.offsets.MonthBegin(1)
    elif precision == "year":
        start = pd.Timestamp(f"{date}-01-01")
        end = start + pd.offsets.YearBegin(1)
    else:
        raise ValueError(f"unknown date precision {precision!r}")
    return start.date().isoformat(), end.date().isoformat()


def value_with_unit(value: str, unit: str) -> str:
    """A curated value with its unit for a table cell: numbers with thousands separators; ranges
    ('69-74') and dates as written; '' when there is no value."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = float(value)
    except ValueError:
        return value if unit == "date" else f"{value} {unit}".strip()
    shown = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    return f"{shown} {unit}".strip()


def date_with_precision(date: str, precision: str) -> str:
    """'2020-10 (month)'; a day-precision date as it is. Sorts like the date."""
    return date if precision == "day" else f"{date} ({precision})"


def timeline_events(timeline: pd.DataFrame) -> pd.DataFrame:
    """Every curated event with its lane, the period its date covers, and its line in the file."""
    rows = []
    for line, r in timeline.iterrows():
        start, end = period_bounds(r["date"], r["date_precision"])
        rows.append({
            "line": int(line),
            "date": r["date"],
            "date_precision": r["date_precision"],
            "start": start,
            "end": end,
            "lane": TIMELINE_LANES[r["category"]],
            "category": r["category"],
            "event": r["event"],
            "value": float(r["value"]) if r["value"].strip() else float("nan"),
            "unit": r["unit"],
            "value_label": value_with_unit(r["value"], r["unit"]),
            "source_title": r["source_title"],
            "source_url": r["source_url"],
            "source_date": r["source_date"],
            "quality_note": r["quality_note"],
        })
    out = pd.DataFrame(rows)
    lane_rank = {lane: i for i, lane in enumerate(LANE_ORDER)}
    out = out.assign(_rank=out["lane"].map(lane_rank))
    return out.sort_values(["start", "_rank", "line"]).drop(columns="_rank").reset_index(drop=True)


#: How a timeline row's note records a correction made when the table was audited against its
#: pages ("Date corrected 2023-12-29 -> 2023-12-28 in audit: ...", "Event corrected in audit: ...");
#: AUDIT-timeline.md lists the same changes.
AUDIT_CORRECTION = re.compile(r"\bcorrected\b[^;:]*\bin audit\b", re.IGNORECASE)


def audit_corrections(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline rows whose note says the audit corrected them, with their line in the file."""
    noted = timeline["quality_note"].str.contains(AUDIT_CORRECTION)
    return timeline[noted].rename_axis("line").reset_index()


#: How a dependency row's note records that it was added for this report's constraints chapter
#: ("added 2026-11-25 for the constraints chapter's dependency matrix").
ADDED_FOR_CHAPTER = re.compile(r"\badded \d{4}-\d{2}-\d{2} for the constraints chapter\b",
                               re.IGNORECASE)


def rows_added_for_chapter(dependencies: pd.DataFrame) -> pd.DataFrame:
    """The dependency rows whose note says they were added for the constraints chapter, with
    their line in the file."""
    noted = dependencies["quality_note"].str.contains(ADDED_FOR_CHAPTER)
    return dependencies[noted].rename_axis("line").reset_index()


# --- dependency matrix ----------------------------------------------------------------------------

#: Flagship rows of the matrix and the curated programmes each gathers. A flagship with no curated
#: programme (Otokar's and Nurol's vehicles) still gets its row, with NO_SOURCE in every cell.
MATRIX_ROWS: dict[str, list[str]] = {
    "KAAN fighter": ["KAAN fighter"],
    "Hürjet trainer": ["Hürjet trainer"],
    "Bayraktar TB2 drone": ["Bayraktar TB2"],
    "Bayraktar Akıncı drone": ["Bayraktar Akıncı"],
    "Altay main battle tank": ["Altay main battle tank"],
    "Wheeled armoured vehicles (Otokar Cobra II and Arma, Nurol NMS)": [],
    "Naval platforms (MILGEM ships, TCG Anadolu)": [
        "MILGEM Ada-class corvettes", "MILGEM Istanbul-class frigates",
        "MILGEM corvettes for Pakistan (export)", "TCG Anadolu"],
    "Air defence (Steel Dome, Siper)": ["Steel Dome air defence", "Siper long-range air defence"],
}
#: Matrix columns: what kind of foreign input or restriction touches the programme.
MATRIX_COLUMNS: dict[str, str] = {
    "engine": "Engines and propulsion",
    "gas turbine": "Engines and propulsion",
    "transmission": "Engines and propulsion",
    "optics/sensor": "Optics, sensors and avionics",
    "avionics": "Optics, sensors and avionics",
    "export licence": "Export licences and sanctions",
    "sanctions": "Export licences and sanctions",
    "software": "Other foreign inputs",
    "materials": "Other foreign inputs",
    "other": "Other foreign inputs",
}
COLUMN_ORDER: list[str] = ["Engines and propulsion", "Optics, sensors and avionics",
                           "Export licences and sanctions", "Other foreign inputs"]


def matrix_entries(dependencies: pd.DataFrame) -> pd.DataFrame:
    """The curated dependency rows that fall in the matrix, with their flagship, column and line."""
    flagship_of = {p: flag for flag, progs in MATRIX_ROWS.items() for p in progs}
    rows = dependencies[dependencies["programme"].isin(flagship_of)]
    out = pd.DataFrame({
        "line": rows.index.astype(int),
        "flagship": rows["programme"].map(flagship_of).to_numpy(),
        "matrix_column": rows["component_kind"].map(MATRIX_COLUMNS).to_numpy(),
    })
    keep = ["programme", "dependency", "component_kind", "foreign_supplier", "supplier_country",
            "status", "status_date", "date_precision", "effect", "source_title", "source_url",
            "source_date", "quality_note"]
    for col in keep:
        out[col] = rows[col].to_numpy()
    if out["matrix_column"].isna().any():
        kinds = sorted(set(out.loc[out["matrix_column"].isna(), "component_kind"]))
        raise KeyError(f"component kinds without a matrix column: {kinds}")
    flag_rank = {f: i for i, f in enumerate(MATRIX_ROWS)}
    col_rank = {c: i for i, c in enumerate(COLUMN_ORDER)}
    return (out.assign(_f=out["flagship"].map(flag_rank), _c=out["matrix_column"].map(col_rank))
            .sort_values(["_f", "_c", "line"]).drop(columns=["_f", "_c"]).reset_index(drop=True))


#: Between the entries of one matrix cell (the page shows each entry on its own line).
ENTRY_SEPARATOR = "; "


def entry_text(row: pd.Series) -> str:
    """One matrix entry: what, from where, its status at its date, and the line it rests on."""
    return (f"{row['dependency']} ({row['supplier_country']}): {row['status']}, "
            f"{row['status_date']} [line {row['line']}]")


def dependency_matrix(dependencies: pd.DataFrame) -> pd.DataFrame:
    """Flagship programmes against the kinds of foreign input and restriction that touch them.

    Each cell lists its entries (see :func:`entry_text`) or says :data:`NO_SOURCE`.
    """
    entries = matrix_entries(dependencies)
    table = []
    for flagship in MATRIX_ROWS:
        row = {"Programme": flagship}
        for column in COLUMN_ORDER:
            cell = entries[(entries["flagship"] == flagship) & (entries["matrix_column"] == column)]
            row[column] = ENTRY_SEPARATOR.join(entry_text(r) for _, r in cell.iterrows()) or NO_SOURCE
        table.append(row)
    return pd.DataFrame(table, columns=["Programme", *COLUMN_ORDER])


def programmes_outside_matrix(dependencies: pd.DataFrame) -> list[str]:
    """Curated programmes that are not flagship rows (shown in the full table only)."""
    inside = {p for progs in MATRIX_ROWS.values() for p in progs}
    return sorted(set(dependencies["programme"]) - inside)


def empty_cells(matrix: pd.DataFrame) -> int:
    return int((matrix[COLUMN_ORDER] == NO_SOURCE).sum().sum())


# --- rare earths (USGS) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductionYear:
    """One production column of the USGS table: its year and whether USGS marks it an estimate."""

    column: str
    year: str
    estimated: bool

    @property
    def label(self) -> str:
        """The year as USGS prints it in its header ('2024e' for an estimate)."""
        return f"{self.year}e" if self.estimated else self.year


def production_years(usgs: pd.DataFrame) -> list[ProductionYear]:
    """The table's production years, earlier first, as its edition's header gives them: the
    years a chapter reports come from the data, not from a parameter."""
    out = []
    for column in usgs_reader.production_columns(usgs):
        m = usgs_reader.PRODUCTION_COLUMN.match(column)
        assert m is not None
        out.append(ProductionYear(column, m.group(1), bool(m.group(2))))
    return out


def latest_production(usgs: pd.DataFrame) -> ProductionYear:
    return production_years(usgs)[-1]


def world_total(usgs: pd.DataFrame, column: str) -> float:
    return float(usgs.loc[usgs["row_kind"] == "world total", column].iloc[0])


def country_rows(usgs: pd.DataFrame) -> pd.DataFrame:
    """Countries and USGS's 'Other', without the world total."""
    return usgs[usgs["row_kind"] != "world total"]


def rounding_unit(total: float) -> float:
    """The place a rounded total is rounded to, read from its trailing zeros (390,000 -> 10,000)."""
    n = round(total)
    if n == 0:
        return 1.0
    zeros = len(str(n)) - len(str(n).rstrip("0"))
    return float(10 ** zeros)


def reconcile_world_total(usgs: pd.DataFrame) -> pd.DataFrame:
    """Country sum against USGS's rounded world total, per column.

    Production: the sum must round to the printed total (within half its rounding unit). Reserves:
    USGS prints a lower bound ('>90,000,000') and several countries are 'NA', so the check is only
    that the countries with a figure do not contradict the bound.
    """
    rows = []
    countries = country_rows(usgs)
    for column in [*(y.column for y in production_years(usgs)), "reserves_t"]:
        total = world_total(usgs, column)
        is_bound = bool(usgs.loc[usgs["row_kind"] == "world total", "reserves_is_lower_bound"].iloc[0]
                        and column == "reserves_t")
        summed = float(countries[column].sum(skipna=True))
        unit = rounding_unit(total)
        rows.append({
            "column": column,
            "country_sum": summed,
            "usgs_world_total": total,
            "difference": summed - total,
            "rounding_unit": unit,
            "world_total_is_lower_bound": is_bound,
            "countries_not_available": int(countries[column].isna().sum()),
            "consistent": (summed > total) if is_bound else abs(summed - total) <= unit / 2,
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Share:
    """One country's share of a world figure, against USGS's total and against the country sum."""

    country: str
    column: str
    value: float
    world_total: float
    country_sum: float

    @property
    def pct_of_world(self) -> float:
        return 100.0 * self.value / self.world_total

    @property
    def pct_of_sum(self) -> float:
        return 100.0 * self.value / self.country_sum


def share_of_world(usgs: pd.DataFrame, country: str, column: str) -> Share:
    """A country's share of world mine production (or reserves) in one USGS column."""
    rows = usgs[usgs["country"] == country]
    if len(rows) != 1:
        raise KeyError(f"{country!r} is not one row of the USGS table")
    return Share(country, column, float(rows[column].iloc[0]), world_total(usgs, column),
                 float(country_rows(usgs)[column].sum(skipna=True)))


def production_by_country(usgs: pd.DataFrame, highlight: str = "China") -> pd.DataFrame:
    """Mine production and reserves by country (with 'Other'), largest producer of the latest
    year first, with each one's share of USGS's world total that year (``share_latest_pct``,
    ours, computed)."""
    years = [y.column for y in production_years(usgs)]
    latest = years[-1]
    out = country_rows(usgs)[["country", *years, "reserves_t"]].copy()
    out["share_latest_pct"] = 100.0 * out[latest] / world_total(usgs, latest)
    out["highlight"] = out["country"] == highlight
    out["is_other"] = out["country"] == "Other"
    return (out.sort_values(["is_other", latest, "country"],
                            ascending=[True, False, True])
            .drop(columns="is_other").reset_index(drop=True))


# --- critical raw materials -----------------------------------------------------------------------

#: Which curated facts speak to China's hold on a CRMA material, material by material. A material
#: not named here gets NOT_STAGED: the CRMA table itself has no China column.
CRMA_CHINA_FACTS: dict[str, list[str]] = {
    "magnesium": ["eu_magnesium_from_china"],
    "gallium": ["eu_gallium_from_china", "china_export_controls_ga_ge"],
    "germanium": ["eu_germanium_from_china", "china_export_controls_ga_ge"],
    "tungsten": ["eu_tungsten_from_china"],
    "light rare earth elements": ["eu_ndpr_from_china", "ree_refining_share_china"],
    "heavy rare earth elements": ["china_export_controls_7_hree", "ree_refining_share_china"],
    "scandium": ["china_export_controls_7_hree"],
}
#: USGS's rare-earth table covers the lanthanides and yttrium (not most scandium, its note 1), so its
#: mining share speaks to both rare-earth groups of the CRMA and to nothing else.
CRMA_USGS_MATERIALS = ["heavy rare earth elements", "light rare earth elements"]


def _share_bounds(value: str) -> tuple[float, float]:
    """'97' -> (97, 97); a range '69-74' -> (69, 74)."""
    low, _, high = value.partition("-")
    return float(low), float(high or low)


def crma_china(crma: pd.DataFrame, facts: pd.DataFrame, mining: Share, usgs_title: str,
               usgs_url: str) -> pd.DataFrame:
    """The 34 CRMA materials, one row per fact the report's data hold on China's share or controls.

    Shares come from the curated facts (each with its page) and, for the rare-earth groups, from
    the USGS mining share computed here; a material with no such fact gets one row saying so.
    """
    unknown = {f for ids in CRMA_CHINA_FACTS.values() for f in ids} - set(facts["fact_id"])
    if unknown:
        raise KeyError(f"facts named in CRMA_CHINA_FACTS are missing: {sorted(unknown)}")
    not_listed = (set(CRMA_CHINA_FACTS) | set(CRMA_USGS_MATERIALS)) - set(crma["material"])
    if not_listed:
        raise KeyError(f"materials not in the CRMA table: {sorted(not_listed)}")
    by_id = facts.set_index("fact_id")
    rows = []
    for line, m in crma.iterrows():
        material = m["material"]
        base = {"crma_line": int(line), "material": material,
                "strategic_entry": m["crma_annex_i_strategic_entry"]}
        found = []
        if material in CRMA_USGS_MATERIALS:
            found.append({**base, "what": "China's share of world rare-earth mine production, all "
                                          "rare earths (computed from USGS)",
                          "kind": "share", "low_pct": mining.pct_of_world,
                          "high_pct": mining.pct_of_world,
                          "value": f"{mining.pct_of_world:.0f}", "unit": "percent of world",
                          "period": mining.column.split("_")[1],
                          "source_title": usgs_title, "source_url": usgs_url,
                          "source_note": "primary table; share is this report's calculation"})
        for fact_id in CRMA_CHINA_FACTS.get(material, []):
            f = by_id.loc[fact_id]
            is_share = "percent" in f["unit"]
            low, high = _share_bounds(f["value"]) if is_share else (float("nan"), float("nan"))
            found.append({**base, "what": f["description"],
                          "kind": "share" if is_share else "export control",
                          "low_pct": low, "high_pct": high, "value": f["value"],
                          "unit": f["unit"], "period": f["period"],
                          "source_title": f["source_title"], "source_url": f["source_url"],
                          "source_note": f["quality_note"]})
        if not found:
            found.append({**base, "what": NOT_STAGED, "kind": "none",
                          "low_pct": float("nan"), "high_pct": float("nan"), "value": "",
                          "unit": "", "period": "", "source_title": "", "source_url": "",
                          "source_note": ""})
        rows.extend(found)
    return pd.DataFrame(rows)


def crma_summary(china: pd.DataFrame) -> dict[str, list[str]]:
    """Materials by what the report's data can say: a share above half (by its lower bound), a share
    at or below half, an export control only, or nothing."""
    shares = china[china["kind"] == "share"].groupby("material")["low_pct"].max()
    controlled = set(china.loc[china["kind"] == "export control", "material"])
    silent = china.loc[china["kind"] == "none", "material"]
    return {
        "share_above_half": sorted(shares[shares > 50].index),
        "share_at_most_half": sorted(shares[shares <= 50].index),
        "export_control_only": sorted(controlled - set(shares.index)),
        "export_controlled": sorted(controlled),
        "silent": sorted(silent),
    }


# --- industrial context ---------------------------------------------------------------------------


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    """A numeric curated fact, by id."""
    rows = facts[facts["fact_id"] == fact_id]
    if len(rows) != 1:
        raise KeyError(f"no single fact {fact_id!r}")
    return float(rows["value"].iloc[0])


def fact_row(facts: pd.DataFrame, fact_id: str) -> pd.Series:
    rows = facts[facts["fact_id"] == fact_id]
    if len(rows) != 1:
        raise KeyError(f"no single fact {fact_id!r}")
    return rows.iloc[0]


#: The chemical symbols of the seventeen rare-earth elements (IUPAC: scandium, yttrium and the
#: fifteen lanthanides), by which the curated facts name them.
RARE_EARTH_SYMBOLS = ("Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy",
                      "Ho", "Er", "Tm", "Yb", "Lu")
_SYMBOL = re.compile(r"\b(" + "|".join(RARE_EARTH_SYMBOLS) + r")\b")


def rare_earths_named(text: str) -> list[str]:
    """The rare-earth elements a fact's text names by their symbols, in its order, each once
    (ValueError when it names none)."""
    found = list(dict.fromkeys(_SYMBOL.findall(text)))
    if not found:
        raise ValueError(f"no rare-earth element symbol ({', '.join(RARE_EARTH_SYMBOLS)}) in "
                         f"{text!r}")
    return found


# --- the EU rules that bind Türkiye (SAFE, EDIP) ----------------------------------------------------

#: A loan row's statement names its member state after "to" ("... SAFE loan to Poland under ...",
#: "Tentative SAFE allocation to Poland (...)").
_LOAN_TO = re.compile(r"\bto (?P<country>[A-Z][^()]*?)(?: under\b| \(|$)")
#: How a loan row's unit converts to EUR billion (the head of the unit, before any qualifier).
_EUR_BN = {"EUR": 1e-9, "EUR billion": 1.0}
LOAN_CEILING = "safe_loan_ceiling"
TENTATIVE = "tentative allocation"
MAXIMUM = "maximum loan (Council decision)"


def rule_row(rules: pd.DataFrame, rule_id: str) -> pd.Series:
    """One row of the EU rules table by its id, with its line (KeyError naming it if absent)."""
    found = rules[rules["rule_id"] == rule_id]
    if len(found) != 1:
        raise KeyError(f"eu_defence_rules.csv has {len(found)} rows for rule_id {rule_id!r}")
    row = found.iloc[0].copy()
    row["line"] = int(found.index[0])
    return row


#: The topic of the rules table's rows that record a route still open to a third country, and
#: the one such route every third country has (the capped share of components).
ROUTE_OPEN = "route still open"
CAPPED_SHARE = "third_countries_35_open"


def routes_beyond_the_cap(rules: pd.DataFrame) -> pd.DataFrame:
    """The routes still open to Türkiye's products besides the capped share that every third
    country has: the rows of topic :data:`ROUTE_OPEN` other than :data:`CAPPED_SHARE`, with their
    line (KeyError when the capped share's row is missing)."""
    routes = rules[rules["topic"] == ROUTE_OPEN]
    if CAPPED_SHARE not in set(routes["rule_id"]):
        raise KeyError(f"eu_defence_rules.csv has no {ROUTE_OPEN!r} row {CAPPED_SHARE!r}")
    return routes[routes["rule_id"] != CAPPED_SHARE].rename_axis("line").reset_index()


def safe_loans(rules: pd.DataFrame) -> pd.DataFrame:
    """Every SAFE loan amount of the rules table (the ceiling left out), one row per member
    state and kind (the Commission's tentative allocation, the Council's maximum loan), in EUR
    billion, with its date, source and grade."""
    rows = rules[(rules["topic"] == "loan amount") & (rules["rule_id"] != LOAN_CEILING)]
    out = []
    for line, r in rows.iterrows():
        m = _LOAN_TO.search(r["statement"])
        if not m:
            raise ValueError(f"eu_defence_rules.csv line {line}: loan statement names no member "
                             f"state after 'to': {r['statement']!r}")
        head = re.sub(r" \(.+\)$", "", r["unit"])
        if head not in _EUR_BN:
            raise ValueError(f"eu_defence_rules.csv line {line}: loan unit {r['unit']!r} is not "
                             f"one of {sorted(_EUR_BN)}")
        out.append({"line": int(line), "rule_id": r["rule_id"], "country": m.group("country"),
                    "kind": TENTATIVE if "allocation" in r["statement"].lower() else MAXIMUM,
                    "eur_bn": float(r["value"]) * _EUR_BN[head], "date": r["date"],
                    "source_title": r["source_title"], "source_url": r["source_url"],
                    "source_grade": r["source_grade"]})
    return pd.DataFrame(out)


def customer_loans(loans: pd.DataFrame, customers: Sequence[str], kind: str) -> pd.DataFrame:
    """The loans of one kind to ``customers`` (member states that buy from Türkiye), largest
    first, with each one's share of all loans of that kind."""
    of_kind = loans[loans["kind"] == kind]
    total = float(of_kind["eur_bn"].sum())
    mine = of_kind[of_kind["country"].isin(list(customers))].copy()
    mine["share_of_all_pct"] = 100 * mine["eur_bn"] / total if total else float("nan")
    return mine.sort_values("eur_bn", ascending=False).reset_index(drop=True)
