"""The `logLevel` editor setting and the folders' own settings (`server.configuration`)."""

from __future__ import annotations

import logging
from collections.abc import Generator
from pathlib import Path

import pytest

from rules.models import Tier
from server.configuration import Configuration, parse_editor_settings
from server.documents import Document


@pytest.fixture
def root_level() -> Generator[None]:
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.mark.usefixtures("root_level")
def test_log_level_sets_the_servers_logging() -> None:
    configuration = Configuration()
    debug = parse_editor_settings({"logLevel": "debug"})
    assert debug is not None
    configuration.set_editor_settings(debug)
    assert logging.getLogger().level == logging.DEBUG
    unknown = parse_editor_settings({"logLevel": "chatty", "tier": "internal"})
    assert unknown is not None
    assert unknown.tier is Tier.INTERNAL  # an unknown level does not void the other settings
    configuration.set_editor_settings(unknown)
    assert logging.getLogger().level == logging.DEBUG


def test_a_document_uses_its_innermost_folders_settings(tmp_path: Path) -> None:
    configuration = Configuration()
    window = parse_editor_settings({})
    loose = parse_editor_settings({"tier": "prototype"})
    assert window is not None
    assert loose is not None
    folder = f"{tmp_path}/loose"
    assert configuration.set_editor_settings(window, {folder: loose, f"{tmp_path}": window})
    assert configuration.folder_editors == {folder: loose}  # the same as the window: not kept
    inside = Document(f"file://{folder}/pkg/app.py", "x = 1\n", 1, "python")
    outside = Document(f"file://{tmp_path}/app.py", "x = 1\n", 1, "python")
    assert configuration.settings_for(inside).tier is Tier.PROTOTYPE
    assert configuration.settings_for(outside).tier is not Tier.PROTOTYPE
