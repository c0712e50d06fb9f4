"""Cartonify settings: a base and one module per concern, all driven by the environment.

With no environment at all the site runs on embedded defaults (SQLite, local memory cache,
eager Celery, console email). Every variable is documented in `.env.example`. A module that
needs another's value imports it by name (`from cartonify.settings.base import DEBUG`), so
the order of the lines below does not matter.
"""

from cartonify.settings.accounts import *  # noqa: F403
from cartonify.settings.api import *  # noqa: F403
from cartonify.settings.base import *  # noqa: F403
from cartonify.settings.billing import *  # noqa: F403
from cartonify.settings.celery import *  # noqa: F403
from cartonify.settings.data_stores import *  # noqa: F403
from cartonify.settings.email_sending import *  # noqa: F403
from cartonify.settings.files_and_storages import *  # noqa: F403
from cartonify.settings.generation import *  # noqa: F403
from cartonify.settings.observability import *  # noqa: F403
from cartonify.settings.security import *  # noqa: F403
