"""Which data sources and vintages the project holds, their sidecars, and checksums.

The repository keeps what it wrote itself; the publishers' bytes live in a data store beside it:

* ``data/raw/<source>/<vintage>/<file>.meta.yml`` in the repository: a pointer to a publisher's
  file (publisher, edition, dates, address, terms, sha256, size), the way OWID's ETL keeps a
  checksummed pointer per snapshot;
* ``<store>/<source>/<vintage>/<file>``: the publisher's bytes, in ``../shared/data/`` beside the
  project by default, or the folder ``REPORT_DATA_STORE`` names;
* ``data/curated/<table>.csv`` with its sidecar: our own compilations, a source on every row.

A file is only ever opened through :func:`resolve`, which checks the sidecar and the checksum
(before any parsing) and records the read, so that the build's cache knows which inputs a chapter
used. Paths shown to readers and kept in logs are the logical ``data/raw/...`` ones, wherever
the store is.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.data.errors import DataError

#: Fields every sidecar must carry (the data page and the citation blocks are built from them).
SIDECAR_FIELDS: tuple[str, ...] = (
    "publisher",
    "title",
    "edition",
    "date_published",
    "date_obtained",
    "url",
    "terms",
    "credit",
    "sha256",
    "coverage",
    "caveats",
)

CURATED = "curated"


def project_root() -> Path:
    """The repository root; ``REPORT_ROOT`` overrides it for tests that build a scratch copy."""
    env = os.environ.get("REPORT_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    return project_root() / "data"


STORE_ENV = "REPORT_DATA_STORE"


def default_store(project: Path) -> Path:
    """A project's data store when ``REPORT_DATA_STORE`` is not set: ``../shared/data/``."""
    return (project.parent / "shared" / "data").resolve()


def data_store() -> Path:
    """Where the publishers' files are read: ``REPORT_DATA_STORE``, else ``../shared/data/``
    beside the project."""
    env = os.environ.get(STORE_ENV)
    return Path(env).resolve() if env else default_store(project_root())


@dataclass(frozen=True)
class DataFile:
    """One input: where its bytes are read (``path``), and its sidecar in the repository."""

    source: str
    vintage: str
    path: Path
    meta: dict[str, Any] = field(hash=False, compare=False)
    sidecar: Path = field(default=Path(), hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.sidecar == Path():
            object.__setattr__(self, "sidecar", sidecar_path(self.path))

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def relpath(self) -> str:
        """The logical path, the same wherever the data store is: ``data/raw/<source>/<vintage>/
        <file>`` or ``data/curated/<file>``."""
        if self.source == CURATED:
            return f"data/{CURATED}/{self.name}"
        return f"data/raw/{self.source}/{self.vintage}/{self.name}"

    @property
    def in_store(self) -> bool:
        return self.source != CURATED

    @property
    def sha256(self) -> str:
        return str(self.meta["sha256"])

    @property
    def edition(self) -> str:
        """The publisher's edition as the sidecar names it, without its gloss: '2025 edition'."""
        return (self.meta.get("edition") or "").split("(")[0].strip().rstrip(",")

    def source_note(self) -> str:
        """The credit line with its vintage, for chart and table source lines."""
        edition = self.edition
        if self.source == CURATED:  # a curated table's vintage is its curation date
            return f"{self.meta['credit']}, table {self.name} (vintage {self.meta['date_published']})"
        return f"{self.meta['credit']} ({edition}; vintage {self.vintage})" if edition else (
            f"{self.meta['credit']} (vintage {self.vintage})"
        )


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.yml")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_vintage(name: str, where: Path) -> dt.date:
    """Vintage folders are ISO dates (the publisher's release or generation date)."""
    try:
        return dt.date.fromisoformat(name)
    except ValueError:
        raise DataError(
            where, None, None, "vintage-is-date",
            f"vintage folder {name!r} is not an ISO date (YYYY-MM-DD)",
        ) from None


def read_sidecar(path: Path, side: Path | None = None) -> dict[str, Any]:
    """The sidecar of ``path`` (beside it, or at ``side`` for a file in the data store)."""
    side = side or sidecar_path(path)
    if not side.exists():
        raise DataError(path, None, None, "sidecar-present",
                        f"no sidecar {side.name} beside the file (publisher, title, sha256, ...)")
    try:
        meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(side, mark.line + 1 if mark else None, None, "sidecar-yaml",
                        f"sidecar is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise DataError(side, None, None, "sidecar-yaml", "sidecar is not a mapping of fields")
    for key in SIDECAR_FIELDS:
        if meta.get(key) in (None, ""):
            raise DataError(side, None, key, "sidecar-field", f"sidecar field {key!r} is missing or empty")
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in meta.items()}


@cache
def _checksum_ok(path: Path, mtime_ns: int, size: int, expected: str) -> bool:
    return sha256_of(path) == expected


def missing_message(df: DataFile) -> str:
    """What a reader needs to get a missing file: where it was looked for, where to get it and
    the checksum it must have."""
    size = df.meta.get("size_bytes")
    store = data_store()
    how = (f"the data store is {store} (set by {STORE_ENV})" if os.environ.get(STORE_ENV)
           else f"the data store is {store} (../shared/data beside the project; set "
                f"{STORE_ENV} to use another folder)")
    return (f"{df.source}, vintage {df.vintage}: the data store holds no {df.name} ({how}). "
            f"Get it from {str(df.meta.get('url', '')).split()[0]} and place it at {df.path}; it must have sha256 "
            f"{df.sha256}" + (f" and {size:,} bytes" if isinstance(size, int) else "")
            + f" (its sidecar is {df.relpath}.meta.yml)")


def verify(df: DataFile) -> None:
    """Raise if the file is absent, or its bytes are not the ones its sidecar describes."""
    if not df.path.is_file():
        raise DataError(df.path, None, None, "store-holds-file", missing_message(df))
    st = df.path.stat()
    if not _checksum_ok(df.path, st.st_mtime_ns, st.st_size, df.sha256):
        raise DataError(df.path, None, None, "checksum",
                        f"sha256 {sha256_of(df.path)} differs from the sidecar's {df.sha256}: "
                        "the file changed after its sidecar was written (re-run `report add-vintage`)")


SIDECAR_SUFFIX = ".meta.yml"


def raw_file(source: str, vintage: str, name: str, root: Path | None = None) -> DataFile:
    """A publisher's file: its sidecar in the repository, its bytes in the data store."""
    side = (root or data_dir()) / "raw" / source / vintage / (name + SIDECAR_SUFFIX)
    path = data_store() / source / vintage / name
    return DataFile(source, vintage, path, read_sidecar(path, side), side)


def curated_file(name: str, root: Path | None = None) -> DataFile:
    path = (root or data_dir()) / CURATED / name
    return DataFile(CURATED, CURATED, path, read_sidecar(path))


def declared(vdir: Path) -> list[str]:
    """The files a vintage folder of the repository declares: one per sidecar."""
    return sorted(p.name.removesuffix(SIDECAR_SUFFIX) for p in vdir.glob("*" + SIDECAR_SUFFIX))


def physical(relpath: str) -> Path:
    """Where the bytes of a logical ``data/...`` path are read (the store, for raw files)."""
    parts = relpath.split("/")
    if len(parts) == 5 and parts[:2] == ["data", "raw"]:
        return data_store().joinpath(*parts[2:])
    return project_root() / relpath


def list_files(root: Path | None = None) -> list[DataFile]:
    """Every data file with a sidecar, raw and curated, sorted by source, vintage and name.
    Raw files are listed from their sidecars, whether or not the store holds them
    (:func:`verify` says which are missing)."""
    base = (root or data_dir())
    out: list[DataFile] = []
    for src_dir in sorted(p for p in (base / "raw").iterdir() if p.is_dir()):
        for vdir in sorted(p for p in src_dir.iterdir() if p.is_dir()):
            parse_vintage(vdir.name, vdir)
            out += [raw_file(src_dir.name, vdir.name, n, base) for n in declared(vdir)]
    for f in sorted((base / CURATED).glob("*.csv")):
        out.append(curated_file(f.name, base))
    return out


def vintages(source: str, root: Path | None = None) -> list[str]:
    """The vintages held for a source, oldest first."""
    sdir = (root or data_dir()) / "raw" / source
    if not sdir.is_dir():
        raise DataError(sdir, None, None, "source-known", f"no source folder data/raw/{source}")
    names = [p.name for p in sdir.iterdir() if p.is_dir()]
    return sorted(names, key=lambda n: parse_vintage(n, sdir / n))


def match_one(folder: Path, pattern: str) -> str:
    """The name of the one file that a vintage folder declares (has a sidecar for) matching
    ``pattern`` (publishers rename each edition, e.g. NATO's ``240617-def-exp-2024-TABLES-en.xlsx``)."""
    names = declared(folder)
    found = fnmatch.filter(names, pattern)
    if len(found) != 1:
        held = ", ".join(names) or "nothing"
        raise DataError(folder, None, None, "file-present",
                        f"{len(found)} files match {pattern!r} (one expected); the folder holds: {held}")
    return found[0]


def resolve(source: str, vintage: str, filename: str, *, log: bool = True) -> DataFile:
    """The one way to open an input: checks presence, sidecar and checksum, and logs the read
    (``log=False``: the caller logs what it reads of the file, :func:`record_rows`).

    ``filename`` may be a glob pattern for sources whose file name changes with each edition.
    """
    if source == CURATED:
        path = data_dir() / CURATED / filename
        if not path.exists():
            raise DataError(path, None, None, "file-present", "file not found")
        df = curated_file(filename)
    else:
        vdir = data_dir() / "raw" / source / vintage
        if not vdir.is_dir():
            held = ", ".join(vintages(source)) or "none"
            raise DataError(vdir, None, None, "vintage-present",
                            f"vintage {vintage!r} of {source} is not under data/raw (held: {held})")
        parse_vintage(vintage, vdir)
        name = filename
        if "*" in filename:  # editions renamed by the publisher: one file must match
            name = match_one(vdir, filename)
        elif not (vdir / (name + SIDECAR_SUFFIX)).exists():
            raise DataError(vdir / name, None, None, "file-present",
                            f"data/raw/{source}/{vintage} declares no {name} (no sidecar "
                            f"{name}{SIDECAR_SUFFIX}); it declares: "
                            f"{', '.join(declared(vdir)) or 'nothing'}")
        df = raw_file(source, vintage, name)
    verify(df)
    if log:
        record_read(df)
    return df


#: an input that is some rows of a file: ``<file>#<column>~<pattern>`` (the rows whose column
#: matches the regular expression), keyed on a digest of those rows only
ROWS_MARK = "#"


def rows_digest(path: Path, column: str, pattern: str) -> str:
    """A digest of the rows of a CSV file whose ``column`` matches ``pattern`` (stdlib only: the
    build recomputes it to decide whether a chapter that read only these rows is current)."""
    import csv
    import re

    regex = re.compile(pattern)
    h = hashlib.sha256()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        at = header.index(column)
        h.update("\x1f".join(header).encode())
        for row in reader:
            if at < len(row) and regex.search(row[at]):
                h.update(b"\x1e" + "\x1f".join(row).encode())
    return h.hexdigest()


#: a sidecar read without its file's checksum and size (which change with any row of the file)
SIDECAR_TEXT = "text"
_FILE_FIELDS = ("sha256", "size_bytes", "size", "bytes")


def sidecar_text_digest(path: Path) -> str:
    """A digest of a sidecar's text less the file's checksum and size fields."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if not ln.startswith(tuple(f"{f}:" for f in _FILE_FIELDS))]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def input_digest(root: Path, rel: str) -> str | None:
    """The current checksum of a recorded input (a whole file or some rows of one); None if the
    file has gone."""
    if ROWS_MARK + PREVIOUS_MARK in rel:  # which vintage is a file's previous one
        where, before = rel.split(ROWS_MARK + PREVIOUS_MARK, 1)
        _data, _raw, source, _any, pattern = where.split("/", 4)
        return previous_digest(source, before, pattern.removesuffix(SIDECAR_SUFFIX),
                               root / "data")
    if rel.endswith(ROWS_MARK + SIDECAR_TEXT):
        p = root / rel.removesuffix(ROWS_MARK + SIDECAR_TEXT)
        return sidecar_text_digest(p) if p.exists() else None
    if ROWS_MARK in rel:
        file, selector = rel.split(ROWS_MARK, 1)
        column, pattern = selector.split("~", 1)
        p = root / file
        return rows_digest(p, column, pattern) if p.exists() else None
    p = physical(rel) if rel.startswith("data/raw/") and not rel.endswith(SIDECAR_SUFFIX) \
        else root / rel
    return sha256_of(p) if p.exists() else None


def record_rows(df: DataFile, column: str, pattern: str) -> None:
    """Log a read of only the rows of ``df`` whose ``column`` matches ``pattern`` (with the
    sidecar), instead of the whole file: a change to other rows leaves the chapter current."""
    log = os.environ.get("REPORT_INPUT_LOG")
    if log:
        rel = f"{df.relpath}{ROWS_MARK}{column}~{pattern}"
        side = f"{df.relpath}{SIDECAR_SUFFIX}{ROWS_MARK}{SIDECAR_TEXT}"
        _append(log, [f"{rel}\t{rows_digest(df.path, column, pattern)}\n",
                      f"{side}\t{sidecar_text_digest(df.sidecar)}\n"])


def _append(log: str, lines: list[str]) -> None:
    p = Path(log)
    existing = p.read_text(encoding="utf-8") if p.exists() else ""
    with p.open("a", encoding="utf-8") as fh:
        fh.writelines(line for line in lines if line not in existing)


def record_read(df: DataFile) -> None:
    """Append the read to the chapter's input log, which keys the pipeline's execution cache."""
    log = os.environ.get("REPORT_INPUT_LOG")
    if log:
        # the sidecar too: a chapter prints its edition and credit line
        side = df.relpath + SIDECAR_SUFFIX
        lines = [f"{df.relpath}\t{df.sha256}\n", f"{side}\t{sha256_of(df.sidecar)}\n"]
        p = Path(log)
        existing = p.read_text(encoding="utf-8") if p.exists() else ""
        with p.open("a", encoding="utf-8") as fh:
            fh.writelines(line for line in lines if line not in existing)


#: the pseudo-input a chapter records when it asks which vintages are held: its "checksum" is a
#: digest of every declared file, so adding or removing a vintage re-executes that chapter
HELD_INPUT = "data/raw/"


def declared_digest(root: Path | None = None) -> str:
    """A digest of the set of files the sidecars declare (source, vintage, name)."""
    base = (root or data_dir()) / "raw"
    names = sorted(p.relative_to(base).as_posix() for p in base.rglob("*" + SIDECAR_SUFFIX))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def held(root: Path | None = None) -> dict[str, list[str]]:
    """Every raw source with the vintages held, oldest first (a chapter that asks depends on
    the answer: the read is logged)."""
    base = (root or data_dir()) / "raw"
    out = {p.name: vintages(p.name, root or data_dir()) for p in sorted(base.iterdir())
           if p.is_dir()}
    log = os.environ.get("REPORT_INPUT_LOG")
    if log:
        line = f"{HELD_INPUT}\t{declared_digest(root)}\n"
        p = Path(log)
        if line not in (p.read_text(encoding="utf-8") if p.exists() else ""):
            with p.open("a", encoding="utf-8") as fh:
                fh.write(line)
    return out


#: the pseudo-input a chapter records when it asks for a file's previous vintage (to recompute
#: its results on it): ``data/raw/<source>/*/<pattern>.meta.yml#before~<vintage>``, keyed on
#: the vintage chosen and its sidecars, so that a vintage added, removed or changed between the
#: chapter's vintage and the one it compared with re-executes it (older ones leave it current)
PREVIOUS_MARK = "before~"


def previous_held(source: str, before: str, pattern: str | None = None,
                  root: Path | None = None) -> str | None:
    """The latest vintage of ``source`` older than ``before`` that declares a file matching
    ``pattern`` (any file when None); None when there is none or the source is not held."""
    base = root or data_dir()
    try:
        held = vintages(source, base)
    except DataError:
        return None
    older = [v for v in held if v < before and (
        pattern is None or fnmatch.filter(declared(base / "raw" / source / v), pattern))]
    return older[-1] if older else None


def previous_digest(source: str, before: str, pattern: str | None,
                    root: Path | None = None) -> str:
    """A digest of the answer :func:`previous_held` gives: the vintage and the sidecars (bytes
    included) of its files that match ``pattern``."""
    base = root or data_dir()
    chosen = previous_held(source, before, pattern, base)
    h = hashlib.sha256(f"{source}\0{chosen}".encode())
    if chosen is not None:
        vdir = base / "raw" / source / chosen
        for name in fnmatch.filter(declared(vdir), pattern or "*"):
            h.update(f"\0{name}\0{sha256_of(vdir / (name + SIDECAR_SUFFIX))}".encode())
    return h.hexdigest()


def previous_vintage(source: str, before: str, pattern: str | None = None,
                     root: Path | None = None) -> str | None:
    """:func:`previous_held`, with the question logged as an input of the chapter that asks (a
    chapter that recomputes its results on the previous vintage depends on which one it is)."""
    chosen = previous_held(source, before, pattern, root)
    log = os.environ.get("REPORT_INPUT_LOG")
    if log:
        rel = (f"data/raw/{source}/*/{pattern or '*'}{SIDECAR_SUFFIX}"
               f"{ROWS_MARK}{PREVIOUS_MARK}{before}")
        _append(log, [f"{rel}\t{previous_digest(source, before, pattern, root)}\n"])
    return chosen


def store_inventory(root: Path | None = None) -> dict[str, list[tuple[str, bool]]]:
    """Per source, every ``<vintage>/<file>`` the sidecars declare and whether the data store
    holds it (present, whatever its checksum: :func:`verify` judges the bytes)."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for df in list_files(root):
        if df.in_store:
            out.setdefault(df.source, []).append((f"{df.vintage}/{df.name}", df.path.is_file()))
    return out
