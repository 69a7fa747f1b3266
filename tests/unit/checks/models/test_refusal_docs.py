"""Every reason a conversion is refused with is on the STD101/STD102 rule pages: the refusals
of the executed refusal samples and of the dependency layouts each match a documented line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules.checks.models.dependencies import pydantic_dependency
from rules.checks.models.refusal_docs import REFUSALS
from tests.support.models import project_fixes
from tests.support.paths import PRODUCTION_STANDARDS, PYDANTIC_REFUSED
from tests.support.projects import write_files
from tests.unit.checks.models.test_dependencies import REFUSED

PATTERNS = [
    re.compile(".+".join(re.escape(part) for part in doc.reason.split("…"))) for doc in REFUSALS
]


def _documented(reason: str) -> bool:
    return any(pattern.fullmatch(reason) for pattern in PATTERNS)


def _sample_refusals(sample: Path, root: Path) -> list[str]:
    path = root / sample.name
    text = sample.read_text(encoding="utf-8")
    write_files(root, {sample.name: text, "standards.toml": PRODUCTION_STANDARDS})
    reasons = []
    for _finding, fix in project_fixes(root, path, text):
        if fix is not None and fix.refused:
            reasons.extend(fix.refused.split("; "))
    return reasons


@pytest.mark.parametrize("sample", sorted(PYDANTIC_REFUSED.glob("*.py")), ids=lambda p: p.stem)
def test_each_refusal_of_the_samples_is_documented(sample: Path, tmp_path: Path) -> None:
    for reason in _sample_refusals(sample, tmp_path):
        assert _documented(reason), reason


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_each_dependency_refusal_is_documented(case: str, tmp_path: Path) -> None:
    files, _reason = REFUSED[case]
    refusal = pydantic_dependency(write_files(tmp_path, files), {}).refusal
    assert refusal is not None
    assert _documented(refusal), refusal


def test_every_documented_reason_is_one_line() -> None:
    assert all("\n" not in doc.reason and "\n" not in doc.action for doc in REFUSALS)
