"""Load from a separate process: wrk (Debian's package), driven by bench/wrk.lua."""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    errors: dict[str, int]

    def ok(self, *statuses: int) -> int:
        return sum(self.statuses.get(str(status), 0) for status in statuses)

    def rate(self, *statuses: int) -> float:
        """Requests per second answered with one of `statuses` (all when none given)."""
        count = self.ok(*statuses) if statuses else self.requests
        return count / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s, statuses {self.statuses}, "
            f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, socket errors {self.errors}"
        )


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    return path


def run(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    connections: int = 8,
    seconds: int = 10,
    max_requests: int = 0,
    timeout: int = 10,
) -> Load:
    """One wrk run on loopback, bounded by `seconds` and (per thread) `max_requests`."""
    assert url.startswith("http://127.0.0.1:"), "load stays on loopback"
    threads = 2 if connections >= 2 else 1
    with tempfile.NamedTemporaryFile(suffix=".body") as body_file:
        body_file.write(body or b"")
        body_file.flush()
        args = [
            wrk_path(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            f"--timeout={timeout}s",
            "-s",
            str(SCRIPT),
            url,
            "--",
            method,
            str(max_requests // threads if max_requests else 0),
            body_file.name if body else "-",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + timeout + 30)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = {name: n for name, n in data["errors"].items() if n and name != "status"}
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        statuses=dict(sorted(data["statuses"].items())),
        errors=errors,
    )
