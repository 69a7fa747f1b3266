"""STD305: a Python project with none of the standard's reasons for Python (the llm package,
livekit-agents, an AWS Lambda data pipeline)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from rules.lambda_handlers import (
    is_handler_like,
    parse_module,
    project_templates,
    returns_proxy_response,
)
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.project_files import (
    PROJECT_TABLE,
    PYPROJECT,
    declared_dependencies,
    file_directory,
    header_range,
    normalise_name,
    parse_toml,
    read_text_file,
    table,
)
from rules.registry import register
from rules.rule import FileContext, FileRule
from rules.walk import iter_files

STD305 = "STD305"
LLM_PACKAGES = frozenset({"llm", "progression-labs-llm"})
LIVEKIT_PACKAGES = frozenset({"livekit-agents", "progression-labs-livekit-agents"})
SANCTIONED = LLM_PACKAGES | LIVEKIT_PACKAGES
REASONS = (
    "Python is only used for the llm package (LLM services, RAG, evals), livekit-agents "
    "(voice/video agents) or AWS Lambda data pipelines; none applies here, so TypeScript is "
    "the default"
)
# A project with more Python files than this is not searched further for a Lambda handler.
MAX_FILES_SEARCHED = 2000
_HANDLER_HINT = re.compile(r"^(?:async\s+)?def\s+\w+\s*\(\s*_?event\b", re.MULTILINE)
PIPELINE_HANDLER = """\
def handler(event, context):
    for record in event["Records"]:
        print(record["s3"]["object"]["key"])
"""
SERVICE = '[project]\nname = "svc"\ndependencies = ["pydantic"]\n'


def _has_pipeline_handler(root: Path) -> bool:
    """Whether the project declares (in a template) or contains a Lambda handler that is not
    an HTTP one."""
    for _name, functions in project_templates(root):
        if any(not function.http_events for function in functions):
            return True
    for count, path in enumerate(iter_files([root], lambda path: path.suffix == ".py")):
        if count >= MAX_FILES_SEARCHED:
            return False
        text = read_text_file(path)
        if text is None or _HANDLER_HINT.search(text) is None:
            continue
        tree = parse_module(text)
        if tree is None:
            continue
        for statement in tree.body:
            if (
                isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                and is_handler_like(statement)
                and returns_proxy_response(statement) is None
            ):
                return True
    return False


@register
class PythonWithoutReason(FileRule):
    code = STD305
    name = "python-without-reason"
    summary = "A Python project with no sanctioned reason: TypeScript is the default"
    severities = TierSeverities(
        production=Severity.INFORMATION, internal=Severity.INFORMATION, prototype=Severity.HINT
    )
    patterns = (PYPROJECT,)
    doc = RuleDoc(
        what=(
            "Flags the `[project]` table of a project that depends on neither the llm package "
            "nor livekit-agents, contains no AWS Lambda data-pipeline handler (a SAM or "
            "Serverless function without HTTP events, or a `handler(event, context)` that does "
            "not return a proxy response), and is not itself one of those packages. "
            "`[project.scripts]` entries are named: CLI tools are TypeScript too."
        ),
        why=(
            "Python is only used when you need an existing progression-labs/ package: the llm "
            "package, livekit-agents, or the mature Python Lambda ecosystem for data pipelines. "
            "Backend APIs, CLI tools and general services are written in TypeScript."
        ),
        bad=[
            RuleExample(source=SERVICE, path=f"service/{PYPROJECT}", expected_codes=[STD305]),
            RuleExample(
                source=SERVICE + '\n[project.scripts]\nsvc = "svc.cli:main"\n',
                path=f"service/{PYPROJECT}",
                expected_codes=[STD305],
            ),
        ],
        good=[
            RuleExample(
                source='[project]\nname = "rag"\ndependencies = ["llm>=1.2"]\n',
                path=f"service/{PYPROJECT}",
            ),
            RuleExample(
                source='[project]\nname = "agent"\ndependencies = ["livekit-agents"]\n',
                path=f"service/{PYPROJECT}",
            ),
            RuleExample(
                source='[project]\nname = "ingest"\n',
                path=f"service/{PYPROJECT}",
                files={"ingest/app.py": PIPELINE_HANDLER},
            ),
        ],
    )

    def check_file(self, context: FileContext) -> Iterator[Finding]:
        data = parse_toml(context.text)
        project = table(data, PROJECT_TABLE)
        if context.text is None or project is None:
            return
        name = project.get("name")
        if isinstance(name, str) and normalise_name(name) in SANCTIONED:
            return
        if any(dependency.name in SANCTIONED for dependency in declared_dependencies(data)):
            return
        directory = file_directory(context.path)
        if directory is not None and _has_pipeline_handler(directory):
            return
        message = REASONS
        scripts = sorted(table(project, "scripts") or {})
        if scripts:
            names = ", ".join(f"`{script}`" for script in scripts)
            message += f"; the command-line tools ({names}) are TypeScript too"
        yield self.finding(message, header_range(context.text, PROJECT_TABLE))
