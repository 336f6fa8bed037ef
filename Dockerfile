# The portal's image: one image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=alin.settings
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
RUN useradd --create-home alin && mkdir -p /app/media && chown alin /app/media
USER alin
EXPOSE 8000
CMD ["gunicorn", "alin.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
