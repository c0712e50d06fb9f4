from core.exceptions import ApplicationError

from .safety import refusal_message


class InvalidRequest(ApplicationError):
    """Bad input from a user: shown to them, nothing charged, nothing stored."""

    status = 422
    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(
            message, extra={"errors": [{"field": field or "body", "message": message}]}
        )
        self.field = field


class JobStateConflict(ApplicationError):
    """The job's state forbids the action: cancel a finished job, retry a running one."""

    status = 409
    code = "not_allowed"  # predates the exception's name; clients match on it


class UnsafePrompt(InvalidRequest):
    """The prompt breaks a safety rule: the rule is named, the matched words are not."""

    code = "prompt_refused"

    def __init__(self, rule: str):
        super().__init__(refusal_message(rule), field="prompt")
        self.rule = rule


class StorageUnavailable(Exception):
    """The file store could not read or keep a job's files; a later attempt may succeed."""
