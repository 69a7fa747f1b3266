"""The callers, in another module."""

import json

from app.tokens import cors_headers, subject


def run() -> None:
    payload = json.loads('{"sub": null}')
    print(subject(payload))
    print(subject({"sub": "ada"}))
    headers = {"Content-Type": "text/plain"}
    headers.update(cors_headers("https://example.org"))
    print(json.dumps(headers, sort_keys=True))
