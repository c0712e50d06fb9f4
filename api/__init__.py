"""The public REST API at /api/v1/, authenticated with `Authorization: Bearer <key>`."""

from pathlib import Path

from ninja import NinjaAPI, Swagger

from apikeys.models import Scope

from . import account, errors, gallery, job_webhooks, jobs  # noqa: F401 (they register their routes)
from .auth import scoped
from .router import router

# The docs page shows it, quickstarts included (e2e/test_docs_quickstarts.py runs them).
DESCRIPTION = (Path(__file__).parent / "description.md").read_text()


class SiteSwagger(Swagger):
    """Swagger UI in the site's own page (header, dark theme), not ninja's bare one."""

    template = "api/docs.html"


class CartonifyAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = CartonifyAPI(
    title="Cartonify API",
    version="1.0",
    description=DESCRIPTION,
    # Reading is the least any operation needs; writes name their scope.
    auth=scoped(Scope.READ),
    urls_namespace="api-v1",
    docs=SiteSwagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.register(api)
api.add_router("", router)
