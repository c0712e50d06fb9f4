"""Threads started together, each on its own database connection: real races."""

import threading

from django.db import connection


def run_in_threads(count: int, work) -> list:
    """Start `count` threads at once; each returns work(i) or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
