"""A library's exported function: callers outside the project pass dicts."""

__all__ = ["label"]


def label(item: dict) -> str:
    return f"{item['name']} x{item['count']}"


print(label({"name": "bolt", "count": 3}))
