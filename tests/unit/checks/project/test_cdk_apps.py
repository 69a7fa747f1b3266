"""STD304 on CDK apps: the handlers a CDK app names (Python and TypeScript constructs), the HTTP
wiring it makes, and what the reader leaves out."""

from __future__ import annotations

import os
from pathlib import Path

from rules.cdk_apps import cdk_apps, child_folders, source_functions
from tests.support.projects import project_findings

STD304 = frozenset({"STD304"})
PIPELINE = (
    "def handler(event, context):\n    for record in event['Records']:\n        print(record)\n"
)
NOT_A_HANDLER_BY_NAME = "def main(request, ctx):\n    return {'statusCode': 200, 'body': 'ok'}\n"
TS_STACK = """\
import * as path from "path";
import * as cdk from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";

export class Stack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const api = new lambda.Function(this, "ApiFn", {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: "api.handler", // the HTTP one
      code: lambda.Code.fromAsset(path.join(__dirname, "..", "..", "functions")),
    });
    const integration = new HttpLambdaIntegration("Orders", api);
    const etl = new lambda.Function(this, "Etl", {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: "etl.handler",
      code: lambda.Code.fromAsset("../functions"),
    });
    new lambda.Function(this, "Hook", {
      handler: "hook.main",
      code: lambda.Code.fromAsset("../functions"),
    }).addFunctionUrl();
  }
}
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _located(root: Path) -> list[tuple[str, int, str]]:
    located = []
    for record in project_findings(root, STD304):
        start = record["start"]
        assert isinstance(start, dict)
        located.append((str(record["path"]), start["line"], str(record["message"]).split(":")[0]))
    return located


def test_a_typescript_app_in_a_sub_folder_names_its_handlers(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "orders"\n',
            "infra/cdk.json": '{"app": "npx ts-node bin/app.ts"}',
            "infra/lib/stack.ts": TS_STACK,
            "functions/api.py": "def handler(event, context):\n    return []\n",
            "functions/etl.py": PIPELINE,
            "functions/hook.py": NOT_A_HANDLER_BY_NAME,
        },
    )
    assert _located(root) == [
        (
            "functions/api.py",
            1,
            "Lambda handler `handler` is wired to an HTTP event in the CDK app (lib/stack.ts)",
        ),
        # `hook.main`: the chained `.addFunctionUrl()` is not read (no variable), but the
        # handler the app names answers with a proxy response.
        ("functions/hook.py", 1, "Lambda handler `main` returns an API Gateway proxy response"),
    ]


def test_python_constructs_their_wiring_and_inline_functions(tmp_path: Path) -> None:
    app = tmp_path / "app"
    stack = tmp_path / "app" / "stack.py"
    text = """\
from aws_cdk import aws_apigateway as apigw, aws_lambda as lambda_

class S:
    def __init__(self):
        self.fn = lambda_.Function(self, "Fn", handler="app.handler",
                                   code=lambda_.Code.from_asset("src"))
        apigw.LambdaRestApi(self, "Api", handler=self.fn)
        apigw.LambdaIntegration(lambda_.Function(self, "Inline", handler="b.handler",
                                                 code=lambda_.Code.from_asset("src")))
        lambda_.FunctionUrl(self, "Url", function=self.fn)
        other = lambda_.Function(self, "Other", handler=name, code=lambda_.Code.from_asset("src"))
        apigw.LambdaRestApi(self, "Api2", handler=other_fn)  # another variable: not `other`
"""
    functions = source_functions(text, app, stack)
    assert [(f.name, f.module, f.function, [e.kind for e in f.http_events]) for f in functions] == [
        ("Fn", "src/app.py", "handler", ["LambdaRestApi", "FunctionUrl"]),
        ("Inline", "src/b.py", "handler", ["LambdaIntegration"]),
        ("Other", None, "", []),  # a handler held in a variable is not read
    ]


def test_python_function_defaults_and_a_source_relative_entry(tmp_path: Path) -> None:
    text = (
        "import os\nfrom aws_cdk.aws_lambda_python_alpha import PythonFunction\n"
        'f = PythonFunction(self, "F", entry=os.path.join(os.path.dirname(__file__), "fn"))\n'
        'g = PythonFunction(self, "G", entry=f"{root}/fn")\n'
    )
    functions = source_functions(text, tmp_path, tmp_path / "infra" / "stack.py")
    assert [(f.name, f.module, f.function) for f in functions] == [
        ("F", "infra/fn/index.py", "handler"),
        ("G", None, "handler"),
    ]


def test_a_pipeline_handler_a_cdk_app_names_is_not_flagged(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "cdk.json": "{}",
            "stack.py": (
                "from aws_cdk import aws_lambda\n"
                'fn = aws_lambda.Function(self, "Etl", handler="etl.handler",\n'
                '    runtime=aws_lambda.Runtime.PYTHON_3_12, code=aws_lambda.Code.from_asset("f"))\n'
            ),
            "f/etl.py": PIPELINE,
        },
    )
    assert _located(root) == []


def test_a_node_function_wired_to_http_is_not_reported_in_a_python_stack(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "cdk.json": "{}",
            "stack.py": (
                "from aws_cdk import aws_apigateway, aws_lambda\n"
                'fn = aws_lambda.Function(self, "Web", handler="index.handler",\n'
                "    runtime=aws_lambda.Runtime.NODEJS_20_X,\n"
                '    code=aws_lambda.Code.from_asset("web"))\n'
                'aws_apigateway.LambdaRestApi(self, "Api", handler=fn)\n'
            ),
            "web/index.js": "exports.handler = async () => ({ statusCode: 200 });\n",
        },
    )
    assert _located(root) == []


def test_without_cdk_json_the_constructs_are_not_read(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "stack.py": (
                "from aws_cdk import aws_apigateway, aws_lambda\n"
                'fn = aws_lambda.Function(self, "Fn", handler="app.handler",\n'
                '    code=aws_lambda.Code.from_asset("src"))\n'
                'aws_apigateway.LambdaRestApi(self, "Api", handler=fn)\n'
            ),
            "src/app.py": "def handler(event, context):\n    return []\n",
        },
    )
    assert _located(root) == []


def test_a_root_s_sub_folders_are_listed_again_once_it_changes(tmp_path: Path) -> None:
    settled = 1_000_000_000  # 2001: long still
    (tmp_path / "service").mkdir()
    os.utime(tmp_path, ns=(settled, settled))
    assert child_folders(tmp_path) == [tmp_path / "service"]
    # kept while the root's modification time stays (shown by putting it back by hand)
    (tmp_path / "docs").mkdir()
    os.utime(tmp_path, ns=(settled, settled))
    assert child_folders(tmp_path) == [tmp_path / "service"]
    (tmp_path / "docs").rmdir()
    (tmp_path / "infra").mkdir()  # the root's modification time moves: listed again
    assert child_folders(tmp_path) == [tmp_path / "infra", tmp_path / "service"]
    # a folder changed just now is listed every time (its clock may not tick before it changes
    # again), and a new app in it is found at once
    (tmp_path / "infra" / "cdk.json").write_text("{}", encoding="utf-8")
    (tmp_path / "web").mkdir()
    assert cdk_apps(tmp_path, below=True) == [tmp_path / "infra"]
    assert tmp_path / "web" in child_folders(tmp_path)
