"""A base class's hook that subclasses override: its signature is the base class's."""


class Handler:
    def handle(self, event: dict) -> str:
        return f"{event['kind']}:{event['id']}"


class Loud(Handler):
    def handle(self, event: dict) -> str:
        return super().handle(event).upper()


print(Loud().handle({"kind": "a", "id": 1}), Handler().handle({"kind": "b", "id": 2}))
