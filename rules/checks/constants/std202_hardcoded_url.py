"""STD202: a hard-coded URL, endpoint or API path inside a function."""

from __future__ import annotations

from collections.abc import Iterator

from rules.checks.constants.extracting import ExtractingRule, unit_literals
from rules.checks.constants.literals import is_hardcoded_url
from rules.models import Finding, RuleDoc, RuleExample, Severity, TierSeverities
from rules.registry import register
from rules.rule import UnitContext, UnitRule

STD202 = "STD202"


@register
class HardcodedUrl(ExtractingRule, UnitRule):
    code = STD202
    name = "hardcoded-url"
    summary = "A URL, endpoint or API path hard-coded inside a function"
    severities = TierSeverities(
        production=Severity.ERROR, internal=Severity.WARNING, prototype=None
    )
    doc = RuleDoc(
        what=(
            "Flags strings inside a function that are URLs (`http://`, `https://`, `ws://`, "
            "`wss://`, `gs://`, `s3://`, `localhost` included) or API paths (`/v1/...`, "
            "`/api/...`), and f-strings whose constant prefix is one. Not flagged: docstrings, "
            'log messages, default argument values, a bare scheme (`"https://"`), test files. '
            "The fix moves the URL (or the f-string's prefix) to a module constant named from "
            "its host and path."
        ),
        why=(
            "Endpoints change between environments and over time; the standard asks for URL "
            "endpoints and API paths to be module-level constants so they are found and "
            "replaced in one place."
        ),
        bad=[
            RuleExample(
                source=(
                    "import httpx\n\n\ndef list_users() -> bytes:\n"
                    '    return httpx.get("https://api.example.com/v1/users").content\n'
                ),
                expected_codes=[STD202],
                fixed=(
                    "import httpx\n\n"
                    'USERS_API_URL = "https://api.example.com/v1/users"\n\n\n'
                    "def list_users() -> bytes:\n"
                    "    return httpx.get(USERS_API_URL).content\n"
                ),
            ),
            RuleExample(
                source=(
                    "def user_url(user_id: int) -> str:\n"
                    '    return f"https://api.example.com/v1/users/{user_id}"\n'
                ),
                expected_codes=[STD202],
                fixed=(
                    'USERS_API_URL = "https://api.example.com/v1/users/"\n\n\n'
                    "def user_url(user_id: int) -> str:\n"
                    '    return f"{USERS_API_URL}{user_id}"\n'
                ),
            ),
        ],
        good=[
            RuleExample(
                source=(
                    'USERS_API_URL = "https://api.example.com/v1/users"\n\n\n'
                    "def list_users(client) -> bytes:\n"
                    '    """Fetch https://api.example.com/v1/users."""\n'
                    '    logger.info("calling https://api.example.com")\n'
                    "    return client.get(USERS_API_URL).content\n"
                )
            )
        ],
    )

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        if context.settings.is_test:
            return
        for literal in unit_literals(context):
            if is_hardcoded_url(literal) and not context.is_set_aside(literal.node):
                what = "URL" if "://" in str(literal.value) else "API path"
                yield self.finding_for(
                    literal,
                    f"Hard-coded {what} `{literal.value}`: define it as a module constant",
                    context.range_of(literal.node),
                )
