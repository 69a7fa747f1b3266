"""Shared test helpers: settings for a tier, and a sample of the interpreter's standard library."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from rules.config import ProjectConfig, resolve_settings
from rules.models import Tier
from rules.settings import FileSettings

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Every how-many-th stdlib file the corpus tests read: a deterministic, bounded sample.
CORPUS_STRIDE = 40


def settings_for(tier: Tier = Tier.PRODUCTION, path: str = "/project/module.py") -> FileSettings:
    """Settings of a project with no configuration but its tier."""
    return resolve_settings(ProjectConfig(root="/project", tier=tier), path)


def stdlib_sample(stride: int = CORPUS_STRIDE) -> list[Path]:
    """Every `stride`-th Python file of the running interpreter's standard library."""
    files = sorted(STDLIB.rglob("*.py"))
    return files[::stride]


@pytest.fixture
def production() -> FileSettings:
    return settings_for(Tier.PRODUCTION)
