"""`bench/where_time_goes.py`: where one request's time goes, by layer (issue 22's profile table).

Runs the WSGI application in this process under cProfile, on the bench database and
Redis db with DEBUG off (the bench's own settings), for three requests: the API intake
(`POST /api/v1/images`), the browser form intake (`POST /generate/`) and a signed-in
gallery page. Celery publishes to the Redis broker for real; no worker drains it.
Prints, per request, the share of wall time spent under each layer (cumulative time of
the layer's entry points, so layers nested in others are counted in both).

Usage: `.venv/bin/python bench/where_time_goes.py [REQUESTS]` (default 300 of each).
"""

import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

# Each layer is a set of (file fragment, function name) entry points; its cost is the
# largest cumulative time among them, so one entry point calling another is not counted
# twice within a layer.
LAYERS = {
    "session load/save": [
        ("sessions/backends", "load"),
        ("sessions/middleware", "process_response"),
    ],
    "auth (request.user, API key)": [("auth/__init__", "get_user"), ("apikeys/services", "")],
    "CSRF": [("middleware/csrf", "process_view")],
    "CSP header": [("csp/middleware", "process_response")],
    "rate limits": [("generation/ratelimits", "rate_hit"), ("django_ratelimit/core", "get_usage")],
    "template rendering": [("django/template/base", "render")],
    "SQL (psycopg execute)": [("psycopg/cursor", "execute")],
    # Single commands only: a pipeline's commands are under "rate limits" or the caller.
    "Redis commands": [("redis/client", "execute_command")],
    "Celery publish": [("celery/app/task", "apply_async")],
    "form / schema validation": [
        ("django/forms/forms", "full_clean"),
        ("pydantic/main", "model_validate"),
    ],
}


def environ(method: str, path: str, *, headers: dict, body: bytes = b"") -> dict:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return env


def call(app, method, path, *, headers, body=b"") -> int:
    status = []
    chunks = app(environ(method, path, headers=headers, body=body), lambda s, h: status.append(s))
    b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return int(status[0].split()[0])


def layer_costs(stats: pstats.Stats) -> dict[str, tuple[float, int]]:
    """Each layer's cumulative seconds and the calls of its costliest entry point."""
    found = {}
    for layer, entries in LAYERS.items():
        best = (0.0, 0)
        for (file, _, function), (calls, _, _, cumulative, _) in stats.stats.items():
            for fragment, name in entries:
                if fragment in file and (not name or function == name):
                    best = max(best, (cumulative, calls))
        found[layer] = best
    return found


# Self time grouped by where the code lives: these shares add up to 100%.
PACKAGES = {
    "psycopg (SQL)": "/psycopg/",
    "redis client": "/redis/",
    "celery + kombu (publish)": ("/celery/", "/kombu/"),
    "django templates": "/django/template/",
    "django ORM": "/django/db/",
    "django (rest)": "/django/",
    "ninja + pydantic": ("/ninja/", "/pydantic"),
    "allauth": "/allauth/",
    "csp": "/csp/",
    "our code": ("/work/",),
}


def package_shares(stats: pstats.Stats) -> dict[str, float]:
    shares = dict.fromkeys([*PACKAGES, "sockets, builtins, stdlib"], 0.0)
    for (file, _, _), (_, _, self_time, _, _) in stats.stats.items():
        name = next(
            (
                name
                for name, fragments in PACKAGES.items()
                if any(
                    f in file for f in (fragments if isinstance(fragments, tuple) else (fragments,))
                )
                and (name != "our code" or "site-packages" not in file)
            ),
            "sockets, builtins, stdlib",
        )
        shares[name] += self_time
    return shares


def profile(app, title, method, path, *, headers, body=b"", requests: int) -> str:
    for _ in range(20):  # warm: connections, templates, imports
        call(app, method, path, headers=headers, body=body)
    profiler = cProfile.Profile()
    statuses = set()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        statuses.add(call(app, method, path, headers=headers, body=body))
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    lines = [
        f"### {title} — {requests} requests, {wall / requests * 1000:.2f} ms each "
        f"under the profiler, statuses {sorted(statuses)}",
        "",
        "| layer | ms / request | share | calls / request |",
        "|---|---|---|---|",
    ]
    for layer, (seconds, calls) in sorted(layer_costs(stats).items(), key=lambda item: -item[1][0]):
        lines.append(
            f"| {layer} | {seconds / requests * 1000:.2f} | {seconds / wall:.0%} "
            f"| {calls / requests:.1f} |"
        )
    total = sum(package_shares(stats).values())
    lines += ["", "| self time in | ms / request | share |", "|---|---|---|"]
    for name, seconds in sorted(package_shares(stats).items(), key=lambda item: -item[1]):
        lines.append(f"| {name} | {seconds / requests * 1000:.2f} | {seconds / total:.0%} |")
    top = io.StringIO()
    pstats.Stats(profiler, stream=top).sort_stats("tottime").print_stats(12)
    lines += ["", "Top self time:", "```", top.getvalue().strip()[-3000:], "```", ""]
    return "\n".join(lines)


def main(requests: int = 300) -> int:
    import os

    with stack.scratch_dir() as scratch:
        env = stack.bench_environment(media_root=str(scratch / "media"), port=0, fake_url="")
        os.environ.update(env)
        stack.reset_database()
        stack.flush_redis()
        import django

        django.setup()
        from django.core.wsgi import get_wsgi_application

        from bench import seed
        from bench.benchmarks import API_BODY, FORM

        users = {name: seed.user_with_credits(f"{name}@profile.example") for name in ("a", "b")}
        seed.add_outputs(users["b"], 100)
        app = get_wsgi_application()
        api = {**seed.api_headers(users["a"]), "Content-Type": "application/json"}
        form = {**seed.browser_headers(users["a"])}
        form["Content-Type"] = "application/x-www-form-urlencoded"
        gallery = seed.browser_headers(users["b"])
        print(
            profile(
                app,
                "API intake, POST /api/v1/images",
                "POST",
                "/api/v1/images",
                headers=api,
                body=API_BODY.encode(),
                requests=requests,
            )
        )
        print(
            profile(
                app,
                "Form intake, POST /generate/",
                "POST",
                "/generate/",
                headers=form,
                body=FORM.encode(),
                requests=requests,
            )
        )
        print(
            profile(
                app,
                "Gallery, GET /gallery/ (100 items)",
                "GET",
                "/gallery/",
                headers=gallery,
                requests=requests,
            )
        )
        stack.flush_redis()
    return 0


if __name__ == "__main__":
    sys.exit(main(*map(int, sys.argv[1:2])))
