"""The build: validate data, execute each chapter with papermill (cached), render with Jupyter Book,
and publish the HTML only when every step passed.

Flow of ``build()``::

    validate every data file           -> DataError names file, line, column, rule
    for each chapter in _toc.yml       -> cache hit: reuse; miss: papermill (parallel, one kernel
                                          per worker, reset before each chapter) into
                                          _build/cache/chapters/<name>/<key>/
    assemble _build/work/src            -> config, pages, executed notebooks, _static (+ Vega bundle)
    jupyter-book build -W -n --keep-going (execution off) into _build/work/out
    swap _build/work/out/_build/html -> _build/html (the last good book stays if anything failed)

A chapter's cache key is its notebook source + its parameters + the checksum of every input file it
read on its last run + the analysis package's source, so editing a data file re-executes exactly the
chapters that read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from analysis.build import declaration, fingerprint
from analysis.data.errors import BuildError
from analysis.data.sources import (
    HELD_INPUT,
    ROWS_MARK,
    declared_digest,
    input_digest,
    project_root,
    sha256_of,
)
from analysis.data.store import chapter_code_hash, package_hash, worker_context

PARAMS_FILE = declaration.PARAMS_FILE
DEFAULT_TIMEOUT = 600
FALLBACK_EPOCH = "1764028800"  # 2025-11-25, used outside a git checkout
STATIC_DIR = "book_static"  # not "_static": Jupyter Book would add its JS and CSS twice
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")


@dataclass(frozen=True)
class Chapter:
    name: str  # e.g. "exports"
    path: Path  # the clean source notebook
    params: dict[str, Any] = field(hash=False, compare=False)


@dataclass
class ChapterResult:
    name: str
    executed: bool
    seconds: float
    key: str


@dataclass
class BuildReport:
    chapters: list[ChapterResult]
    rendered: bool
    seconds: float
    html_dir: Path
    #: what Sphinx read and wrote (None when nothing was rendered)
    render: RenderReport | None = None

    @property
    def executed(self) -> list[str]:
        return [c.name for c in self.chapters if c.executed]


# --------------------------------------------------------------------------- layout


def source_date_epoch(root: Path) -> str:
    """The commit's time: "last updated" means the commit's date and two builds of one commit
    are byte-identical (reproducible-builds.org's SOURCE_DATE_EPOCH)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return out or FALLBACK_EPOCH
    except (OSError, subprocess.CalledProcessError):
        return FALLBACK_EPOCH


def build_dir(root: Path) -> Path:
    return Path(os.environ.get("REPORT_BUILD_DIR", root / "_build"))


# The Ally profiles: one notebook executed once per Ally of the NATO members table, each run a
# page of its own, listed by the build under the index of Allies (never by hand in _toc.yml).
PROFILE_NOTEBOOK = "chapters/profile"
PROFILE = "profile"
ALLIES_INDEX = "chapters/allies"
MEMBERS_FILE = "data/curated/nato_members.csv"


def allies(root: Path) -> list[tuple[str, str]]:
    """(ISO3, name) of every Ally in the NATO members table, by name."""
    import csv

    with (root / MEMBERS_FILE).open(encoding="utf-8", newline="") as fh:
        rows = [(r["iso3"], r["country"]) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: r[1])


def profile_name(iso3: str) -> str:
    """The chapter (and page) name of an Ally's profile: ``ally-pol``."""
    return f"ally-{iso3.lower()}"


def book_toc(root: Path) -> dict[str, Any]:
    """_toc.yml with one section per Ally under the index of Allies."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    if (root / f"{PROFILE_NOTEBOOK}.ipynb").exists():
        entries = [*toc.get("chapters", []),
                   *(e for part in toc.get("parts", []) for e in part.get("chapters", []))]
        for entry in entries:
            if entry.get("file") == ALLIES_INDEX:
                entry["sections"] = [{"file": f"chapters/{profile_name(i)}"}
                                     for i, _ in allies(root)]
    return toc


def toc_files(root: Path) -> list[str]:
    """Every document of the book in reading order (root first), as sphinx-external-toc reads
    _toc.yml once the build has added the profiles."""
    from sphinx_external_toc.api import FileItem
    from sphinx_external_toc.parsing import parse_toc_data

    site = parse_toc_data(book_toc(root))
    out: list[str] = []

    def walk(doc: str) -> None:
        out.append(doc)
        for tree in site[doc].subtrees:
            for item in tree.items:
                if isinstance(item, FileItem):
                    walk(str(item))

    walk(site.root.docname)
    return out


def notebooks(root: Path) -> dict[str, Path]:
    """The chapter notebooks of _toc.yml by name, in reading order, and the profile notebook."""
    out = {Path(doc).name: root / f"{doc}.ipynb" for doc in toc_files(root)
           if (root / f"{doc}.ipynb").exists()}
    if (root / f"{PROFILE_NOTEBOOK}.ipynb").exists():
        out[PROFILE] = root / f"{PROFILE_NOTEBOOK}.ipynb"
    return out


def load_params(root: Path) -> dict[str, dict[str, Any]]:
    """Each chapter's papermill parameters, derived from the declaration and checked."""
    return declaration.check(root, declaration.load(root), notebooks(root))


def chapters(root: Path, only: Iterable[str] | None = None) -> list[Chapter]:
    """The notebooks in _toc.yml, with their parameters derived from params.yml."""
    params = load_params(root)
    out = []
    for name, path in notebooks(root).items():
        if name == PROFILE:  # once per Ally, its code the only parameter added
            out += [Chapter(profile_name(iso3), path, {**params[name], "iso3": iso3})
                    for iso3, _ in allies(root)]
        else:
            out.append(Chapter(name, path, params[name]))
    known = {c.name for c in out}
    if only:
        wanted = set(only)
        unknown = wanted - known
        if unknown:
            raise BuildError(f"unknown chapter(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        out = [c for c in out if c.name in wanted]
    return out


# --------------------------------------------------------------------------- cache


def _digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def chapter_key(chapter: Chapter, inputs: list[tuple[str, str]]) -> str:
    return _digest(
        chapter.path.read_bytes(),
        json.dumps(chapter.params, sort_keys=True, default=str),
        chapter_code_hash(chapter.path.stem),  # the module it runs: "profile" for an Ally
        json.dumps(sorted(inputs)),
    )


def _current_inputs(root: Path, recorded: list[list[str]]) -> list[tuple[str, str]] | None:
    """The recorded inputs with their checksums now (of a whole file, or of the rows of one that
    a chapter read); None if one has gone."""
    out = []
    for rel, _old in recorded:
        if rel == HELD_INPUT:  # the chapter asked which vintages are held
            out.append((rel, declared_digest(root / "data")))
            continue
        digest = input_digest(root, rel)
        if digest is None:
            return None
        out.append((rel, digest))
    return out


def cached_key(root: Path, chapter: Chapter, cache: Path) -> str | None:
    """The key under which a valid execution of this chapter is stored, if any."""
    last = cache / chapter.name / "last.json"
    if not last.exists():
        return None
    recorded = json.loads(last.read_text())["inputs"]
    inputs = _current_inputs(root, recorded)
    if inputs is None:
        return None
    key = chapter_key(chapter, inputs)
    return key if (cache / chapter.name / key / "ok").exists() else None


# --------------------------------------------------------------------------- execution


def _tag_hidden_cells(path: Path) -> None:
    """papermill's injected cell carries no tags (papermill#892): hide it and the defaults."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if ("injected-parameters" in tags or "parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)


def _title_profile(path: Path, root: Path, iso3: str) -> None:
    """The profile page's label and heading name its Ally (the notebook's are generic; a heading
    from code would break the table of contents)."""
    country = dict(allies(root))[iso3]
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    lines = first.source.split("\n")
    if not (lines[0].startswith("(") and lines[1].startswith("# ")):
        raise BuildError(f"{path.name}: the profile notebook must open with a label and a heading")
    lines[0] = f"(chapter-{profile_name(iso3)})="
    lines[1] = f"# {country}"
    first.source = "\n".join(lines)
    nbformat.write(nb, path)


def caller_env() -> dict[str, str]:
    """The build's own settings (the data store, the caches, the epoch), passed to each worker:
    a worker comes from a forkserver started by an earlier build, whose environment may be
    another build's (a test's scratch data store)."""
    return {k: v for k, v in os.environ.items()
            if k.startswith("REPORT_") or k == "SOURCE_DATE_EPOCH"}


#: a worker's kernel, started for its first chapter and reused for the next ones (the imports
#: of pandas, Altair and the analysis package paid once per worker, not once per notebook)
_WORKER_KERNEL: Any = None


def _shutdown_worker_kernel() -> None:
    global _WORKER_KERNEL
    km, _WORKER_KERNEL = _WORKER_KERNEL, None
    if km is not None:
        import contextlib

        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):  # a kernel that died already needs no stopping
            run_sync(km.shutdown_kernel)(now=True)


def _worker_kernel(cwd: str) -> Any:
    """The worker's kernel manager, its kernel started once (stopped when the worker exits)."""
    global _WORKER_KERNEL
    from jupyter_core.utils import run_sync

    if _WORKER_KERNEL is not None and run_sync(_WORKER_KERNEL.is_alive)():
        return _WORKER_KERNEL
    _shutdown_worker_kernel()
    import multiprocessing.util

    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=cwd)
    _WORKER_KERNEL = km
    multiprocessing.util.Finalize(None, _shutdown_worker_kernel, exitpriority=10)
    return km


#: run in the reused kernel before each chapter, never stored: a new namespace, this chapter's
#: settings and folder, and cell numbers from 1 as in a new kernel
KERNEL_RESET = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os
_env = {env!r}
for _k in [k for k in _os.environ if k.startswith("REPORT_") and k not in _env]:
    del _os.environ[_k]
_os.environ.update(_env)
_os.chdir({cwd!r})
for _name in ("_os", "_env", "_k"):
    globals().pop(_name, None)
del _name
get_ipython().execution_count = 1
"""


def _register_engine() -> str:
    """A papermill engine that runs the notebook in the worker's kernel (``km``), reset first
    (:data:`KERNEL_RESET`, with ``reset`` its arguments), and stops its client afterwards."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class ReusedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,  # type: ignore[no-untyped-def]
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, **kwargs):
            km, reset = kwargs.pop("km"), kwargs.pop("reset")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, km=km, **merge_kwargs(
                kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file))

            async def reset_first(**_: Any) -> None:
                reply = await client.kc.execute_interactive(
                    KERNEL_RESET.format(**reset), store_history=False,
                    timeout=execution_timeout, output_hook=lambda _msg: None)
                if reply["content"]["status"] != "ok":
                    raise BuildError(f"the worker's kernel could not be reset: {reply['content']}")

            client.on_notebook_start = reset_first
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(REUSED_KERNEL_ENGINE, ReusedKernelEngine)
    return REUSED_KERNEL_ENGINE


REUSED_KERNEL_ENGINE = "report-reused-kernel"


def _renumber_cells(path: Path) -> None:
    """Cell numbers from 1 in execution order, as a new kernel gives them."""
    nb = nbformat.read(path, as_version=4)
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            n += 1
            cell.execution_count = n
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = n
    nbformat.write(nb, path)


def execute_chapter(root: str, name: str, nb_path: str, params: dict[str, Any], workdir: str,
                    timeout: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one chapter (called in a worker process) in the worker's kernel, reset first."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if env is not None:  # this build's settings, none left over from the forkserver's start
        for key in [k for k in os.environ if k.startswith("REPORT_") and k not in env]:
            del os.environ[key]
        os.environ.update(env)
    work = Path(workdir)
    assets = work / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "REPORT_ROOT": root,
        "REPORT_CHAPTER": name,
        "REPORT_ASSET_DIR": str(assets),
        "REPORT_INPUT_LOG": str(work / "inputs.txt"),
        "REPORT_DEFER_SVG": "1",
        "PYTHONHASHSEED": "0",
    })
    (work / "inputs.txt").write_text("", encoding="utf-8")
    out = work / f"{name}.ipynb"
    t0 = time.perf_counter()
    kernel_env = {k: v for k, v in os.environ.items()
                  if k.startswith("REPORT_") or k == "SOURCE_DATE_EPOCH"}
    try:
        km = _worker_kernel(str(work))
        pm.execute_notebook(nb_path, str(out), parameters=params, kernel_name="python3",
                            engine_name=_register_engine(), cwd=str(work),
                            execution_timeout=timeout, progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False, km=km,
                            reset={"env": kernel_env, "cwd": str(work)})
    except PapermillExecutionError as exc:
        return {"ok": False, "error": f"chapter {name!r} ({Path(nb_path).name}), cell "
                f"{exc.exec_count if exc.exec_count is not None else exc.cell_index}: "
                f"{exc.ename}: {exc.evalue}"}
    except Exception as exc:  # noqa: BLE001 - kernel died, timeout, bad notebook: all fail the build
        _shutdown_worker_kernel()  # the next chapter starts a new kernel
        return {"ok": False, "error": f"chapter {name!r} ({Path(nb_path).name}): "
                f"{type(exc).__name__}: {exc}"}
    _renumber_cells(out)
    _tag_hidden_cells(out)
    if "iso3" in params:
        _title_profile(out, Path(root), str(params["iso3"]))
    from analysis.publishing.figures import render_pending_svgs

    render_pending_svgs(assets)
    inputs = [ln.split("\t") for ln in (work / "inputs.txt").read_text().splitlines() if ln]
    return {"ok": True, "seconds": time.perf_counter() - t0, "inputs": inputs}


def _store(cache: Path, chapter: Chapter, work: Path, inputs: list[list[str]]) -> str:
    key = chapter_key(chapter, [(a, b) for a, b in inputs])
    dest = cache / chapter.name / key
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(work, dest)
    (dest / "ok").write_text("", encoding="utf-8")
    (cache / chapter.name / "last.json").write_text(
        json.dumps({"key": key, "inputs": inputs}, indent=1), encoding="utf-8")
    for old in (cache / chapter.name).iterdir():  # keep the cache small: current key only
        if old.is_dir() and old.name != key:
            shutil.rmtree(old, ignore_errors=True)
    return key


def run_chapters(root: Path, todo: list[Chapter], *, cache: Path, jobs: int, timeout: int,
                 force: bool = False, progress: bool = True) -> list[ChapterResult]:
    results: list[ChapterResult] = []
    pending: list[Chapter] = []
    for ch in todo:
        key = None if force else cached_key(root, ch, cache)
        if key:
            results.append(ChapterResult(ch.name, False, 0.0, key))
        else:
            pending.append(ch)
    if not pending:
        return results
    scratch = Path(tempfile.mkdtemp(prefix="exec-", dir=cache.parent))
    errors: list[str] = []
    bar = _progress(len(pending), progress)
    try:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))),
                                 mp_context=worker_context()) as pool:
            futures = {
                pool.submit(execute_chapter, str(root), ch.name, str(ch.path), ch.params,
                            str(scratch / ch.name), timeout, caller_env()): ch
                for ch in pending
            }
            for fut in as_completed(futures):
                ch = futures[fut]
                res = fut.result()
                bar(ch.name)
                if not res["ok"]:
                    errors.append(res["error"])
                    continue
                key = _store(cache, ch, scratch / ch.name, res["inputs"])
                results.append(ChapterResult(ch.name, True, res["seconds"], key))
    finally:
        bar(None)
        shutil.rmtree(scratch, ignore_errors=True)
    if errors:
        raise BuildError("chapter execution failed:\n" + "\n".join(errors))
    return results


def verdict_changes(cache: Path, results: list[ChapterResult], chapter: str = "claims") -> list[str]:
    """'claim <id>: <old> -> <new>' for each verdict of the claims chapter that differs from the
    one computed on the previous vintage of its data (the chapter's ``assets/verdicts.json``)."""
    found = [r for r in results if r.name == chapter]
    if not found:
        return []
    from analysis.chapters.claims import read_verdicts  # what the claims chapter wrote

    records = read_verdicts(cache / chapter / found[0].key / "assets")
    return [f"claim {r['claim_id']}: {r['previous_verdict']} -> {r['verdict']}" for r in records
            if r.get("previous_verdict") and r["previous_verdict"] != r["verdict"]]


def key_figure_changes(cache: Path, results: list[ChapterResult]) -> list[str]:
    """'<chapter>: <figure>: <before> (...) -> <now> (...)' for each key result a chapter
    recomputed on the previous vintage of its data and found moved (its ``key_figures.json``)."""
    from analysis.calc import key_figures

    records: list[dict[str, Any]] = []
    for r in sorted(results, key=lambda r: r.name):
        path = cache / r.name / r.key / "assets" / key_figures.KEY_FIGURES_FILE
        if path.exists():
            records += json.loads(path.read_text(encoding="utf-8"))
    return key_figures.moved_lines(records)


def _progress(total: int, enabled: bool) -> Callable[[str | None], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, desc="executing chapters", unit="chapter", disable=not enabled,
               file=sys.stderr, dynamic_ncols=True)

    def step(name: str | None) -> None:
        if name is None:
            bar.close()
        else:
            bar.set_postfix_str(name)
            bar.update(1)

    return step


# --------------------------------------------------------------------------- assembly & render


def vega_bundle(cache: Path) -> Path:
    """vega + vega-lite + vega-embed in one file, made once per library version."""
    import altair as alt
    import vl_convert as vlc

    from analysis.publishing.figures import vl_version

    target = cache / f"vega-bundle-v2-{vlc.__version__}-{alt.SCHEMA_VERSION}.js"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        bundle = vlc.javascript_bundle(vl_version=vl_version())
        # Wrapped in a function: the bundle's top-level names (``_``, ``n``...) would otherwise
        # collide with the theme's globals. It still sets window.vegaEmbed, vega and vegaLite.
        target.write_text(f"(function () {{\n{bundle}\n}})();\n", encoding="utf-8")
    return target


def assemble(root: Path, src: Path, results: list[ChapterResult], cache: Path,
             subset: list[str] | None = None) -> None:
    """The tree Jupyter Book renders: our pages, executed notebooks, static files and assets.

    With ``subset`` (chapter names), the book holds only those chapters, the first as its root:
    a quick build of one chapter while another is being written.
    """
    final, src = src, src.with_name(src.name + ".new")
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    for name in BOOK_FILES:
        if (root / name).exists():
            shutil.copy2(root / name, src / name)
    docs = toc_files(root)
    toc: dict[str, Any] = book_toc(root)
    if subset:  # the named chapters plus every Markdown page (intro and back matter)
        docs = [d for d in docs if Path(d).name in subset or (root / f"{d}.md").exists()]
        toc = {"format": "jb-book", "root": docs[0]}
        if docs[1:]:
            toc["chapters"] = [{"file": d} for d in docs[1:]]
    (src / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    shutil.copytree(root / STATIC_DIR, src / STATIC_DIR)
    shutil.copy2(vega_bundle(cache), src / STATIC_DIR / "vega-bundle.js")
    executed = {r.name: cache / r.name / r.key for r in results}
    write_manifest(src, results, cache, root)
    for doc in docs:
        target = src / f"{doc}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        name = Path(doc).name
        if name in executed:
            shutil.copy2(executed[name] / f"{name}.ipynb", target)
            assets = executed[name] / "assets"
            if assets.exists():
                shutil.copytree(assets, src / STATIC_DIR / "report", dirs_exist_ok=True)
        elif (root / f"{doc}.md").exists():
            shutil.copy2(root / f"{doc}.md", src / f"{doc}.md")
        else:
            raise BuildError(f"_toc.yml lists {doc!r} but neither {doc}.md nor an executed "
                             f"{doc}.ipynb exists")
    published = src / STATIC_DIR / "report"
    if published.exists():  # every CSV of the book, listed in one datapackage.json
        from analysis import __version__
        from analysis.publishing import datapackage

        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        created = (dt.datetime.fromtimestamp(int(epoch), dt.UTC).isoformat().replace("+00:00", "Z")
                   if epoch.isdigit() else "")
        datapackage.assemble_package(published, version=__version__, created=created)
    sync_tree(src, final)
    shutil.rmtree(src)


def sync_tree(new: Path, dest: Path) -> list[str]:
    """Make ``dest`` hold what ``new`` holds, writing only the files whose bytes differ (and
    removing those gone). An unchanged page keeps its modification time, so Sphinx, which
    compares those times, does not read it again. Returns the files written or removed."""
    changed = []
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(new): p for p in new.rglob("*") if p.is_file()}
    for rel in sorted(p.relative_to(dest) for p in dest.rglob("*") if p.is_file()):
        if rel not in wanted:
            (dest / rel).unlink()
            changed.append(rel.as_posix())
    for rel, path in sorted(wanted.items()):
        target = dest / rel
        if target.exists() and target.read_bytes() == path.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)  # a new modification time: Sphinx reads it again
        changed.append(rel.as_posix())
    for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return changed


MANIFEST = "_report/manifest.json"


def write_manifest(src: Path, results: list[ChapterResult], cache: Path,
                   root: Path | None = None) -> None:
    """What each chapter read, for the Sphinx extension's cite blocks and the data page. A
    chapter that read some rows of a file lists the file, with the checksum it has now (the
    chapter is current while its rows are unchanged)."""
    root = root or project_root()

    def listed(rel: str, sha: str) -> list[str]:
        if ROWS_MARK not in rel:
            return [rel, sha]
        file = rel.split(ROWS_MARK, 1)[0]
        return [file, sha256_of(root / file)]

    from analysis import __version__

    chapters_read = {}
    for r in sorted(results, key=lambda r: r.name):
        last = json.loads((cache / r.name / "last.json").read_text(encoding="utf-8"))
        data_files = [listed(i[0], i[1]) for i in last["inputs"]
                      if not i[0].split(ROWS_MARK, 1)[0].endswith(".meta.yml")
                      and i[0] != HELD_INPUT]
        chapters_read[r.name] = {"key": r.key, "inputs": sorted(data_files)}
    target = src / MANIFEST
    target.parent.mkdir(parents=True, exist_ok=True)
    # one file per chapter as well, without the cache keys: a page is read again by Sphinx when
    # what its own chapter read changes, not when another chapter's does
    from analysis.publishing.sphinx_ext import INPUTS_DIR

    per_chapter = src / INPUTS_DIR
    per_chapter.mkdir(parents=True, exist_ok=True)
    for name, entry in chapters_read.items():
        (per_chapter / f"{name}.json").write_text(
            json.dumps({"inputs": entry["inputs"]}, indent=1, sort_keys=True), encoding="utf-8")
    target.write_text(json.dumps({"version": __version__,
                                  "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
                                  "chapters": chapters_read}, indent=1, sort_keys=True),
                      encoding="utf-8")


@dataclass(frozen=True)
class RenderReport:
    """What Sphinx did: the pages it read (parsed) and the pages it wrote, by docname."""

    full: bool
    read: list[str]
    written: list[str]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PROGRESS = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*\d+%\] (\S+)")


def render(src: Path, out: Path, strict: bool = True, *, incremental: bool = False) -> RenderReport:
    """jupyter-book build, warnings as errors; raises with the warnings if it fails.

    ``incremental``: Sphinx's environment from the last render is kept, so Sphinx reads only the
    pages whose source changed and writes those and the pages that show something of theirs
    (the book's Sphinx extension tells it which). The static files are copied afresh. A render
    that fails leaves nothing to build on: the next one is full.
    ``strict=False`` (subset builds only: a preview of some chapters, whose cross-references to
    the others cannot resolve) prints the warnings instead.
    """
    html = out / "_build" / "html"
    if not incremental and out.exists():
        shutil.rmtree(out)
    if (html / "_static").exists():
        shutil.rmtree(html / "_static")  # no static file of an older build survives
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(src), "--path-output", str(out), "--builder", "html",
           *(["-W", "-n"] if strict else []), "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    log = _ANSI.sub("", proc.stdout + proc.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    (out.parent / "jupyter-book.log").write_text(log, encoding="utf-8")
    problems = [ln for ln in log.splitlines() if "WARNING" in ln or "ERROR" in ln]
    if not strict and problems:
        print(f"subset preview: {len(problems)} warning(s), e.g. unresolved references to "
              "chapters left out; see jupyter-book.log", file=sys.stderr)
    if proc.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)  # its warnings must be seen again next time
        raise BuildError("jupyter-book build failed (warnings are errors):\n"
                         + "\n".join(problems[-40:] or log.splitlines()[-40:]))
    steps: dict[str, list[str]] = {"reading sources": [], "writing output": []}
    for line in log.splitlines():
        m = _PROGRESS.match(line.strip())
        if m:
            steps[m.group(1)].append(m.group(2))
    return RenderReport(not incremental, steps["reading sources"], steps["writing output"])


def frame_key(root: Path, subset: str = "") -> str:
    """What every page shows or is made with: configuration, table of contents, bibliography,
    static files, the build date, the Sphinx extension's code and the locked libraries. When it
    changes, the render starts from nothing; otherwise it goes on from the last one."""
    from analysis.data.store import PACKAGE, code_hash

    parts: list[str | bytes] = [sys.version, os.environ.get("SOURCE_DATE_EPOCH", ""), subset,
                                code_hash("data", "publishing"),
                                (PACKAGE / "__init__.py").read_bytes()]
    for name in (*BOOK_FILES, "pyproject.toml", "requirements.lock"):
        p = root / name
        parts += [name, p.read_bytes() if p.exists() else b""]
    for f in sorted((root / STATIC_DIR).rglob("*")):
        if f.is_file():
            parts += [f.relative_to(root).as_posix(), f.read_bytes()]
    return _digest(*parts)


def publish(stage_html: Path, html_dir: Path) -> None:
    """Copy the new book in; the old one is removed only once the new one is in place. The
    rendered tree stays where it is, for the next render to go on from."""
    new = html_dir.with_name(html_dir.name + ".new")
    if new.exists():
        shutil.rmtree(new)
    # Sphinx's incremental-build stamp hashes a configuration that holds the checkout's path, so
    # two clones in different folders would differ by it; readers have no use for it.
    shutil.copytree(stage_html, new, ignore=shutil.ignore_patterns(".buildinfo"))
    old = html_dir.with_name(html_dir.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if html_dir.exists():
        html_dir.rename(old)
    new.rename(html_dir)
    if old.exists():
        shutil.rmtree(old)


def book_key(root: Path, results: list[ChapterResult]) -> str:
    parts: list[str | bytes] = [package_hash(), os.environ.get("SOURCE_DATE_EPOCH", "")]
    for name in BOOK_FILES:
        p = root / name
        parts.append(p.read_bytes() if p.exists() else b"")
    for doc in toc_files(root):
        p = root / f"{doc}.md"
        parts.append(p.read_bytes() if p.exists() else doc)
    for f in sorted((root / STATIC_DIR).rglob("*")):
        if f.is_file():
            parts += [f.relative_to(root).as_posix(), f.read_bytes()]
    for f in sorted((root / "data").rglob("*.meta.yml")):  # the data page and cite blocks
        parts += [f.relative_to(root).as_posix(), f.read_bytes()]
    parts += sorted(f"{r.name}:{r.key}" for r in results)
    return _digest(*parts)


# --------------------------------------------------------------------------- entry point


def validate_all(root: Path) -> int:
    """Check every data file's sidecar and checksum and parse every file a reader knows."""
    from analysis.data.readers import registry

    return registry.validate_all(root)


def build(root: Path | None = None, *, only: Iterable[str] | None = None, jobs: int | None = None,
          timeout: int = DEFAULT_TIMEOUT, force: bool = False, progress: bool = True,
          subset: bool = False, log: Callable[[str], None] = print) -> BuildReport:
    """Build the book. ``only`` executes just those chapters (the rest come from the cache);
    with ``subset`` the book holds just those chapters (for working on one chapter)."""
    root = (root or project_root()).resolve()
    os.environ["REPORT_ROOT"] = str(root)
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(root)
    t0 = time.perf_counter()
    started = fingerprint.tree_fingerprint(root, os.environ["SOURCE_DATE_EPOCH"])  # what is built
    bdir = build_dir(root)
    cache = bdir / "cache" / "chapters"
    cache.mkdir(parents=True, exist_ok=True)
    n_files = validate_all(root)
    log(f"data: {n_files} files valid ({time.perf_counter() - t0:.1f} s)")
    t_exec = time.perf_counter()
    todo = chapters(root, only)  # the declaration is checked here, before any kernel starts
    results = run_chapters(root, todo, cache=cache, jobs=jobs or os.cpu_count() or 1,
                           timeout=timeout, force=force, progress=progress)
    for r in sorted(results, key=lambda r: r.name):
        log(f"  {r.name}: {f'executed in {r.seconds:.1f} s' if r.executed else 'cached'}")
    for line in verdict_changes(cache, results) + key_figure_changes(cache, results):
        log(line)
    html_dir = bdir / "html"
    if only and not subset:
        all_results = results
        missing = [c.name for c in chapters(root) if c.name not in {r.name for r in results}]
        for name in missing:
            ch = next(c for c in chapters(root) if c.name == name)
            key = cached_key(root, ch, cache)
            if key is None:
                raise BuildError(f"chapter {name!r} has no cached execution; build it too")
            all_results.append(ChapterResult(name, False, 0.0, key))
        results = all_results
    fingerprint.forget(bdir)  # until this build is published
    key = book_key(root, results) + ("-subset-" + "-".join(sorted(only or [])) if subset else "")
    stamp = bdir / "html.key"
    if not force and html_dir.exists() and stamp.exists() and stamp.read_text() == key:
        log("book: unchanged, nothing to render")
        if not subset and not only:
            fingerprint.record(root, bdir, os.environ["SOURCE_DATE_EPOCH"], started)
        return BuildReport(results, False, time.perf_counter() - t0, html_dir)
    work = bdir / "work"
    log(f"chapters: {time.perf_counter() - t_exec:.1f} s")
    t_render = time.perf_counter()
    assemble(root, work / "src", results, cache, sorted(only or []) if subset else None)
    frame = frame_key(root, "-".join(sorted(only or [])) if subset else "")
    frame_stamp = work / "frame.key"
    incremental = (not force and frame_stamp.exists() and frame_stamp.read_text() == frame
                   and (work / "out" / "_build" / ".doctrees" / "environment.pickle").exists())
    frame_stamp.unlink(missing_ok=True)  # until this render succeeds
    rendered = render(work / "src", work / "out", strict=not subset, incremental=incremental)
    frame_stamp.write_text(frame, encoding="utf-8")
    log(f"render: {time.perf_counter() - t_render:.1f} s "
        + (f"({len(rendered.read)} pages read, {len(rendered.written)} written)"
           if incremental else "(every page)"))
    publish(work / "out" / "_build" / "html", html_dir)
    stamp.write_text(key, encoding="utf-8")
    if not subset and not only:
        fingerprint.record(root, bdir, os.environ["SOURCE_DATE_EPOCH"], started)
    log(f"book: {html_dir}")
    return BuildReport(results, True, time.perf_counter() - t0, html_dir, rendered)
