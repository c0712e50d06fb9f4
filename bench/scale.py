"""`make bench-scale`: the first pages at 100 rows and at 1,100,000 rows.

1,000,000 outputs across 1,000 users plus 100,000 for one user, seeded in SQL, the one
user's first, so all of theirs are older than everybody else's. The
gallery and the API list are read as that user, the admin's output and job lists as
staff; each page is timed in-process (median of repeated requests, after a warm-up) at
100 rows and again at full size, and must stay within 1.5x. Writes bench/results/scale.md.
`make bench` runs the same measurement last, as its row 4b.
"""

import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cartonify_scale")

from bench import stack

RESULTS = Path(__file__).resolve().parent / "results"
USERS = int(os.environ.get("BENCH_SCALE_USERS", "1000"))
PER_USER = int(os.environ.get("BENCH_SCALE_PER_USER", "1000"))
ONE_USER = int(os.environ.get("BENCH_SCALE_ONE_USER", "100000"))
TOTAL = USERS * PER_USER + ONE_USER
SMALL = 100
REPEAT = 40
TARGET = 1.5
# The gallery's grid is a cached fragment: it is timed rendered afresh, as after any change.
GALLERY = "Gallery, first page, grid rendered afresh"
PAGES = {
    GALLERY: "/gallery/",
    "API GET /api/v1/images": "/api/v1/images",
    "Admin: outputs (images)": "/admin/generation/image/",
    "Admin: jobs": "/admin/generation/generation/",
}


def main() -> int:
    with stack.scratch_dir() as scratch:
        env = stack.bench_environment(media_root=str(scratch / "media"), port=0, fake_url="")
        os.environ.update(env)
        print(f"Scale database {stack.DATABASE_URL}, Redis {stack.REDIS_URL}", flush=True)
        stack.reset_database()
        stack.flush_redis()
        import django

        django.setup()
        text = markdown(measure())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scale.md").write_text(text)
    print(text)
    return 0


@dataclass(frozen=True)
class Scale:
    small: dict  # page name → timing at SMALL rows
    large: dict  # page name → timing at full size
    seeding: dict  # step → (seconds, rows)
    load_before: str = ""

    def ratio(self, page: str) -> float:
        return self.large[page]["median_ms"] / self.small[page]["median_ms"]

    @property
    def worst(self) -> float:
        return max(self.ratio(page) for page in PAGES)


def measure() -> Scale:
    """Time the pages at SMALL rows, seed the rest, time them again."""
    from django.db import connection

    from bench import bulk, seed
    from generation.gallery_cache import gallery_changed

    one = seed.user_with_credits("one@bench.example")
    clients = _clients(one)

    def time_pages() -> dict:
        return {
            name: _time(
                clients[name],
                url,
                before_each=(lambda: gallery_changed(one.pk)) if name == GALLERY else None,
            )
            for name, url in PAGES.items()
        }

    bulk.outputs_add([one.pk], SMALL, per_job=1)  # a full admin page of jobs, too
    _vacuum(connection)
    small = time_pages()

    # The one user's rows first, everybody else's after: an account whose newest item is
    # older than a million other rows is where a newest-first page can go wrong.
    timings = {}
    began = time.monotonic()
    rows = bulk.outputs_add([one.pk], ONE_USER - SMALL)
    timings["seed one"] = (time.monotonic() - began, rows)
    began = time.monotonic()
    ids = bulk.users_create(USERS, prefix="many")
    rows = bulk.outputs_add(ids, PER_USER)
    timings["seed many"] = (time.monotonic() - began, rows)
    began = time.monotonic()
    _vacuum(connection)
    timings["vacuum"] = (time.monotonic() - began, 0)
    load_before = " / ".join(f"{n:.2f}" for n in os.getloadavg())
    large = time_pages()
    return Scale(small, large, timings, load_before)


def _clients(one) -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from accounts.models import User
    from bench import seed

    staff = User.objects.create_user("staff@bench.example", is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())  # the admin admits staff with TOTP only
    gallery, admin = Client(SERVER_NAME="127.0.0.1"), Client(SERVER_NAME="127.0.0.1")
    gallery.force_login(one)
    admin.force_login(staff)
    api = Client(SERVER_NAME="127.0.0.1", headers=seed.api_headers(one))
    names = list(PAGES)
    return {names[0]: gallery, names[1]: api, names[2]: admin, names[3]: admin}


def _vacuum(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave a settled table


def _time(client, url: str, *, before_each=None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before_each = before_each or (lambda: None)
    for _ in range(3):
        before_each()
        assert client.get(url).status_code == 200, url
    durations = []
    for _ in range(REPEAT):
        before_each()
        began = time.perf_counter()
        client.get(url)
        durations.append((time.perf_counter() - began) * 1000)
    before_each()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
    return {
        "median_ms": statistics.median(durations),
        "p90_ms": statistics.quantiles(durations, n=10)[-1],
        "queries": len(queries),
        "slowest": slowest,
    }


def markdown(scale: Scale) -> str:
    return (
        "# Scale benchmark\n\n"
        f"Written by `make bench-scale` (bench/scale.py). Machine: {stack.machine()}. "
        f"Date: {datetime.date.today().isoformat()}.\n\n{details(scale)}"
    )


def details(scale: Scale) -> str:
    small, large, timings = scale.small, scale.large, scale.seeding
    lines = [
        f"{TOTAL:,} outputs: {USERS:,} users x {PER_USER:,} plus one user with {ONE_USER:,}; "
        f"pages timed in-process, median of {REPEAT} requests after 3 warm-up requests. "
        f"Load average before the timings at full size: {scale.load_before}.",
        "",
        f"| Page | At {SMALL} rows | At {TOTAL:,} rows | Ratio | Queries | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in PAGES:
        ratio = scale.ratio(name)
        lines.append(
            f"| {name} | {small[name]['median_ms']:.1f} ms | {large[name]['median_ms']:.1f} ms "
            f"(p90 {large[name]['p90_ms']:.1f}) | {ratio:.2f}x | "
            f"{small[name]['queries']} → {large[name]['queries']} | ≤ {TARGET}x | "
            f"{'yes' if ratio <= TARGET else '**no**'} |"
        )
    lines += ["", "Seeding (INSERT … SELECT over generate_series, bench/bulk.py):", ""]
    for step, (seconds, rows) in timings.items():
        lines.append(f"- {step}: {seconds:.1f} s" + (f", {rows:,} outputs" if rows else ""))
    lines += ["", "Slowest query of each page at full size:", ""]
    for name in PAGES:
        slowest = large[name]["slowest"]
        if slowest:
            lines.append(
                f"- {name}: {float(slowest['time']) * 1000:.1f} ms `{slowest['sql'][:300]}`"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
