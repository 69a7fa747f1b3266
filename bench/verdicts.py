"""Hand-judged verdicts against what `check` reports now on the corpus apps.

    python -m bench.verdicts            # the precision and name table, per rule
    python -m bench.verdicts --new N    # also list up to N reported findings no verdict covers

The verdicts are `tests/verdicts/*.toml` (`[[finding]]` with package, path, line, code, literal,
verdict, name, name_verdict, ...); the corpus is what `../shared/corpora/get` downloads. A
verdict matches a reported finding with the same package, path and code whose literal is the
judged one, on the judged line or within `NEAR_LINES` of it. Precision per rule is computed on
the judged findings still reported: judged true and reported / all judged and reported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from itertools import chain
from pathlib import Path

from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).resolve().parents[1]
VERDICTS = ROOT / "tests" / "verdicts"
GET = ROOT.parent / "shared" / "corpora" / "get"
NEAR_LINES = 2
JUDGED_CODES = ("STD201", "STD202", "STD203", "STD302")
PER_THOUSAND = 1000
TRUE = "true"
ACCEPTED = "accepted"


class Verdict(BaseModel):
    """One judged finding."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    package: str
    path: str
    line: int
    code: str
    literal: str = ""
    verdict: str
    name: str = ""
    name_verdict: str = ""


class Reported(BaseModel):
    """One finding `check` reports now, with the source text it points at."""

    model_config = ConfigDict(frozen=True)

    package: str
    path: str
    line: int
    code: str
    literal: str
    title: str


def corpus_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "standards-lsp-corpora"


def fetch_corpus() -> Path | None:
    """The corpus apps folder, downloaded if needed (None when it cannot be had)."""
    apps = corpus_root() / "apps"
    if GET.exists():
        subprocess.run([str(GET)], capture_output=True, check=False)
    return apps if apps.is_dir() and any(apps.iterdir()) else None


def load_verdicts(codes: tuple[str, ...] = JUDGED_CODES) -> list[Verdict]:
    found = []
    for path in sorted(VERDICTS.glob("std*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found.extend(
            Verdict.model_validate(item)
            for item in data.get("finding", [])
            if item["code"] in codes
        )
    return found


class _Point(BaseModel):
    line: int
    column: int


class _JsonFinding(BaseModel):
    """The fields of a JSON report's finding read here."""

    path: str
    code: str
    start: _Point
    end: _Point
    fix: dict[str, str] | None = None


DISAGREEMENTS = VERDICTS / "disagreements.toml"


def known_disagreements() -> set[tuple[str, str, int, str]]:
    """The verdicts the rules knowingly do not follow yet, each with its reason in the file."""
    if not DISAGREEMENTS.exists():
        return set()
    data = tomllib.loads(DISAGREEMENTS.read_text(encoding="utf-8"))
    return {
        (item["package"], item["path"], item["line"], item["code"])
        for item in data.get("disagreement", [])
    }


def _literal_at(lines: list[str], finding: _JsonFinding) -> str:
    start, end = finding.start, finding.end
    if start.line != end.line:
        return lines[start.line - 1][start.column - 1 :].strip()
    return lines[start.line - 1][start.column - 1 : end.column - 1]


def check_package(folder: Path) -> list[Reported]:
    """Every finding of the judged rules `check` reports on one corpus package."""
    command = [
        sys.executable,
        "-c",
        "import sys; from server.cli.main import main; sys.exit(main(sys.argv[1:]))",
        "check",
        "--no-cache",
        "--format",
        "json",
        str(folder),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    report = json.loads(result.stdout)
    texts: dict[str, list[str]] = {}
    found = []
    for item in report["findings"]:
        finding = _JsonFinding.model_validate(item)
        if finding.code not in JUDGED_CODES:
            continue
        relative = str(Path(finding.path).resolve().relative_to(folder.resolve()))
        if relative not in texts:
            texts[relative] = (folder / relative).read_text(encoding="utf-8").splitlines()
        fix = finding.fix or {}
        found.append(
            Reported(
                package=folder.name,
                path=relative,
                line=finding.start.line,
                code=finding.code,
                literal=_literal_at(texts[relative], finding),
                title=fix.get("title", ""),
            )
        )
    return found


def check_corpus(apps: Path) -> dict[str, list[Reported]]:
    return {
        folder.name: check_package(folder) for folder in sorted(apps.iterdir()) if folder.is_dir()
    }


def _same_literal(verdict: Verdict, reported: Reported) -> bool:
    if not verdict.literal:
        return True
    return verdict.literal.strip() == reported.literal.strip() or (
        verdict.literal.strip() in reported.literal
    )


def match(verdict: Verdict, reported: list[Reported]) -> Reported | None:
    """The reported finding a verdict is about, if `check` still reports it."""
    candidates = [
        found
        for found in reported
        if found.path == verdict.path
        and found.code == verdict.code
        and abs(found.line - verdict.line) <= NEAR_LINES
        and _same_literal(verdict, found)
    ]
    # an equal literal first: `5.0` is in `15.0` on the same line
    return min(
        candidates,
        key=lambda found: (
            found.literal.strip() != verdict.literal.strip(),
            abs(found.line - verdict.line),
        ),
        default=None,
    )


def lines_of(apps: Path) -> int:
    return sum(
        len(path.read_text(encoding="utf-8", errors="replace").splitlines())
        for path in apps.rglob("*.py")
    )


def table(apps: Path, new: int = 0) -> str:
    reported = check_corpus(apps)
    verdicts = load_verdicts()
    rows = [
        "| rule | judged | still reported | true | precision | names accepted | per 1,000 lines |"
    ]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    total_lines = lines_of(apps)
    counts = Counter(found.code for found in chain.from_iterable(reported.values()))
    by_code: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        by_code[verdict.code].append(verdict)
    covered: set[tuple[str, str, int, str]] = set()
    for code in JUDGED_CODES:
        judged = by_code.get(code, [])
        kept = []
        for verdict in judged:
            found = match(verdict, reported.get(verdict.package, []))
            if found is not None:
                kept.append(verdict)
                covered.add((found.package, found.path, found.line, found.code))
        true = [verdict for verdict in kept if verdict.verdict == TRUE]
        named = [verdict for verdict in true if verdict.name_verdict]
        accepted = [verdict for verdict in named if verdict.name_verdict == ACCEPTED]
        precision = f"{len(true) / len(kept):.0%}" if kept else "-"
        names = f"{len(accepted)}/{len(named)}" if named else "-"
        density = counts[code] * PER_THOUSAND / total_lines
        rows.append(
            f"| {code} | {len(judged)} | {len(kept)} | {len(true)} | {precision} | {names} "
            f"| {density:.2f} ({counts[code]}) |"
        )
    lines = ["\n".join(rows), f"\n{total_lines:,} lines of Python in {apps}"]
    if new:
        unjudged = [
            found
            for found in chain.from_iterable(reported.values())
            if (found.package, found.path, found.line, found.code) not in covered
        ]
        lines.append(f"\n{len(unjudged)} reported findings have no verdict; the first {new}:")
        lines.extend(
            f"{f.package} {f.path}:{f.line} {f.code} {f.literal!r} -> {f.title}"
            for f in unjudged[:new]
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new", type=int, default=0, help="list unjudged reported findings")
    arguments = parser.parse_args()
    apps = fetch_corpus()
    if apps is None:
        print("the corpus could not be had (run ../shared/corpora/get)", file=sys.stderr)
        return 1
    print(table(apps, arguments.new))
    return 0


if __name__ == "__main__":
    sys.exit(main())
