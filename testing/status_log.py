"""Every status a job passed through, recorded by PostgreSQL as it happens.

A test that polls a job's status can miss a state that lasted less than its polling
gap on a loaded machine; a trigger on the table misses nothing. For tests with
`transaction=True` (the rows are written by a worker, outside the test's transaction).
"""

from contextlib import contextmanager

from django.db import connection

from generation.models import Generation

CREATE = """
CREATE TABLE test_status_log (
    id bigserial PRIMARY KEY, generation_id bigint NOT NULL, status text NOT NULL
);
CREATE FUNCTION test_status_log_record() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
        INSERT INTO test_status_log (generation_id, status) VALUES (NEW.id, NEW.status);
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER test_status_log AFTER INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION test_status_log_record();
"""

DROP = """
DROP TRIGGER IF EXISTS test_status_log ON {table};
DROP FUNCTION IF EXISTS test_status_log_record();
DROP TABLE IF EXISTS test_status_log;
"""


@contextmanager
def recording_statuses():
    """Yields `statuses(job)`: the job's statuses in the order they were written."""
    table = connection.ops.quote_name(Generation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(DROP.format(table=table) + CREATE.format(table=table))

    def statuses(job) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status FROM test_status_log WHERE generation_id = %s ORDER BY id",
                [job.pk],
            )
            return [status for (status,) in cursor.fetchall()]

    try:
        yield statuses
    finally:
        with connection.cursor() as cursor:
            cursor.execute(DROP.format(table=table))
