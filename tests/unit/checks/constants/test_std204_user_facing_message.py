"""STD204: which literal messages reach a user, and the fix's `..._MESSAGE` name."""

from __future__ import annotations

import pytest

from tests.support.models import findings, fix_first

FLAGGED = {
    "fastapi-detail": (
        "from fastapi import HTTPException\n\n\ndef get(found):\n    if not found:\n"
        '        raise HTTPException(404, "Order not found")\n'
    ),
    "json-response": (
        "from fastapi.responses import JSONResponse\n\n\ndef get():\n"
        '    return JSONResponse(status_code=404, content={"detail": "Not found here"})\n'
    ),
    "route-body": (
        '@app.post("/login")\ndef login():\n    return {"message": "Session cookie set"}\n'
    ),
    "chalice-error": (
        "from chalice import BadRequestError\n\n\ndef parse(body):\n    try:\n"
        "        return json.loads(body)\n    except ValueError:\n"
        '        raise BadRequestError("Error parsing JSON")\n'
    ),
    "fastapi-aliased": (
        "from fastapi import HTTPException as Refusal\n\n\ndef get(found):\n    if not found:\n"
        '        raise Refusal(status_code=404, detail="Order not found")\n'
    ),
    "fastapi-module": (
        "import fastapi\n\n\ndef get(found):\n    if not found:\n"
        '        raise fastapi.HTTPException(status_code=404, detail="Order not found")\n'
    ),
    "starlette-exceptions-module": (
        "from starlette import exceptions\n\n\ndef get(found):\n    if not found:\n"
        '        raise exceptions.HTTPException(404, "Order not found")\n'
    ),
    "starlette-dotted": (
        "import starlette.exceptions\n\n\ndef get(found):\n    if not found:\n"
        '        raise starlette.exceptions.HTTPException(404, "Order not found")\n'
    ),
    "imported-in-the-function": (
        "def get(found):\n    from chalice import NotFoundError, BadRequestError\n\n"
        '    raise BadRequestError("Error parsing JSON")\n'
    ),
    "lambda-proxy-body": (
        "import json\n\n\ndef handler(event, context):\n"
        '    return {"statusCode": 400, "body": json.dumps({"error": "Missing order id"})}\n'
    ),
}
NOT_FLAGGED = {
    "internal-exception": 'def f(size):\n    raise ValueError("size must not be negative")\n',
    "log-message": 'def f():\n    logger.error("could not connect to it")\n',
    "a-code-not-a-message": (
        "def get(found):\n    if not found:\n"
        '        raise HTTPException(status_code=404, detail="not_found")\n'
    ),
    "plain-function-dict": 'def f():\n    return {"message": "Hello there"}\n',
    "a-local-class": (
        "class HTTPException(Exception):\n    pass\n\n\ndef get(found):\n    if not found:\n"
        '        raise HTTPException(status_code=404, detail="Order not found")\n'
    ),
    "a-local-module's-class": (
        "from .errors import BadRequestError\n\n\ndef parse(body):\n"
        '    raise BadRequestError("Error parsing JSON")\n'
    ),
    "a-project-module's-class": (
        "from service.errors import HTTPException\n\n\ndef get():\n"
        '    raise HTTPException(status_code=404, detail="Order not found")\n'
    ),
    "http-client": (
        "import http.client\n\n\ndef get():\n"
        '    raise http.client.HTTPException("the server went away")\n'
    ),
    "not-imported-at-all": (
        'def get():\n    raise HTTPException(status_code=404, detail="Order not found")\n'
    ),
    "module-level": 'DETAIL = HTTPException(404, detail="Order not found")\n',
}


@pytest.mark.parametrize("source", FLAGGED.values(), ids=FLAGGED.keys())
def test_messages_that_reach_a_user_are_flagged(source: str) -> None:
    assert [finding.code for finding in findings(source, "STD204")] == ["STD204"]


@pytest.mark.parametrize("source", NOT_FLAGGED.values(), ids=NOT_FLAGGED.keys())
def test_internal_messages_are_not(source: str) -> None:
    assert findings(source, "STD204") == []


def test_the_constant_is_named_from_the_message_and_ends_in_message() -> None:
    fixed, _fix = fix_first(FLAGGED["lambda-proxy-body"], "STD204")
    assert 'MISSING_ORDER_ID_MESSAGE = "Missing order id"' in fixed
    assert 'json.dumps({"error": MISSING_ORDER_ID_MESSAGE})' in fixed
    compile(fixed, "fixed.py", "exec")


def test_test_files_are_not_checked() -> None:
    assert findings(FLAGGED["fastapi-detail"], "STD204", path="tests/test_api.py") == []


FRAMEWORK_OWN = (
    "class BadRequestError(Exception):\n    pass\n\n\ndef parse(body):\n"
    '    raise BadRequestError("Error parsing JSON")\n'
)


def test_a_framework_s_own_exceptions_count_in_its_own_package() -> None:
    assert [f.code for f in findings(FRAMEWORK_OWN, "STD204", path="chalice/app.py")] == ["STD204"]
    assert findings(FRAMEWORK_OWN, "STD204", path="service/app.py") == []


def test_an_import_in_another_unit_counts_and_the_message_names_the_framework_s_class() -> None:
    source = (
        "from fastapi import HTTPException as Refusal\n\n\ndef get(found):\n"
        '    raise Refusal(404, "Order not found")\n'
    )
    (finding,) = findings(source, "STD204")
    assert "`HTTPException`" in finding.message
    assert finding.range.start.line == 4
    fixed, _fix = fix_first(source, "STD204")
    assert 'ORDER_NOT_FOUND_MESSAGE = "Order not found"' in fixed
    assert "raise Refusal(404, ORDER_NOT_FOUND_MESSAGE)" in fixed
