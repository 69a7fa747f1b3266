"""Sample: user records passed in and returned as dicts (the standard's own example, grown)."""

import sys


def process_user(user: dict) -> dict:
    # the name is shown in capitals
    return {"id": user["id"], "name": user["name"].upper()}


def greeting(person: dict) -> str:
    title = person.get("title", "")
    nickname = person.get("nickname")
    if "nickname" in person and nickname:
        return f"Hi {nickname}"
    return f"Hello {title} {person['name']}".replace("  ", " ")


def main() -> None:
    processed = process_user({"id": 7, "name": "ada"})["name"]
    assert processed == "ADA", processed
    print(processed)
    print(greeting({"name": "Ada", "title": "Dr"}))
    print(greeting({"name": "Grace", "nickname": "Amazing Grace"}))
    print(greeting({"name": "Alan"}))


if __name__ == "__main__":
    main()
    sys.exit(0)
