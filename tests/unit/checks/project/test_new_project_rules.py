"""STD304-STD306 and STD407 beyond their documented examples."""

from __future__ import annotations

import ast
import tomllib

import pytest

from rules.checks.project.std306_large_script import is_script
from rules.checks.project.std407_ruff_settings import disagreements, fixed_text
from rules.lambda_handlers import (
    is_http_handler,
    is_proxy_response,
    sam_functions,
    serverless_functions,
)
from rules.tiers import INTERNAL, PRODUCTION, TIERS, TierValues
from tests.support.models import findings

TANGLED = """\
[project]
name = "svc"

[tool.ruff]
line-length = 100
select = [
    "E",
    "F",  # the basics
]
extend-select = ["B"]

[tool.ruff.lint]
extend-ignore = ["E731"]
dummy-variable-rgx = "^_$"

[tool.ruff.lint.per-file-ignores]
"tests/**" = ["S101"]

[tool.ruff.lint.mccabe]
max-complexity = 20

[tool.other]
key = 1
"""


def _function(source: str) -> ast.FunctionDef:
    statement = ast.parse(source).body[0]
    assert isinstance(statement, ast.FunctionDef)
    return statement


@pytest.mark.parametrize("tier", list(TIERS.values()), ids=lambda values: values.ruleset)
def test_the_fix_of_tangled_settings_agrees_and_keeps_the_rest(tier: TierValues) -> None:
    assert disagreements(tomllib.loads(TANGLED), tier)
    fixed = fixed_text(TANGLED, tier)
    assert fixed is not None
    data = tomllib.loads(fixed)
    assert disagreements(data, tier) == []
    ruff = data["tool"]["ruff"]
    assert ruff["line-length"] == 100
    assert ruff["lint"]["dummy-variable-rgx"] == "^_$"
    assert ruff["lint"]["per-file-ignores"] == {"tests/**": ["S101"]}
    assert data["tool"]["other"] == {"key": 1}
    assert fixed_text(fixed, tier) == fixed  # a second fix changes nothing


INLINE_LAYOUTS = {
    "lint-in-tool-ruff": (
        '[project]\nname = "svc"\n\n[tool.ruff]\nline-length = 100\n'
        'lint = { select = ["E"], per-file-ignores = { "tests/**" = ["S101"] } }\n\n'
        "[tool.other]\nkey = 1\n"
    ),
    "ruff-in-tool": (
        '[project]\nname = "svc"\n\n[tool]\nother = { key = 1 }\n'
        'ruff = { line-length = 100, lint = { select = ["E"], pylint = { max-args = 9 },'
        ' per-file-ignores = { "tests/**" = ["S101"] } } }\n'
    ),
    "mccabe-in-lint": (
        '[project]\nname = "svc"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\n'
        'mccabe = { max-complexity = 30 }\nper-file-ignores = { "tests/**" = ["S101"] }\n\n'
        "[tool.other]\nkey = 1\n"
    ),
}


@pytest.mark.parametrize("text", INLINE_LAYOUTS.values(), ids=INLINE_LAYOUTS.keys())
@pytest.mark.parametrize("tier", list(TIERS.values()), ids=lambda values: values.ruleset)
def test_inline_tables_are_written_out_and_fixed(text: str, tier: TierValues) -> None:
    fixed = fixed_text(text, tier)
    assert fixed is not None
    data = tomllib.loads(fixed)
    assert disagreements(data, tier) == []
    ruff = data["tool"]["ruff"]
    assert ruff["line-length"] == 100
    assert ruff["lint"]["per-file-ignores"] == {"tests/**": ["S101"]}
    assert data["tool"]["other"] == {"key": 1}
    assert fixed_text(fixed, tier) == fixed


def test_a_fix_that_would_lose_a_value_is_withheld() -> None:
    # A date is a value this writer does not write back: the fix is withheld, not lossy.
    text = '[project]\nname = "svc"\n\n[tool.ruff]\nlint = { select = ["E"], since = 2024-01-01 }\n'
    assert fixed_text(text, PRODUCTION) is None


def test_thresholds_left_to_ruff_defaults_are_compared_with_the_defaults() -> None:
    text = '[tool.ruff.lint]\nselect = ["E", "F", "I", "UP", "B", "SIM", "S", "C90", "PLR"]\nignore = ["E501"]\n'
    found = disagreements(tomllib.loads(text), INTERNAL)
    assert found == [
        "max-complexity 10 is not the tier's 15",
        "pylint max-returns 6 is not the tier's 8",
        "pylint max-statements 50 is not the tier's 60",
    ]
    assert any("select" in item for item in disagreements(tomllib.loads(text), PRODUCTION))


def test_a_proxy_response_through_a_name_is_one_and_nested_functions_are_not_looked_into() -> None:
    assert is_http_handler(
        _function('def handler(event, context):\n    r = {"statusCode": 200}\n    return r\n')
    )
    assert not is_http_handler(
        _function(
            'def handler(event, context):\n    def inner():\n        return {"statusCode": 1}\n'
            "    return None\n"
        )
    )
    assert not is_http_handler(_function('def build(status):\n    return {"statusCode": status}\n'))
    assert is_proxy_response(ast.parse('{"statusCode": 200, "body": ""}', mode="eval").body)


def test_sam_globals_function_urls_and_tags() -> None:
    template = """\
Globals:
  Function:
    Handler: app.handler
Resources:
  Web:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: !Sub "${Root}/web"
      FunctionUrlConfig:
        AuthType: NONE
  Table:
    Type: AWS::DynamoDB::Table
"""
    (function,) = sam_functions(template)
    assert function.module == "app.py"  # a tagged CodeUri is not a path: the module is as named
    assert function.function == "handler"
    assert [event.kind for event in function.http_events] == ["FunctionUrlConfig"]
    assert function.http_events[0].line == 8


def test_serverless_events_in_short_form_and_other_events() -> None:
    template = """\
functions:
  api:
    handler: src/api.main
    events:
      - http: GET /items
  etl:
    handler: src/etl.main
    events:
      - s3: uploads
"""
    api, etl = serverless_functions(template)
    assert (api.module, api.function) == ("src/api.py", "main")
    assert [event.kind for event in api.http_events] == ["http"]
    assert etl.http_events == ()


def test_broken_yaml_declares_nothing() -> None:
    assert sam_functions("Resources: [\n") == []
    assert serverless_functions(": : :\n") == []


def test_a_proxy_handler_is_std304_and_not_std101_or_std102() -> None:
    source = 'def lambda_handler(event, context):\n    return {"statusCode": 200, "body": "ok"}\n'
    found = findings(source, "STD101", "STD102", "STD304", path="app.py")
    assert [finding.code for finding in found] == ["STD304"]
    annotated = source.replace("context):", "context) -> dict[str, object]:")
    assert [f.code for f in findings(annotated, "STD101", "STD102", "STD304", path="app.py")] == [
        "STD304"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('def main():\n    pass\n\nif __name__ == "__main__":\n    main()\n', True),
        ("#!/usr/bin/env python3\nprint(1)\n", True),
        ("x = 1\nif  __name__=='__main__' :\n    x = 2\n", True),
        # the name elsewhere first, the guard after it
        ('NAME = "__main__"\nif __name__ == "__main__":\n    pass\n', True),
        ('caller = frame.f_globals.get("__name__", "__main__")\n', False),
        ('def f():\n    if __name__ == "__main__":\n        pass\n', False),
        ("x = 1\n", False),
    ],
)
def test_a_script_is_a_module_with_a_top_level_main_guard_or_a_shebang(
    text: str, expected: bool
) -> None:
    assert is_script(text) is expected
