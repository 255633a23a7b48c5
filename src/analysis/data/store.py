"""A cache of validated frames, so that each input is parsed and validated once per content.

Parsing the SIPRI register or a NATO workbook costs seconds; reading the validated parquet copy
costs milliseconds. The key is the file's checksum plus the package's own source, so a new data
file or a changed parser both miss.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from analysis.data.sources import DataFile, project_root

PACKAGE = Path(__file__).resolve().parents[1]  # src/analysis


@cache
def code_hash(*layers: str) -> str:
    """Checksum of the Python source of the named layers (folders of the analysis package; none:
    the whole package). A changed parser invalidates the data cache; a changed chart theme the
    chapters' cache only."""
    h = hashlib.sha256()
    roots = [PACKAGE / layer for layer in layers] if layers else [PACKAGE]
    for root in roots:
        for f in sorted(root.rglob("*.py")):
            h.update(f.relative_to(PACKAGE).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def package_hash() -> str:
    """Checksum of the whole analysis package's Python source."""
    return code_hash()


def data_code_hash() -> str:
    """Checksum of the data layer's code (sources, readers, validation, store): the parquet
    cache's key, so that only a change to how files are read re-parses them."""
    return code_hash("data")


#: Modules of analysis/chapters that every chapter runs; any other module there is one chapter's.
CHAPTER_COMMON = ("__init__.py", "result.py", "collect.py")


def _chapter_imports(path: Path) -> set[str]:
    """The modules of analysis/chapters that the module at ``path`` imports (``from
    analysis.chapters import profile``, ``from analysis.chapters.as_of import ...``)."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "analysis.chapters":
                found.update(a.name for a in node.names)
            elif node.module.startswith("analysis.chapters."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names
                         if a.name.startswith("analysis.chapters."))
    return found


def chapter_modules(module: str) -> list[str]:
    """The files of analysis/chapters that the chapter module ``module`` runs: the common ones,
    its own and every chapter module it imports, directly or through another (the index of
    Allies runs the profile's module, the introduction and spending chapters ``as_of``)."""
    folder = PACKAGE / "chapters"
    todo, seen = [module], set()
    while todo:
        name = todo.pop()
        f = folder / f"{name}.py"
        if name in seen or not f.exists():
            continue
        seen.add(name)
        todo.extend(_chapter_imports(f))
    return sorted({f"{n}.py" for n in seen} | set(CHAPTER_COMMON))


@cache
def chapter_code_hash(chapter: str = "") -> str:
    """Checksum of the code the chapter module ``chapter`` runs (its notebook's name: ``profile``
    for every Ally's page): the data, calc and publishing layers, the chapters' common modules,
    its own module and the chapter modules it imports (not another chapter's, not the build)."""
    h = hashlib.sha256(code_hash("data", "calc", "publishing").encode())
    runs = set(chapter_modules(chapter))
    for f in sorted((PACKAGE / "chapters").glob("*.py")):
        if f.name in runs:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get("REPORT_DATA_CACHE", project_root() / "_build" / "cache" / "data"))


def cache_path(df: DataFile, tag: str = "") -> Path:
    # the sidecar is part of the key: some readers take documentation from it (USGS footnotes)
    side = df.sidecar.read_bytes() if df.sidecar.exists() else b""
    key = hashlib.sha256(f"{df.sha256}{data_code_hash()}{tag}".encode() + side).hexdigest()[:20]
    return cache_dir() / f"{df.source}--{df.vintage}--{df.name}{'--' + tag if tag else ''}--{key}.parquet"


def is_cached(df: DataFile, tag: str = "") -> bool:
    return cache_path(df, tag).exists()


def cached(df: DataFile, parse: Callable[[Path], pd.DataFrame], tag: str = "",
           target: Path | None = None) -> pd.DataFrame:
    """Return ``parse(df.path)``, from a parquet copy when one exists for these bytes, this
    sidecar and this code (``target``: the copy's path, when the caller named it)."""
    target = target or cache_path(df, tag)
    if target.exists():
        return pd.read_parquet(target)
    frame = parse(df.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    frame.to_parquet(tmp)
    tmp.replace(target)
    return frame


def worker_context():  # type: ignore[no-untyped-def]
    """Worker processes start from a clean server process, never forked from the caller: a
    caller with threads (a test's web server, a browser driver) can leave a forked child
    waiting forever on a lock that no thread will release."""
    import multiprocessing

    return multiprocessing.get_context("forkserver")


def load(source: str, vintage: str, filename: str, parse: Callable[[Path], pd.DataFrame],
         tag: str = "", with_provenance: bool = False) -> pd.DataFrame:
    """The one way a reader's public loader gets its frame: resolve (checksum, read log), parse
    once into the cache, and carry the credit line and vintage in ``attrs`` (and, with
    ``with_provenance``, as ``source`` and ``vintage`` columns on every row)."""
    from analysis.data.sources import resolve

    df = resolve(source, vintage, filename)
    frame = cached(df, parse, tag=tag)
    if with_provenance:
        frame = frame.assign(source=df.meta["credit"], vintage=vintage)
    frame.attrs["source_note"] = df.source_note()
    frame.attrs["vintage"] = vintage
    frame.attrs["edition"] = df.edition
    return frame
