"""Fixtures for the tests that drive real editors (see editors_harness.py)."""

from pathlib import Path

import pytest

from tests.e2e.editors_harness import EditorPaths, load_editor_paths, server_executable


@pytest.fixture(scope="session")
def editors() -> EditorPaths:
    return load_editor_paths()


@pytest.fixture
def server() -> Path:
    return server_executable()
