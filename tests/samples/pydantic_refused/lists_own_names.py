"""A module that finds its error classes by listing its own (as oauthlib's errors.py does): a
model class, and the `BaseModel` imported for it, would be listed too, and `cls.error` fails."""

import inspect
import sys


class MissingTokenError(Exception):
    error = "missing_token"


def describe(error: str) -> dict:
    return {"error": error, "known": _known(error)}


def _known(error: str) -> bool:
    classes = inspect.getmembers(sys.modules[__name__], inspect.isclass)
    return any(cls.error == error for _, cls in classes)


print(describe("missing_token")["error"], describe("expired")["known"])
