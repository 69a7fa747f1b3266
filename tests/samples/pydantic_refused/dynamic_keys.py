"""The dict's keys are chosen at run time further along the flow."""


def describe(row: dict, field: str) -> str:
    return f"{row['name']}={row[field]}"


ROW = {"name": "bolt", "size": 3}
print(describe(ROW, "size"), describe({"name": "nut", "size": 1}, "name"))
