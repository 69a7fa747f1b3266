"""Where things are in the repository, for every test wherever it sits."""

from __future__ import annotations

import sysconfig
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
TESTS = REPOSITORY / "tests"
FIXTURE_PROJECTS = TESTS / "fixtures" / "projects"
PYDANTIC_SAMPLES = TESTS / "samples" / "pydantic"
PYDANTIC_REFUSED = TESTS / "samples" / "pydantic_refused"
TEST_PLUGINS = TESTS / "integration" / "plugins"
EXAMPLE = REPOSITORY / "examples" / "demo"
EXAMPLE_EXPECTED = EXAMPLE / "expected-findings.json"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# The `standards.toml` of a production-tier project.
PRODUCTION_STANDARDS = '[standards]\nruleset = "python-production"\n'
