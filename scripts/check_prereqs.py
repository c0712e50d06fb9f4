"""Say in one clear line what `make test` needs and is missing; exit 1 if anything is.

Standard library only: it runs before the virtualenv exists.
"""

import ctypes
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cartonify"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def check_service(name: str, variable: str, default: str, default_port: int) -> str | None:
    parts = urlsplit(os.environ.get(variable) or default)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    if reachable(host, port):
        return None
    return f"{name} is not reachable at {host}:{port} — start it or set {variable}"


def ensure_debian_package(path: str, package: str) -> str | None:
    """Install a missing program from Debian's packages when this runs as root."""
    return ensure_installed(path, package, lambda: os.path.exists(path))


def ensure_debian_library(soname: str, package: str) -> str | None:
    """Install a missing shared library (found as the dynamic loader finds it)."""
    return ensure_installed(soname, package, lambda: loadable(soname))


def loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def ensure_installed(name: str, package: str, present: Callable[[], bool]) -> str | None:
    if present():
        return None
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"{name} is missing; installing Debian's {package} package…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env)
        if present():
            return None
    return f"{name} is not installed — run: sudo apt-get install {package}"


def ensure_programs() -> list[str | None]:
    # "playwright": the tests use the browser `playwright install chromium` downloaded.
    chromium = None if CHROMIUM == "playwright" else ensure_debian_package(CHROMIUM, "chromium")
    # The API docs' curl quickstart, which a test runs as written, uses curl and jq.
    # Real-ESRGAN (the offline upscale, tested for real) links Vulkan and LLVM's OpenMP.
    return [
        chromium,
        ensure_debian_package("/usr/bin/curl", "curl"),
        ensure_debian_package("/usr/bin/jq", "jq"),
        ensure_debian_library("libvulkan.so.1", "libvulkan1"),
        ensure_debian_library("libomp.so.5", "libomp5"),
    ]


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print(f"Python 3.11 is required (this is {sys.version.split()[0]})")
        return 1
    problems = [
        check_service("PostgreSQL", "DATABASE_URL", DEFAULT_DATABASE_URL, 5432),
        check_service("Redis", "REDIS_URL", DEFAULT_REDIS_URL, 6379),
    ]
    problems = [p for p in problems if p] or ensure_programs()
    problems = [p for p in problems if p]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
