"""Private Redis, PostgreSQL and Celery processes that fault tests may kill and restart.

Never the machine's shared services: each instance here listens on a free port of
its own and is stopped when the test ends.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def current_database_url() -> str:
    """The URL of the database pytest-django set up, so subprocesses share it."""
    from django.db import connection

    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)


def wait_until(condition, timeout: float = 20.0, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_until(lambda: port_open(self.port)), "private redis did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        assert wait_until(lambda: not port_open(self.port))


class PrivatePostgres:
    """A throwaway cluster made with initdb/pg_ctl, owned by the postgres OS user."""

    def __init__(self):
        self.port = free_port()
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="cartonify-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "start",
            "-l",
            str(self.dir / "log"),
        )

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _in(cwd: Path, env: dict[str, str]) -> dict[str, str]:
    """`env` for a process started in `cwd`: the project is found wherever that is."""
    return env if cwd == ROOT else {**env, "PYTHONPATH": str(ROOT)}


def gunicorn_process(env: dict[str, str], cwd: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """gunicorn with the project's config on a free port; returns it and its base URL."""
    port = free_port()
    config = str(ROOT / "gunicorn.conf.py")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", config, "cartonify.wsgi"],
        cwd=cwd,
        env={**_in(cwd, env), "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, f"http://127.0.0.1:{port}"


def runserver_process(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """`manage.py runserver`, as `make run` starts it, on a free port; returns it and its URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, f"http://127.0.0.1:{port}"


def wait_for_http(url: str, timeout: float = 60.0):
    """The first answer from `url`, waiting while the server starts."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def celery_worker_process(
    env: dict[str, str], pool: str = "solo", cwd: Path = ROOT
) -> subprocess.Popen:
    """A real `celery worker` in its own process. With the solo pool, SIGKILL takes the
    job with it; with `pool="prefork"` (one child), the job runs in a child process."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cartonify",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=cwd,
        env=_in(cwd, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def celery_beat_process(env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen:
    """A real `celery beat` with the database scheduler, logging to `cwd`/beat.log."""
    with (cwd / "beat.log").open("ab") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cartonify",
                "beat",
                "--loglevel=INFO",
                "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
                f"--schedule={cwd / 'beat-schedule'}",
            ],
            cwd=cwd,
            env=_in(cwd, env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def child_pids(pid: int) -> list[int]:
    """The direct children of process `pid` (read from /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


# The kernel's codes for the TCP states /proc/net/tcp lists that tests ask about.
ESTABLISHED, LISTEN = "01", "0A"


@dataclass(frozen=True)
class TcpSocket:
    local_port: int
    remote_port: int  # 0 for a listening socket
    state: str  # ESTABLISHED, LISTEN, or another of the kernel's codes


def tcp_sockets(pid: int) -> set[TcpSocket]:
    """The TCP sockets process `pid` holds open: the sockets of its network namespace
    (/proc/<pid>/net/tcp and tcp6) whose inodes are among its open files."""
    inodes = _socket_inodes(pid)
    try:
        rows = [
            line.split()
            for table in ("tcp", "tcp6")
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        ]
    except FileNotFoundError:
        return set()  # it has ended: it holds nothing, and has no net/ left to read
    # A row: slot, local address, remote address, state, queues, timer, retransmits, uid,
    # timeout, inode, ...
    return {TcpSocket(_port(row[1]), _port(row[2]), row[3]) for row in rows if row[9] in inodes}


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:
        return inodes  # the process has ended and been reaped
    for fd in fds:
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    return inodes


def _port(address: str) -> int:
    """The port of a /proc/net/tcp address ("0100007F:1F90": hex IP, colon, hex port)."""
    return int(address.rsplit(":", 1)[1], 16)


def stop_process(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        process.wait(timeout=30)
