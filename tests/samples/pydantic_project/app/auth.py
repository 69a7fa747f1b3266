"""A token cache, and the exchange that fills it."""


class TokenAuth:
    def __init__(self) -> None:
        self.token = ""
        self.lifetime = 0.0

    def refresh(self, reply: str) -> None:
        lifetime, token = reply.split(":")
        self._store({"access_token": token, "expires_in": float(lifetime)})

    def _store(self, token_data: dict) -> None:
        self.token = token_data["access_token"]
        self.lifetime = token_data["expires_in"] / 2
