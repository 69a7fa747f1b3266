"""The hand-judged findings of STD304-STD306 and STD407 on the corpus (`tests/verdicts/`): every
finding the rules give on the corpus has a verdict, every verdict still has its finding, and the
precision is at least the issue's goal. Skipped when the corpus is not downloaded
(`../shared/corpora/get`)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.registry import Registry, default_registry
from tests.unit.project_support import checked_files

CODES = ("STD304", "STD305", "STD306", "STD407")
VERDICTS = Path(__file__).parent.parent / "verdicts"
CORPUS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "standards-lsp-corpora"
GOAL = 0.9

type Key = tuple[str, str, int, str]


def _verdicts() -> dict[Key, str]:
    judged: dict[Key, str] = {}
    for code in CODES:
        data = tomllib.loads((VERDICTS / f"{code.lower()}.toml").read_text(encoding="utf-8"))
        for item in data["finding"]:
            assert item["code"] == code
            assert item["verdict"] in {"true", "false"}
            key = (item["package"], item["path"], item["line"], item["code"])
            judged[key] = item["verdict"]
    return judged


def _findings() -> set[Key]:
    registry = Registry([rule for rule in default_registry().rules if rule.code in CODES])
    engine = Engine(registry)
    resolver = ConfigResolver()
    found: set[Key] = set()
    for kind in ("apps", "suites"):
        for package in sorted((CORPUS / kind).iterdir()):
            for path in checked_files(package):
                if path.suffix not in {".py", ".toml", ".yaml", ".yml"}:
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                settings = resolver.settings_for(str(path))
                analysis = engine.check(
                    SourceFile(
                        text=text, settings=settings, path=str(path), project_root=str(package)
                    )
                )
                relative = path.relative_to(package).as_posix()
                found.update(
                    (package.name, relative, finding.range.start.line + 1, finding.code)
                    for finding in analysis.findings
                    if finding.code in CODES
                )
    return found


def test_the_verdict_files_are_well_formed() -> None:
    judged = _verdicts()
    true = sum(verdict == "true" for verdict in judged.values())
    assert judged
    assert true / len(judged) >= GOAL


@pytest.mark.skipif(not (CORPUS / "apps").is_dir(), reason="the corpus is not downloaded")
def test_every_finding_on_the_corpus_is_judged_and_every_verdict_found() -> None:
    assert _findings() == set(_verdicts())
