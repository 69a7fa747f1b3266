"""Fixtures for driving the real server process over stdio with pytest-lsp (the helpers are
in `tests.support.lsp`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pytest_lsp

from tests.support.lsp import SERVER, RecordingClient
from tests.support.paths import PRODUCTION_STANDARDS


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient) -> Any:
    """A started client; each test initializes it with the capabilities it needs."""
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A production-tier project folder."""
    (tmp_path / "standards.toml").write_text(PRODUCTION_STANDARDS)
    return tmp_path
