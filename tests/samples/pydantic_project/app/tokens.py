"""Claims and headers."""


def subject(payload: dict) -> str:
    if "sub" not in payload:
        return "anonymous"
    return str(payload["sub"])


def cors_headers(origin: str) -> dict:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
