"""New data vintages: record one safely, and say what changed against the previous one.

SIPRI and NATO republish their whole series every year. A new edition goes beside the old one,
never over it: its sidecar (with checksum and size) into the repository's
``data/raw/<source>/<vintage>/``, its bytes into the data store (``<store>/<source>/<vintage>/``)
when the store is writable, or, when the store already holds the file, a check that the bytes
are identical. The sidecar is filled from the previous vintage's (the same publication), the
file is validated before anything else sees it, and the chapters that read the old vintage are
pointed at the new one in ``chapters/params.yml``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.build import declaration
from analysis.data.editions import previous_vintage
from analysis.data.errors import DataError
from analysis.data.sources import (
    SIDECAR_SUFFIX,
    data_store,
    parse_vintage,
    read_sidecar,
    sha256_of,
)

PARAMS_FILE = declaration.PARAMS_FILE


@dataclass
class AddedVintage:
    path: Path  # the file in the data store
    sidecar: Path  # its sidecar in the repository
    previous: str | None
    params_changed: list[str] = field(default_factory=list)  # "vintages.<name>: old -> new"
    placed: bool = True  # False: the store already held identical bytes
    review: list[str] = field(default_factory=list)  # sidecar fields a person must check

    def summary(self) -> str:
        where = (f"placed the file in the data store at {self.path}" if self.placed else
                 f"the data store already holds an identical file at {self.path}")
        lines = [where, f"wrote its sidecar {self.sidecar} (commit it; never the file)"]
        if self.review:
            src = f" (copied from vintage {self.previous})" if self.previous else ""
            lines.append(f"review this in the sidecar{src}: {', '.join(self.review)}")
        lines += [f"params.yml: {c}" for c in self.params_changed] or [
            "params.yml: no declared file is this one; add its line under vintages by hand"]
        return "\n".join(lines)


#: fields that describe one edition only: never carried over from the previous vintage's sidecar
EDITION_FIELDS = ("obtained_from", "git_blob", "commit", "date_generated", "date_published_note",
                  "checks", "coverage", "caveats", "changes", "edition", "size_bytes")


def sidecar_from_previous(prev: dict | None, *, source: str, vintage: str, sha256: str,
                          size: int, obtained: str, edition: str | None,
                          described: dict[str, str] | None = None) -> tuple[dict, list[str]]:
    """A sidecar for the new file and the fields a person must review.

    What the file states itself (``described``: SIPRI's generation date, the rows and years it
    covers) and what the command knows (checksum, size, dates, ``edition``) are written as
    such; the publication's fields (publisher, title, address, terms, credit line) come from the
    previous vintage and are listed for review; edition-specific fields are never copied."""
    meta = {k: v for k, v in (prev or {}).items() if k not in EDITION_FIELDS}
    review = [k for k in ("publisher", "title", "url", "terms", "credit") if k in meta]
    meta.update({
        "edition": edition or f"(fill in: the edition of {vintage}, as the publisher names it)",
        "date_published": vintage,
        "date_obtained": obtained,
        "sha256": sha256,
        "size_bytes": size,
        **(described or {}),
    })
    review.append("date_published")  # the vintage's date; the publisher's release may be earlier
    if not edition:
        review.append("edition")
    if "coverage" not in meta:
        meta["coverage"] = "(fill in: what this edition covers)"
        review.append("coverage")
    meta["caveats"] = "(fill in: this edition's caveats; the previous vintage's are not copied)"
    review.append("caveats")
    for key in ("publisher", "title", "url", "terms", "credit"):
        if key not in meta:
            meta[key] = f"(fill in: new source {source})"
            review.append(key)
    return meta, review


def add_vintage(root: Path, source: str, vintage: str, file: Path, *, name: str | None = None,
                edition: str | None = None, obtained: str | None = None) -> AddedVintage:
    """Record ``file`` as ``<source>/<vintage>/<name>``: validate it, write its sidecar into
    ``data/raw/``, place its bytes in the data store (or check the store's copy is identical)
    and point the declaration's line for this file at it (one line of ``chapters/params.yml``).
    Nothing is left behind if the file does not validate."""
    from analysis.data.readers.registry import parser_for

    parse_vintage(vintage, root / "data/raw" / source / vintage)
    if not file.is_file():
        raise DataError(file, None, None, "file-present", "file not found")
    name = name or file.name
    side_dir = root / "data/raw" / source / vintage
    side = side_dir / (name + SIDECAR_SUFFIX)
    if side.exists():
        raise DataError(side, None, None, "no-overwrite",
                        "this vintage already declares the file; a new edition gets a new dated folder")
    store_dir = data_store() / source / vintage
    dest = store_dir / name
    sha = sha256_of(file)
    if dest.exists() and sha256_of(dest) != sha:
        raise DataError(dest, None, None, "store-identical",
                        f"the data store already holds a different {name} for {source}/{vintage} "
                        f"(sha256 {sha256_of(dest)}, the new file has {sha}); a new edition gets a "
                        "new dated folder")
    prev = previous_vintage(root, source, vintage, name)
    prev_meta, prev_side = None, None
    if prev:
        from analysis.data.readers.registry import rule_key
        from analysis.data.sources import match_one

        key = rule_key(source, name)
        prev_name = match_one(root / "data/raw" / source / prev, key[1] if key else name)
        prev_side = root / "data/raw" / source / prev / (prev_name + SIDECAR_SUFFIX)
        prev_meta = read_sidecar(prev_side, prev_side)
    parse = parser_for(source, name)
    if parse is None and prev_meta is None:
        raise DataError(file, None, None, "known-file",
                        f"no reader knows {source}/{name} and no earlier vintage holds it: add a "
                        "reader in analysis.data.readers and register it first")
    described: dict[str, str] = {}
    if parse is not None:  # raises DataError naming file, line, column and rule
        import inspect

        from analysis.data.readers.registry import describer_for

        takes_sidecar = "sidecar" in inspect.signature(parse).parameters
        frame = parse(file, sidecar=prev_side) if takes_sidecar and prev_side else parse(file)
        describe = describer_for(source, name)
        described = describe(file, frame) if describe else {}
    placed = not dest.exists()
    created = [d for d in (side_dir, store_dir) if not d.exists()]
    try:
        side_dir.mkdir(parents=True, exist_ok=True)
        if placed:
            try:
                store_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, dest)
            except OSError as exc:
                raise DataError(dest, None, None, "store-writable",
                                f"the data store is not writable ({exc.strerror}): copy the file "
                                f"there yourself (sha256 {sha}) and run add-vintage again") from None
        meta, review = sidecar_from_previous(
            prev_meta, source=source, vintage=vintage, sha256=sha,
            size=file.stat().st_size, obtained=obtained or dt.date.today().isoformat(),
            edition=edition, described=described)
        side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100),
                        encoding="utf-8")
    except Exception:
        if placed:
            dest.unlink(missing_ok=True)
        side.unlink(missing_ok=True)
        for d in created:
            shutil.rmtree(d, ignore_errors=True)
        raise
    changed: list[str] = []
    if prev:
        params = root / PARAMS_FILE
        text, changed = declaration.point_at(params.read_text(encoding="utf-8"), source, name,
                                             prev, vintage)
        params.write_text(text, encoding="utf-8")
    return AddedVintage(dest, side, prev, changed, placed, review)
