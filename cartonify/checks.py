"""System checks for promises the settings make, so a later edit cannot quietly break them."""

from django.conf import settings
from django.core.checks import Error, register

SIGNED_COOKIES = "django.contrib.sessions.backends.signed_cookies"


@register("security")
def sessions_stay_on_the_server(app_configs, **kwargs):
    # allauth keeps one-time codes in the session: in a signed cookie the browser (and
    # anyone who sees its cookies) could read them.
    if settings.SESSION_ENGINE == SIGNED_COOKIES:
        return [
            Error(
                "Sessions must live in the database or Redis, never in signed cookies.",
                hint="allauth stores one-time codes in the session in plain text.",
                id="cartonify.E001",
            )
        ]
    return []


@register("storage", deploy=True)
def media_bucket_answers(app_configs, **kwargs):
    # Run by `check --deploy` before the web and worker start: a missing bucket or key
    # stops the deployment, rather than the first job failing to save its pictures.
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    from core.object_storage import bucket_problem

    storage = storages["default"]
    problem = bucket_problem(storage) if isinstance(storage, S3Storage) else None
    if problem is None:
        return []
    return [
        Error(problem, hint="See the object storage lines of .env.example.", id="cartonify.E002")
    ]
