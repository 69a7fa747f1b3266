"""STD304: an AWS Lambda handler serving HTTP (a proxy response, or an HTTP event in the
project's SAM / Serverless template): Lambda functions are for data pipelines, not APIs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rules.lambda_handlers import (
    TEMPLATES,
    Function,
    is_handler_like,
    parse_module,
    returns_proxy_response,
    template_functions,
    templates_naming,
)
from rules.models import Finding, Position, Range, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.source import byte_to_char_column, split_lines

STD304 = "STD304"
APP_MODULE = "app.py"
SAM_TEMPLATE = "template.yaml"
ADVICE = "Lambda functions are for data pipelines: build HTTP APIs in TypeScript (progression-labs/fastify-api)"
PROXY_HANDLER = """\
import json


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"ok": True})}
"""
PIPELINE_HANDLER = """\
def handler(event, context):
    for record in event["Records"]:
        print(record["s3"]["object"]["key"])
"""
SAM_API_TEMPLATE = """\
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        Hello:
          Type: Api
          Properties:
            Path: /hello
            Method: get
"""
SAM_S3_TEMPLATE = """\
Resources:
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Bucket
            Events: s3:ObjectCreated:*
"""
SERVERLESS_TEMPLATE = """\
service: hello
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi:
          path: /hello
          method: get
"""


@register
class LambdaHttpApi(FileRule):
    code = STD304
    name = "lambda-http-api"
    summary = "A Lambda handler serving HTTP: Lambda is for data pipelines, APIs are TypeScript"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.ERROR, prototype=Severity.WARNING
    )
    patterns = ("*.py", *TEMPLATES)
    doc = RuleDoc(
        what=(
            "Flags an AWS Lambda handler that serves HTTP: a handler (`def handler(event, "
            "context)`, `lambda_handler`, or the function a SAM `template.yaml` or "
            "`serverless.yml` names) that returns an API Gateway / function-URL proxy response "
            '(a dict with `"statusCode"`), or that the template wires to an HTTP event (SAM '
            "`Type: Api` / `HttpApi` or `FunctionUrlConfig`; Serverless `http` / `httpApi`). "
            "It is reported on the handler and on the template's event."
        ),
        why=(
            "All Lambda functions are exclusively for data pipelines, not APIs: backend APIs are "
            "built in TypeScript with Fastify (progression-labs/fastify-api). Such a handler's "
            "returned dict is AWS's protocol, so STD101/STD102 leave it alone."
        ),
        bad=[
            RuleExample(source=PROXY_HANDLER, path=APP_MODULE, expected_codes=[STD304]),
            RuleExample(
                source=SAM_API_TEMPLATE,
                path=SAM_TEMPLATE,
                files={APP_MODULE: PIPELINE_HANDLER},
                expected_codes=[STD304],
            ),
            RuleExample(
                source=PIPELINE_HANDLER,
                path=APP_MODULE,
                files={SAM_TEMPLATE: SAM_API_TEMPLATE},
                expected_codes=[STD304],
            ),
            RuleExample(
                source=SERVERLESS_TEMPLATE,
                path="serverless.yml",
                expected_codes=[STD304],
            ),
        ],
        good=[
            RuleExample(source=PIPELINE_HANDLER, path=APP_MODULE),
            RuleExample(
                source=SAM_S3_TEMPLATE, path=SAM_TEMPLATE, files={APP_MODULE: PIPELINE_HANDLER}
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        if context.text is None:
            return
        name = PurePosixPath((context.path or "example.py").replace("\\", "/")).name
        if name in TEMPLATES:
            yield from self._template(name, context.text)
        else:
            yield from self._module(context)

    def _template(self, name: str, text: str) -> Iterator[Finding]:
        for function in template_functions(name, text):
            for event in function.http_events:
                where = Range(
                    start=Position(line=event.line, character=event.start),
                    end=Position(line=event.line, character=event.end),
                )
                yield self.finding(
                    f"function `{function.name}` is wired to an HTTP event ({event.kind}): "
                    f"{ADVICE}",
                    where,
                )

    def _module(self, context: FileContext) -> Iterator[Finding]:
        text = context.text or ""
        if "def " not in text:
            return
        tree = parse_module(text)
        if tree is None:
            return
        wired = self._wired(context)
        lines = split_lines(text)
        for statement in tree.body:
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            reason = self._reason(statement, wired)
            if reason is not None:
                yield self.finding(
                    f"Lambda handler `{statement.name}` {reason}: {ADVICE}",
                    _name_range(statement, lines),
                )

    @staticmethod
    def _reason(function: Function, wired: dict[str, str]) -> str | None:
        if function.name in wired:
            return f"is wired to an HTTP event in {wired[function.name]}"
        if is_handler_like(function) and returns_proxy_response(function) is not None:
            return "returns an API Gateway proxy response"
        return None

    @staticmethod
    def _wired(context: FileContext) -> dict[str, str]:
        if context.path is None:
            return {}
        stop = Path(context.project_root) if context.project_root else None
        return {
            function.function: template.name
            for template, function in templates_naming(Path(context.path), stop)
            if function.http_events
        }


def _name_range(function: Function, lines: list[str]) -> Range:
    line = function.lineno - 1
    text = lines[line] if line < len(lines) else ""
    start = text.find(function.name, byte_to_char_column(text, function.col_offset))
    start = max(start, 0)
    return Range(
        start=Position(line=line, character=start),
        end=Position(line=line, character=start + len(function.name)),
    )
