"""STD304: an AWS Lambda handler serving HTTP (a proxy response, or an HTTP event in the
project's SAM / Serverless template): Lambda functions are for data pipelines, not APIs."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rules import cdk_apps
from rules.lambda_handlers import (
    STATUS_CODE,
    TEMPLATES,
    Function,
    TemplateFunction,
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
            "`serverless.yml` names, or a CDK app with `cdk.json`: `aws_lambda.Function(..., "
            'handler="app.handler", code=Code.from_asset("lambda"))`, `PythonFunction(entry=..., '
            "index=..., handler=...)`, in Python or TypeScript) that returns an API Gateway / "
            'function-URL proxy response (a dict with `"statusCode"`), or that the template wires '
            "to an HTTP event (SAM `Type: Api` / `HttpApi` or `FunctionUrlConfig`; Serverless "
            "`http` / `httpApi`; CDK `LambdaRestApi`, `LambdaIntegration`, "
            "`HttpLambdaIntegration`, `FunctionUrl`, `add_function_url` naming the function's "
            "variable in the same file). It is reported on the handler and on the template's "
            "event (for a CDK app, on the wiring construct of a Python CDK file; TypeScript "
            "files are not checked themselves). A CDK app's handler strings and asset paths are "
            "read when written as literals (or `path.join(__dirname, ...)`); a function passed "
            "between files or constructs through props is not followed."
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
        if cdk_apps.PYTHON_MARK in text:
            yield from self._cdk_source(context)
        if "def " not in text:
            return
        named = self._named(context)
        # A file rule sees the whole text on every edit: parse it only when a handler here could
        # be reported (a template or CDK app names one, or a proxy response's key is written).
        if not named and STATUS_CODE not in text:
            return
        tree = parse_module(text)
        if tree is None:
            return
        lines = split_lines(text)
        for statement in tree.body:
            if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            reason = self._reason(statement, named)
            if reason is not None:
                yield self.finding(
                    f"Lambda handler `{statement.name}` {reason}: {ADVICE}",
                    _name_range(statement, lines),
                )

    def _cdk_source(self, context: FileContext) -> Iterator[Finding]:
        """The HTTP wiring a Python CDK source makes, reported on the wiring construct."""
        if context.path is None:
            return
        path = Path(context.path).absolute()
        stop = Path(context.project_root) if context.project_root else None
        app = cdk_apps.app_of(path, stop)
        if app is None:
            return
        for function in cdk_apps.source_functions(context.text or "", app, path):
            exists = function.module is not None and (app / function.module).is_file()
            if not function.http_events or not (function.python or exists):
                continue
            for event in function.http_events:
                where = Range(
                    start=Position(line=event.line, character=event.start),
                    end=Position(line=event.line, character=event.end),
                )
                yield self.finding(
                    f"function `{function.name}` is wired to HTTP ({event.kind}): {ADVICE}",
                    where,
                )

    @staticmethod
    def _reason(function: Function, named: dict[str, str | None]) -> str | None:
        wired_in = named.get(function.name)
        if wired_in is not None:
            return f"is wired to an HTTP event in {wired_in}"
        handler = is_handler_like(function) or function.name in named
        if handler and returns_proxy_response(function) is not None:
            return "returns an API Gateway proxy response"
        return None

    @staticmethod
    def _named(context: FileContext) -> dict[str, str | None]:
        """The functions of this module a template or CDK app names as handlers: where one is
        wired to HTTP, else None."""
        if context.path is None:
            return {}
        stop = Path(context.project_root) if context.project_root else None
        path = Path(context.path)
        found: list[tuple[str, TemplateFunction]] = [
            (template.name, function) for template, function in templates_naming(path, stop)
        ]
        found += [
            (f"the CDK app ({source})", function)
            for source, function in cdk_apps.naming(path, stop)
        ]
        named: dict[str, str | None] = {}
        for where, function in found:
            if function.http_events:
                named[function.function] = where
            else:
                named.setdefault(function.function, None)
        return named


def _name_range(function: Function, lines: list[str]) -> Range:
    line = function.lineno - 1
    text = lines[line] if line < len(lines) else ""
    start = text.find(function.name, byte_to_char_column(text, function.col_offset))
    start = max(start, 0)
    return Range(
        start=Position(line=line, character=start),
        end=Position(line=line, character=start + len(function.name)),
    )
