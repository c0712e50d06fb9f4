"""The base of every refusal a user may read (HackSoft's `core/exceptions.py`).

Its class says how each surface answers it: `status` is the HTTP status and `code` the
API's machine-readable name. The API's handler and the pages read both from here, so a
refusal answers the same everywhere. Domain exceptions stay in their apps and subclass it.
"""


class ApplicationError(Exception):
    """A refusal whose `message` is safe to show to the user who caused it."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, extra: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}  # more fields for the API's JSON body
        self.headers = headers or {}  # HTTP headers the answer carries (`Retry-After`)
