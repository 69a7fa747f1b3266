"""A function documented as returning a dictionary: its callers rely on that."""


def settings() -> dict:
    """Return a dictionary of the settings."""
    return {"debug": False, "level": "info"}


print(settings()["level"])
