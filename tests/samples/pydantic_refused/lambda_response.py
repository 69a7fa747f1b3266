"""An AWS Lambda handler: the runtime serialises its return value to JSON."""

import json


def handler(event: dict, context: object) -> dict:
    return {"id": event["id"], "kind": event["kind"]}


print(json.dumps(handler({"id": 1, "kind": "s3"}, None)))
