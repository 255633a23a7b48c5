"""`report bench`: the build's speed and page weight, measured side by side with Jupyter Book
executing the same notebooks itself.

Scenarios, each repeated and reported as median and spread, every run a fresh process on a
scratch copy of the project (the real tree is never touched):

a. our clean build (empty execution and data caches);
b. our no-op rebuild;
c. a rebuild after one data file changed (bytes changed, content not: CRLF <-> LF), so only the
   chapters that read it re-execute;
d. the reference: ``jupyter-book build`` with ``execute_notebooks: force`` on the same source
   notebooks, their parameters from params.yml written in as defaults (a copy of the profile
   notebook per Ally, its code written in);
e. and f. a and d on a copy without the profile notebook (the book without the Allies' pages;
   the index stays): the marginal cost of one more profile is (a - e) / the number of Allies,
   and Jupyter Book's (d - f) / the number of Allies.

Page weight: the bytes of each page's HTML and of the files it links (:func:`page_weights`),
and what a reader's browser downloads for each Ally's page beyond the files every page shares,
measured in Chromium (:func:`browser_weights`; ``report bench --downloads`` measures the book
already built). Sizes and timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import yaml

from analysis.build.pipeline import (
    MANIFEST,
    PROFILE,
    PROFILE_NOTEBOOK,
    STATIC_DIR,
    allies,
    book_toc,
    load_params,
    profile_name,
    toc_files,
)

COPIED = ("_config.yml", "_toc.yml", "references.bib", "chapters", "data", STATIC_DIR)


def copy_project(root: Path, dest: Path) -> Path:
    """A scratch copy of what a build reads, with a copy of the data store's declared files in
    ``../shared/data`` beside it (where a project finds its store by default), so that a test
    or a benchmark may change a publisher's file without touching the real store."""
    from analysis.data.sources import data_store, list_files

    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.exists():
            shutil.copy2(src, dest / name)
    _clone_history(root, dest)
    store = scratch_store(dest)
    real = data_store()
    for df in list_files(root / "data"):
        if df.in_store and (real / df.source / df.vintage / df.name).is_file():
            target = store / df.source / df.vintage / df.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(real / df.source / df.vintage / df.name, target)
    return dest


def _clone_history(root: Path, dest: Path) -> None:
    """Give the copy the repository's history, as a clone has it (the What-changed page
    compares each curated table with its previous version in it): a shared clone's ``.git``,
    no checkout (the copy's files are those copied). Nothing when ``root`` has no history."""
    tmp = dest / ".history-clone"
    try:
        proc = subprocess.run(["git", "clone", "--quiet", "--no-checkout", "--shared", str(root),
                               str(tmp)], capture_output=True, text=True, check=False)
    except OSError:  # no git: a copy without history, as a downloaded archive is
        return
    if proc.returncode == 0:
        shutil.move(str(tmp / ".git"), str(dest / ".git"))
    shutil.rmtree(tmp, ignore_errors=True)


def scratch_store(project: Path) -> Path:
    """The data store of a scratch copy: where it would look by default, beside it."""
    from analysis.data.sources import default_store

    return default_store(project)


def store_path(project: Path, relpath: str) -> Path:
    """Where a copy's ``data/raw/<source>/<vintage>/<file>`` bytes are; other paths as they are."""
    if relpath.startswith("data/raw/") and not relpath.endswith(".meta.yml"):
        return scratch_store(project) / relpath.removeprefix("data/raw/")
    return project / relpath


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def summary(samples: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(samples), 2),
            "min_s": round(min(samples), 2), "max_s": round(max(samples), 2),
            "runs_s": [round(s, 2) for s in samples]}


def flip_line_ends(path: Path, side: Path) -> None:
    """Change a file's bytes but not its data, and keep its sidecar's checksum in step."""
    raw = path.read_bytes()
    raw = raw.replace(b"\r\n", b"\n") if b"\r\n" in raw else raw.replace(b"\n", b"\r\n")
    path.write_bytes(raw)
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(raw).hexdigest()
    side.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")


def least_read_input(manifest: dict[str, Any]) -> tuple[str, list[str]]:
    """The CSV input read by the fewest chapters (ties: curated first, then by name)."""
    readers: dict[str, list[str]] = {}
    for chapter, info in manifest["chapters"].items():
        for rel, _sha in info["inputs"]:
            readers.setdefault(rel, []).append(chapter)
    csvs = [r for r in readers if r.endswith(".csv")]
    rel = min(csvs, key=lambda r: (len(readers[r]), not r.startswith("data/curated"), r))
    return rel, sorted(readers[rel])


def reference_source(project: Path, dest: Path) -> Path:
    """The same book for Jupyter Book to execute itself: parameters written in as defaults."""
    copy_project(project, dest)
    params = load_params(project)
    per_ally = {profile_name(iso3): iso3 for iso3, _ in allies(project)}
    if (project / f"{PROFILE_NOTEBOOK}.ipynb").exists():  # a copy of the profile per Ally
        (dest / "_toc.yml").write_text(yaml.safe_dump(book_toc(project), sort_keys=False),
                                       encoding="utf-8")
        for name in per_ally:
            shutil.copy2(project / f"{PROFILE_NOTEBOOK}.ipynb", dest / f"chapters/{name}.ipynb")
    for doc in toc_files(project):
        nb_path = dest / f"{doc}.ipynb"
        if not nb_path.exists():
            continue
        nb = nbformat.read(nb_path, as_version=4)
        name = Path(doc).name
        values = ({**params[PROFILE], "iso3": per_ally[name]} if name in per_ally
                  else params.get(name, {}))
        for cell in nb.cells:
            if "parameters" in cell.get("metadata", {}).get("tags", []) and values:
                cell.source += "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items())
        nbformat.write(nb, nb_path)
    cfg = yaml.safe_load((dest / "_config.yml").read_text(encoding="utf-8"))
    cfg["execute"] = {"execute_notebooks": "force", "timeout": 600}
    (dest / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True),
                                      encoding="utf-8")
    return dest


def page_weights(html: Path) -> dict[str, Any]:
    """Bytes of each chapter page (with the CSV/SVG files it links), the shared bundle, all CSVs."""
    import re

    pages = {}
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        own = set(re.findall(r"_static/report/([^'\"?#]+)", text))
        assets = sum((html / "_static/report" / a).stat().st_size for a in own
                     if (html / "_static/report" / a).exists())
        pages[page.stem] = {"html_kb": round(page.stat().st_size / 1024, 1),
                            "linked_csv_svg_kb": round(assets / 1024, 1)}
    bundle = html / "_static/vega-bundle.js"
    csvs = list((html / "_static/report").glob("*.csv"))
    return {"pages": pages,
            "shared_bundle_kb": round(bundle.stat().st_size / 1024, 1) if bundle.exists() else None,
            "all_csv_kb": round(sum(c.stat().st_size for c in csvs) / 1024, 1),
            "n_csv": len(csvs)}


#: Debian's chromium, driven by playwright (never a downloaded browser), as in the browser tests
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
#: the most a profile page may make a reader download beyond what every page shares (issue 17)
PROFILE_TARGET_KB = 150
#: the pages whose downloads define what is shared: every Ally's page and their index
PROFILE_GLOB = "ally-*.html"
ALLIES_INDEX = "allies.html"


def _serve(html: Path) -> tuple[Any, str]:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(Quiet, directory=str(html)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


#: scroll a page from top to bottom as a reader does (lazy images near the viewport load then)
_READ_THROUGH = """async () => {
  for (let y = 0; y <= document.documentElement.scrollHeight; y += 500) {
    window.scrollTo(0, y);
    await new Promise(r => setTimeout(r, 40));
  }
}"""


def _downloads(browser: Any, base: str, rel: str) -> dict[str, int]:
    """address (path and query) -> bytes of every response a reader's browser receives for the
    page: loaded in a fresh context (empty cache) at 1280 px, its charts drawn, then scrolled
    from top to bottom and left until the network is idle."""
    from urllib.parse import urlsplit

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(f"{base}/{rel}", wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.report-chart')].every(c =>"
        " c.classList.contains('report-drawn') || c.classList.contains('report-failed'))",
        timeout=60000)
    page.evaluate(_READ_THROUGH)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    out: dict[str, int] = {}
    for request in finished:
        if not request.url.startswith(base):
            continue
        u = urlsplit(request.url)
        out[u.path + (f"?{u.query}" if u.query else "")] = request.sizes()["responseBodySize"]
    context.close()
    return out


def browser_weights(html: Path, log: Callable[[str], None] = print,
                    only: list[str] | None = None) -> dict[str, Any]:
    """What a reader's browser downloads for each Ally's page beyond the files every page
    shares (the theme's CSS, JS and fonts, the Vega bundle, report.js and report.css, the
    search index): each page loaded in Chromium from a local server, its charts drawn, read
    from top to bottom. A file is shared when every Ally's page and their index load it; the
    rest (the page's HTML, any chart image or CSV it fetches) is the page's own. Without a
    browser the measure is skipped, and says so. ``only``: these pages (``ally-tur``), not all."""
    pages = sorted(f"chapters/{p.name}" for p in (html / "chapters").glob(PROFILE_GLOB)
                   if only is None or p.stem in only)
    if not pages:
        return {"skipped": f"no Ally's page in {html}"}
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} is not installed (apt-get install chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed (pip install -r requirements.lock)"}
    measured = [*pages, f"chapters/{ALLIES_INDEX}"] if (html / "chapters" / ALLIES_INDEX).exists() \
        else pages
    srv, base = _serve(html)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            version = browser.version
            loads = {}
            for rel in measured:
                loads[rel] = _downloads(browser, base, rel)
            browser.close()
    finally:
        srv.shutdown()
    shared = set.intersection(*(set(d) for d in loads.values()))
    shared_bytes = max((sum(d[u] for u in shared) for d in loads.values()), default=0)
    own: dict[str, Any] = {}
    for rel in pages:
        d = loads[rel]
        mine = {u: n for u, n in d.items() if u not in shared}
        images = {u: n for u, n in mine.items() if u.split("?")[0].endswith((".svg", ".png"))}
        own[Path(rel).stem] = {
            "own_kb": round(sum(mine.values()) / 1024, 1),
            "html_kb": round(sum(n for u, n in mine.items()
                                 if u.split("?")[0].endswith(".html")) / 1024, 1),
            "images": len(images), "images_kb": round(sum(images.values()) / 1024, 1),
            "other_files": sorted(u for u in mine if u not in images
                                  and not u.split("?")[0].endswith(".html"))}
    heaviest = max(own.items(), key=lambda kv: kv[1]["own_kb"])
    result = {"browser": f"chromium {version}", "pages": own,
              "shared_files": len(shared), "shared_kb": round(shared_bytes / 1024, 1),
              "shared": {u: loads[pages[0]][u] for u in sorted(shared)},
              "heaviest_page": heaviest[0], "heaviest_kb": heaviest[1]["own_kb"],
              "target_kb": PROFILE_TARGET_KB,
              "over_target": sorted(k for k, v in own.items() if v["own_kb"] > PROFILE_TARGET_KB)}
    log(f"downloaded beyond the {len(shared)} shared files ({result['shared_kb']} KB): "
        f"heaviest {heaviest[0]} {heaviest[1]['own_kb']} KB (target <= {PROFILE_TARGET_KB})")
    return result


def run(root: Path, repeats: int = 3, log: Callable[[str], None] = print) -> dict[str, Any]:
    py = sys.executable
    jb = str(Path(py).with_name("jupyter-book"))
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    try:
        project = copy_project(root, work / "project")
        base_env = {**os.environ, "REPORT_ROOT": str(project), "PYTHONHASHSEED": "0",
                    "REPORT_DATA_STORE": str(scratch_store(project))}
        build_cmd = [py, "-m", "analysis", "build", "--quiet"]
        clean, noop, touched = [], [], []
        changed_file, rerun = "", []
        for i in range(repeats):
            env = {**base_env, "REPORT_BUILD_DIR": str(work / f"build{i}"),
                   "REPORT_DATA_CACHE": str(work / f"data-cache{i}")}
            clean.append(_timed(build_cmd, env, project))
            log(f"a. clean build {i + 1}/{repeats}: {clean[-1]:.1f} s")
            noop.append(_timed(build_cmd, env, project))
            log(f"b. no-op rebuild {i + 1}/{repeats}: {noop[-1]:.1f} s")
            manifest = json.loads((work / f"build{i}" / "work/src" / MANIFEST).read_text())
            changed_file, rerun = least_read_input(manifest)
            flip_line_ends(store_path(project, changed_file), project / (changed_file + ".meta.yml"))
            touched.append(_timed(build_cmd, env, project))
            log(f"c. one data file changed ({changed_file}) {i + 1}/{repeats}: {touched[-1]:.1f} s")
        weights = page_weights(work / f"build{repeats - 1}" / "html")
        downloads = browser_weights(work / f"build{repeats - 1}" / "html", log)
        reference = _reference(project, work, "ref", base_env, jb, repeats, log, "d.")
        n_allies = len(allies(project))
        bare = copy_project(root, work / "project-without-profiles")
        (bare / f"{PROFILE_NOTEBOOK}.ipynb").unlink()
        bare_env = {**base_env, "REPORT_ROOT": str(bare),
                    "REPORT_DATA_STORE": str(scratch_store(bare))}
        without = []
        for i in range(repeats):
            env = {**bare_env, "REPORT_BUILD_DIR": str(work / f"bare-build{i}"),
                   "REPORT_DATA_CACHE": str(work / f"bare-data-cache{i}")}
            without.append(_timed(build_cmd, env, bare))
            log(f"e. clean build without the profiles {i + 1}/{repeats}: {without[-1]:.1f} s")
        reference_without = _reference(bare, work, "bare-ref", bare_env, jb, repeats, log, "f.")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a, b, c, d, e, f = (statistics.median(x) for x in (clean, noop, touched, reference, without,
                                                        reference_without))
    profiles = {k: v for k, v in weights["pages"].items() if k.startswith("ally-")}
    heaviest = max(profiles.items(), key=lambda kv: kv[1]["html_kb"],
                   default=("-", {"html_kb": 0.0, "linked_csv_svg_kb": 0.0}))
    with_files = max(profiles.items(), key=lambda kv: kv[1]["html_kb"] + kv[1]["linked_csv_svg_kb"],
                     default=("-", {"html_kb": 0.0, "linked_csv_svg_kb": 0.0}))
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _commit(root),
        "cores": os.cpu_count(),
        "repeats": repeats,
        "a_clean_build": summary(clean),
        "b_noop_rebuild": summary(noop),
        "c_one_file_changed": {**summary(touched), "file": changed_file, "chapters_reexecuted": rerun},
        "d_jupyter_book_force": summary(reference),
        "e_clean_without_profiles": summary(without),
        "f_jupyter_book_without_profiles": summary(reference_without),
        "profiles": {
            "n": n_allies,
            "marginal_s": round((a - e) / n_allies, 2),
            "jupyter_book_marginal_s": round((d - f) / n_allies, 2),
            "heaviest_page": heaviest[0],
            "heaviest_page_kb": heaviest[1]["html_kb"],
            "heaviest_with_files": with_files[0],
            "heaviest_with_files_kb": round(with_files[1]["html_kb"]
                                            + with_files[1]["linked_csv_svg_kb"], 1),
        },
        "ratios": {"a/d": round(a / d, 3), "b/a": round(b / a, 3), "c/a": round(c / a, 3),
                   "e/f": round(e / f, 3)},
        "targets": {"a/d": 0.5, "b_s": 1.0, "c/a": 0.5, "page_kb": 300, "profile_page_kb": 150},
        "weights": weights,
        "profile_downloads": downloads,
    }
    return result


def _reference(project: Path, work: Path, tag: str, base_env: dict[str, str], jb: str,
               repeats: int, log: Callable[[str], None], step: str) -> list[float]:
    """Jupyter Book executing the project's notebooks itself, ``repeats`` times."""
    out = []
    for i in range(repeats):
        src = reference_source(project, work / f"{tag}{i}")
        env = {**base_env, "REPORT_ASSET_DIR": str(work / f"{tag}-assets{i}"),
               "REPORT_DATA_CACHE": str(work / f"{tag}-data-cache{i}")}
        out.append(_timed([jb, "build", str(src), "--path-output", str(work / f"{tag}-out{i}"),
                           "--builder", "html"], env, project))
        log(f"{step} Jupyter Book executing itself ({tag}) {i + 1}/{repeats}: {out[-1]:.1f} s")
    return out


def _commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write(result: dict[str, Any], json_path: Path, table: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    r = result["ratios"]
    heaviest = max(result["weights"]["pages"].items(), key=lambda kv: kv[1]["html_kb"],
                   default=("-", {"html_kb": 0}))
    row = (f"| {result['date'][:10]} | {result['commit']} | {result['a_clean_build']['median_s']} "
           f"| {result['b_noop_rebuild']['median_s']} | {result['c_one_file_changed']['median_s']} "
           f"| {result['d_jupyter_book_force']['median_s']} | {r['a/d']} | {r['b/a']} | {r['c/a']} "
           f"| {heaviest[0]} {heaviest[1]['html_kb']} | {result['weights']['shared_bundle_kb']} "
           f"| {result['weights']['all_csv_kb']} | {_profiles_cell(result)} |\n")
    if not table.exists():
        table.parent.mkdir(parents=True, exist_ok=True)
        table.write_text(
            "# Build benchmarks\n\n"
            "Written by `make bench` (`report bench`): medians of repeated runs on a scratch copy, "
            "seconds. a = clean build, b = no-op rebuild, c = rebuild after one data file changed, "
            "d = Jupyter Book executing the notebooks itself (`execute_notebooks: force`). "
            "Targets: a/d <= 0.6, b/a <= 0.05, c/a <= 0.5, every chapter page <= 300 KB "
            "(without the shared bundle). Sizes in KB.\n\n"
            "| date | commit | a | b | c | d | a/d | b/a | c/a | heaviest page (KB) | bundle | all CSV "
            "| profiles: e, f, e/f, s per profile (ours, JB), heaviest (KB) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n", encoding="utf-8")
    with table.open("a", encoding="utf-8") as fh:
        fh.write(row)


def _profiles_cell(result: dict[str, Any]) -> str:
    """The profiles' figures for the table: the build without them, the marginal cost of one,
    the heaviest profile page with its CSV and SVG files."""
    p = result.get("profiles")
    if not p:
        return "-"
    d = result.get("profile_downloads") or {"skipped": "not measured"}
    downloads = (f"a browser's downloads not measured: {d['skipped']}" if "skipped" in d else
                 f"a browser downloads {d['heaviest_kb']} KB for {d['heaviest_page']} beyond the "
                 f"shared files (target {d['target_kb']})")
    return (f"{result['e_clean_without_profiles']['median_s']}, "
            f"{result['f_jupyter_book_without_profiles']['median_s']}, {result['ratios']['e/f']}, "
            f"{p['marginal_s']}, {p['jupyter_book_marginal_s']}, {p['heaviest_page']} "
            f"{p['heaviest_page_kb']} ({p['heaviest_with_files']} "
            f"{p['heaviest_with_files_kb']} with its CSV/SVG; {downloads})")
