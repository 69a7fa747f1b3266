"""Subclasses in another module: their `self._store(...)` is the base class's method."""

import json

from app.auth import TokenAuth


class CertificateAuth(TokenAuth):
    def exchange(self, reply: str) -> None:
        token_data = json.loads(reply)
        self._store(token_data)


class PinnedCertificateAuth(CertificateAuth):
    def pin(self, token: str) -> None:
        self._store({"access_token": token, "expires_in": 3600.0})
