"""The one entry point: ``report build | validate | add-vintage | diff | bench``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.data.errors import BuildError, DataError


def _build(args: argparse.Namespace) -> int:
    import os
    import time

    from analysis.build import fingerprint
    from analysis.data.sources import project_root

    t0 = time.perf_counter()
    if not (args.force or args.chapters or args.subset):
        root = project_root()
        build = Path(os.environ.get("REPORT_BUILD_DIR", root / "_build"))
        epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git_epoch(root)
        if fingerprint.unchanged(root, build, epoch):
            print(f"nothing changed since the last build ({time.perf_counter() - t0:.2f} s): "
                  f"{build / 'html'}")
            return 0

    from analysis.build import pipeline

    report = pipeline.build(only=args.chapters or None, jobs=args.jobs, timeout=args.timeout,
                            force=args.force, progress=not args.quiet,
                            subset=args.subset)
    print(f"done in {report.seconds:.1f} s; executed: {', '.join(report.executed) or 'none'}")
    return 0


def _git_epoch(root: Path) -> str:
    """The same epoch as pipeline.source_date_epoch, without importing the pipeline."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    return out or "1764028800"


def _validate(args: argparse.Namespace) -> int:
    from analysis.data.readers import registry
    from analysis.data.sources import data_store, store_inventory

    print(f"data store: {data_store()}")
    for source, files in store_inventory().items():
        held = [f for f, ok in files if ok]
        missing = [f for f, ok in files if not ok]
        print(f"  {source}: holds {len(held)} of {len(files)} declared files"
              + (f"; missing: {', '.join(missing)}" if missing else ""))
    n = registry.validate_all()
    print(f"{n} data files: sidecars, checksums and schemas valid")
    return 0


def _add_vintage(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.build import vintages
    from analysis.data.sources import project_root

    root = project_root()
    added = vintages.add_vintage(root, args.source, args.vintage, Path(args.file), name=args.name,
                                 edition=args.edition)
    print(added.summary())
    print("next: make book (only the chapters that read this source re-execute)")
    return 0


def _diff_curated(args: argparse.Namespace) -> int:
    """Curated tables in two versions (folders or git revisions): rows added, removed, revised."""
    from analysis.calc import revisions
    from analysis.data import editions
    from analysis.data.readers import curated
    from analysis.data.sources import project_root

    root = project_root()
    names = args.table or sorted(curated.SCHEMAS)
    unknown = sorted(set(names) - set(curated.SCHEMAS))
    if unknown:
        print(f"curated: no such table: {', '.join(unknown)}", file=sys.stderr)
        return 1
    same = []
    for name in names:
        old = editions.curated_version(root, args.old, name)
        new = editions.curated_version(root, args.new, name)
        if old is None or new is None:
            if old is not None or new is not None:
                print(f"curated/{name}: only in {args.new if old is None else args.old}")
            continue
        d = revisions.diff_table(old, new, curated.key_columns(name))
        c = d.counts()
        if not any(c.values()) and not d.columns_added and not d.columns_removed:
            same.append(name)
            continue
        print(f"curated/{name}: {args.old} -> {args.new}: {c['added']} added, {c['removed']} "
              f"removed, {c['revised']} revised (rows matched on {', '.join(d.keys)})")
        for label, cols in (("columns added", d.columns_added),
                            ("columns removed", d.columns_removed)):
            if cols:
                print(f"  {label}: {', '.join(cols)}")
        rows = d.rows()
        if len(rows):
            import pandas as pd

            with pd.option_context("display.width", 200, "display.max_colwidth", 90):
                print(rows.head(args.top).to_string(index=False))
    print(f"{len(same)} table(s) unchanged" + (f": {', '.join(same)}" if same else ""))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from analysis.calc import revisions
    from analysis.data import editions
    from analysis.data.sources import project_root

    if args.source == "curated":
        return _diff_curated(args)
    root = project_root()
    reports = revisions.diff_pairs(editions.frames_in_both(root, args.source, args.old, args.new))
    if not reports:
        print(f"{args.source}: no file with a diff rule is held in both {args.old} and {args.new}")
        return 1
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 12,
                           "display.max_colwidth", 40):
        for name, diff in reports.items():
            c = diff.counts()
            print(f"{args.source}/{name}: {args.old} -> {args.new}: {c['added']} added, "
                  f"{c['removed']} removed, {c['revised']} revised")
            if hasattr(diff, "of_supplier"):  # the deal register: Türkiye's deals that moved
                mine = diff.of_supplier(args.supplier)
                t = mine.counts()
                print(f"  {args.supplier}'s deals: {t['added']} added, {t['removed']} removed, "
                      f"{t['revised']} revised (status, numbers, years or TIV moved)")
                for label, frame in (("added", mine.added), ("removed", mine.removed)):
                    if len(frame):
                        print(f"  {label}:\n" + frame[["recipient", "order_year", "designation",
                                                       "status", "delivery_years"]]
                              .head(args.top).to_string(index=False))
            if len(diff.revised):
                print(diff.revised.head(args.top).to_string(index=False))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from analysis.build import compare

    text, moved = compare.report(Path(args.old), Path(args.new))
    print(text)
    return 1 if moved else 0


def _bench(args: argparse.Namespace) -> int:
    from analysis.build import bench
    from analysis.build.pipeline import build_dir
    from analysis.data.sources import project_root

    root = project_root()
    if args.downloads:  # only the browser's measure, on the book already built
        out = build_dir(root) / "page-downloads.json"
        downloads = bench.browser_weights(build_dir(root) / "html")
        out.write_text(json.dumps(downloads, indent=1), encoding="utf-8")
        _print_downloads(downloads)
        print(f"written: {out}")
        return 0
    result = bench.run(root, repeats=args.repeats)
    bench.write(result, build_dir(root) / "bench.json", root / "docs" / "benchmarks.md")
    r = result["ratios"]
    print(f"a/d = {r['a/d']} (target <= 0.5), b = {result['b_noop_rebuild']['median_s']} s "
          f"(< 1 s), c/a = {r['c/a']} (<= 0.5)")
    p = result["profiles"]
    print(f"without the profiles: e = {result['e_clean_without_profiles']['median_s']} s, "
          f"f = {result['f_jupyter_book_without_profiles']['median_s']} s (e/f = {r['e/f']}); "
          f"one more profile: {p['marginal_s']} s (Jupyter Book: {p['jupyter_book_marginal_s']} s)"
          f"; heaviest profile page: {p['heaviest_page']} {p['heaviest_page_kb']} KB of HTML "
          f"(target <= 150), {p['heaviest_with_files']} {p['heaviest_with_files_kb']} KB with its "
          "CSV/SVG files")
    for page, w in result["weights"]["pages"].items():
        print(f"  {page}: {w['html_kb']} KB HTML + {w['linked_csv_svg_kb']} KB of its CSV/SVG")
    print(f"  shared Vega bundle: {result['weights']['shared_bundle_kb']} KB; all CSVs: "
          f"{result['weights']['all_csv_kb']} KB")
    _print_downloads(result["profile_downloads"])
    print(f"written: {build_dir(root) / 'bench.json'} and docs/benchmarks.md")
    return 0


def _print_downloads(d: dict[str, object]) -> None:
    """What a reader's browser downloads for each Ally's page beyond the shared files."""
    if "skipped" in d:
        print(f"what a browser downloads per Ally's page: not measured ({d['skipped']})")
        return
    pages = d["pages"]
    assert isinstance(pages, dict)
    print(f"what {d['browser']} downloads per Ally's page beyond the {d['shared_files']} files "
          f"every page shares ({d['shared_kb']} KB): heaviest {d['heaviest_page']} "
          f"{d['heaviest_kb']} KB (target <= {d['target_kb']} KB); over the target: "
          f"{', '.join(d['over_target']) or 'none'}")  # type: ignore[arg-type]
    for page, w in pages.items():
        print(f"  {page}: {w['own_kb']} KB ({w['html_kb']} KB HTML, {w['images']} chart images "
              f"{w['images_kb']} KB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="validate data, execute chapters (cached), render the book")
    b.add_argument("chapters", nargs="*", help="only these chapters (others from the cache)")
    b.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: cores)")
    b.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    b.add_argument("--force", action="store_true", help="ignore the execution cache")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--subset", action="store_true",
                   help="a book of only the named chapters (to work on one chapter quickly)")
    b.set_defaults(func=_build)
    v = sub.add_parser("validate", help="check every data file: sidecar, checksum, schema")
    v.set_defaults(func=_validate)
    a = sub.add_parser("add-vintage", help="store a new edition of a source beside the old one")
    a.add_argument("source", help="source folder under data/raw, e.g. sipri-arms-transfers")
    a.add_argument("vintage", help="the publisher's release date, YYYY-MM-DD")
    a.add_argument("file", help="the file as published")
    a.add_argument("--name", help="file name to store it under (default: the file's own name)")
    a.add_argument("--edition", help="the edition as the publisher names it")
    a.set_defaults(func=_add_vintage)
    d = sub.add_parser(
        "diff", help="rows added, removed and revised between two vintages",
        description="report diff <source> <old vintage> <new vintage>; or report diff curated "
                    "<old> <new>, each a folder of curated tables or a git revision: "
                    "'report diff curated HEAD data/curated' (your edits), 'report diff curated "
                    "data/curated ../shared/data/curated' (what re-copying would change)")
    d.add_argument("source", help="a source under data/raw, or 'curated'")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--table", action="append",
                   help="for curated: only this table (repeatable; default: every one)")
    d.add_argument("--top", type=int, default=10, help="largest revisions to print")
    d.add_argument("--supplier", default="Turkiye",
                   help="for the deal register: the supplier whose deals are listed")
    d.set_defaults(func=_diff)
    be = sub.add_parser("bench", help="time clean, no-op and one-file rebuilds against Jupyter Book")
    be.add_argument("--repeats", type=int, default=3)
    be.add_argument("--downloads", action="store_true",
                    help="only measure, in a browser, what each Ally's page of the built book "
                         "downloads beyond the shared files (no build is timed)")
    be.set_defaults(func=_bench)
    c = sub.add_parser("compare", help="every glued value of two builds: which moved, and how")
    c.add_argument("old", help="a build folder (or its executed notebooks) before a change")
    c.add_argument("new", help="the same after it")
    c.set_defaults(func=_compare)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        print(f"report: bad input ({len(exc.problems)} problem(s)):\n{exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"report: build failed; the last good book is untouched.\n{exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
