"""Test-only rule plugins: modules imported before the rule registry is built, so a test can
add a rule (for instance one that raises). Never set in normal use."""

from __future__ import annotations

import importlib
import os

# Comma-separated modules to import before the registry is built.
TEST_PLUGINS_VARIABLE = "STANDARDS_LSP_TEST_PLUGINS"


def load_test_plugins() -> None:
    """Import the modules `STANDARDS_LSP_TEST_PLUGINS` names (none in normal use)."""
    for name in filter(None, os.environ.get(TEST_PLUGINS_VARIABLE, "").split(",")):
        importlib.import_module(name.strip())
