"""Which editions of a publication are held, and the frames of one file held in two of them.

The data side of "what changed": :mod:`analysis.calc.revisions` compares the frames.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pandas as pd

from analysis.data import store
from analysis.data.errors import DataError
from analysis.data.sources import declared, resolve, vintages


def previous_vintage(root: Path, source: str, before: str, name: str | None = None) -> str | None:
    """The latest vintage older than ``before`` holding the same publication as ``name`` (the
    same file name, or a file under the same reader pattern: NATO renames its file yearly)."""
    from analysis.data.readers.registry import rule_key

    try:
        held = vintages(source, root / "data")
    except DataError:
        return None
    key = rule_key(source, name) if name else None
    pattern = key[1] if key else name

    def holds(v: str) -> bool:
        return pattern is None or bool(fnmatch.filter(declared(root / "data/raw" / source / v),
                                                      pattern))

    older = [v for v in held if v < before and holds(v)]
    return older[-1] if older else None


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
