"""An upload's outcome, read with `.get("k")` in another module (slack_sdk's
`_upload_file_via_v2_url`, read by `result.get("status")`)."""


def upload(size: int) -> dict:
    status = 200 if size else 400
    return {"status": status, "body": "stored" if size else "empty"}
