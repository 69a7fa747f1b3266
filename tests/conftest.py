"""Fixtures for every test (helpers live in `tests.support`)."""

from __future__ import annotations

import pytest

from rules.models import Tier
from rules.settings import FileSettings
from tests.support.engine import settings_for


@pytest.fixture
def production() -> FileSettings:
    return settings_for(Tier.PRODUCTION)
