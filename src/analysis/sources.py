"""Which data sources and vintages the project holds, their sidecars, and checksums.

Every file the report reads lives in the project's own ``data/`` folder:

* ``data/raw/<source>/<vintage>/<file>`` as the publisher released it, and
* ``data/curated/<table>.csv`` built by hand with a source on every row,

each with a ``<file>.meta.yml`` sidecar. A file is only ever opened through :func:`resolve`, which
checks the sidecar and the checksum and records the read, so that the build's cache knows exactly
which inputs a chapter used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import DataError

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
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return project_root() / "data"


@dataclass(frozen=True)
class DataFile:
    """One input file with its sidecar, as stored under ``data/``."""

    source: str
    vintage: str
    path: Path
    meta: dict[str, Any] = field(hash=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sidecar(self) -> Path:
        return sidecar_path(self.path)

    @property
    def relpath(self) -> str:
        return self.path.relative_to(project_root()).as_posix()

    @property
    def sha256(self) -> str:
        return str(self.meta["sha256"])

    def source_note(self) -> str:
        """The credit line with its vintage, for chart and table source lines."""
        edition = (self.meta.get("edition") or "").split("(")[0].strip().rstrip(",")
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


def read_sidecar(path: Path) -> dict[str, Any]:
    side = sidecar_path(path)
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


def verify(df: DataFile) -> None:
    """Raise if the file's bytes are not the ones its sidecar describes."""
    st = df.path.stat()
    if not _checksum_ok(df.path, st.st_mtime_ns, st.st_size, df.sha256):
        raise DataError(df.path, None, None, "checksum",
                        f"sha256 {sha256_of(df.path)} differs from the sidecar's {df.sha256}: "
                        "the file changed after its sidecar was written (re-run `report add-vintage`)")


def _data_file(path: Path, source: str, vintage: str) -> DataFile:
    return DataFile(source=source, vintage=vintage, path=path, meta=read_sidecar(path))


def list_files(root: Path | None = None) -> list[DataFile]:
    """Every data file with a sidecar, raw and curated, sorted by source, vintage and name."""
    base = (root or data_dir())
    out: list[DataFile] = []
    for src_dir in sorted(p for p in (base / "raw").iterdir() if p.is_dir()):
        for vdir in sorted(p for p in src_dir.iterdir() if p.is_dir()):
            parse_vintage(vdir.name, vdir)
            for f in sorted(vdir.iterdir()):
                if f.is_file() and not f.name.endswith(".meta.yml"):
                    out.append(_data_file(f, src_dir.name, vdir.name))
    for f in sorted((base / CURATED).glob("*.csv")):
        out.append(_data_file(f, CURATED, CURATED))
    return out


def vintages(source: str, root: Path | None = None) -> list[str]:
    """The vintages held for a source, oldest first."""
    sdir = (root or data_dir()) / "raw" / source
    if not sdir.is_dir():
        raise DataError(sdir, None, None, "source-known", f"no source folder data/raw/{source}")
    names = [p.name for p in sdir.iterdir() if p.is_dir()]
    return sorted(names, key=lambda n: parse_vintage(n, sdir / n))


def match_one(folder: Path, pattern: str) -> Path:
    """The one data file in ``folder`` matching ``pattern`` (publishers rename each edition,
    e.g. NATO's ``240617-def-exp-2024-TABLES-en.xlsx``)."""
    found = sorted(p for p in folder.glob(pattern) if not p.name.endswith(".meta.yml"))
    if len(found) != 1:
        held = ", ".join(p.name for p in sorted(folder.iterdir())
                         if not p.name.endswith(".meta.yml")) or "nothing"
        raise DataError(folder, None, None, "file-present",
                        f"{len(found)} files match {pattern!r} (one expected); the folder holds: {held}")
    return found[0]


def resolve(source: str, vintage: str, filename: str) -> DataFile:
    """The one way to open an input: checks presence, sidecar and checksum, and logs the read.

    ``filename`` may be a glob pattern for sources whose file name changes with each edition.
    """
    if source == CURATED:
        path = data_dir() / CURATED / filename
    else:
        vdir = data_dir() / "raw" / source / vintage
        if not vdir.is_dir():
            held = ", ".join(vintages(source)) or "none"
            raise DataError(vdir, None, None, "vintage-present",
                            f"vintage {vintage!r} of {source} is not under data/raw (held: {held})")
        parse_vintage(vintage, vdir)
        path = vdir / filename
        if "*" in filename:  # editions renamed by the publisher: one file must match
            path = match_one(vdir, filename)
    if not path.exists():
        raise DataError(path, None, None, "file-present", "file not found")
    df = _data_file(path, source, vintage)
    verify(df)
    record_read(df)
    return df


def record_read(df: DataFile) -> None:
    """Append the read to the chapter's input log, which keys the pipeline's execution cache."""
    log = os.environ.get("REPORT_INPUT_LOG")
    if log:
        # the sidecar too: a chapter prints its edition and credit line
        side = df.sidecar.relative_to(project_root()).as_posix()
        lines = [f"{df.relpath}\t{df.sha256}\n", f"{side}\t{sha256_of(df.sidecar)}\n"]
        p = Path(log)
        existing = p.read_text(encoding="utf-8") if p.exists() else ""
        with p.open("a", encoding="utf-8") as fh:
            fh.writelines(line for line in lines if line not in existing)


def held(root: Path | None = None) -> dict[str, list[str]]:
    """Every raw source with the vintages held, oldest first."""
    base = (root or data_dir()) / "raw"
    return {p.name: vintages(p.name, root or data_dir()) for p in sorted(base.iterdir())
            if p.is_dir()}
