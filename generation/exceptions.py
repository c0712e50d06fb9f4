class InvalidRequest(Exception):
    """Bad input from a user: shown to them, nothing charged, nothing stored."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Exception):
    """The object exists but is in a state that forbids the action (e.g. cancel a finished job)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
