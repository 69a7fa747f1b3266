"""The function fills in the caller's dict, and the caller reads what it filled in."""


def stamp(order: dict) -> None:
    order["status"] = "stamped"
    order["total"] = order["price"] * order["count"]


ORDER = {"price": 3, "count": 2}
stamp(ORDER)
print(ORDER["status"], ORDER["total"])
