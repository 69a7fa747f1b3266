"""STD202 (hard-coded URL) and STD203 (repeated literal): detection and exemptions."""

from __future__ import annotations

import pytest

from rules.checks.constants import std203_repeated_literal as std203
from rules.engine import Engine, SourceFile
from rules.settings import Options
from tests.support.engine import flagged, rule_settings
from tests.support.paths import STDLIB

EDITS_MOVING_GROUPS = 30
MEMO_PATH = "/project/memo.py"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            'def f():\n    return get("https://api.example.com/v1/users")\n',
            ['"https://api.example.com/v1/users"'],
        ),
        (
            'def f():\n    return "http://localhost:8000/health"\n',
            ['"http://localhost:8000/health"'],
        ),
        ('def f():\n    return "ws://events.example.com"\n', ['"ws://events.example.com"']),
        ('def f():\n    return "gs://bucket/key"\n', ['"gs://bucket/key"']),
        ('def f():\n    return "s3://bucket/key"\n', ['"s3://bucket/key"']),
        ('def f():\n    return "/v1/orders"\n', ['"/v1/orders"']),
        ('def f():\n    return "/api/orders"\n', ['"/api/orders"']),
        (
            'def f(i):\n    return f"https://x.example.com/u/{i}"\n',
            ['f"https://x.example.com/u/{i}"'],
        ),
        (
            'class A:\n    def m(self):\n        return "https://example.com"\n',
            ['"https://example.com"'],
        ),
    ],
)
def test_urls_flagged(source: str, expected: list[str]) -> None:
    assert flagged("STD202", source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('URL = "https://example.com"\n', id="module constant"),
        pytest.param('def f():\n    """See https://example.com/docs."""\n', id="docstring"),
        pytest.param('def f():\n    logger.info("https://example.com")\n', id="log message"),
        pytest.param('def f():\n    logging.warning("%s", "https://example.com")\n', id="logging"),
        pytest.param('def f(u="https://example.com"):\n    pass\n', id="default value"),
        pytest.param('def f(u):\n    return u.startswith("https://")\n', id="bare scheme"),
        pytest.param('def f():\n    return "see https://example.com"\n', id="prose"),
        pytest.param('def f():\n    return "http://www.w3.org/2000/xmlns/"\n', id="xml namespace"),
        pytest.param('def f(h, p):\n    return "http://%s:%d/" % (h, p)\n', id="host template"),
        pytest.param('def f(h):\n    return f"https://{h}/x"\n', id="f-string without host"),
        pytest.param('def f():\n    return "/usr/lib/v1"\n', id="file path"),
        pytest.param('def f(u):\n    return re.sub("https://$", "", u)\n', id="regex fragment"),
        pytest.param(
            'def f():\n    docs = "https://docs.example.com/tags#define"\n    raise E(docs)\n',
            id="documentation link",
        ),
        pytest.param(
            'def f(k):\n    return Creds(k, scopes=["https://www.googleapis.com/auth/x"])\n',
            id="oauth scope",
        ),
        pytest.param(
            'def f(line):\n    return "https://errors.pydantic.dev" not in line\n',
            id="searched as text",
        ),
        pytest.param('def f(r):\n    return "https://cognito-idp." + r\n', id="host fragment"),
        pytest.param(
            'def f(s):\n    return re.match(r"s3://[^/]+/.*", s)\n', id="a pattern (no crash)"
        ),
        pytest.param(
            'def f(router):\n    @router.put("/v1/{tid}")\n    def g():\n        pass\n',
            id="route template in a decorator",
        ),
    ],
)
def test_urls_not_flagged(source: str) -> None:
    assert flagged("STD202", source) == []


def test_urls_not_flagged_in_tests() -> None:
    source = 'def test_f():\n    assert get("https://example.com")\n'
    assert flagged("STD202", source, is_test=True) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'def f(job):\n    job.state = "pending"\n    return "pending"\n\n\n'
            'def g(job):\n    job.state = "pending"\n',
            ['"pending"', '"pending"'],
            id="strings",
        ),
        pytest.param(
            "def f(x):\n    return x * 86400\nprint(86400)\n", ["86400", "86400"], id="numbers"
        ),
        pytest.param(
            "def f(poll_interval: float = 60.0):\n    pass\n\n\n"
            "def g(poll_interval: float = 60.0):\n    pass\n",
            ["60.0", "60.0"],
            id="the same default in two signatures",
        ),
        pytest.param(
            'def f():\n    raise ValueError("amount must be positive")\n\n\n'
            'def g():\n    raise ValueError("amount must be positive")\n',
            ['"amount must be positive"', '"amount must be positive"'],
            id="the same message",
        ),
        pytest.param(
            'def f(t):\n    t.add(a, style="dim")\n    t.add(b, style="dim")\n',
            ['"dim"', '"dim"'],
            id="a theme choice is not a vocabulary word",
        ),
        pytest.param(
            'def f(provider: str):\n    if provider == "anthropic":\n        return 1\n'
            '    return provider == "anthropic"\n',
            ['"anthropic"', '"anthropic"'],
            id="an own dispatch key on a plain str",
        ),
        pytest.param(
            'def f(c):\n    c.open(model="gpt-4o-mini")\n    c.ask(model="gpt-4o-mini")\n',
            ['"gpt-4o-mini"', '"gpt-4o-mini"'],
            id="a model name",
        ),
        pytest.param(
            'class A:\n    def m(self):\n        return "abc"\n\n    def n(self):\n        return "abc"\n',
            ['"abc"', '"abc"'],
            id="class members",
        ),
    ],
)
def test_repeated(source: str, expected: list[str]) -> None:
    assert flagged("STD203", source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('def f():\n    """abc"""\n    return "abc"\n', id="docstring"),
        pytest.param('def f(d):\n    return d["name"], d["name"]\n', id="subscript keys"),
        pytest.param('def f():\n    return {"name": 1}, {"name": 2}\n', id="dict keys"),
        pytest.param('def f(d):\n    return d.get("name"), d.pop("name")\n', id="get keys"),
        pytest.param('def f(d):\n    return "name" in d or "name" not in d\n', id="membership"),
        pytest.param(
            'def f(o):\n    return getattr(o, "name"), hasattr(o, "name")\n', id="getattr"
        ),
        pytest.param('__all__ = ["abc", "abc"]\n', id="__all__"),
        pytest.param('def f(x: "Foo") -> "Foo":\n    return cast("Foo", x)\n', id="annotations"),
        pytest.param('def f(b):\n    return b.decode("utf-8"), b.decode("utf-8")\n', id="codecs"),
        pytest.param('def f():\n    return "ab", "ab", "---", "---"\n', id="short and no word"),
        pytest.param('A = "abc"\nB = "abc"\n', id="constant definitions"),
        pytest.param("def f(x):\n    return x[2], x[2]\n", id="exempt numbers"),
        pytest.param('def f():\n    return "__init__", "__init__"\n', id="dunder names"),
        pytest.param("def f():\n    return [10, 20, 30], [10, 20, 30]\n", id="data tables"),
        pytest.param('table = {"a": "xyz", "b": "xyz"}\n', id="module data table"),
        pytest.param("def f():\n    search(n_hits=3, n_snippets_per_hit=3)\n", id="other roles"),
        pytest.param(
            'def f():\n    a(name="lib")\n    b(where="lib")\n', id="two keywords by coincidence"
        ),
        pytest.param(
            'def f(m):\n    send(role="user")\n    return m.role == "user"\n', id="vocabulary"
        ),
        pytest.param(
            'def f():\n    p = [{"type": "text"}, {"type": "text", "text": t}]\n', id="part types"
        ),
        pytest.param(
            'def f(cw):\n    cw.get(statistic="Sum")\n    cw.get(statistic="Sum")\n',
            id="statistic names",
        ),
        pytest.param(
            'def f():\n    g(Namespace="AWS/Lambda")\n    h(Namespace="AWS/Lambda")\n',
            id="namespaced word",
        ),
        pytest.param(
            'def f():\n    boto3.client("config")\n    boto3.client("config")\n', id="service name"
        ),
        pytest.param('def f():\n    _("a moment")\n    _("a moment")\n', id="gettext"),
        pytest.param(
            'def f(m):\n    m._get_prompt("generate_verdicts")\n    m._get_prompt("generate_verdicts")\n',
            id="a method name",
        ),
        pytest.param('def f():\n    warn("TaskNode")\n    warn("TaskNode")\n', id="a class name"),
        pytest.param(
            'def f(s):\n    s.send(type="realtime")\n    return s.kind == "realtime"\n',
            id="a discriminator",
        ),
        pytest.param(
            'def f(c):\n    c.request("POST", "/a b")\n    c.request("POST", "/c d")\n',
            id="an HTTP method",
        ),
        pytest.param(
            'def a(n: int = typer.Option(3, "--max-retries")):\n    pass\n\n\n'
            'def b(n: int = typer.Option(3, "--max-contexts")):\n    pass\n',
            id="defaults of two different options",
        ),
        pytest.param(
            'def f(kind: Literal["AVRO", "JSON"]):\n    return kind == "AVRO" or g(kind == "AVRO")\n',
            id="a Literal parameter's word",
        ),
        pytest.param(
            'def f(s, cb):\n    s.on("item_added", cb)\n    s.off("item_added", cb)\n',
            id="event names",
        ),
        pytest.param(
            'def f():\n    g(Effect="Allow", Action="lambda:InvokeFunction")\n'
            '    h(Effect="Allow", Action="lambda:InvokeFunction")\n',
            id="IAM words",
        ),
        pytest.param(
            'def f(u, v):\n    return u.startswith("https://") or v.startswith("https://")\n',
            id="bare scheme",
        ),
        pytest.param(
            'def f(n):\n    ngettext("one item", "many items", n)\n    ngettext("one item", "many items", n)\n',
            id="ngettext",
        ),
        pytest.param(
            'def f():\n    log.info("loaded %s", a)\n    log.info("loaded %s", b)\n',
            id="log template",
        ),
        pytest.param(
            'def f(p, q):\n    p.add_argument("--model", action="store_true")\n'
            '    q.add_argument("--model", action="store_true")\n',
            id="cli options",
        ),
        pytest.param(
            'def f():\n    @click.option("--model")\n    def a(): ...\n    @click.option("--model")\n    def b(): ...\n',
            id="click options",
        ),
    ],
)
def test_not_repeated(source: str) -> None:
    assert flagged("STD203", source) == []


def test_two_occurrences_in_one_expression() -> None:
    assert flagged("STD203", "def f():\n    return 5 + 5\n") == ["5", "5"]


def test_min_count_and_length_options() -> None:
    source = 'def f():\n    g("a b")\n    g("a b")\n    g("x y")\n    g("x y")\n'
    options = Options(repeated_literal_min_count=3, repeated_string_min_length=2)
    assert flagged("STD203", source, options) == []
    options = Options(repeated_string_min_length=2)
    assert flagged("STD203", source, options) == ['"a b"', '"a b"', '"x y"', '"x y"']


def test_repeated_literal_message_fix_and_test_files() -> None:
    source = 'def f():\n    a = "pending"\n\n\ndef g():\n    a = "pending"\n'
    analysis = Engine().check(SourceFile(text=source, settings=rule_settings("STD203")))
    first, second = analysis.findings
    assert (
        first.message == "`'pending'` appears 2 times in this module assigned to `a` (lines 2, 6)"
    )
    assert first.fix is not None
    assert (
        first.fix.title == "Extract all 2 occurrences of `'pending'` to module constant `PENDING`"
    )
    assert first.fix.safety == "unsafe"
    assert second.range.start.line == 5
    assert flagged("STD203", source, is_test=True) == []


def test_incremental_check_agrees_with_fresh_check() -> None:
    engine = Engine()
    before = 'def f():\n    return "pending"\n\n\ndef g():\n    return 1\n'
    after = 'def f():\n    return "pending"\n\n\ndef g():\n    return "pending"\n'
    first = engine.check(SourceFile(text=before, settings=rule_settings("STD203")))
    assert first.findings == []
    incremental = engine.check(
        SourceFile(text=after, settings=rule_settings("STD203")), cache=first.cache
    )
    fresh = engine.check(SourceFile(text=after, settings=rule_settings("STD203")))
    assert incremental.findings == fresh.findings
    assert len(fresh.findings) == 2


def test_incremental_check_of_a_statement_merged_by_parsing_the_rest() -> None:
    """cgitb's `text()` is found by parsing the rest of the module; with parse outcomes from the
    cache (kept without trees) it must be found the same way (it was a syntax error)."""
    path = STDLIB / "cgitb.py"
    if not path.exists():
        pytest.skip("cgitb is not in this interpreter's standard library")
    text = path.read_text(encoding="utf-8")
    engine = Engine()
    first = engine.check(SourceFile(text=text, settings=rule_settings("STD201")))
    edited = "X = 1\n" + text.replace("context=5", "context=6", 1)
    incremental = engine.check(
        SourceFile(text=edited, settings=rule_settings("STD201")), cache=first.cache
    )
    fresh = engine.check(SourceFile(text=edited, settings=rule_settings("STD201")))
    assert "syntax-error" not in [f.code for f in fresh.findings]
    assert incremental.findings == fresh.findings


def test_command_words_of_call_protocols_are_not_repeated_values() -> None:
    source = 'def f(tk):\n    tk.call("winfo", "x")\n    tk.call("winfo", "y")\n'
    assert flagged("STD203", source) == []


def test_repeated_literal_memo_keeps_only_each_modules_last_check() -> None:
    """Edits that move the groups (a line inserted above them) make new groups every time: the
    memo keeps the groups of the last check of each module, not every group ever seen, and
    a bounded number of modules."""
    engine = Engine()
    settings = rule_settings("STD203")
    body = "".join(f"def f{index}():\n    return 'token-{index % 5}'\n\n\n" for index in range(40))
    cache = None
    for edit in range(EDITS_MOVING_GROUPS):
        text = "x = 1\n" * edit + body
        analysis = engine.check(SourceFile(text=text, settings=settings, path=MEMO_PATH), cache)
        cache = analysis.cache
    groups = {finding.message for finding in analysis.findings}
    assert len(std203._GroupMemo.modules[MEMO_PATH]) == len(groups)
    for index in range(std203.MAX_MEMOISED_MODULES + 1):
        engine.check(SourceFile(text=body, settings=settings, path=f"/project/m{index}.py"))
    assert len(std203._GroupMemo.modules) == std203.MAX_MEMOISED_MODULES
    assert MEMO_PATH not in std203._GroupMemo.modules  # the oldest went first
