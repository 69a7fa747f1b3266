"""The engine's data model: what crosses the boundary between rules, the engine and its users.

Positions are 0-based lines and 0-based character offsets counted in code points; converting
them to a client's encoding (UTF-16 for most editors) is the server's job.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How loudly a finding is reported; the tier decides it per rule."""

    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


# From the loudest to the quietest.
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFORMATION, Severity.HINT)


def capped(severity: Severity, cap: Severity | None) -> Severity:
    """`severity`, or `cap` when that is quieter."""
    if cap is None:
        return severity
    return max(severity, cap, key=SEVERITY_ORDER.index)


class Safety(StrEnum):
    """Whether a fix may be applied without a human reading it (`fix` applies only safe ones)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Tier(StrEnum):
    """The three strictness tiers of `rulesets.md`."""

    PRODUCTION = "production"
    INTERNAL = "internal"
    PROTOTYPE = "prototype"


class Position(BaseModel):
    """A place in a text: 0-based line, 0-based character offset in code points."""

    model_config = ConfigDict(frozen=True)

    line: int
    character: int


class Range(BaseModel):
    """A half-open span of text, `start` included, `end` excluded."""

    model_config = ConfigDict(frozen=True)

    start: Position
    end: Position

    def shifted(self, lines: int) -> Range:
        """The same span moved down by `lines` lines (used to place chunk findings in a module)."""
        if lines == 0:
            return self
        return Range.model_construct(
            start=Position.model_construct(
                line=self.start.line + lines, character=self.start.character
            ),
            end=Position.model_construct(line=self.end.line + lines, character=self.end.character),
        )


class TextEdit(BaseModel):
    """Replace the text of `range` by `new_text` (an insertion when the range is empty)."""

    model_config = ConfigDict(frozen=True)

    range: Range
    new_text: str


class FileOperation(BaseModel):
    """A change to the file system that a fix needs besides text edits (create or rename a file)."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="'create' or 'rename'")
    path: str = Field(description="the file to create, or the file to rename")
    new_path: str | None = Field(default=None, description="the new name, for 'rename'")
    content: str = Field(default="", description="the content of a created file")


class FileEdits(BaseModel):
    """Edits of a file other than the one a fix's finding is in (a whole-project refactoring)."""

    model_config = ConfigDict(frozen=True)

    path: str = Field(description="the file's absolute path")
    edits: list[TextEdit]


class Fix(BaseModel):
    """A way to make a finding go away.

    `edits` is None when the fix is expensive and built on demand (`Engine.resolve_fix`); the
    title and safety are always known up front so a client can list the action cheaply. A
    whole-project refactoring also edits other files (`other_files`): all of them or none.
    A fix that was asked for but cannot be made keeps the reason in `refused` (and no edits).
    """

    title: str
    safety: Safety
    edits: list[TextEdit] | None = None
    other_files: list[FileEdits] = Field(default_factory=list)
    file_operations: list[FileOperation] = Field(default_factory=list)
    description: str = ""
    refused: str | None = Field(default=None, description="why the fix is not made, if it is not")
    adds_module_names: bool = Field(
        default=False,
        description="it adds a name at module level (an import, a constant, a class), which a "
        "module listing its own names would find among them",
    )

    @property
    def applicable(self) -> bool:
        """Whether the fix can be made (it is not known to be refused)."""
        return self.refused is None

    @property
    def touched_files(self) -> int:
        """How many files the fix edits (its own included)."""
        return 1 + len(self.other_files)


class Finding(BaseModel):
    """One place that breaks the standard.

    `data` carries what a rule needs to rebuild the fix later (for example a function name and
    the statement's first line); it is opaque to everyone but the rule.
    """

    code: str
    message: str
    range: Range
    severity: Severity = Severity.WARNING
    fix: Fix | None = None
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    # The loudest this finding may be, whatever the tier says (a softer kind of problem of a
    # rule whose other findings are errors); None: the tier decides alone.
    severity_cap: Severity | None = None
    # In a notebook: the 1-based cell the range is in, its lines counted from the cell's start.
    cell: int | None = None

    @property
    def offered_fix(self) -> Fix | None:
        """The fix to offer: none when there is none, or when it is known to be refused (the
        finding then says why through `fix.refused`)."""
        return self.fix if self.fix is not None and self.fix.applicable else None

    def shifted(self, lines: int) -> Finding:
        """The same finding moved down by `lines` lines; its fix edits move with it."""
        if lines == 0:
            return self
        fix = self.fix
        if fix is not None and fix.edits is not None:
            fix = fix.model_copy(
                update={
                    "edits": [
                        TextEdit.model_construct(
                            range=edit.range.shifted(lines), new_text=edit.new_text
                        )
                        for edit in fix.edits
                    ]
                }
            )
        return self.model_copy(update={"range": self.range.shifted(lines), "fix": fix})


class TierSeverities(BaseModel):
    """A rule's severity in each tier; None means the rule is off in that tier."""

    model_config = ConfigDict(frozen=True)

    production: Severity | None
    internal: Severity | None
    prototype: Severity | None

    def for_tier(self, tier: Tier) -> Severity | None:
        """The severity the rule has in `tier`."""
        return getattr(self, tier.value)


class RuleExample(BaseModel):
    """A documented example: the code, and for a bad one the codes it must produce and its fix."""

    model_config = ConfigDict(frozen=True)

    source: str
    path: str = Field(default="example.py", description="the file name the example is checked as")
    expected_codes: list[str] = Field(default_factory=list)
    fixed: str | None = Field(default=None, description="the bad example after its fix, if any")
    unsafe: bool = Field(default=False, description="the documented fix is an unsafe one")
    files: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "other files of the example's project (path relative to the example's directory -> "
            "text), written beside it in an empty directory when the example is checked; rules "
            "that look at a project's files (uv.lock, standards.toml) need them"
        ),
    )


class RuleDoc(BaseModel):
    """A rule's documentation, shown by `explain`, on hover and on the rule's page."""

    model_config = ConfigDict(frozen=True)

    what: str
    why: str
    bad: list[RuleExample]
    good: list[RuleExample]
    options: str = ""
    refusals: str = ""
    """When an offered fix is refused, and what the user can do (Markdown; empty: never)."""
