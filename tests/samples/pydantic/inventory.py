"""Sample: a method that writes into its dict, a cached builder, an async reader."""

import asyncio
import functools


class Inventory:
    def __init__(self) -> None:
        self.labels: list[str] = []

    def add(self, item: dict) -> str:
        item["label"] = f"{item['name']} x{item['count']}"
        self.labels.append(item["label"])
        return item["label"]

    def restock(self) -> str:
        return self.add({"name": "bolt", "count": 3})


@functools.lru_cache
def settings_for(region: str):
    return {"region": region, "currency": "EUR" if region == "eu" else "USD"}


async def fetch_price(query: dict) -> float:
    await asyncio.sleep(0)
    return query["amount"] * 1.5


def main() -> None:
    inventory = Inventory()
    print(inventory.restock())
    print(inventory.labels)
    print(settings_for("eu")["currency"], settings_for("us")["currency"])
    print(asyncio.run(fetch_price({"amount": 10})))


if __name__ == "__main__":
    main()
