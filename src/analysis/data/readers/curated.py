"""Curated tables: hand-built from public pages, one fact per row, a source on every row.

Each table has a pandera schema that requires its source columns (title, address, date) to be
filled and well formed, dates to be valid at their stated precision, and categories to come from
a closed list, so a bad row stops the build with its file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from analysis.data import store
from analysis.data.readers import vocabulary
from analysis.data.sources import CURATED, record_rows, resolve
from analysis.data.validate import (
    check,
    iso_date_at_precision,
    not_blank,
    read_csv_table,
    row_check,
)

PRECISIONS = ["day", "month", "year"]
_SOURCE_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?( \(approx\.\))?|n\.d\.( \(.+\))?)$")


def _source_date_ok(s: pd.Series) -> pd.Series:
    return s.astype("str").str.match(_SOURCE_DATE)


def _url_ok(s: pd.Series) -> pd.Series:
    return s.astype("str").str.match(r"^https?://\S+$")


def source_columns(title: str = "source_title", url: str = "source_url",
                   date: str | None = "source_date") -> dict[str, pa.Column]:
    """The per-row provenance every curated table must carry."""
    cols = {
        title: pa.Column("str", not_blank()),
        url: pa.Column("str", pa.Check(_url_ok, name="is http(s) address")),
    }
    if date:
        cols[date] = pa.Column("str", pa.Check(_source_date_ok,
                                               name="is YYYY[-MM[-DD]] [(approx.)] or n.d."))
    return cols


def _date_matches_precision(date_col: str, prec_col: str) -> pa.Check:
    return row_check(
        date_col, f"matches {prec_col}",
        lambda df: pd.Series([iso_date_at_precision(d, p)
                              for d, p in zip(df[date_col], df[prec_col], strict=True)],
                             index=df.index),
    )


def _filled(s: pd.Series) -> pd.Series:
    return s.astype("str").str.strip() != ""


def _sourced_or_declared(column: str, ok: Callable[[pd.Series], pd.Series]) -> pa.Check:
    """A claim row carries its source, or says in quality_note that none was found (an
    attribution the report could not verify, shown as unsourced)."""
    def check(df: pd.DataFrame) -> pd.Series:
        declared = df["quality_note"].str.lower().str.startswith("source not found")
        return declared | ok(df[column])
    return row_check(column, "sourced or 'source not found'", check)


def _number_or_blank(s: pd.Series) -> pd.Series:
    return s.astype("str").str.match(r"^(-?\d+(\.\d+)?)?$")


def _value_needs_unit(df: pd.DataFrame) -> pd.Series:
    return (df["value"].str.strip() == "") | (df["unit"].str.strip() != "")


#: The timeline's categories, exactly as the curated table spells them (a new one must be added
#: here and given a lane in analysis.calc.constraints.TIMELINE_LANES, or the build stops).
TIMELINE_CATEGORIES = [
    "S-400", "CAATSA", "F-35", "F-16", "Eurofighter", "Engine dependency", "Canada export controls",
    "Acquisition in Europe", "European air defence cooperation", "NATO cooperation (air defence)",
    "Steel Dome", "EU SAFE", "Export to European NATO ally",
    "Export to European NATO ally / engine dependency",
    "EU EDIP", "China export controls", "NATO summit",
]
#: Units a timeline value may carry; a bracketed qualifier may follow ("USD billion (reported ...)").
TIMELINE_UNITS = ["USD billion", "USD million", "EUR billion", "EUR million", "aircraft", "vehicles",
                  "ships", "engines"]
#: Status of a programme dependency; a bracketed qualifier may follow ("blocked (reported)").
DEPENDENCY_STATUSES = [
    "in use", "blocked", "licence pending", "licence granted", "licence status unclear",
    "contract signed", "agreement signed", "replaced by domestic",
    "domestic alternative in development", "withdrawn", "supply at risk",
]
SOURCE_QUALITIES = ["primary", "news report", "secondary summary"]


def _head_pattern(values: list[str]) -> str:
    """One of ``values``, optionally followed by a bracketed qualifier."""
    alternatives = "|".join(re.escape(v) for v in values)
    return rf"^({alternatives})( \(.+\))?$"


def _head_in(values: list[str], what: str) -> pa.Check:
    # a named check: the pattern holds '|', which the error report reads as 'column|rule'
    pattern = _head_pattern(values)
    return pa.Check(lambda s: s.str.match(pattern),
                    name=f"is a known {what} (see {what.upper().replace(' ', '_')}S)")


def _iso_prefix(text: str) -> str | None:
    m = re.match(r"^\d{4}(-\d{2}(-\d{2})?)?", text)
    return m.group(0) if m else None


def _not_after_source(date_col: str) -> pa.Check:
    """A page cannot report an event after its own date: compared at the coarser precision of the
    two (a source dated 'n.d.' is not compared)."""
    def ok(df: pd.DataFrame) -> pd.Series:
        out = []
        for event, source in zip(df[date_col], df["source_date"], strict=True):
            src = _iso_prefix(source)
            n = min(len(event), len(src)) if src else 0
            out.append(src is None or event[:n] <= src[:n])
        return pd.Series(out, index=df.index)
    return row_check(date_col, "not after source_date", ok)


def _value_matches_unit(df: pd.DataFrame) -> pd.Series:
    """A fact's value is an ISO date when its unit is 'date', else a number or a range 'a-b'."""
    is_date = df["unit"] == "date"
    date_ok = df["value"].str.match(r"^\d{4}-\d{2}-\d{2}$")
    number_ok = df["value"].str.match(r"^\d+(\.\d+)?(-\d+(\.\d+)?)?$")
    return (is_date & date_ok) | (~is_date & number_ok)

#: the columns of a table of facts (one value, its unit and period, and its source per row)
_FACT_COLUMNS = {
    "fact_id": pa.Column("str", pa.Check.str_matches(r"^[A-Za-z0-9_]+$"), unique=True),
    "value": pa.Column("str", not_blank()),
    "unit": pa.Column("str", not_blank()),
    "period": pa.Column("str", not_blank()),
    "description": pa.Column("str", not_blank()),
    **source_columns(),
    "quality_note": pa.Column("str"),
}

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "constraints_and_europe_timeline.csv": pa.DataFrameSchema(
        {
            "date": pa.Column("str"),
            "date_precision": pa.Column("str", pa.Check.isin(PRECISIONS)),
            "category": pa.Column("str", pa.Check.isin(TIMELINE_CATEGORIES)),
            "event": pa.Column("str", not_blank()),
            "value": pa.Column("str", pa.Check(_number_or_blank, name="is a number or blank")),
            "unit": pa.Column("str", pa.Check(
                lambda s: (s == "") | s.str.match(_head_pattern(TIMELINE_UNITS)),
                name="is a known unit or blank")),
            **source_columns(),
            "quality_note": pa.Column("str"),
        },
        checks=[_date_matches_precision("date", "date_precision"),
                row_check("unit", "value has a unit", _value_needs_unit),
                row_check("unit", "unit only with a value",
                          lambda df: (df["unit"].str.strip() == "") | (df["value"].str.strip() != "")),
                _not_after_source("date")],
        strict=True, name="constraints timeline",
    ),
    "programme_dependencies.csv": pa.DataFrameSchema(
        {
            "programme": pa.Column("str", not_blank()),
            "programme_type": pa.Column("str", not_blank()),
            "dependency": pa.Column("str", not_blank()),
            "component_kind": pa.Column("str", pa.Check.isin([
                "engine", "optics/sensor", "transmission", "avionics", "gas turbine",
                "export licence", "sanctions", "software", "materials", "other"])),
            "foreign_supplier": pa.Column("str", not_blank()),
            "supplier_country": pa.Column("str", not_blank()),
            "status": pa.Column("str", _head_in(DEPENDENCY_STATUSES, "dependency status")),
            "status_date": pa.Column("str"),
            "date_precision": pa.Column("str", pa.Check.isin(PRECISIONS)),
            "effect": pa.Column("str", not_blank()),
            **source_columns(),
            "quality_note": pa.Column("str", not_blank()),
        },
        checks=[_date_matches_precision("status_date", "date_precision"),
                _not_after_source("status_date"),
                row_check("supplier_country", "domestic supplier is in Türkiye",
                          lambda df: ~df["foreign_supplier"].str.startswith("none (domestic")
                          | df["supplier_country"].str.contains("Türkiye"))],
        unique=["programme", "dependency"], strict=True, name="programme dependencies",
    ),
    "claims.csv": pa.DataFrameSchema(
        {
            "claim_id": pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$")),
            "claim": pa.Column("str", not_blank()),
            "claimant": pa.Column("str", not_blank()),
            "claim_date": pa.Column("str"),
            "date_precision": pa.Column("str", pa.Check.isin([*PRECISIONS, "unknown"])),
            "venue": pa.Column("str"),
            "source_title": pa.Column("str"),
            "source_url": pa.Column("str"),
            "source_date": pa.Column("str"),
            "quality_note": pa.Column("str"),
        },
        checks=[_sourced_or_declared(col, ok) for col, ok in [
            ("source_title", _filled), ("source_url", _url_ok), ("source_date", _source_date_ok),
            ("venue", _filled)]],
        strict=True, name="claims",
    ),
    "critical_minerals_facts.csv": pa.DataFrameSchema(
        _FACT_COLUMNS,
        checks=[row_check("value", "matches its unit (date or number)", _value_matches_unit)],
        strict=True, name="critical minerals facts",
    ),
    "european_defence_industrial_context.csv": pa.DataFrameSchema(
        {
            "fact_id": pa.Column("str", pa.Check.str_matches(r"^[A-Za-z0-9_]+$"), unique=True),
            "value": pa.Column("str", [pa.Check(_number_or_blank, name="is a number"), not_blank()]),
            "unit": pa.Column("str", not_blank()),
            "period": pa.Column("str", not_blank()),
            "description": pa.Column("str", not_blank()),
            **source_columns(),
            "source_quality": pa.Column("str", pa.Check.isin(SOURCE_QUALITIES)),
            "quality_note": pa.Column("str"),
        },
        strict=True, name="European defence-industrial context",
    ),
    "eu_critical_raw_materials_crma_2024.csv": pa.DataFrameSchema(
        {
            "material": pa.Column("str", not_blank(), unique=True),
            "crma_annex_ii_critical": pa.Column("str", pa.Check.isin(["yes"])),
            "crma_annex_i_strategic_entry": pa.Column("str"),
            "legal_basis": pa.Column("str", not_blank()),
            "in_force": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            **source_columns("source_title_critical", "source_url_critical", None),
            **source_columns("source_title_strategic", "source_url_strategic", None),
            "note": pa.Column("str"),
        },
        # Regulation (EU) 2024/1252 lists 34 critical raw materials (Annex II) and 17 strategic ones
        # (Annex I); rare earths for magnets are one strategic entry shared by two critical rows.
        checks=[
            row_check("material", "34 critical raw materials", lambda df: len(df) == 34),
            row_check("crma_annex_i_strategic_entry", "17 strategic entries",
                      lambda df: df.loc[df["crma_annex_i_strategic_entry"].str.strip() != "",
                                        "crma_annex_i_strategic_entry"].nunique() == 17),
            row_check("source_title_strategic", "strategic entry has its source",
                      lambda df: (df["crma_annex_i_strategic_entry"].str.strip() == "")
                      | (df["source_title_strategic"].str.strip() != "")),
        ],
        strict=True, name="EU CRMA 2024 list",
    ),
    "turkey_defence_aerospace_exports_usd.csv": pa.DataFrameSchema(
        {
            "year": pa.Column("str", pa.Check.str_matches(r"^(19|20)\d{2}$")),
            "value": pa.Column("str", [pa.Check(_number_or_blank, name="is a number"), not_blank()]),
            "unit": pa.Column("str", pa.Check.isin(["USD million"])),
            "series": pa.Column("str", not_blank()),
            "description": pa.Column("str", not_blank()),
            **source_columns(),
            "quality_note": pa.Column("str"),
        },
        unique=["year", "series"], strict=True, name="Türkiye defence exports, USD",
    ),
    "nato_members.csv": pa.DataFrameSchema(
        {
            "country": pa.Column("str", not_blank(), unique=True),
            "iso3": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
            "accession_year": pa.Column("str", pa.Check.str_matches(r"^(19|20)\d{2}$")),
            "region": pa.Column("str", pa.Check.isin(["Europe", "North America"])),
            **source_columns(),
            "quality_note": pa.Column("str"),
        },
        strict=True, name="NATO members",
    ),
    "turkey_export_side_facts.csv": pa.DataFrameSchema(
        _FACT_COLUMNS,
        strict=True, name="Türkiye export side facts",
    ),
}


# the SIPRI vocabulary is a curated table too (its schema lives with its checks)
SCHEMAS[vocabulary.VOCABULARY_FILE] = vocabulary.SCHEMA


#: the columns that identify a row of a curated table, where its schema declares no unique
#: column(s): what ``report diff curated`` and the What-changed page match two versions' rows on
ROW_KEYS: dict[str, list[str]] = {
    "claims.csv": ["claim_id", "claimant", "claim_date"],
    "constraints_and_europe_timeline.csv": ["date", "category", "event"],
    "nato_members.csv": ["iso3"],
}


def key_columns(name: str) -> list[str]:
    """The columns that identify a row of curated table ``name``: :data:`ROW_KEYS`, else the
    columns its schema declares unique together, else its first column declared unique."""
    if name in ROW_KEYS:
        return ROW_KEYS[name]
    schema = SCHEMAS[name]
    if schema.unique:
        return list(schema.unique)
    unique = [c for c, col in schema.columns.items() if col.unique]
    if not unique:
        raise KeyError(f"curated table {name!r} declares no unique column: add its row key to "
                       "analysis.data.readers.curated.ROW_KEYS")
    return unique[:1]


def parse(path) -> pd.DataFrame:
    schema = SCHEMAS[path.name]
    frame = read_csv_table(path, schema.columns)
    return check(frame, schema, path)


def table(name: str) -> pd.DataFrame:
    """A validated curated table (all columns text; analysis converts what it uses)."""
    if name not in SCHEMAS:
        raise KeyError(f"no schema for curated table {name!r}; add one to analysis.data.readers.curated")
    df = resolve(CURATED, CURATED, name)
    frame = store.cached(df, parse)
    frame.attrs["source_note"] = df.source_note()
    return frame


def rows_matching(name: str, column: str, pattern: str) -> pd.DataFrame:
    """The rows of a validated curated table whose ``column`` matches the regular expression
    ``pattern``; only these rows key the reading chapter's cache (a change to another row leaves
    it current)."""
    if name not in SCHEMAS:
        raise KeyError(f"no schema for curated table {name!r}; add one to analysis.data.readers.curated")
    df = resolve(CURATED, CURATED, name, log=False)
    frame = store.cached(df, parse)
    record_rows(df, column, pattern)
    out = frame[frame[column].astype("str").str.contains(pattern, regex=True)]
    out.attrs["source_note"] = df.source_note()
    return out


# --- spending chapter ---

SCHEMAS["spending_definitions.csv"] = pa.DataFrameSchema(
    {
        "definition_id": pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "publisher": pa.Column("str", not_blank()),
        "topic": pa.Column("str", not_blank()),
        "text": pa.Column("str", not_blank()),
        **source_columns(),
        "quality_note": pa.Column("str", not_blank()),
    },
    strict=True, name="NATO and SIPRI spending definitions",
)


# --- announced headline figures (editions not held as files) ---

#: How a published_headlines row knows its figure (closed: a new kind must be added here).
HEADLINE_RELIABILITIES = ["news report quoting the publisher", "third party quoting the publisher",
                          "address only"]
#: A figure the publisher did not publish (NATO's 2025e for Germany) is written so, never as 0.
NOT_PUBLISHED = "(blank)"


def _headline_value_ok(df: pd.DataFrame) -> pd.Series:
    """An ISO date when the unit is 'date', else a number, or '(blank)' for a figure the
    publisher did not publish."""
    is_date = df["unit"] == "date"
    date_ok = df["value"].str.match(r"^\d{4}-\d{2}-\d{2}$")
    number_ok = df["value"].str.match(r"^-?\d+(\.\d+)?$")
    return (is_date & date_ok) | (~is_date & (number_ok | (df["value"] == NOT_PUBLISHED)))


SCHEMAS["published_headlines.csv"] = pa.DataFrameSchema(
    {
        "fact": pa.Column("str", not_blank()),
        "value": pa.Column("str", not_blank()),
        "unit": pa.Column("str", not_blank()),
        "publisher": pa.Column("str", pa.Check.isin(["SIPRI", "NATO"])),
        "title": pa.Column("str", not_blank()),
        "source_url": pa.Column("str", pa.Check(_url_ok, name="is http(s) address")),
        "source_date": pa.Column("str", pa.Check(_source_date_ok,
                                                 name="is YYYY[-MM[-DD]] [(approx.)] or n.d.")),
        "publisher_page": pa.Column("str", pa.Check(_url_ok, name="is http(s) address")),
        "how_known": pa.Column("str", not_blank()),
        "reliability": pa.Column("str", pa.Check.isin(HEADLINE_RELIABILITIES)),
        "note": pa.Column("str"),
    },
    checks=[row_check("value", "matches its unit (date, number or '(blank)')", _headline_value_ok)],
    unique=["fact", "unit"], strict=True, name="published headline figures",
)


# --- the EU rules that bind Türkiye, and published estimates of what rearmament costs ---

#: What an eu_defence_rules row records (closed: a new kind must be added here).
RULE_TOPICS = ["legal act", "component-cost rule", "third-country agreement", "security safeguard",
               "member-state position", "third-country application", "loan amount",
               "route still open"]
RULE_INSTRUMENTS = ["SAFE", "EDIP", "SAFE and EDIP"]
#: Units a rule's value may carry; a bracketed qualifier may follow.
RULE_UNITS = ["% of component costs", "EUR", "EUR billion", "vehicles"]


def _loan_has_amount(df: pd.DataFrame) -> pd.Series:
    loan = df["topic"] == "loan amount"
    return ~loan | ((df["value"].str.strip() != "") & df["unit"].str.startswith("EUR"))


SCHEMAS["eu_defence_rules.csv"] = pa.DataFrameSchema(
    {
        "rule_id": pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "instrument": pa.Column("str", pa.Check.isin(RULE_INSTRUMENTS)),
        "topic": pa.Column("str", pa.Check.isin(RULE_TOPICS)),
        "actor": pa.Column("str", not_blank()),
        "statement": pa.Column("str", not_blank()),
        "value": pa.Column("str", pa.Check(_number_or_blank, name="is a number or blank")),
        "unit": pa.Column("str", pa.Check(
            lambda s: (s == "") | s.str.match(_head_pattern(RULE_UNITS)),
            name="is a known unit or blank")),
        "date": pa.Column("str"),
        "date_precision": pa.Column("str", pa.Check.isin(PRECISIONS)),
        **source_columns(),
        "quality_note": pa.Column("str"),
    },
    checks=[_date_matches_precision("date", "date_precision"),
            _not_after_source("date"),
            row_check("unit", "value has a unit", _value_needs_unit),
            row_check("unit", "unit only with a value",
                      lambda df: (df["unit"].str.strip() == "") | (df["value"].str.strip() != "")),
            row_check("value", "a loan amount has its value in EUR", _loan_has_amount)],
    strict=True, name="EU defence rules that bind Türkiye",
)

SCHEMAS["defence_cost_estimates.csv"] = pa.DataFrameSchema(
    {
        "estimate_id": pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "publisher": pa.Column("str", not_blank()),
        "authors": pa.Column("str"),
        "title": pa.Column("str", not_blank()),
        "published": pa.Column("str", pa.Check(_source_date_ok,
                                               name="is YYYY[-MM[-DD]] [(approx.)] or n.d.")),
        "value": pa.Column("str", [pa.Check(_number_or_blank, name="is a number"), not_blank()]),
        "unit": pa.Column("str", not_blank()),
        "scope": pa.Column("str", not_blank()),
        "horizon": pa.Column("str", not_blank()),
        "description": pa.Column("str", not_blank()),
        **source_columns(),
        "quality_note": pa.Column("str", not_blank()),
    },
    strict=True, name="published estimates of the cost of rearmament",
)


# --- source grades (every curated table) ---

#: How far a row's source can be trusted, graded from the page the row cites (the rule is written
#: in each table's sidecar): the publisher's or issuing authority's own page or document; a named
#: news organisation, wire, trade or academic journal or institute reporting it with attribution;
#: or a repost, aggregator, blog, forum, vendor page, or no source found.
SOURCE_GRADES = ["primary", "reputable secondary", "weak"]


def _declared_unsourced_is_weak(df: pd.DataFrame) -> pd.Series:
    declared = df["quality_note"].str.lower().str.startswith("source not found")
    return ~declared | (df["source_grade"] == "weak")


def _address_only_is_weak(df: pd.DataFrame) -> pd.Series:
    return (df["reliability"] != "address only") | (df["source_grade"] == "weak")


def _with_grade(schema: pa.DataFrameSchema, extra: list[pa.Check]) -> pa.DataFrameSchema:
    graded = schema.add_columns({"source_grade": pa.Column(
        "str", pa.Check.isin(SOURCE_GRADES), description="primary, reputable secondary or weak")})
    if extra:
        graded.checks = [*(graded.checks or []), *extra]
    return graded


_GRADE_CHECKS: dict[str, list[pa.Check]] = {
    "claims.csv": [row_check("source_grade", "a row with no source found is graded weak",
                             _declared_unsourced_is_weak)],
    "published_headlines.csv": [row_check("source_grade", "an address not read is graded weak",
                                          _address_only_is_weak)],
}
#: The tables whose rows cite a page (a source_url column): each row is graded. The SIPRI
#: vocabulary documents the publisher's own words and has no page per row.
GRADED: list[str] = [n for n, s in SCHEMAS.items() if any(c.startswith("source_url") for c in s.columns)]
for _name in GRADED:
    SCHEMAS[_name] = _with_grade(SCHEMAS[_name], _GRADE_CHECKS.get(_name, []))


# --- claims chapter: what each claim states (quoted from claims.csv; analysis.calc.claims.base
# checks that each row's wording and source are its utterance's). Not graded here: each row quotes
# a claims.csv row (claims_line), whose grade is its own. ---

_CLAIM_ID = pa.Column("str", pa.Check.str_matches(r"^[a-z0-9_]+$"))
_CLAIMS_LINE = pa.Column("str", pa.Check.str_matches(r"^[1-9]\d*$"))

SCHEMAS["claimed_figures.csv"] = pa.DataFrameSchema(
    {
        "claim_id": _CLAIM_ID,
        "figure": pa.Column("str", pa.Check.str_matches(r"^[a-z_]+$")),
        "value": pa.Column("str", pa.Check.str_matches(r"^\d+(\.\d+)?$|^\d{4}-\d{2}$")),
        "unit": pa.Column("str", not_blank()),
        "wording": pa.Column("str", not_blank()),
        "claims_line": _CLAIMS_LINE,
        **source_columns(),
        "quality_note": pa.Column("str"),
    },
    unique=["claim_id", "figure"], strict=True, name="claimed figures",
)
SCHEMAS["claimed_sales.csv"] = pa.DataFrameSchema(
    {
        "claim_id": _CLAIM_ID,
        "buyer": pa.Column("str", not_blank()),
        "system": pa.Column("str", not_blank()),
        "wording": pa.Column("str", not_blank()),
        "claims_line": _CLAIMS_LINE,
        **source_columns(),
        "quality_note": pa.Column("str"),
    },
    unique=["claim_id", "buyer", "system"], strict=True, name="claimed sales",
)
