# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Real-ESRGAN (the offline upscale) links these even on the CPU.
RUN apt-get update && apt-get install -y --no-install-recommends libvulkan1 libomp5 \
    && rm -rf /var/lib/apt/lists/*

COPY requirements/base.txt requirements/upscale.txt requirements/
RUN pip install -r requirements/base.txt && pip install --no-deps -r requirements/upscale.txt

RUN groupadd --system cartonify && useradd --system --gid cartonify --home /app cartonify

COPY --chown=cartonify:cartonify . .

# Static files are collected at build time with throwaway settings; whitenoise serves them.
RUN DEBUG=false SECRET_KEY=collectstatic-only EMAIL_URL=smtp://localhost:25 ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown cartonify:cartonify /app/media

USER cartonify
EXPOSE 8000

CMD ["gunicorn", "-c", "gunicorn.conf.py", "cartonify.wsgi"]
