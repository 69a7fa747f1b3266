"""STD102: an unannotated function returns dict displays with constant keys."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rules.checks.models.model_fix import ConvertsToModel, checked_functions, return_candidate
from rules.checks.models.refusal_docs import refusals_markdown
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import RefactorOffer, RefactorRequest, UnitContext

MAKE_POINT = """def make_point(x: int, y: int):
    return {"x": x, "y": y, "label": f"{x},{y}"}


print(make_point(1, 2)["label"])
"""
MAKE_POINT_FIXED = """from pydantic import BaseModel


class MadePoint(BaseModel):
    x: int
    y: int
    label: str


def make_point(x: int, y: int) -> MadePoint:
    return MadePoint(x=x, y=y, label=f"{x},{y}")


print(make_point(1, 2).label)
"""
STD102 = "STD102"


@register
class DictReturn(ConvertsToModel):
    code = STD102
    name = "unannotated-dict-return"
    summary = "A function without a return annotation returns dict literals with constant keys"
    severities = TierSeverities(
        production=Severity.WARNING, internal=Severity.WARNING, prototype=Severity.HINT
    )
    doc = RuleDoc(
        what=(
            "Flags a function with no return annotation whose every `return` gives a dict "
            "display with constant string keys (and that cannot end without returning), "
            "unless code of the module uses its result as a dict (`**f()`, `f().items()`, "
            "passing it on, binding it to a global). "
            "Not flagged: generators, functions that may return something else, dunder and "
            "serialisation methods (`to_dict`, `as_dict`, `model_dump`), `@override`s and "
            "members of classes with a base class, test files; and dicts whose shape is "
            "someone else's, as STD101's page says (a map of HTTP headers, an API Gateway "
            "response, a conversion into another format, a payload builder, a builder "
            "class's `build()`)."
        ),
        why=(
            "The dict's shape is known where it is built, so it should have a name and a "
            "type: a Pydantic model. The fix generates the model, annotates the function, "
            'turns each returned display into a construction and `f(...)["k"]` or '
            '`f(...).get("k")` anywhere in the project into `f(...).k`; any other use of the '
            "result gets `.model_dump()` there, so it receives the same dict (unsafe fix)."
        ),
        refusals=refusals_markdown(),
        bad=[
            RuleExample(
                source=MAKE_POINT,
                expected_codes=[STD102],
                fixed=MAKE_POINT_FIXED,
                unsafe=True,
            )
        ],
        good=[
            RuleExample(
                source=(
                    'def headers(token):\n    if token:\n        return {"Authorization": token}\n'
                )
            ),
            RuleExample(
                source=('class Point:\n    def __getstate__(self):\n        return {"x": self.x}\n')
            ),
        ],
    )

    def candidates_in(self, context: UnitContext) -> Iterator[Finding]:
        if not any(isinstance(node.value, ast.Dict) for node in context.nodes_of(ast.Return)):
            return  # no dict display is returned anywhere in the unit: nothing to look at
        for function in checked_functions(context):
            returned = return_candidate(function, annotated=False)
            if returned is not None and returned.external is None:
                message = (
                    f"`{function.name}` returns dict literals with known keys "
                    f"({returned.shown_keys}) and no annotation: return a Pydantic model"
                )
                yield self.finding_for(context, returned, message)

    def offer_refactorings(self, request: RefactorRequest) -> list[RefactorOffer]:
        del request  # STD101 offers every conversion, this rule's included
        return []
