"""The settings a rule sees for one file: its tier, which rules are on and how loud, options."""

from __future__ import annotations

import hashlib
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from rules.models import Severity, Tier

DIGEST_SIZE = 8


class Options(BaseModel):
    """Per-rule options from `[tool.standards-lsp]` in `pyproject.toml` (kebab-case keys)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    allowed_magic_values: tuple[float | str, ...] = Field(
        default=(), alias="allowed-magic-values", description="numbers STD201 never flags"
    )
    flag_default_arguments: bool = Field(
        default=False,
        alias="flag-default-arguments",
        description="STD201 also flags numbers in default argument values",
    )
    repeated_literal_min_count: int = Field(
        default=2,
        alias="repeated-literal-min-count",
        description="how many occurrences make a literal repeated (STD203)",
    )
    max_script_lines: int = Field(
        default=300,
        alias="max-script-lines",
        description="the longest standalone script STD306 accepts (lines)",
        gt=0,
    )
    repeated_string_min_length: int = Field(
        default=3,
        alias="repeated-string-min-length",
        description="the shortest string STD203 considers",
    )


class FileSettings(BaseModel):
    """Everything configuration decides for one file, resolved.

    `severities` holds exactly the active rules: a code absent from it is off for this file.
    """

    model_config = ConfigDict(frozen=True)

    tier: Tier
    severities: dict[str, Severity]
    options: Options = Options()
    is_test: bool = False
    project_name: str | None = None
    syntax_errors: bool = Field(default=True, description="report a text that does not parse")

    def is_active(self, code: str) -> bool:
        """Whether the rule with `code` runs for this file."""
        return code in self.severities

    @cached_property
    def fingerprint(self) -> str:
        """A short digest of everything here, part of every cache key."""
        return hashlib.blake2b(self.model_dump_json().encode(), digest_size=DIGEST_SIZE).hexdigest()
