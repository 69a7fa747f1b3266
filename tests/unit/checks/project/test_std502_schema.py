"""STD502 follows conform's schema as the organisation's rulesets use it now: the newer keys are
accepted, and a key nobody knows is a warning at that key's own position (a wrong value stays an
error)."""

from __future__ import annotations

from rules.checks.project.std502_invalid_standards_toml import InvalidStandardsToml
from rules.config import Overrides, ProjectConfig, resolve_settings
from rules.engine import Engine, SourceFile
from rules.models import Position, Range, Severity, Tier
from rules.registry import Registry

HEAD = (
    '[metadata]\ntier = "internal"\n\n[extends]\nregistry = "github:acme/standards"\n'
    'rulesets = ["base-internal", "python-internal"]\n\n'
)


def _findings(text: str) -> list:
    project = ProjectConfig(root="/nowhere", tier=Tier.PRODUCTION)
    settings = resolve_settings(project, None, Overrides(select=("STD502",)))
    engine = Engine(Registry([InvalidStandardsToml()]))
    return engine.check(
        SourceFile(text=text, settings=settings, path="/nowhere/standards.toml")
    ).findings


def _at(line: int, start: int, end: int) -> Range:
    return Range(start=Position(line=line, character=start), end=Position(line=line, character=end))


def test_the_organisations_current_keys_are_accepted() -> None:
    text = HEAD + (
        "[code.security.dotenv]\nenabled = true\n\n[code.testing]\nenabled = true\n"
        'min_test_files = 1\n\n[process.docs]\nenabled = true\nrequired_files = ["README.md"]\n'
    )
    assert _findings(text) == []


def test_an_unknown_sub_table_is_a_warning_at_its_header_segment() -> None:
    text = HEAD + "[code.frobnicate]\nenabled = true\n"
    [finding] = _findings(text)
    assert finding.severity is Severity.WARNING
    assert finding.range == _at(7, 6, 16)


def test_an_unknown_nested_table_is_found_in_a_deeper_header() -> None:
    text = HEAD + "[process.wibble.rules]\nx = 1\n"
    [finding] = _findings(text)
    assert finding.severity is Severity.WARNING
    assert finding.range == _at(7, 9, 15)


def test_an_unknown_key_line_is_a_warning_at_the_key() -> None:
    text = HEAD + "[process.docs]\nenabled = true\nshiny = 3\n"
    [finding] = _findings(text)
    assert finding.severity is Severity.WARNING
    assert finding.range == _at(9, 0, 5)


def test_an_unknown_dotted_key_is_a_warning_at_the_key() -> None:
    text = HEAD + "[code]\nshiny.enabled = true\n"
    [finding] = _findings(text)
    assert finding.range == _at(8, 0, 5)


def test_a_wrong_value_stays_an_error() -> None:
    text = HEAD + '[process.docs]\nrequired_files = "README.md"\n'
    [finding] = _findings(text)
    assert finding.severity is Severity.ERROR
    assert finding.range == _at(8, 0, 14)
