"""The callers, in another module."""

import json

from app.certificates import CertificateAuth, PinnedCertificateAuth
from app.tokens import cors_headers, guest, log_fields, subject
from app.uploads import upload


def run() -> None:
    payload = json.loads('{"sub": null}')
    print(subject(payload))
    print(subject({"sub": "ada"}))
    print(subject(json.loads('{"name": "bob"}')))
    print(guest())
    headers = {"Content-Type": "text/plain"}
    headers.update(cors_headers("https://example.org"))
    print(json.dumps(headers, sort_keys=True))
    record = {"level": "info"}
    record.update(log_fields("r-1"))
    print(json.dumps(record, sort_keys=True))
    auth = CertificateAuth()
    auth.refresh("60:base")
    print(auth.token, auth.lifetime)
    auth.exchange('{"access_token": "exchanged", "expires_in": 30}')
    print(auth.token, auth.lifetime)
    pinned = PinnedCertificateAuth()
    pinned.pin("pinned")
    print(pinned.token, pinned.lifetime)
    outcome = upload(3)
    print(outcome.get("status"), outcome.get("body"))
    print(upload(0).get("status"))
