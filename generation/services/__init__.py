"""Generation business operations: submit, run, complete, fail, cancel, retry, delete.

Views, tasks and the API call these (`from generation import services`).
"""

from .lifecycle import (
    generation_cancel,
    generation_claim,
    generation_complete,
    generation_fail,
    generation_run,
    generation_sweep,
    spec_for,
)
from .outputs import output_delete, output_set_favorite
from .poller import poller_round_delay, poller_wake
from .remote import (
    generation_finish_from_prediction,
    generation_record_callback,
    remote_generations_check,
    remote_generations_poll,
)
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
    "generation_finish_from_prediction",
    "generation_record_callback",
    "generation_request_check",
    "generation_retry",
    "generation_run",
    "generation_submit",
    "generation_sweep",
    "output_delete",
    "output_set_favorite",
    "poller_round_delay",
    "poller_wake",
    "remote_generations_check",
    "remote_generations_poll",
    "request_from",
    "spec_for",
    "validate_request",
]
