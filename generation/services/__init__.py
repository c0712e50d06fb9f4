"""Generation business operations: submit, run, complete, fail, cancel, retry, delete.

Views, tasks and the API call these (`from generation import services`).
"""

from .lifecycle import (
    generation_cancel,
    generation_claim,
    generation_complete,
    generation_fail,
    generation_finish_from_webhook,
    generation_poll,
    generation_run,
    generation_sweep,
    schedule_poll,
    spec_for,
)
from .outputs import output_delete, output_set_favorite
from .submit import (
    GenerationRequest,
    generation_request_check,
    generation_retry,
    generation_submit,
    request_from,
    validate_request,
)

__all__ = [
    "GenerationRequest",
    "generation_cancel",
    "generation_claim",
    "generation_complete",
    "generation_fail",
    "generation_finish_from_webhook",
    "generation_poll",
    "generation_request_check",
    "generation_retry",
    "generation_run",
    "generation_submit",
    "generation_sweep",
    "output_delete",
    "output_set_favorite",
    "request_from",
    "schedule_poll",
    "spec_for",
    "validate_request",
]
