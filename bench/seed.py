"""Users, rows, sessions and keys for the benchmarks (runs inside the runner's Django)."""

import secrets
import string
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import User
from apikeys import services as apikeys
from billing import services as billing
from generation.models import Generation, Output

BATCH = 5000
OUTPUTS_PER_JOB = 4


def user_with_credits(email: str, credits: int = 1_000_000) -> User:
    user = User.objects.create_user(email)
    billing.credits_grant(user=user, amount=credits, reason="bench", reference="bench")
    return user


def add_outputs(user: User, count: int) -> None:
    """`count` image rows, newest last, four per job like a 4-image generation; no files."""
    now = timezone.now()
    jobs = Generation.objects.bulk_create(
        [
            Generation(
                user=user,
                kind="image",
                prompt=f"bench picture {n}: a lighthouse in a storm, cartoon style",
                style="cartoon",
                color="vibrant",
                provider="local",
                status="succeeded",
                count=OUTPUTS_PER_JOB,
                created_at=now - timedelta(minutes=count - n),
                started_at=now - timedelta(minutes=count - n),
                finished_at=now - timedelta(minutes=count - n),
            )
            for n in range(0, count, OUTPUTS_PER_JOB)
        ],
        batch_size=BATCH,
    )
    rows = (
        Output(
            user=user,
            generation=jobs[n // OUTPUTS_PER_JOB],
            kind="image",
            file=f"outputs/{user.pk}/bench-{n}.png",
            content_type="image/png",
            width=512,
            height=512,
            bytes=400_000,
            created_at=now - timedelta(minutes=count - n),
        )
        for n in range(count)
    )
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        Output.objects.bulk_create(batch)


def session_cookie(user: User) -> str:
    """A signed-in session (stored in the database with Redis in front) for `user`."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def browser_headers(user: User) -> dict[str, str]:
    token = csrf_secret()
    return {
        "Cookie": f"sessionid={session_cookie(user)}; csrftoken={token}",
        "X-CSRFToken": token,
    }


def api_headers(user: User) -> dict[str, str]:
    key = apikeys.api_key_create(user=user, name="bench")
    return {"Authorization": f"Bearer {key.plaintext}"}
