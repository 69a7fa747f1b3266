"""Editing help in standards.toml: completion, hover on rulesets and tiers, form conversion."""

from __future__ import annotations

import tomllib

import pytest

from rules.checks.project.standards_toml import (
    CompletionKind,
    Form,
    completions,
    conversion,
    hover,
    ruleset_markdown,
)
from rules.config import parse_standards_toml
from rules.models import Position, Tier


def _labels(text: str, line: int, character: int) -> list[str]:
    return [item.label for item in completions(text, Position(line=line, character=character))]


def test_section_names_complete_in_a_header() -> None:
    labels = _labels("[", 0, 1)
    assert {"standards", "metadata", "extends", "code.linting.ruff.lint", "process.ci"} <= set(
        labels
    )


def test_rulesets_complete_after_ruleset_equals_quoted_when_needed() -> None:
    items = completions("[standards]\nruleset = ", Position(line=1, character=10))
    assert [(item.label, item.insert_text) for item in items] == [
        ("python-production", '"python-production"'),
        ("python-internal", '"python-internal"'),
        ("python-prototype", '"python-prototype"'),
    ]
    inside = completions('[standards]\nruleset = "py', Position(line=1, character=13))
    assert [item.insert_text for item in inside] == [
        "python-production",
        "python-internal",
        "python-prototype",
    ]
    assert all(item.kind is CompletionKind.VALUE for item in items)
    assert "ruff `lint.select`" in items[0].documentation


def test_tiers_and_base_rulesets_complete_in_the_registry_form() -> None:
    assert _labels("[metadata]\ntier = ", 1, 7) == ["production", "internal", "prototype"]
    rulesets = _labels('[extends]\nrulesets = ["', 1, 13)
    assert {"base-internal", "python-internal"} <= set(rulesets)


def test_keys_complete_at_a_line_start_without_those_already_there() -> None:
    text = '[metadata]\ntier = "internal"\n\n'
    assert _labels(text, 2, 0) == ["project", "organisation", "status"]
    assert _labels("[standards]\n", 1, 0) == ["ruleset"]
    assert _labels("[code.linting.ruff]\nen", 1, 2) == ["enabled", "line-length", "dependencies"]


def test_enumerated_and_boolean_values_complete() -> None:
    assert _labels("[metadata]\nstatus = ", 1, 9) == ["active", "pre-release", "deprecated"]
    assert _labels("[code.types.ty]\nenabled = ", 1, 10) == ["true", "false"]


def test_no_completion_in_the_middle_of_a_value() -> None:
    assert _labels('[standards]\nruleset = "python-internal" # x', 1, 31) == []


@pytest.mark.parametrize(
    ("text", "character", "title"),
    [
        ('ruleset = "python-production"', 15, "python-production (ruleset, tier production)"),
        ('rulesets = ["base-internal", "python-internal"]', 14, "base-internal (ruleset"),
        ('tier = "prototype"', 9, "prototype (tier, tier prototype)"),
    ],
)
def test_hover_on_a_ruleset_or_tier_shows_its_values(text: str, character: int, title: str) -> None:
    shown = hover(text, Position(line=0, character=character))
    assert shown is not None
    assert title in shown.markdown
    assert "| mccabe max-complexity |" in shown.markdown


def test_hover_range_is_the_string() -> None:
    shown = hover('ruleset = "python-internal"', Position(line=0, character=12))
    assert shown is not None
    assert (shown.range.start.character, shown.range.end.character) == (10, 27)


def test_hover_elsewhere_shows_nothing() -> None:
    assert hover('registry = "github:acme/standards"', Position(line=0, character=15)) is None
    assert hover('ruleset = "python-internal"', Position(line=0, character=2)) is None
    assert ruleset_markdown("python-experimental") is None


def test_prototype_values_show_dashes_for_what_is_off() -> None:
    markdown = ruleset_markdown("python-prototype")
    assert markdown is not None
    assert "| mccabe max-complexity | \N{EN DASH} |" in markdown
    assert "| blocked imports | \N{EN DASH} |" in markdown


@pytest.mark.parametrize("tier", list(Tier))
def test_conversion_round_trips_and_keeps_the_tier(tier: Tier) -> None:
    simple = f'[standards]\nruleset = "python-{tier.value}"\n\n[code.linting.ruff.lint]\nselect = ["E"]\n'
    there = conversion(simple)
    assert there is not None and there.target is Form.REGISTRY
    parsed = tomllib.loads(there.text)
    assert parsed["metadata"] == {"tier": tier.value}
    assert parsed["extends"]["rulesets"] == [f"base-{tier.value}", f"python-{tier.value}"]
    assert parsed["code"] == {"linting": {"ruff": {"lint": {"select": ["E"]}}}}
    assert parse_standards_toml(there.text, "standards.toml").problems == ()
    back = conversion(there.text)
    assert back is not None and back.target is Form.SIMPLE
    assert back.text == simple
    assert parse_standards_toml(back.text, "standards.toml").tier is tier


def test_conversion_needs_a_readable_tier() -> None:
    assert conversion('[standards]\nruleset = "python-\n') is None
    assert conversion('[standards]\nruleset = "nonsense"\n') is None
    assert conversion('[extends]\nregistry = "x"\nrulesets = ["base-internal"]\n') is None
