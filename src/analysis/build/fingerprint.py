"""A fingerprint of everything a build reads, computed with the standard library only.

When it equals the fingerprint of the last published book, `report build` stops before it
imports pandas or starts a kernel: a no-op rebuild costs a fraction of a second. Any changed
byte in the data, the chapters, the package, the static files or the configuration (or a new
commit date) gives a new fingerprint, and the full, cached pipeline runs.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

TREES = ("data", "chapters", "src/analysis", "book_static")
STORE_ENV = "REPORT_DATA_STORE"  # as analysis.data.sources: the publishers' files live there
FILES = ("_config.yml", "_toc.yml", "references.bib", "requirements.lock", "pyproject.toml")
STAMP = "html.fingerprint"


def tree_fingerprint(root: Path, epoch: str) -> str:
    h = hashlib.sha256()
    h.update(f"{sys.version}\0{epoch}\0".encode())
    paths: list[Path] = [root / f for f in FILES]
    for tree in TREES:
        base = root / tree
        if base.is_dir():
            paths += [p for p in base.rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    for p in sorted(paths):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update(store_state(root).encode())
    return h.hexdigest()


def store_state(root: Path) -> str:
    """Where the data store is and, for every file a sidecar declares, its size and mtime there
    (or that it is missing): a moved, emptied or changed store is never a no-op."""
    env = os.environ.get(STORE_ENV)
    store = Path(env).resolve() if env else (root.parent / "shared" / "data").resolve()
    lines = [str(store)]
    raw = root / "data" / "raw"
    for side in sorted(raw.rglob("*.meta.yml")) if raw.is_dir() else []:
        rel = side.relative_to(raw).as_posix().removesuffix(".meta.yml")
        try:
            st = (store / rel).stat()
            lines.append(f"{rel}\t{st.st_size}\t{st.st_mtime_ns}")
        except OSError:
            lines.append(f"{rel}\tmissing")
    return "\n".join(lines)


def unchanged(root: Path, build: Path, epoch: str) -> bool:
    stamp = build / STAMP
    return ((build / "html").is_dir() and stamp.is_file()
            and stamp.read_text(encoding="utf-8") == tree_fingerprint(root, epoch))


def record(root: Path, build: Path, epoch: str, value: str | None = None) -> None:
    """Record the fingerprint of the tree the published book was built from: ``value``, taken
    when the build started (a file edited while it ran is then not taken as built)."""
    (build / STAMP).write_text(value or tree_fingerprint(root, epoch), encoding="utf-8")


def forget(build: Path) -> None:
    try:
        os.remove(build / STAMP)
    except FileNotFoundError:
        pass
