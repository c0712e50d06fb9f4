"""`make soak` (issue 15, item 6): mixed traffic on two web processes and two workers
for SOAK_MINUTES (default 10), one worker killed (-9) and restarted every minute, the
Redis restarted once; then the books are checked. Not part of `make test`.

Runs on its own database (cartonify_soak) and a private redis-server on a free port, so
restarting Redis never touches the shared one; Replicate is the fake of testing/. Prints
the figures (a run of 10 minutes or more also to bench/results/soak.md) and exits 1 on any
violation: a job not ended, a ledger not summing to its balance, a job charged or refunded
other than exactly once, an Idempotency-Key retry making a second job, a 5xx (or a refused
connection) outside the declared 503 window around the Redis restart.
"""

import io
import os
import random
import secrets
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cartonify_soak")

import httpx

from bench import stack
from testing.fake_replicate import FakeReplicate
from testing.processes import PrivateRedis, port_open, wait_until

RESULTS = Path(__file__).resolve().parent / "results"
MINUTES = float(os.environ.get("SOAK_MINUTES", "10"))
USERS = int(os.environ.get("SOAK_USERS", "30"))
PREMIUM_USERS = 6
FREE_CREDITS = 200  # enough to keep most free users creating for ten minutes
THREADS = int(os.environ.get("SOAK_THREADS", "6"))
KILL_EVERY = 60.0
REDIS_DOWN_SECONDS = 5.0
WINDOW_GRACE = 10.0  # the 503 window lasts this long after Redis answers again
DRAIN_SECONDS = 300.0
MODEL_SECONDS = 3.0
FAKE_TOKEN = "r8_soak_" + secrets.token_hex(8)  # the fake Replicate's
PROMPTS = ["a lighthouse in a storm", "a fox reading a map", "two robots sharing tea"]


@dataclass
class Soak:
    """What the traffic saw, shared by the threads (appends to lists are atomic)."""

    answers: list[tuple[float, int, str]] = field(default_factory=list)
    refused: list[tuple[float, str]] = field(default_factory=list)
    idempotency_mismatches: list[str] = field(default_factory=list)
    jobs: dict[int, list[int]] = field(default_factory=dict)  # user pk -> job ids
    images: dict[int, list[int]] = field(default_factory=dict)  # user pk -> image ids
    window: tuple[float, float] | None = None
    in_flight_at_kills: list[int] = field(default_factory=list)
    surprises: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def in_window(self, when: float) -> bool:
        return self.window is not None and self.window[0] <= when <= self.window[1]


@dataclass
class Customer:
    pk: int
    api: dict[str, str]
    cookie: str


def main() -> int:
    with stack.scratch_dir() as scratch, ExitStack() as running:
        redis = PrivateRedis()
        redis.start()
        running.callback(redis.stop)
        fake = FakeReplicate(api_token=FAKE_TOKEN, webhook_secret="")
        fake.model_seconds = MODEL_SECONDS
        running.enter_context(fake.running())
        ports = [stack.free_port(), stack.free_port()]
        envs = [node_env(scratch, port, redis.url, fake.base_url) for port in ports]
        os.environ.update(envs[0])
        print(f"Soak: {MINUTES:g} min, database {stack.DATABASE_URL}, Redis {redis.url}")
        stack.reset_database()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("setup_periodic_tasks", stdout=io.StringIO())
        customers = seed(USERS)
        for n, (port, env) in enumerate(zip(ports, envs, strict=True)):
            running.enter_context(stack.gunicorn(env, scratch / f"web-{n}.log", port))
        beat = [
            str(stack.BIN / "celery"),
            "-A",
            "cartonify",
            "beat",
            "-l",
            "warning",
            f"--schedule={scratch / 'beat-schedule'}",
        ]
        running.enter_context(stack.process(beat, env=envs[0], log=scratch / "beat.log"))
        workers = [
            running.enter_context(stack.celery_worker(envs[n], scratch / f"worker-{n}.log"))
            for n in range(2)
        ]
        soak = Soak()
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        threads = [
            threading.Thread(target=traffic, args=(soak, bases, customers, n), daemon=True)
            for n in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        chaos(soak, running, workers, envs, scratch, redis)
        soak.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        drained = drain()
        report = check(soak, drained)
    print(report.text)
    if MINUTES >= 10:  # shorter runs, for trying changes, leave the recorded one alone
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "soak.md").write_text(report.text)
    return 0 if report.ok else 1


def node_env(scratch: Path, port: int, redis_url: str, fake_url: str) -> dict[str, str]:
    env = stack.bench_environment(media_root=str(scratch / "media"), port=port, fake_url=fake_url)
    return {
        **env,
        "REDIS_URL": redis_url,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "GENERATION_PROVIDER": "replicate",
        "REPLICATE_API_TOKEN": FAKE_TOKEN,
        "GENERATION_POLL_INTERVAL": "1",
        # A killed worker's job comes back within half a minute. Above the minute the
        # poller may wait for the sweep to wake it after Redis lost its lease.
        "CELERY_VISIBILITY_TIMEOUT": "30",
        "GENERATION_TIMEOUT": "150",
    }


def seed(count: int) -> list[Customer]:
    from accounts.models import User
    from bench import seed as bench_seed
    from billing import services as billing

    staff = User.objects.create_user("staff@soak.example", is_staff=True)
    customers = []
    for n in range(count):
        user = User.objects.create_user(f"soak{n}@soak.example")
        if n < PREMIUM_USERS:
            billing.subscription_grant(user=user, days=30, reason="soak", by=staff)
        else:
            billing.credits_grant(user=user, amount=FREE_CREDITS, reason="soak", reference="soak")
        customers.append(
            Customer(
                pk=user.pk,
                api=bench_seed.api_headers(user),
                cookie=f"sessionid={bench_seed.session_cookie(user)}",
            )
        )
    return customers


# --- Traffic ----------------------------------------------------------------------


def traffic(soak: Soak, bases: list[str], customers: list[Customer], seed_: int) -> None:
    rng = random.Random(seed_)
    actions = [create, create, show_job, list_jobs, usage, gallery, jobs_page, cancel, delete]
    with httpx.Client(timeout=40) as client:
        turn = seed_
        while not soak.stop.is_set():
            turn += 1
            base = bases[turn % 2]
            customer = rng.choice(customers)
            action = rng.choice(actions)
            try:
                action(soak, client, base, customer, rng)
            except Exception as error:  # an answer the client could not read
                soak.surprises.append(f"{action.__name__}: {error!r}")
            time.sleep(rng.uniform(0.05, 0.25))


def call(soak: Soak, client, method: str, url: str, label: str, **kwargs):
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TransportError as error:
        soak.refused.append((time.time(), f"{label}: {error!r}"))
        return None
    soak.answers.append((time.time(), response.status_code, label))
    return response


def create(soak, client, base, customer, rng) -> None:
    body = {"prompt": rng.choice(PROMPTS), "count": rng.choice([1, 1, 2])}
    headers = dict(customer.api)
    retries = 0
    if rng.random() < 0.4:
        headers["Idempotency-Key"] = uuid.uuid4().hex
        retries = rng.choice([1, 2])
    ids = set()
    for _ in range(1 + retries):
        response = call(
            soak, client, "POST", f"{base}/api/v1/images", "api create", json=body, headers=headers
        )
        if response is not None and response.status_code in (200, 201, 202):
            ids.add(response.json()["id"])
    if len(ids) > 1:
        soak.idempotency_mismatches.append(f"key {headers['Idempotency-Key']}: jobs {sorted(ids)}")
    for job_id in ids:
        soak.jobs.setdefault(customer.pk, []).append(job_id)


def show_job(soak, client, base, customer, rng) -> None:
    jobs = soak.jobs.get(customer.pk)
    if not jobs:
        return list_jobs(soak, client, base, customer, rng)
    url = f"{base}/api/v1/generations/{rng.choice(jobs)}"
    response = call(soak, client, "GET", url, "api job", headers=customer.api)
    if response is not None and response.status_code == 200:
        known = soak.images.setdefault(customer.pk, [])
        known.extend(o["id"] for o in response.json().get("outputs", []) if o["id"] not in known)


def list_jobs(soak, client, base, customer, rng) -> None:
    call(soak, client, "GET", f"{base}/api/v1/generations", "api list", headers=customer.api)


def usage(soak, client, base, customer, rng) -> None:
    path = rng.choice(["/api/v1/usage", "/api/v1/me"])
    call(soak, client, "GET", f"{base}{path}", "api usage", headers=customer.api)


def gallery(soak, client, base, customer, rng) -> None:
    page(soak, client, f"{base}/gallery/", "web gallery", customer)


def jobs_page(soak, client, base, customer, rng) -> None:
    page(soak, client, f"{base}/jobs/", "web jobs", customer)


def page(soak, client, url, label, customer) -> None:
    response = call(soak, client, "GET", url, label, headers={"Cookie": customer.cookie})
    if response is not None and response.status_code == 302:
        soak.answers.append((time.time(), 0, f"{label}: signed out"))  # a lost session


def cancel(soak, client, base, customer, rng) -> None:
    jobs = soak.jobs.get(customer.pk)
    if jobs:
        url = f"{base}/api/v1/generations/{rng.choice(jobs)}/cancel"
        call(soak, client, "POST", url, "api cancel", headers=customer.api)


def delete(soak, client, base, customer, rng) -> None:
    images = soak.images.get(customer.pk)
    if images:
        image = images.pop(rng.randrange(len(images)))
        call(
            soak,
            client,
            "DELETE",
            f"{base}/api/v1/images/{image}",
            "api delete",
            headers=customer.api,
        )


# --- Faults -----------------------------------------------------------------------


def chaos(soak: Soak, running: ExitStack, workers, envs, scratch: Path, redis) -> None:
    """Kill a worker every minute, restart Redis once halfway, until the time is up."""
    start = time.monotonic()
    end = start + MINUTES * 60
    redis_at = start + MINUTES * 30 + KILL_EVERY / 2
    next_kill = start + KILL_EVERY
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_kill:
            victim = len(soak.in_flight_at_kills) % 2
            os.killpg(workers[victim].pid, 9)
            workers[victim].wait()
            soak.in_flight_at_kills.append(jobs_in_flight())
            in_flight = soak.in_flight_at_kills[-1]
            print(f"  {elapsed(start)} killed worker {victim} (-9), {in_flight} jobs in flight")
            log = scratch / f"worker-{victim}.log"
            workers[victim] = running.enter_context(stack.celery_worker(envs[victim], log))
            next_kill += KILL_EVERY
        elif redis_at and now >= redis_at:
            began = time.time()
            redis.stop()
            print(f"  {elapsed(start)} Redis stopped", flush=True)
            time.sleep(REDIS_DOWN_SECONDS)
            redis.start()
            assert wait_until(lambda: port_open(redis.port))
            soak.window = (began, time.time() + WINDOW_GRACE)
            print(f"  {elapsed(start)} Redis answers again", flush=True)
            redis_at = 0
        time.sleep(0.5)


def jobs_in_flight() -> int:
    from generation.models import Generation, Status

    return Generation.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).count()


def elapsed(start: float) -> str:
    return f"[{time.monotonic() - start:5.0f} s]"


def drain() -> float | None:
    """Seconds until no job is queued or running after the traffic stopped (None: never)."""
    from generation.models import Generation, Status

    began = time.monotonic()
    ended = wait_until(
        lambda: not Generation.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).exists(),
        timeout=DRAIN_SECONDS,
        interval=1.0,
    )
    return time.monotonic() - began if ended else None


# --- The books ----------------------------------------------------------------------


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def text(self) -> str:
        verdict = (
            ["", "**PASS**"] if self.ok else ["", "**FAIL**", *(f"- {v}" for v in self.violations)]
        )
        return "\n".join([*self.lines, *verdict]) + "\n"


def check(soak: Soak, drained: float | None) -> Report:
    from django.db.models import Count, Sum

    from billing.models import CreditAccount, LedgerEntry, LedgerKind
    from generation.models import Generation, Status

    report = Report()
    say, fail = report.lines.append, report.violations.append
    say(f"# Soak: {MINUTES:g} min, {USERS} users ({PREMIUM_USERS} premium), {THREADS} threads")
    say("")
    say(f"Machine: {stack.machine()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    say("Two gunicorn (2 processes x 4 threads each), two Celery workers (2 each), one beat,")
    say(f"a private Redis, the fake Replicate ({MODEL_SECONDS:g} s a prediction).")
    say("")
    classes = Counter(
        f"{status // 100}xx" if status else "signed out" for _, status, _ in soak.answers
    )
    say(f"- Requests: {len(soak.answers)}, by class {dict(sorted(classes.items()))}")
    say(f"- By kind: {dict(sorted(Counter(label for _, _, label in soak.answers).items()))}")
    errors = [(when, status, label) for when, status, label in soak.answers if status >= 500]
    outside = [e for e in errors if not soak.in_window(e[0])]
    refused_outside = [r for r in soak.refused if not soak.in_window(r[0])]
    window = soak.window and f"{soak.window[1] - soak.window[0]:.1f} s"
    say(f"- 503 window (Redis stopped until it answered + {WINDOW_GRACE:g} s): {window}")
    inside = Counter(status for when, status, _ in errors if soak.in_window(when))
    say(f"- 5xx inside the window: {len(errors) - len(outside)} {dict(inside)}")
    say(f"- 5xx outside the window: {len(outside)}")
    say(f"- Connections failed: {len(soak.refused)} ({len(refused_outside)} outside the window)")
    kills = soak.in_flight_at_kills
    say(f"- Workers killed with -9 and restarted: {len(kills)}; jobs in flight then: {kills}")
    for when, status, label in outside[:10]:
        fail(f"{status} outside the window at {clock(when)}: {label}")
    for when, what in refused_outside[:10]:
        fail(f"connection failed outside the window at {clock(when)}: {what}")
    signed_out = classes.get("signed out", 0)
    if signed_out:
        fail(f"{signed_out} signed-in pages redirected to the login page (session lost)")
    if soak.window is None:
        fail("Redis was never restarted (the run was too short)")
    for surprise in soak.surprises[:10]:
        fail(f"an answer the client could not read: {surprise}")
    for mismatch in soak.idempotency_mismatches:
        fail(f"an Idempotency-Key retry made a second job: {mismatch}")

    jobs = Generation.objects.all()
    statuses = dict(jobs.values_list("status").annotate(n=Count("id")).order_by("status"))
    say(f"- Jobs: {jobs.count()}, by final status {statuses}")
    took = "never" if drained is None else f"{drained:.0f} s"
    say(f"- Queue drained in: {took} (bound {DRAIN_SECONDS:.0f} s)")
    unended = list(
        jobs.filter(status__in=[Status.QUEUED, Status.RUNNING]).values_list("pk", "status")
    )
    if unended:
        fail(f"{len(unended)} jobs never ended: {unended[:10]}")

    accounts = CreditAccount.objects.annotate(total=Sum("entries__amount"))
    wrong = [(a.user_id, a.balance, a.total) for a in accounts if (a.total or 0) != a.balance]
    say(
        f"- Ledgers summing to their balance: {accounts.count() - len(wrong)} of {accounts.count()}"
    )
    for user_id, balance, total in wrong:
        fail(f"user {user_id}: balance {balance}, ledger sums to {total}")

    entries = Counter(
        LedgerEntry.objects.filter(kind__in=[LedgerKind.RESERVE, LedgerKind.REFUND]).values_list(
            "kind", "reference"
        )
    )
    charged = refunded = 0
    for job in jobs.only("pk", "status"):
        reserves = entries.pop((LedgerKind.RESERVE, job.reference), 0)
        refunds = entries.pop((LedgerKind.REFUND, job.reference), 0)
        should_refund = job.status in (Status.FAILED, Status.CANCELED)
        charged += reserves
        refunded += refunds
        if reserves != 1 or refunds != int(should_refund):
            fail(f"job {job.pk} ({job.status}): {reserves} charges, {refunds} refunds")
    say(f"- Charges: {charged} (one per job), refunds: {refunded} (one per failed or canceled job)")
    for (kind, reference), n in entries.items():
        fail(f"{n} {kind} entries for {reference}, which is no job")
    say(f"- Violations: {len(report.violations)}")
    return report


def clock(when: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(when))


if __name__ == "__main__":
    sys.exit(main())
