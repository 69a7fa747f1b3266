"""The "Convert to Pydantic model" rewrite of STD101/STD102: every rewrite rule, exactly."""

from __future__ import annotations

import ast

from rules.checks.models.model_names import (
    field_name,
    free_name,
    parameter_model_name,
    return_model_name,
)
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Position, Range, Safety
from rules.rule import RefactorRequest
from tests.unit.dict_model_support import findings, fix_all, fix_first, resolve, settings


def test_the_standards_own_example() -> None:
    text = 'def process_user(user: dict) -> dict:\n    return {"id": user["id"], "name": user["name"].upper()}\n'
    assert fix_all(text) == (
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class User(BaseModel):\n"
        "    id: Any  # type not inferable from this module: set it\n"
        "    name: str\n"
        "\n"
        "\n"
        "class ProcessedUser(BaseModel):\n"
        "    id: Any  # type not inferable from this module: set it\n"
        "    name: str\n"
        "\n"
        "\n"
        "def process_user(user: User) -> ProcessedUser:\n"
        "    return ProcessedUser(id=user.id, name=user.name.upper())\n"
    )


def test_names() -> None:
    assert parameter_model_name("process_user", "user") == "User"
    assert parameter_model_name("send", "shipping_address") == "ShippingAddress"
    assert parameter_model_name("process_user", "data") == "ProcessUserData"
    assert return_model_name("process_user") == "ProcessedUser"
    assert return_model_name("create_order") == "CreatedOrder"
    assert return_model_name("apply_discount") == "AppliedDiscount"
    assert return_model_name("build_index") == "BuiltIndex"
    assert return_model_name("get_user") == "User"
    assert return_model_name("summary") == "SummaryResult"
    assert return_model_name("_private_thing") == "PrivateThingResult"
    assert free_name("User", {"User"}) == "UserModel"
    assert free_name("User", {"User", "UserModel"}) == "UserModel2"
    assert field_name("first-name", set()) == "first_name"
    assert field_name("class", set()) == "class_"
    assert field_name("2fa", set()) == "field_2fa"
    assert field_name("json", set()) == "json_"
    assert field_name("model_type", set()) == "field_model_type"
    assert field_name("_id", set()) == "id"
    assert field_name("a-b", {"a_b"}) == "a_b_2"


PARAMETER_RULES = """\
def ship(order: dict) -> str:
    order["status"] = "shipped"
    if "note" in order:
        print(order["note"])
    total = order["price"] * 2 + order.get("tax", 0)
    for line in order["lines"]:
        print(line)
    return order["code"].upper() + str(total) + str(order.get("gift"))
"""


def test_every_access_is_rewritten_and_fields_typed_from_use() -> None:
    text = PARAMETER_RULES.replace('if "note" in order', 'if "note" in order and order.get("note")')
    fixed = fix_all(text)
    assert fixed == (
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class Order(BaseModel):\n"
        "    status: str | None = None\n"
        "    note: Any = None  # type not inferable from this module: set it\n"
        "    price: int\n"
        "    tax: int = 0\n"
        "    lines: list[Any]\n"
        "    code: str\n"
        "    gift: Any = None  # type not inferable from this module: set it\n"
        "\n"
        "\n"
        "def ship(order: Order) -> str:\n"
        '    order.status = "shipped"\n'
        '    if "note" in order.model_fields_set and order.note:\n'
        "        print(order.note)\n"
        "    total = order.price * 2 + order.tax\n"
        "    for line in order.lines:\n"
        "        print(line)\n"
        "    return order.code.upper() + str(total) + str(order.gift)\n"
    )


def test_call_sites_with_displays_are_rewritten_others_listed() -> None:
    text = (
        '"""Orders."""\n'
        "\n"
        "import json\n"
        "\n"
        "\n"
        "def label(item: dict) -> str:\n"
        "    return f\"{item['name']} x{item['count']}\"\n"
        "\n"
        "\n"
        'FIRST = label({"name": "bolt", "count": 3})\n'
        'SECOND = label(item={"name": "nut", "count": 4.5})\n'
        "THIRD = label(json.loads(RAW))\n"
    )
    fixed, fix = fix_first(text)
    assert fixed == (
        '"""Orders."""\n'
        "\n"
        "import json\n"
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class Item(BaseModel):\n"
        "    name: Any  # type not inferable from this module: set it\n"
        "    count: Any  # type not inferable from this module: set it\n"
        "\n"
        "\n"
        "def label(item: Item) -> str:\n"
        '    return f"{item.name} x{item.count}"\n'
        "\n"
        "\n"
        'FIRST = label(Item(name="bolt", count=3))\n'
        'SECOND = label(item=Item(name="nut", count=4.5))\n'
        "THIRD = label(Item.model_validate(json.loads(RAW)))\n"
    )
    assert fix.safety is Safety.UNSAFE
    assert fix.title == "Convert `item` to Pydantic model `Item` (3 call sites in 1 file)"
    assert "1 argument(s) that are not dict displays are validated" in fix.description


def test_a_key_missing_at_a_call_site_makes_the_field_optional() -> None:
    text = 'def f(p: dict):\n    return p["a"], p["b"]\n\n\nf({"a": 1, "b": "x"})\nf({"a": 2})\n'
    fixed = fix_all(text, "STD101")
    assert "    a: int\n    b: str | None = None\n" in fixed
    assert 'f(P(a=1, b="x"))' not in fixed  # `p` is a generic name: function + parameter
    assert 'f(FP(a=1, b="x"))\nf(FP(a=2))\n' in fixed


def test_keys_that_are_not_identifiers_get_aliases() -> None:
    text = (
        "def render(user: dict) -> str:\n"
        '    return user["first-name"] + user["class"] + user["json"]\n'
        "\n"
        "\n"
        'print(render({"first-name": "Ada", "class": "x", "json": "y"}))\n'
    )
    fixed = fix_all(text)
    assert fixed == (
        "from pydantic import BaseModel, ConfigDict, Field\n"
        "\n"
        "\n"
        "class User(BaseModel):\n"
        "    model_config = ConfigDict(populate_by_name=True)\n"
        '    first_name: str = Field(alias="first-name")\n'
        '    class_: str = Field(alias="class")\n'
        '    json_: str = Field(alias="json")\n'
        "\n"
        "\n"
        "def render(user: User) -> str:\n"
        "    return user.first_name + user.class_ + user.json_\n"
        "\n"
        "\n"
        'print(render(User(first_name="Ada", class_="x", json_="y")))\n'
    )
    namespace: dict[str, object] = {}
    exec(compile(fixed.replace("print(", "RESULT = ("), "<fixed>", "exec"), namespace)  # noqa: S102
    assert namespace["RESULT"] == "Adaxy"


def test_return_types_come_from_values_and_missing_keys_are_optional() -> None:
    text = (
        "def make_point(x: int, label):\n"
        "    if label:\n"
        '        return {"x": x, "ok": x > 0, "label": label, "ratio": x / 2}\n'
        '    return {"x": x, "ok": False, "ratio": 0.5}\n'
        "\n"
        "\n"
        'print(make_point(1, "a")["label"])\n'
        "\n"
        "\n"
        "def later():\n"
        "    point = make_point(2, None)\n"
        '    return point["x"] + point["ratio"]\n'
    )
    fixed, fix = fix_first(text)
    assert fixed == (
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class MadePoint(BaseModel):\n"
        "    x: int\n"
        "    ok: bool\n"
        "    label: Any = None  # type not inferable from this module: set it\n"
        "    ratio: float\n"
        "\n"
        "\n"
        "def make_point(x: int, label) -> MadePoint:\n"
        "    if label:\n"
        "        return MadePoint(x=x, ok=x > 0, label=label, ratio=x / 2)\n"
        "    return MadePoint(x=x, ok=False, ratio=0.5)\n"
        "\n"
        "\n"
        'print(make_point(1, "a").label)\n'
        "\n"
        "\n"
        "def later():\n"
        "    point = make_point(2, None)\n"
        "    return point.x + point.ratio\n"
    )
    assert "uses the result as a dict" not in fix.description
    assert (
        fix.title
        == "Convert the return of `make_point` to Pydantic model `MadePoint` (2 call sites in 1 file)"
    )


def test_multiline_displays_keep_their_layout_and_comments() -> None:
    text = (
        "# Settings.\n"
        "import os  # the environment\n"
        "\n"
        "\n"
        "# Build the settings.\n"
        "def build_settings():\n"
        "    # defaults first\n"
        "    return {\n"
        '        "debug": False,  # off in production\n'
        '        "home": os.sep,\n'
        "    }\n"
    )
    assert fix_all(text) == (
        "# Settings.\n"
        "import os  # the environment\n"
        "\n"
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class BuiltSettings(BaseModel):\n"
        "    debug: bool\n"
        "    home: Any  # type not inferable from this module: set it\n"
        "\n"
        "\n"
        "# Build the settings.\n"
        "def build_settings() -> BuiltSettings:\n"
        "    # defaults first\n"
        "    return BuiltSettings(\n"
        "        debug=False,  # off in production\n"
        "        home=os.sep,\n"
        "    )\n"
    ).replace(
        "import os  # the environment\n\nfrom typing import Any\n",
        "import os  # the environment\nfrom typing import Any\n",
    )


def test_name_collisions_get_a_suffix() -> None:
    text = 'User = "taken"\n\n\ndef f(user: dict) -> str:\n    return user["name"].upper()\n'
    fixed = fix_all(text)
    assert "class UserModel(BaseModel):" in fixed
    assert "def f(user: UserModel) -> str:" in fixed
    assert fixed.startswith('from pydantic import BaseModel\n\nUser = "taken"\n')


def test_an_identical_existing_model_is_reused() -> None:
    text = (
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class Point(BaseModel):\n"
        "    x: int\n"
        "    y: int\n"
        "\n"
        "\n"
        "def origin():\n"
        '    return {"x": 0, "y": 0}\n'
    )
    fixed = fix_all(text)
    assert fixed == text.replace("def origin():", "def origin() -> Point:").replace(
        'return {"x": 0, "y": 0}', "return Point(x=0, y=0)"
    )


def test_methods_nested_functions_async_and_decorators() -> None:
    text = (
        "import functools\n"
        "\n"
        "\n"
        "class Store:\n"
        "    def put(self, item: dict) -> None:\n"
        '        self.rows.append(item["id"])\n'
        "\n"
        "    def fill(self) -> None:\n"
        '        self.put({"id": 1})\n'
        "\n"
        "\n"
        "@functools.cache\n"
        "@staticmethod\n"
        "async def outer(query: dict):\n"
        "    async def inner(options: dict):\n"
        '        return options["depth"] + query["page"]\n'
        '    return await inner({"depth": 2})\n'
    )
    fixed = fix_all(text)
    assert fixed == (
        "import functools\n"
        "\n"
        "from typing import Any\n"
        "\n"
        "from pydantic import BaseModel\n"
        "\n"
        "\n"
        "class Item(BaseModel):\n"
        "    id: int\n"
        "\n"
        "\n"
        "class Store:\n"
        "    def put(self, item: Item) -> None:\n"
        "        self.rows.append(item.id)\n"
        "\n"
        "    def fill(self) -> None:\n"
        "        self.put(Item(id=1))\n"
        "\n"
        "\n"
        "class Query(BaseModel):\n"
        "    page: Any  # type not inferable from this module: set it\n"
        "\n"
        "\n"
        "class InnerOptions(BaseModel):\n"
        "    depth: int\n"
        "\n"
        "\n"
        "@functools.cache\n"
        "@staticmethod\n"
        "async def outer(query: Query):\n"
        "    async def inner(options: InnerOptions):\n"
        "        return options.depth + query.page\n"
        "    return await inner(InnerOptions(depth=2))\n"
    ).replace(
        "import functools\n\nfrom typing import Any\n", "import functools\nfrom typing import Any\n"
    )


def test_the_import_is_added_once_and_never_duplicated() -> None:
    text = (
        "from pydantic import Field\n"
        "\n"
        "\n"
        'def a(x: dict):\n    return x["k"]\n'
        "\n"
        "\n"
        'def b(y: dict):\n    return y["k"]\n'
    )
    fixed = fix_all(text)
    assert fixed.count("import") == 2
    assert fixed.startswith("from typing import Any\n\nfrom pydantic import BaseModel, Field\n")
    assert ast.parse(fixed)


def test_the_existing_import_is_kept_as_is() -> None:
    text = 'from pydantic import BaseModel\n\n\ndef a(x: dict) -> int:\n    return x.get("k", 0)\n'
    fixed = fix_all(text)
    assert fixed.startswith("from pydantic import BaseModel\n\n\nclass AX(BaseModel):\n")
    assert fixed.count("from pydantic import") == 1


def test_a_second_application_changes_nothing() -> None:
    text = 'def f(user: dict) -> dict:\n    return {"id": user["id"]}\n'
    once = fix_all(text)
    assert findings(once) == []
    assert fix_all(once) == once


def test_optional_parameter_keeps_its_optionality() -> None:
    text = (
        "from typing import Optional\n\n\n"
        "def f(user: Optional[dict] = None, other: dict | None = None):\n"
        '    if user is None:\n        return None\n    return user["id"], other.get("x")\n'
    )
    fixed = fix_all(text, "STD101")
    assert "def f(user: Optional[User] = None, other: Other | None = None):" in fixed
    assert "return user.id, other.x" in fixed


def test_refactoring_is_offered_where_no_finding_stands() -> None:
    text = 'class Handler(Base):\n    def handle(self, event: dict) -> None:\n        print(event["id"])\n'
    assert findings(text) == []
    request = RefactorRequest(
        text=text,
        range=Range(start=Position(line=1, character=4), end=Position(line=1, character=10)),
        settings=settings(),
    )
    engine = Engine()
    offers = engine.refactorings(request)
    assert [(offer.kind, offer.title) for offer in offers] == [
        ("refactor.rewrite", "Convert `event` to Pydantic model `Event`")
    ]
    fix = engine.resolve_refactoring(request, offers[0])
    assert fix is not None and fix.edits is not None
    fixed = apply_edits(text, fix.edits)
    assert "def handle(self, event: Event) -> None:" in fixed
    assert "print(event.id)" in fixed
    elsewhere = request.model_copy(
        update={
            "range": Range(start=Position(line=2, character=0), end=Position(line=2, character=3))
        }
    )
    assert engine.refactorings(elsewhere) == []


def test_annotated_locals_type_returned_values() -> None:
    text = (
        'def summary(rows: list[int]):\n    total: int = sum(rows)\n    return {"total": total}\n'
    )
    assert "    total: int\n" in fix_all(text)


def test_a_return_used_as_a_dict_elsewhere_in_the_module_is_not_flagged() -> None:
    function = 'def options():\n    return {"verbose": True}\n\n\n'
    assert findings(function + "def run():\n    return go(**options())\n") == []
    assert findings(function + "def run():\n    o = options()\n    return o.items()\n") == []
    assert findings(function + "CALLBACK = options\n") == []
    assert findings(function + "SETTINGS = options()\n") == []
    kept = function + 'def run():\n    o = options()\n    return o["verbose"]\n'
    assert [finding.code for finding in findings(kept)] == ["STD102"]
    assert fix_all(kept).endswith("    o = options()\n    return o.verbose\n")


def test_the_refactoring_lists_references_it_cannot_follow() -> None:
    text = 'def hook(event: dict) -> int:\n    return event["id"]\n\n\nHOOKS = [hook]\n'
    assert findings(text) == []  # handed to someone else: not flagged
    request = RefactorRequest(
        text=text,
        range=Range(start=Position(line=0, character=0), end=Position(line=0, character=5)),
        settings=settings(),
    )
    engine = Engine()
    (offer,) = engine.refactorings(request)
    fix = engine.resolve_refactoring(request, offer)
    assert fix is not None and not fix.edits
    assert fix.refused == "`hook` is handed on uncalled in <buffer>:5"


def test_a_method_of_the_same_name_in_another_class_refuses_the_conversion() -> None:
    text = (
        "class Cart:\n"
        "    def add(self, item: dict) -> None:\n"
        '        print(item["sku"])\n'
        "\n"
        "    def fill(self) -> None:\n"
        '        self.add({"sku": "a"})\n'
        "\n"
        "\n"
        "class Log:\n"
        "    def add(self, entry):\n"
        "        print(entry)\n"
        "\n"
        "    def fill(self) -> None:\n"
        '        self.add({"sku": "b"})\n'
    )
    (finding,) = [found for found in findings(text) if found.fix]
    fix = resolve(text, finding)
    assert fix is not None and not fix.edits
    assert fix.refused is not None
    assert fix.refused.startswith("another `add` is defined in module.py:10")


OFFER_MODULE = (
    "import json\n\n\n"
    "def load(raw: str) -> dict:\n    return json.loads(raw)\n\n\n"
    "class Handler:\n"
    "    @staticmethod\n"
    "    def handle(event: dict) -> None:\n"
    '        print(event["id"], event["kind"])\n\n'
    "    def other(self, options: dict) -> int:\n"
    '        return options["retries"]\n\n\n'
    "@decorated\n"
    "def top(config: dict) -> str:\n"
    '    return config["name"]\n'
)


def test_offers_from_statements_alone_match_offers_from_the_whole_tree() -> None:
    """Given where the top-level statements are, the rewrite offers parse only those near the
    selection, and offer exactly what a parse of the whole module offers, at every line."""
    analysis = Engine().check(SourceFile(text=OFFER_MODULE, settings=settings()))
    statements = analysis.statement_lines()
    assert len(statements) == len(ast.parse(OFFER_MODULE).body)
    engine = Engine()
    for line in range(OFFER_MODULE.count("\n")):
        where = Range(start=Position(line=line, character=0), end=Position(line=line, character=1))
        whole = RefactorRequest(text=OFFER_MODULE, range=where, settings=settings())
        alone = whole.model_copy(update={"statements": statements})
        assert engine.refactorings(alone) == engine.refactorings(whole)
    handler = Range(start=Position(line=9, character=4), end=Position(line=9, character=8))
    request = RefactorRequest(
        text=OFFER_MODULE, range=handler, settings=settings(), statements=statements
    )
    titles = [offer.title for offer in engine.refactorings(request)]
    assert titles == ["Convert `event` to Pydantic model `Event`"]


def test_a_text_with_a_broken_statement_gives_no_statements_and_no_offers() -> None:
    """A rewrite parses the whole text, so nothing is offered while any statement is broken
    (not even next to a signature the offer could name)."""
    broken = OFFER_MODULE + "\n\ndef half(:\n"
    analysis = Engine().check(SourceFile(text=broken, settings=settings()))
    assert analysis.statement_lines() == []
    handler = Range(start=Position(line=9, character=4), end=Position(line=9, character=8))
    request = RefactorRequest(
        text=broken, range=handler, settings=settings(), statements=analysis.statement_lines()
    )
    assert Engine().refactorings(request) == []
