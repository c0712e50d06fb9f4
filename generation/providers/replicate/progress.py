"""How far a prediction has got, read from the tqdm bars Replicate's models print."""

import re

#  45%|████▌     | 9/20 [00:02<00:02, 4.1it/s]
EXCERPT_MAX = 200
BAR = re.compile(r"(?P<percent>\d{1,3})%\|[^|\n\r]*\|\s*(?P<step>\d+)/(?P<total>\d+)")


def progress_from_logs(logs: object) -> tuple[int | None, str]:
    """The last bar's percentage (None before any bar) and the logs' last line."""
    if not isinstance(logs, str) or not logs.strip():
        return None, ""
    # tqdm redraws its bar with carriage returns; the last redraw is the current one.
    lines = [line.strip() for line in re.split(r"[\r\n]+", logs) if line.strip()]
    percent = None
    for line in reversed(lines):
        if match := BAR.search(line):
            percent = min(int(match["percent"]), 100)
            break
    return percent, lines[-1][:EXCERPT_MAX] if lines else ""
