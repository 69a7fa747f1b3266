"""Claims, log fields and headers."""


def subject(payload: dict) -> str:
    if "sub" not in payload:
        return payload.get("name", "anonymous")
    return str(payload["sub"])


def guest() -> str:
    return subject({"sub": None, "name": "guest"})


def cors_headers(origin: str) -> dict:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def log_fields(request_id: str) -> dict:
    return {"request-id": request_id, "service": "api"}
