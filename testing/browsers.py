"""Which Chromium the browser tests drive, from CHROMIUM_PATH."""

DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Runners without Debian's package use the build `playwright install chromium` downloads.
PLAYWRIGHT_BUNDLED = "playwright"


def chromium_executable(chromium_path: str | None) -> str | None:
    """The executable to launch, or None for Playwright's own Chromium."""
    if chromium_path == PLAYWRIGHT_BUNDLED:
        return None
    return chromium_path or DEBIAN_CHROMIUM


# How long a browser test waits for the state it means, for actions and `expect` alike:
# Playwright's 5 s for `expect` was outlasted by real requests on a loaded 2-core runner.
BROWSER_WAIT_MS = 15_000
