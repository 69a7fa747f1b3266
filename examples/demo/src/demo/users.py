"""User handling: dictionaries where models belong, and a vendor SDK imported directly."""

import openai


def process_user(user: dict) -> dict:
    return {"id": user["id"], "name": user["name"].upper()}


def summarise(text: str) -> str:
    client = openai.OpenAI()
    return client.responses.create(model="gpt-4o", input=text).output_text


def welcome() -> str:
    return "Welcome, " + process_user({"id": "u1", "name": "Ada"})["name"]
