"""The public REST API at /api/v1/, authenticated with `Authorization: Bearer <key>`."""

from ninja import NinjaAPI, Swagger

from . import account, errors, gallery, job_webhooks, jobs  # noqa: F401 (they register their routes)
from .auth import ApiKeyAuth, ApiKeyHeaderAuth
from .router import router

DESCRIPTION = """
Everything the generator page does, from your own scripts.

Create a key on **Account → API keys** and send it as `Authorization: Bearer ck_live_…`
(or in an `X-API-Key` header, as the original service's clients do).
Jobs run in the background: `POST /images` answers `202` with the job; poll
`GET /generations/{id}` until `status` is `succeeded`, then download each output's
`download_url` with the same header. Errors are JSON `{"code", "message"}`.
"""


class CartonifyAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = CartonifyAPI(
    title="Cartonify API",
    version="1.0",
    description=DESCRIPTION,
    auth=[ApiKeyAuth(), ApiKeyHeaderAuth()],
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.register(api)
api.add_router("", router)
