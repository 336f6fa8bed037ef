# The portal's image: one image for web (gunicorn), worker, beat and the migrate step.
# Entry points: docker/web.sh, worker.sh, beat.sh, migrate.sh (tested outside Docker, as
# an unprivileged user in a read-only copy of the tree: tests/ops/test_containers.py).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=alin.settings \
    MEDIA_ROOT=/app/media \
    CELERY_BEAT_SCHEDULE_FILE=/var/lib/alin/beat/celerybeat-schedule
# WeasyPrint needs Pango; fonts for the PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip install --system --no-cache --require-hashes -r requirements/base.txt
COPY . .
# collectstatic signs nothing, but production settings require a real key: a throwaway one.
RUN DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput
# The code belongs to root and is read-only for the application's user; it writes only
# the media volume and beat's schedule.
RUN useradd --create-home --uid 1000 alin \
 && mkdir -p /app/media /var/lib/alin/beat \
 && chown alin /app/media /var/lib/alin/beat
USER alin
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "docker/healthcheck.py", "web"]
CMD ["docker/web.sh"]
