"""`make bench`: the benchmarks on the full stack, one table row each.

`bench/run.py completion` runs row 5 alone into bench/results/completion.md,
`bench/run.py pipeline` row 3 alone into bench/results/pipeline.md, and
`bench/run.py edits` row 6 (the offline edits) alone into bench/results/edits.md.

Starts its own gunicorn and Celery worker on a dedicated database
(cartonify_bench) and Redis db 9, puts load on them with wrk over loopback, and
writes bench/results/latest.md and the README's Performance table. Exits 1 when any row
misses its target (bench/targets.py).
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack

RESULTS = Path(__file__).resolve().parent / "results"


# Rows that run alone: `bench/run.py NAME` → the benchmarks' function that runs it.
ONE_ROW = {"completion": "run_completion", "pipeline": "run_pipeline", "edits": "run_edits"}


def main(only: str = "") -> int:
    with stack.scratch_dir() as scratch:
        port = stack.free_port()
        env = stack.bench_environment(media_root=str(scratch / "media"), port=port, fake_url="")
        os.environ.update(env)
        print(f"Bench database {stack.DATABASE_URL}, Redis {stack.REDIS_URL}", flush=True)
        stack.reset_database()
        stack.flush_redis()
        import django

        django.setup()
        from bench import benchmarks

        report = benchmarks.Report(machine=stack.machine(), date=datetime.date.today().isoformat())
        if only in ONE_ROW:
            user = benchmarks.seed.user_with_credits(f"{only}@bench.example")
            getattr(benchmarks, ONE_ROW[only])(report, env=env, scratch=scratch, user=user)
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"{only}.md").write_text(report.markdown())
            print(report.markdown())
            return verdict(report)
        benchmarks.run_all(report, env=env, port=port, scratch=scratch)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report.markdown())
    report.update_readme(Path(__file__).resolve().parent.parent / "README.md")
    print()
    print(report.table())
    print(f"\nWritten to {RESULTS / 'latest.md'}")
    return verdict(report)


def verdict(report) -> int:
    """Non-zero when a row missed its target, so a change that costs speed fails the run."""
    missed = report.missed()
    if not missed:
        print("All rows met their targets.")
        return 0
    print("Targets missed:\n" + "\n".join(f"- {name}" for name in missed), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
