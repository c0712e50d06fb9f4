"""The prompt safety check: a short, maintained list of terms per rule, matched as words.

Matching is on word boundaries and case-insensitive, so "Scunthorpe" and "cocktail"
pass whatever is listed. GENERATION_SAFETY_CHECK switches it off;
GENERATION_SAFETY_EXTRA_TERMS adds terms under the rule "blocked terms".
"""

import re
from functools import cache

from django.conf import settings

RULES: dict[str, tuple[str, ...]] = {
    "sexual content": (
        "porn",
        "porno",
        "pornographic",
        "nude",
        "nudity",
        "naked",
        "nsfw",
        "hentai",
    ),
    "violence against people": ("beheading", "beheaded", "dismembered", "mutilated", "gore"),
    "minors": ("loli", "lolicon", "shota", "underage", "jailbait"),
}
EXTRA_RULE = "blocked terms"
# Replicate's models answer "NSFW content detected." when their own checker refuses.
PROVIDER_RULE = "sexual content (the model's own safety filter)"
PROVIDER_REFUSAL = re.compile(r"\bnsfw\b", re.IGNORECASE)


@cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    # A plural "s" or "es" still matches; anything else joined to the term does not.
    words = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})(?:e?s)?\b", re.IGNORECASE)


def _rules() -> dict[str, tuple[str, ...]]:
    extra = tuple(t.strip().casefold() for t in settings.GENERATION_SAFETY_EXTRA_TERMS if t.strip())
    return {**RULES, EXTRA_RULE: extra} if extra else RULES


def broken_rule(*texts: str) -> str | None:
    """The first rule any of `texts` breaks, or None (always None when the check is off)."""
    if not settings.GENERATION_SAFETY_CHECK:
        return None
    text = "\n".join(texts)
    for rule, terms in _rules().items():
        if _pattern(terms).search(text):
            return rule
    return None


def refusal_message(rule: str) -> str:
    return f"This prompt was refused: {rule}."


def provider_refused(error: str) -> bool:
    """Whether a model's error text is its safety filter refusing the job."""
    return bool(PROVIDER_REFUSAL.search(error))
