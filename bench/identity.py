"""Whether two versions of the engine find exactly the same things: a guard for hot-path work.

    uv run python -m bench.identity [--baseline REV] [--limit N]

The engine of `--baseline` (a git revision of this repository, exported to a scratch directory)
and the working tree's each check the same files in a process of their own, and every finding
is compared as its JSON (code, range, message, severity, fix title and edits, data): the
standard library under the `python-production` tier, and the corpora in
`~/.cache/standards-lsp-corpora` under their own configuration. Each file is checked three
ways, because the incremental and syntax-error paths are where a faster engine could go wrong:
fresh; with a line deleted from its middle, incrementally from the fresh check's cache; and that
broken text fresh. Prints the files compared and the differences (the first few in full).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the dump, from the engine PYTHONPATH picks
    from rules.config import ConfigResolver
    from rules.engine import Analysis, Engine

CORPORA = Path.home() / ".cache" / "standards-lsp-corpora"
CORPUS_PARTS = ("apps", "suites")
TIER_CONFIG = '[standards]\nruleset = "python-production"\n'
SKIPPED_PARTS = frozenset({"site-packages", "__pycache__"})
SHOWN_DIFFERENCES = 5
PYTHON_FILES = "*.py"
BASELINE = "baseline"
DUMPS = {BASELINE: "baseline.jsonl", "current": "current.jsonl"}
MISSING = ("", "missing\n")
DUMP_FAILED = 2
REPOSITORY = Path(__file__).resolve().parent.parent


# How the engine marks a fix for its own later passes: what they decide shows in the fields
# compared (`fix.refused`), so a revision that adds such a mark changes no finding.
INTERNAL_FIELDS = {"fix": {"adds_module_names"}}


def _files() -> Iterator[tuple[Path, str | None]]:
    """Each file with the stdlib-relative name it is checked under (None: at its own path)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.rglob(PYTHON_FILES)):
        if not SKIPPED_PARTS.intersection(path.relative_to(stdlib).parts):
            yield path, str(path.relative_to(stdlib))
    for part in CORPUS_PARTS:
        for path in sorted((CORPORA / part).rglob(PYTHON_FILES)):
            yield path, None


def _broken(text: str) -> str:
    """The text with the line in its middle deleted (the half-edited buffer)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    del lines[len(lines) // 2]
    return "".join(lines)


def _dump(out: Path, tier_root: Path, limit: int | None) -> None:
    """Check every file three ways with the engine on `sys.path` (the standard library's
    files as if under `tier_root`); one JSON line per check."""
    import rules
    from rules.config import ConfigResolver
    from rules.engine import Engine

    print(f"engine from {Path(rules.__file__).parent}", file=sys.stderr)
    engine = Engine()
    resolver = ConfigResolver()
    with out.open("w") as sink:
        for index, (path, stdlib_name) in enumerate(_files()):
            if limit is not None and index >= limit:
                break
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            checked_as = str(tier_root / stdlib_name) if stdlib_name else str(path)
            for variant, analysis in _three_checks(engine, resolver, text, checked_as):
                record = {
                    "file": str(path),
                    "variant": variant,
                    "findings": [
                        finding.model_dump(mode="json", exclude=INTERNAL_FIELDS)
                        for finding in analysis.findings
                    ],
                    "failures": [failure.code for failure in analysis.failures],
                }
                sink.write(json.dumps(record, sort_keys=True) + "\n")


def _three_checks(
    engine: Engine, resolver: ConfigResolver, text: str, path: str
) -> list[tuple[str, Analysis]]:
    """The text checked fresh; broken, incrementally from that check; broken, fresh."""
    from rules.engine import SourceFile

    settings = resolver.settings_for(path)
    fresh = engine.check(SourceFile(text=text, settings=settings, path=path))
    broken = SourceFile(text=_broken(text), settings=settings, path=path)
    edited = engine.check(broken, cache=fresh.cache)
    return [("fresh", fresh), ("edited", edited), ("broken", engine.check(broken))]


def _export(revision: str, into: Path) -> Path:
    """The repository at `revision`, as plain files (its engine is imported from there)."""
    archive = into / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", "-o", str(archive), revision], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(into / BASELINE, filter="data")
    return into / BASELINE


def _run_dump(
    source_root: Path, out: Path, tier_root: Path, limit: int | None
) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(source_root)}
    command = [sys.executable, str(Path(__file__).resolve()), "--dump", str(out)]
    command += ["--tier-root", str(tier_root)]
    if limit is not None:
        command += ["--limit", str(limit)]
    # the script's own directory comes first on sys.path; PYTHONPATH picks the engine
    return subprocess.Popen(command, env=environment, cwd=source_root)


def _digests(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    found: dict[tuple[str, str], tuple[str, str]] = {}
    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            digest = hashlib.sha256(line.encode()).hexdigest()
            found[(record["file"], record["variant"])] = (digest, line)
    return found


def compare(revision: str, limit: int | None) -> int:
    """Run both engines and report the checks whose findings differ (0: identical)."""
    with tempfile.TemporaryDirectory(prefix="identity-") as scratch:
        root = Path(scratch)
        baseline_root = _export(revision, root)
        tier_root = root / "tier"
        tier_root.mkdir()
        (tier_root / "standards.toml").write_text(TIER_CONFIG)
        sources = {BASELINE: baseline_root, "current": REPOSITORY}
        runs = [
            _run_dump(sources[which], root / dump, tier_root, limit)
            for which, dump in DUMPS.items()
        ]
        if any(run.wait() != 0 for run in runs):
            print("a dump failed", file=sys.stderr)
            return DUMP_FAILED
        baseline, current = (_digests(root / dump) for dump in DUMPS.values())
    differing = sorted(
        key
        for key in baseline.keys() | current.keys()
        if baseline.get(key, MISSING)[0] != current.get(key, MISSING)[0]
    )
    files = len({file for file, _variant in baseline})
    print(f"{files} files, {len(baseline)} checks compared against {revision}: ", end="")
    print(f"{len(differing)} differences")
    for key in differing[:SHOWN_DIFFERENCES]:
        print(f"-- {key}")
        print(f"baseline: {baseline.get(key, MISSING)[1]}", end="")
        print(f"current:  {current.get(key, MISSING)[1]}", end="")
    return 1 if differing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.identity", description=__doc__)
    parser.add_argument("--baseline", default="main", help="the git revision to compare with")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--dump", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tier-root", type=Path, default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.dump is not None:
        _dump(arguments.dump, arguments.tier_root, arguments.limit)
        return 0
    return compare(arguments.baseline, arguments.limit)


if __name__ == "__main__":
    raise SystemExit(main())
