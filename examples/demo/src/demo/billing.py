"""Billing: magic numbers and a hard-coded endpoint."""

import httpx


def calculate_fee(amount: int) -> int:
    return int(amount * 0.025)


def fetch_rates() -> str:
    response = httpx.get("https://rates.example.com/v1/rates", timeout=30)
    return response.text
