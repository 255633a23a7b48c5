"""The book's published CSVs as one Frictionless data package (``datapackage.json``).

Each chart and table writes its CSV (:mod:`analysis.figures`) and, beside it, the description of
that CSV as a data resource (:func:`write_resource`): its columns with their Table Schema types,
titles and units, the sources and vintages of its source line, the chapter and its title. When
the book is assembled, :func:`assemble_package` gathers every description of the folder into
``datapackage.json`` (resource paths relative to it) and removes the pieces, so the published
folder holds the CSVs and one package that lists them all.

A unit is what a column's title (or the chart's tooltip title for the field) says in its last
parentheses: ``"Share of GDP (%)"`` has unit ``%``, ``"Extra in 2035 (US$ m)"`` has ``US$ m``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

PACKAGE = "datapackage.json"
RESOURCE_SUFFIX = ".resource.json"
PROFILE = "tabular-data-package"
_UNIT = re.compile(r"\(([^()]+)\)\s*$")
_VINTAGE = re.compile(r"vintage (\d{4}-\d{2}-\d{2})")
_SLUG = re.compile(r"[^a-z0-9._-]+")


def field_type(series: pd.Series) -> str:
    """The Table Schema type of a column, from its dtype (and, for text, its values)."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    values = series.dropna()
    if len(values) and all(isinstance(v, bool) for v in values):
        return "boolean"
    if len(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if len(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           for v in values):
        return "number"
    return "string"


def unit_of(title: str) -> str:
    """The unit a title names in its last parentheses ('' if none)."""
    m = _UNIT.search(title.strip())
    if not m or re.fullmatch(r"\d{4}(-\d{2,4})?e?", m.group(1).strip()):
        return ""  # "(2024)" is a year, not a unit
    return m.group(1).strip()


def split_sources(source: str) -> list[dict[str, str]]:
    """A source line as Frictionless sources: one per part separated by ';' outside
    parentheses, each with the vintage it names."""
    parts, depth, current = [], 0, ""
    for ch in source:
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    out = []
    for part in (p.strip().rstrip(".") for p in parts):
        if not part:
            continue
        item = {"title": part}
        if m := _VINTAGE.search(part):
            item["vintage"] = m.group(1)
        out.append(item)
    return out


def chart_field_titles(spec: Mapping[str, Any]) -> dict[str, str]:
    """field -> the title a chart gives it (tooltip titles first: they name units)."""
    titles: dict[str, str] = {}
    later: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            enc = node.get("encoding")
            if isinstance(enc, dict):
                for channel, defs in enc.items():
                    for d in defs if isinstance(defs, list) else [defs]:
                        if not isinstance(d, dict) or not isinstance(d.get("field"), str):
                            continue
                        title = d.get("title") or (d.get("axis") or {}).get("title")
                        if isinstance(title, str) and title:
                            (titles if channel == "tooltip" else later).setdefault(
                                d["field"], title)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return {**later, **titles}


def chart_title(spec: Mapping[str, Any]) -> tuple[str, str]:
    """(title, subtitle) of a chart spec, each line joined."""
    heading = spec.get("title")
    if not isinstance(heading, dict):
        return (str(heading or ""), "")

    def join(v: Any) -> str:
        return " ".join(v) if isinstance(v, list) else str(v or "")

    return join(heading.get("text")), join(heading.get("subtitle"))


def resource(frame: pd.DataFrame, *, csv_name: str, title: str, source: str,
             description: str = "", field_titles: Mapping[str, str] | None = None,
             chapter: str = "") -> dict[str, Any]:
    """The data-resource description of one published CSV."""
    titles = dict(field_titles or {})
    fields = []
    for col in frame.columns:
        name = str(col)
        f: dict[str, Any] = {"name": name, "type": field_type(frame[col])}
        label = titles.get(name, name)
        if label != name:
            f["title"] = label
        if unit := unit_of(label):
            f["unit"] = unit
        fields.append(f)
    out: dict[str, Any] = {
        "name": _SLUG.sub("-", csv_name.removesuffix(".csv").lower()).strip("-"),
        "path": csv_name, "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "title": title,
    }
    if description:
        out["description"] = description
    if chapter:
        out["chapter"] = chapter
    out["sources"] = split_sources(source)
    out["schema"] = {"fields": fields, "missingValues": [""]}
    return out


def write_resource(folder: Path, descriptor: Mapping[str, Any]) -> Path:
    """Write one resource description beside its CSV (``<csv>.resource.json``)."""
    path = folder / f"{descriptor['path']}{RESOURCE_SUFFIX}"
    path.write_text(json.dumps(descriptor, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def package(resources: Iterable[Mapping[str, Any]], *, version: str, created: str = "",
            title: str = "", description: str = "") -> dict[str, Any]:
    """The package descriptor listing ``resources`` (sorted by name: stable from run to run)."""
    out: dict[str, Any] = {
        "profile": PROFILE, "name": "turkiye-europe-rearmament-report", "version": version,
        "title": title or "Türkiye and Europe's rearmament: the data of every chart and table",
        "description": description or (
            "Every CSV the report publishes: the data each chart draws and each table shows, "
            "with the sources and data vintages named on the page. Calculations are the "
            "report's own; each source's terms are listed on the report's Data page."),
        "resources": sorted(resources, key=lambda r: r["name"]),
    }
    if created:
        out["created"] = created
    return out


def assemble_package(folder: Path, *, version: str, created: str = "") -> Path:
    """Gather every resource description in ``folder`` into its ``datapackage.json`` and remove
    the pieces. A description whose CSV is missing is an error."""
    pieces = sorted(folder.glob(f"*{RESOURCE_SUFFIX}"))
    resources = []
    for piece in pieces:
        desc = json.loads(piece.read_text(encoding="utf-8"))
        if not (folder / desc["path"]).is_file():
            raise FileNotFoundError(f"{piece}: describes {desc['path']}, which is not in {folder}")
        resources.append(desc)
    target = folder / PACKAGE
    target.write_text(json.dumps(package(resources, version=version, created=created), indent=1,
                                 sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    for piece in pieces:
        piece.unlink()
    return target
