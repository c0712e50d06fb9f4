from .safety import refusal_message


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


class UnsafePrompt(InvalidRequest):
    """The prompt breaks a safety rule: the rule is named, the matched words are not."""

    def __init__(self, rule: str):
        super().__init__(refusal_message(rule), field="prompt")
        self.rule = rule


class StorageUnavailable(Exception):
    """The file store could not read or keep a job's files; a later attempt may succeed."""
