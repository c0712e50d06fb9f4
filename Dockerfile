# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

RUN groupadd --system cartonify && useradd --system --gid cartonify --home /app cartonify

COPY --chown=cartonify:cartonify . .

# Static files are collected at build time with throwaway settings; whitenoise serves them.
RUN DEBUG=false SECRET_KEY=collectstatic-only EMAIL_URL=smtp://localhost:25 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown cartonify:cartonify /app/media

USER cartonify
EXPOSE 8000

CMD ["gunicorn", "-c", "gunicorn.conf.py", "cartonify.wsgi"]
