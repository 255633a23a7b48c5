"""The one declaration of what the book reads and with which parameters (``chapters/params.yml``).

Three sections, each fact once::

    vintages:   # each source file the book reads, and the vintage it reads: one line each
      nato: {source: nato-defence-expenditure, file: "*-def-exp-*-TABLES-en.xlsx", vintage: "2024-06-17"}
    common:     # parameters several chapters take, declared once
      lead_country: "USA"
    chapters:   # each chapter's own parameters
      spending:
        first_year: 2014

A chapter's papermill parameters are derived: ``<name>_vintage`` for each vintage its parameters
cell names, each common parameter its cell names, and its own. Everything is checked before a
kernel starts: a parameter no notebook takes, a wrong type, a vintage the data store does not
hold, a value declared twice; each error names the file, the line and the key. ``report
add-vintage`` edits the one ``vintages`` line of the file it adds.
"""

from __future__ import annotations

import ast
import collections.abc
import fnmatch
import importlib
import inspect
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.data.errors import BuildError, DataError

PARAMS_FILE = "chapters/params.yml"
SECTIONS = ("vintages", "common", "chapters")
ENTRY_FIELDS = ("source", "file", "vintage")


@dataclass(frozen=True)
class Vintage:
    """One declared source file: the folder, the file name (or reader pattern), the vintage."""

    name: str
    source: str
    file: str
    vintage: str
    line: int


@dataclass
class Declaration:
    path: Path
    vintages: dict[str, Vintage] = field(default_factory=dict)
    common: dict[str, Any] = field(default_factory=dict)
    chapters: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # "common.x", "spending.y" -> line

    def error(self, key: str, rule: str, message: str) -> DataError:
        return DataError(self.path, self.lines.get(key), key, rule, message)

    def params_for(self, chapter: str, takes: dict[str, Any]) -> dict[str, Any]:
        """The chapter's parameters: of the declared vintages and common values, those its
        parameters cell (``takes``: name -> default) names, and its own."""
        out: dict[str, Any] = {}
        for name, v in self.vintages.items():
            if f"{name}_vintage" in takes:
                out[f"{name}_vintage"] = v.vintage
        out |= {k: v for k, v in self.common.items() if k in takes}
        out |= self.chapters.get(chapter, {})
        return out

    def where(self, chapter: str, key: str) -> str:
        """The dotted key under which ``chapter``'s parameter ``key`` is declared."""
        if key in self.chapters.get(chapter, {}):
            return f"{chapter}.{key}"
        if key.endswith("_vintage") and key.removesuffix("_vintage") in self.vintages:
            return f"vintages.{key.removesuffix('_vintage')}"
        return f"common.{key}"


def _lines(node: yaml.Node, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = f"{prefix}.{k.value}" if prefix else str(k.value)
            out[key] = k.start_mark.line + 1
            _lines(v, key, out)


def load(root: Path) -> Declaration:
    """Read and check the shape of the declaration (values are checked by :func:`check`)."""
    path = root / PARAMS_FILE
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else None, None, "params-yaml",
                        f"not valid YAML: {exc}") from None
    lines: dict[str, int] = {}
    if node is not None:
        _lines(node, "", lines)
    # chapter keys are reported as "<chapter>.<key>", as a maintainer reads them
    lines |= {k.removeprefix("chapters."): n for k, n in lines.items() if k.startswith("chapters.")}
    decl = Declaration(path, lines=lines)
    if not isinstance(data, dict):
        raise decl.error("", "params-shape", f"the file must map {', '.join(SECTIONS)}")
    for key in data:
        if key not in SECTIONS:
            raise decl.error(str(key), "params-shape",
                             f"unknown section {key!r}; the sections are {', '.join(SECTIONS)}")
    for section in SECTIONS:
        if not isinstance(data.get(section, {}), dict):
            raise decl.error(section, "params-shape", f"{section} must be a mapping")
    for name, entry in (data.get("vintages") or {}).items():
        key = f"vintages.{name}"
        if not isinstance(entry, dict) or set(entry) != set(ENTRY_FIELDS):
            raise decl.error(key, "params-shape",
                             f"a vintage is {{{', '.join(ENTRY_FIELDS)}}}, not {entry!r}")
        decl.vintages[str(name)] = Vintage(str(name), str(entry["source"]), str(entry["file"]),
                                           str(entry["vintage"]), lines.get(key, 0))
    decl.common = dict(data.get("common") or {})
    for chapter, own in (data.get("chapters") or {}).items():
        if not isinstance(own, dict):
            raise decl.error(f"chapters.{chapter}", "params-shape",
                             f"chapter {chapter!r} must map its parameters")
        decl.chapters[str(chapter)] = dict(own)
    return decl


@cache
def _notebook_params(path: str, mtime: float) -> dict[str, Any]:
    import papermill

    found = papermill.inspect_notebook(path)
    if not found:
        import nbformat

        cells = nbformat.read(path, as_version=4).cells
        if any("parameters" in c.metadata.get("tags", []) for c in cells):
            return {}  # a page that takes no parameters (the introduction pastes its numbers)
        raise BuildError(f"{path}: no cell tagged 'parameters'")
    out = {}
    for name, p in found.items():
        try:
            out[name] = ast.literal_eval(p["default"])
        except (ValueError, SyntaxError):
            out[name] = None  # an expression: its type is not checked
    return out


def notebook_params(path: Path) -> dict[str, Any]:
    """The parameters cell's names and default values, read by papermill (never executed)."""
    return _notebook_params(str(path), path.stat().st_mtime)


def _type_ok(value: Any, default: Any) -> bool:
    if default is None:
        return True
    want = type(default)
    if isinstance(value, bool) != isinstance(default, bool):
        return False
    return isinstance(value, want) or (want is float and isinstance(value, int))


#: parameters the build adds itself rather than the declaration: the Ally of each run of the
#: profile notebook (one per row of nato_members.csv)
BUILD_ADDS = frozenset({"iso3"})


def run_signature(chapter: str) -> dict[str, inspect.Parameter] | None:
    """The parameters of ``analysis.chapters.<chapter>.run`` with their types resolved, when the
    chapter is a module: its signature is then what the declared values are checked against
    (the notebook's parameters cell only names them)."""
    try:
        module = importlib.import_module(f"analysis.chapters.{chapter}")
    except ModuleNotFoundError:
        return None
    run = getattr(module, "run", None)
    if run is None:
        return None
    hints = typing.get_type_hints(run)
    return {name: p.replace(annotation=hints.get(name, p.annotation))
            for name, p in inspect.signature(run).parameters.items()}


def _matches(value: Any, hint: Any) -> bool:
    if hint is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if hint is int:
        return isinstance(value, int)
    if hint is float:
        return isinstance(value, (int, float))
    if hint is str:
        return isinstance(value, str)
    origin = typing.get_origin(hint)
    if origin in (list, tuple, collections.abc.Sequence):
        args = typing.get_args(hint)
        return isinstance(value, list) and all(_matches(v, args[0]) for v in value if args)
    return True


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("collections.abc.", "")


def check(root: Path, decl: Declaration, notebooks: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Check every declared value against the notebooks (``chapter name -> path``) and the
    data store; return each chapter's derived parameters."""
    from analysis.data.sources import declared
    from analysis.data.sources import vintages as held_vintages

    takes = {name: notebook_params(path) for name, path in notebooks.items()}
    for chapter in decl.chapters:
        if chapter not in notebooks:
            raise decl.error(chapter, "params-chapter",
                             f"params.yml names chapter {chapter!r}, which is not a notebook in "
                             "_toc.yml")
    for key in decl.common:
        twice = [c for c, own in decl.chapters.items() if key in own]
        if twice:
            raise decl.error(f"{twice[0]}.{key}", "params-once",
                             f"{key!r} is declared under common and again for {', '.join(twice)}")
        if not any(key in t for t in takes.values()):
            raise decl.error(f"common.{key}", "params-known",
                             f"no chapter's parameters cell takes {key!r}")
    for name, v in decl.vintages.items():
        key = f"vintages.{name}"
        if not any(f"{name}_vintage" in t for t in takes.values()):
            raise decl.error(key, "params-known",
                             f"no chapter's parameters cell takes {name}_vintage")
        try:
            held = held_vintages(v.source, root / "data")
        except DataError:
            held = []
        if v.vintage not in held:
            raise decl.error(key, "params-vintage",
                             f"{v.source} holds no vintage {v.vintage!r} under data/raw "
                             f"(held: {', '.join(held) or 'none'})")
        files = declared(root / "data/raw" / v.source / v.vintage)
        if not any(fnmatch.fnmatch(f, v.file) for f in files):
            raise decl.error(key, "params-file",
                             f"{v.source} {v.vintage} holds no file {v.file!r} "
                             f"(held: {', '.join(sorted(files)) or 'none'})")
    out = {}
    for chapter, t in takes.items():
        for key in decl.chapters.get(chapter, {}):
            if key not in t:
                raise decl.error(f"{chapter}.{key}", "params-known",
                                 f"parameter {key!r} is not in {notebooks[chapter].name}'s "
                                 f"parameters cell (known: {', '.join(sorted(t))})")
        params = decl.params_for(chapter, t)
        signature = run_signature(chapter)
        for key, value in params.items():
            if signature and key in signature:
                hint = signature[key].annotation
                if not _matches(value, hint):
                    raise decl.error(decl.where(chapter, key), "params-type",
                                     f"{value!r} is a {type(value).__name__}; "
                                     f"{chapter}.run takes a {_type_name(hint)}")
            elif not _type_ok(value, t[key]):
                raise decl.error(decl.where(chapter, key), "params-type",
                                 f"{value!r} is a {type(value).__name__}; the notebook's default "
                                 f"is a {type(t[key]).__name__}")
        for name, p in (signature or {}).items():
            if p.default is inspect.Parameter.empty and name not in params \
                    and name not in BUILD_ADDS:
                raise DataError(decl.path, None, f"{chapter}.{name}", "params-missing",
                                f"{chapter}.run needs {name!r}: declare it under vintages, "
                                f"common or chapters.{chapter}")
        out[chapter] = params
    return out


def point_at(text: str, source: str, name: str, old: str, new: str) -> tuple[str, list[str]]:
    """Point the ``vintages`` entry of ``source``'s file ``name`` at ``new`` where it reads
    ``old``: one line of the text changes (comments and order survive). An entry's ``file`` may be
    a reader pattern (NATO renames its workbook each edition)."""
    out, changed, section = [], [], None
    for line in text.splitlines(keepends=True):
        top = re.match(r"^([A-Za-z0-9_-]+):", line)
        if top:
            section = top.group(1)
        if section == "vintages" and line[:1].isspace():
            m = re.match(r"^\s+([A-Za-z0-9_]+):\s*(\{.*\})", line)
            if m:
                entry = yaml.safe_load(m.group(2))
                file = str(entry.get("file", ""))
                if (entry.get("source") == source and str(entry.get("vintage")) == old
                        and fnmatch.fnmatch(name, file)):
                    line = re.sub(rf"(vintage:\s*)([\"']?){re.escape(old)}\2",
                                  lambda mm: f"{mm.group(1)}{mm.group(2) or chr(34)}{new}"
                                             f"{mm.group(2) or chr(34)}", line, count=1)
                    changed.append(f"vintages.{m.group(1)}: {old} -> {new}")
        out.append(line)
    return "".join(out), changed
