class InvalidRequest(Exception):
    """Bad input from a user: shown to them, nothing charged, nothing stored."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class JobStateConflict(Exception):
    """The job's state forbids the action: cancel a finished job, retry a running one."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
