# Production image. The web server (CMD), the Celery worker and Celery beat
# all run from it; docker-compose.yml shows how.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=hoitu.settings.production \
    VAR_DIR=/var/lib/hoitu \
    MEDIA_ROOT=/var/lib/hoitu/media \
    STATIC_ROOT=/app/static

# ffmpeg: the media archive's video and audio tools, for the worker.
# postgresql-client-16, from PostgreSQL's own apt repository: pg_dump and
# pg_restore for `manage.py backup`/`restore`, of the server's major version
# (docker-compose.yml runs PostgreSQL 16; pg_dump refuses a newer server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $(. /etc/os-release && echo "$VERSION_CODENAME")-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Installed in place (editable) because the settings find templates/ and
# locale/ next to the packages. collectstatic needs settings that
# import, not a real database; the key is thrown away with the step (the
# production settings refuse a weak one).
RUN pip install --no-deps -e . \
    && DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
       python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /var/lib/hoitu hoitu \
    && mkdir -p /var/lib/hoitu/media /var/lib/hoitu/celery /var/lib/hoitu/backups \
    && chown -R hoitu:hoitu /var/lib/hoitu

USER hoitu
EXPOSE 8000
# Worker processes: WEB_CONCURRENCY (gunicorn reads it; compose sets it).
CMD ["gunicorn", "hoitu.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", "--max-requests", "2000", "--max-requests-jitter", "200", "--access-logfile", "-"]
