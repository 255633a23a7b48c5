"""Which editions of a publication are held, and the frames of one file held in two of them.

The data side of "what changed": :mod:`analysis.calc.revisions` compares the frames.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pandas as pd

from analysis.data import sources, store
from analysis.data.errors import DataError
from analysis.data.sources import declared, resolve


def previous_vintage(root: Path, source: str, before: str, name: str | None = None) -> str | None:
    """The latest vintage older than ``before`` holding the same publication as ``name`` (the
    same file name, or a file under the same reader pattern: NATO renames its file yearly)."""
    from analysis.data.readers.registry import rule_key

    key = rule_key(source, name) if name else None
    pattern = key[1] if key else name
    # logged as an input of the chapter that asks: which vintage it is decides what it computes
    return sources.previous_vintage(source, before, pattern, root / "data")


def frames_in_both(root: Path, source: str, old: str, new: str
                   ) -> dict[str, tuple[object, pd.DataFrame, pd.DataFrame, tuple]]:
    """Every file held in both vintages that has a parser and a diff rule: its name -> (the rule,
    its frame in each vintage, extras). The rule is (keys, value) for a keyed series, or "deals"
    for SIPRI's deal register, whose extras are each edition's descriptions in the vocabulary's
    newest words."""
    from analysis.data.readers import vocabulary
    from analysis.data.readers.registry import DIFF_RULES, PARSERS, parser_of

    out = {}
    for (src, name), rule in DIFF_RULES.items():
        if src != source:
            continue
        held = [fnmatch.filter(declared(root / "data/raw" / source / v), name)
                for v in (old, new)]
        if not all(len(h) == 1 for h in held):
            continue
        dfs = [resolve(source, v, name) for v in (old, new)]
        frames = [store.cached(df, parser_of(df) or PARSERS[(src, name)]) for df in dfs]
        extras: tuple = ()
        if rule == "deals":
            vocab = vocabulary.vocabulary()
            extras = tuple(vocabulary.canonical(f["description"], vocab) for f in frames)
        out[held[1][0]] = (rule, frames[0], frames[1], extras)
    return out


# --------------------------------------------------------------------------- curated tables

#: how far back the history of a curated table is searched for its previous version
HISTORY_DEPTH = 200


def _read_table(raw: bytes) -> pd.DataFrame:
    """A version of a curated table as text, read leniently (an older version may have other
    columns than today's schema); the index is the row's line in its file."""
    import io

    frame = pd.read_csv(io.BytesIO(raw), dtype="str", keep_default_na=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="_line")
    return frame


def _git(root: Path, *args: str) -> bytes | None:
    import subprocess

    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError:
        return None
    return proc.stdout if proc.returncode == 0 else None


def curated_version(root: Path, where: str, name: str) -> pd.DataFrame | None:
    """Curated table ``name`` in ``where``: a folder holding curated tables (the repository's
    ``data/curated``, or ``../shared/data/curated`` before re-copying from it), or a git revision
    of the repository (``HEAD``, a commit); None when it holds no such table."""
    folder = Path(where)
    if not folder.is_absolute():
        folder = Path.cwd() / folder
    if folder.is_dir():
        path = folder / name
        return _read_table(path.read_bytes()) if path.is_file() else None
    raw = _git(root, "show", f"{where}:data/curated/{name}")
    if raw is None:
        if _git(root, "rev-parse", "--verify", "--quiet", f"{where}^{{commit}}") is None:
            raise DataError(where, None, None, "version",
                            "neither a folder nor a git revision of the repository")
        return None
    return _read_table(raw)


def previous_curated(root: Path, name: str) -> tuple[str, str, pd.DataFrame] | None:
    """The most recent version of curated table ``name`` in the repository's history that
    differs from the current one: (commit, its date, the table), or None when there is none
    (no history held, or the table never changed). Its read of the current table is logged."""
    from analysis.data.sources import CURATED, resolve

    current = resolve(CURATED, CURATED, name).path.read_bytes()
    log = _git(root, "log", f"-{HISTORY_DEPTH}", "--format=%H %cs", "--", f"data/curated/{name}")
    for line in (log or b"").decode().splitlines():
        commit, date = line.split()
        raw = _git(root, "show", f"{commit}:data/curated/{name}")
        if raw is not None and raw != current:
            return commit, date, _read_table(raw)
    return None
