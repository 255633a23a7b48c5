"""The one entry point: ``report build | validate | clean`` (and more as the report grows)."""

from __future__ import annotations

import argparse
import sys

from analysis.errors import BuildError, DataError


def _build(args: argparse.Namespace) -> int:
    from analysis import pipeline

    report = pipeline.build(only=args.chapters or None, jobs=args.jobs, timeout=args.timeout,
                            force=args.force, progress=not args.quiet,
                            subset=args.subset)
    print(f"done in {report.seconds:.1f} s; executed: {', '.join(report.executed) or 'none'}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from analysis.readers import registry

    n = registry.validate_all()
    print(f"{n} data files: sidecars, checksums and schemas valid")
    return 0


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
