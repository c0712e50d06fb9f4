"""LOG_FORMAT=json writes each log record as one JSON object per line."""

import json
import os
import subprocess
import sys

LOG_SOMETHING = """
import django
django.setup()
import logging
from cartonify.logging import request_id_var
request_id_var.set("req-42")
log = logging.getLogger("cartonify.sample")
log.warning("disk at %d%%", 91)
try:
    1 / 0
except ZeroDivisionError:
    log.exception("sum failed")
"""


def run_logging(log_format: str) -> list[str]:
    env = {**os.environ, "LOG_FORMAT": log_format}
    result = subprocess.run(
        [sys.executable, "-c", LOG_SOMETHING], env=env, capture_output=True, text=True, check=True
    )
    return result.stderr.splitlines()


def test_json_log_lines_parse_with_level_logger_message_and_request_id():
    lines = run_logging("json")

    records = [json.loads(line) for line in lines]
    assert [r["message"] for r in records] == ["disk at 91%", "sum failed"]
    assert records[0]["level"] == "WARNING"
    assert records[0]["logger"] == "cartonify.sample"
    assert records[0]["request_id"] == "req-42"
    assert "ZeroDivisionError" in records[1]["exception"]


def test_plain_text_is_the_default():
    lines = run_logging("")

    assert "WARNING [req-42] cartonify.sample: disk at 91%" in lines[0]
