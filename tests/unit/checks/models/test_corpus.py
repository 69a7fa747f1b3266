"""STD101/STD102 over a deterministic sample of the interpreter's standard library: every fix
applies, parses, clears its finding, and a second application changes nothing.

The sample is every file that returns a dict display with a string key or annotates something
as a dict (where these rules can fire), plus every 40th of the others; the full run is
`bench/corpus_pydantic.py`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from rules.engine import Engine
from tests.support.paths import REPOSITORY

CANDIDATE = re.compile(r"""return \{\s*["']|: (?:dict|Dict|Mapping|MutableMapping)\b""")
OTHERS_STRIDE = 40
MAX_FILES = 150


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_pydantic", REPOSITORY / "bench" / "corpus_pydantic.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _sample(files: list[Path]) -> list[Path]:
    texts = {path: path.read_text(encoding="utf-8", errors="replace") for path in files}
    candidates = [path for path in files if CANDIDATE.search(texts[path])]
    others = [path for path in files if path not in set(candidates)]
    return (candidates + others[::OTHERS_STRIDE])[:MAX_FILES]


@pytest.mark.corpus
def test_every_fix_on_a_stdlib_sample_applies_cleanly() -> None:
    bench = _bench()
    root = bench.stdlib_root()
    engine = Engine()
    reports = [bench.check_file(engine, path, root) for path in _sample(bench.python_files(root))]
    findings = [finding for report in reports for finding in report.findings]
    problems = [
        f"{finding.path}:{finding.line} {finding.code}: {finding.problem}"
        for finding in findings
        if finding.problem
    ]
    failures = [f"{report.path}: {report.error}" for report in reports if report.error]
    assert problems == []
    assert failures == []
    assert any(finding.fixed for finding in findings), "the sample exercised no fix"
