"""The schema of `standards.toml` as the organisation's `conform` CLI enforces it.

`conform` (`@standards-kit/conform`) validates the file with a strict schema: an unknown key at
any level is an error. This is that schema's shape, transcribed (keys, value kinds, enumerated
values and required keys) from the published package's `src/core/schema.ts`, so an editor can
report what `conform` would reject before CI does. Constraints finer than a value's kind (glob
syntax, numeric ranges, duplicate checks) are left to `conform` itself.

The `[standards]` section is not part of `conform`'s schema but is the form the standard itself
shows; the caller handles it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Kind(StrEnum):
    """The kind of value a key holds."""

    TABLE = "table"
    STRING = "string"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"
    STRINGS = "array of strings"
    TABLES = "array of tables"
    ANY = "any value"


class Field(BaseModel):
    """One key of the schema: its kind, and for tables their own keys."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    choices: tuple[str, ...] = ()
    keys: dict[str, Field] | None = None  # TABLE/TABLES: the allowed keys (None: any key)
    values: Field | None = None  # TABLE with free keys: the shape of every value
    required: tuple[str, ...] = ()


def _table(required: tuple[str, ...] = (), **keys: Field) -> Field:
    return Field(kind=Kind.TABLE, keys=keys, required=required)


def _hyphenated(fields: dict[str, Field], required: tuple[str, ...] = ()) -> Field:
    return Field(kind=Kind.TABLE, keys=fields, required=required)


def _record(values: Field) -> Field:
    return Field(kind=Kind.TABLE, values=values)


def _enum(*choices: str) -> Field:
    return Field(kind=Kind.STRING, choices=choices)


STRING = Field(kind=Kind.STRING)
BOOLEAN = Field(kind=Kind.BOOLEAN)
INTEGER = Field(kind=Kind.INTEGER)
STRINGS = Field(kind=Kind.STRINGS)
ANY = Field(kind=Kind.ANY)


def _tool(**extra: Field) -> Field:
    """A tool's table: `enabled`, `dependencies` and its own keys."""
    return _hyphenated({"enabled": BOOLEAN, "dependencies": STRINGS, **extra})


def _open_tool() -> Field:
    """A table of a newer ruleset whose keys past `enabled` are not transcribed: any key is
    accepted (conform itself checks them)."""
    return Field(kind=Kind.TABLE, values=ANY)


_CASES = ("kebab-case", "snake_case", "camelCase", "PascalCase")
_ESLINT = _hyphenated(
    {
        "enabled": BOOLEAN,
        "files": STRINGS,
        "ignore": STRINGS,
        "max-warnings": INTEGER,
        "rules": _record(ANY),
        "dependencies": STRINGS,
    }
)
_RUFF = _hyphenated(
    {
        "enabled": BOOLEAN,
        "line-length": INTEGER,
        "lint": _table(select=STRINGS, ignore=STRINGS),
        "dependencies": STRINGS,
    }
)
_TSC_OPTIONS = _hyphenated(
    dict.fromkeys(
        (
            "strict",
            "noImplicitAny",
            "strictNullChecks",
            "noUnusedLocals",
            "noUnusedParameters",
            "noImplicitReturns",
            "noFallthroughCasesInSwitch",
            "esModuleInterop",
            "skipLibCheck",
            "forceConsistentCasingInFileNames",
        ),
        BOOLEAN,
    )
)
_NAMING_RULE = Field(
    kind=Kind.TABLES,
    keys={
        "extensions": STRINGS,
        "file_case": _enum(*_CASES),
        "folder_case": _enum(*_CASES),
        "exclude": STRINGS,
        "allow_dynamic_routes": BOOLEAN,
    },
    required=("extensions", "file_case", "folder_case"),
)
_CODE = _table(
    linting=_table(eslint=_ESLINT, ruff=_RUFF),
    types=_table(tsc=_tool(require=_TSC_OPTIONS), ty=_tool()),
    unused=_table(knip=_tool(), vulture=_tool()),
    coverage_run=_tool(
        min_threshold=INTEGER, runner=_enum("vitest", "jest", "pytest", "auto"), command=STRING
    ),
    security=_table(
        secrets=_tool(scan_mode=_enum("branch", "files", "staged", "full"), base_branch=STRING),
        pnpmaudit=_tool(exclude_dev=BOOLEAN),
        pipaudit=_tool(),
        # newer rulesets: `.env` files kept out of the repository
        dotenv=_tool(files=STRINGS, exclude=STRINGS, allow=STRINGS),
    ),
    # newer rulesets: the test section (test files present, their pattern, the runner)
    testing=_open_tool(),
    naming=_table(enabled=BOOLEAN, rules=_NAMING_RULE),
    quality=_hyphenated(
        {
            "disable-comments": _table(
                enabled=BOOLEAN, patterns=STRINGS, extensions=STRINGS, exclude=STRINGS
            )
        }
    ),
)
_BYPASS_ACTOR = Field(
    kind=Kind.TABLES,
    keys={
        "actor_type": _enum(
            "Integration", "OrganizationAdmin", "RepositoryRole", "Team", "DeployKey"
        ),
        "actor_id": INTEGER,
        "bypass_mode": _enum("always", "pull_request"),
    },
    required=("actor_type",),
)
_PROCESS = _table(
    hooks=_table(
        enabled=BOOLEAN,
        require_husky=BOOLEAN,
        require_hooks=STRINGS,
        commands=_record(STRINGS),
        protected_branches=STRINGS,
    ),
    ci=_table(
        enabled=BOOLEAN,
        require_workflows=STRINGS,
        jobs=_record(STRINGS),
        actions=_record(STRINGS),
        commands=_record(ANY),
    ),
    branches=_table(
        enabled=BOOLEAN,
        pattern=STRING,
        exclude=STRINGS,
        require_issue=BOOLEAN,
        issue_pattern=STRING,
    ),
    commits=_table(
        enabled=BOOLEAN,
        pattern=STRING,
        types=STRINGS,
        require_scope=BOOLEAN,
        max_subject_length=INTEGER,
    ),
    changesets=_table(
        enabled=BOOLEAN,
        require_for_paths=STRINGS,
        exclude_paths=STRINGS,
        validate_format=BOOLEAN,
        allowed_bump_types=STRINGS,
        require_description=BOOLEAN,
        min_description_length=INTEGER,
    ),
    pr=_table(
        enabled=BOOLEAN,
        max_files=INTEGER,
        max_lines=INTEGER,
        require_issue=BOOLEAN,
        issue_keywords=STRINGS,
        exclude=STRINGS,
    ),
    tickets=_table(
        enabled=BOOLEAN, pattern=STRING, require_in_commits=BOOLEAN, require_in_branch=BOOLEAN
    ),
    coverage=_table(
        enabled=BOOLEAN,
        min_threshold=INTEGER,
        enforce_in=_enum("ci", "config", "both"),
        ci_workflow=STRING,
        ci_job=STRING,
    ),
    repo=_table(
        enabled=BOOLEAN,
        require_branch_protection=BOOLEAN,
        require_codeowners=BOOLEAN,
        ruleset=_table(
            name=STRING,
            branch=STRING,
            enforcement=_enum("active", "evaluate", "disabled"),
            required_reviews=INTEGER,
            dismiss_stale_reviews=BOOLEAN,
            require_code_owner_reviews=BOOLEAN,
            require_status_checks=STRINGS,
            require_branches_up_to_date=BOOLEAN,
            require_signed_commits=BOOLEAN,
            enforce_admins=BOOLEAN,
            bypass_actors=_BYPASS_ACTOR,
        ),
        tag_protection=_table(patterns=STRINGS, prevent_deletion=BOOLEAN, prevent_update=BOOLEAN),
    ),
    backups=_table(
        enabled=BOOLEAN, bucket=STRING, prefix=STRING, max_age_hours=INTEGER, region=STRING
    ),
    codeowners=_table(
        enabled=BOOLEAN,
        rules=Field(
            kind=Kind.TABLES,
            keys={"pattern": STRING, "owners": STRINGS},
            required=("pattern", "owners"),
        ),
    ),
    docs=_table(
        enabled=BOOLEAN,
        path=STRING,
        enforcement=_enum("block", "warn"),
        allowlist=STRINGS,
        max_files=INTEGER,
        max_file_lines=INTEGER,
        max_total_kb=INTEGER,
        staleness_days=INTEGER,
        stale_mappings=_record(STRING),
        min_coverage=INTEGER,
        coverage_paths=STRINGS,
        exclude_patterns=STRINGS,
        types=_record(_table(required_sections=STRINGS, frontmatter=STRINGS)),
        # newer rulesets: documentation files every repository has (README.md, ...)
        required_files=STRINGS,
    ),
    forbidden_files=_table(enabled=BOOLEAN, files=STRINGS, ignore=STRINGS, message=STRING),
)

# The whole file, as `conform` validates it.
CONFORM_SCHEMA = _table(
    metadata=_table(
        tier=_enum("production", "internal", "prototype"),
        project=STRING,
        organisation=STRING,
        status=_enum("active", "pre-release", "deprecated"),
    ),
    # conform also requires `registry` and `rulesets` here and `tier` in [metadata]; this
    # server reads the tier from either table alone (config.py), so it does not insist.
    extends=_table(registry=STRING, rulesets=STRINGS),
    code=_CODE,
    process=_PROCESS,
    infra=_table(enabled=BOOLEAN, manifest=STRING),
    mcp=_table(standards=_table(source=STRING)),
    monorepo=_table(exclude=STRINGS),
)


class SchemaProblem(BaseModel):
    """A place where a `standards.toml` breaks the schema: the table, the key, what is wrong."""

    model_config = ConfigDict(frozen=True)

    table: str
    key: str | None
    message: str
    # a key the schema does not know: conform may have grown it since this transcription
    unknown: bool = False


def _with_article(kind: Kind) -> str:
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"{article} {kind.value}"


def _kind_matches(kind: Kind, value: object) -> bool:
    checks = {
        Kind.TABLE: lambda: isinstance(value, dict),
        Kind.STRING: lambda: isinstance(value, str),
        Kind.BOOLEAN: lambda: isinstance(value, bool),
        Kind.INTEGER: lambda: isinstance(value, int) and not isinstance(value, bool),
        Kind.NUMBER: lambda: isinstance(value, int | float) and not isinstance(value, bool),
        Kind.STRINGS: lambda: (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ),
        Kind.TABLES: lambda: (
            isinstance(value, list) and all(isinstance(item, dict) for item in value)
        ),
    }
    check = checks.get(kind)
    return True if check is None else bool(check())


def validate(data: dict[str, object], skip: frozenset[str] = frozenset()) -> list[SchemaProblem]:
    """Everything `conform`'s schema would reject in a parsed `standards.toml`; top-level keys
    in `skip` are left to the caller."""
    problems: list[SchemaProblem] = []
    top = {key: value for key, value in data.items() if key not in skip}
    _validate_table(CONFORM_SCHEMA, top, "", problems)
    return problems


def _validate_table(
    field: Field, value: dict[str, object], name: str, problems: list[SchemaProblem]
) -> None:
    shown = name or "the file"
    for key in field.required:
        if key not in value:
            problems.append(SchemaProblem(table=name, key=None, message=f"[{shown}] needs {key!r}"))
    for key, item in value.items():
        child = field.values if field.keys is None else field.keys.get(key)
        if child is None:
            where = f"[{name}]" if name else "the top level"
            problems.append(
                SchemaProblem(
                    table=name,
                    key=key,
                    message=f"{key!r} is not a key conform accepts in {where}",
                    unknown=True,
                )
            )
            continue
        _validate_value(child, item, (name, key), problems)


def _validate_value(
    field: Field, value: object, place: tuple[str, str], problems: list[SchemaProblem]
) -> None:
    table, key = place
    full = f"{table}.{key}" if table else key
    if not _kind_matches(field.kind, value):
        problems.append(
            SchemaProblem(
                table=table, key=key, message=f"{full} must be {_with_article(field.kind)}"
            )
        )
        return
    if field.choices and value not in field.choices:
        allowed = ", ".join(field.choices)
        problems.append(
            SchemaProblem(table=table, key=key, message=f"{full} must be one of: {allowed}")
        )
    if field.kind is Kind.TABLE and isinstance(value, dict):
        _validate_table(field, value, full, problems)
    elif field.kind is Kind.TABLES and isinstance(value, list):
        for item in value:
            _validate_table(field, item, full, problems)
