"""Sample: keys that are not identifiers, a taken name, a nested function, a decorator."""

User = "a name this module already uses"


def render(user: dict) -> str:
    return f"{user['first-name']} ({user['class']})"


def logged(function):
    def wrapper(*args):
        print("calling", function.__name__)
        return function(*args)

    return wrapper


@logged
def summarise(rows: list[int]) -> str:
    def stats(values: list[int]):
        return {"count": len(values), "total": sum(values)}

    return f"{stats(rows)['count']} rows, total {stats(rows)['total']}"


def main() -> None:
    print(render({"first-name": "Ada", "class": "admin"}))
    print(summarise([1, 2, 3]))
    print(User)


if __name__ == "__main__":
    main()
