"""A signature typed by a type comment (as chalice's sweeper types its handlers): an annotation
added beside it would contradict it, and type checkers reject both."""

from typing import Dict, Union


def summary(name, size):
    # type: (str, int) -> Dict[str, Union[str, int]]
    return {"name": name, "size": size}


print(summary("a", 1)["name"], summary("b", 2)["size"])
