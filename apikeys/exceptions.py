"""API key refusals: the API turns them into 402/403 answers, the pages into messages."""

from datetime import datetime

from core.exceptions import ApplicationError


class SpendCapReached(ApplicationError):
    """A job would take a key past its monthly credit cap."""

    status = 402
    code = "spend_cap_reached"

    def __init__(self, *, cap: int, spent: int, cost: int, resets_at: datetime):
        self.cap = cap
        self.spent = spent
        self.cost = cost
        self.resets_at = resets_at
        super().__init__(
            f"This key's monthly cap of {cap} credits is reached ({spent} spent this month, "
            f"this job costs {cost}). It resets at {resets_at:%Y-%m-%d %H:%M} UTC.",
            extra={"cap": cap, "spent": spent, "resets_at": resets_at.isoformat()},
        )


class InvalidScopes(ValueError):
    """A key must have at least one scope, each one we know."""
