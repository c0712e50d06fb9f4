"""Millions of gallery rows in seconds: INSERT … SELECT over generate_series in PostgreSQL.

Each column gets its model field's default unless the caller gives an SQL expression, so
fields other engineers add later (with defaults) need no change here.
"""

from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import User
from generation.models import Generation, Output

OUTPUTS_PER_JOB = 4


def users_create(count: int, *, prefix: str) -> list[int]:
    """`count` users with no usable password; returns their ids."""
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{n}@bench.example", password=unusable) for n in range(count)],
        batch_size=5000,
    )
    return [user.pk for user in users]


def _insert_select(model, expressions: dict[str, str], source: str, params: list) -> int:
    """INSERT INTO model's table one row per row of `source` (with its `params`); columns
    not in `expressions` (column → SQL without parameters) get their field's default."""
    columns, values, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column not in expressions:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in expressions:
            values.append(expressions[field.column])
        else:
            values.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    # Names come from the model's metadata and the callers' literals; values are parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *params])
        return cursor.rowcount


def outputs_add(user_ids: list[int], per_user: int, *, per_job: int = OUTPUTS_PER_JOB) -> int:
    """`per_user` succeeded image outputs for each user, `per_job` per job, newest last."""
    jobs_per_user = per_user // per_job
    before = Generation.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _insert_select(
        Generation,
        {
            "user_id": "u.id",
            "kind": "'image'",
            "prompt": "'bench picture ' || n || ': a lighthouse in a storm, cartoon style'",
            "style": "'cartoon'",
            "color": "'vibrant'",
            "provider": "'local'",
            "status": "'succeeded'",
            "count": str(per_job),
            "created_at": "at",
            "started_at": "at",
            "finished_at": "at",
        },
        "unnest(%s::bigint[]) AS u(id) CROSS JOIN generate_series(1, %s) AS n"
        " CROSS JOIN LATERAL (SELECT now() - (%s - n) * interval '1 minute' AS at) AS t",
        [user_ids, jobs_per_user, jobs_per_user],
    )
    return _insert_select(
        Output,
        {
            "user_id": "g.user_id",
            "generation_id": "g.id",
            "kind": "'image'",
            "file": "'outputs/' || g.user_id || '/bench-' || g.id || '-' || k || '.png'",
            "content_type": "'image/png'",
            "width": "512",
            "height": "512",
            "bytes": "400000",
            "created_at": "g.created_at + k * interval '1 second'",
        },
        f"{Generation._meta.db_table} AS g CROSS JOIN generate_series(0, %s) AS k WHERE g.id > %s",
        [per_job - 1, before],
    )
