"""Handlers called through `getattr` with a computed name (as chalice's sweeper calls its
`_delete_*` methods): no search for a handler's name finds that caller, which reads a dict."""


class Sweeper:
    def _delete_bucket(self, name: str):
        return {"action": "delete_bucket", "message": f"Deleting bucket {name}"}

    def _delete_queue(self, name: str):
        return {"action": "delete_queue", "message": f"Deleting queue {name}"}

    def plan(self, kind: str, name: str) -> str:
        handler = getattr(self, "_delete_%s" % kind)
        step = handler(name)
        return f"{step['action']}: {step['message']}"


print(Sweeper().plan("bucket", "logs"), Sweeper().plan("queue", "jobs"))
