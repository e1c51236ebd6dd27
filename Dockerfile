# Fitbud's image: gunicorn serving wsgi:app on port 8000, as a non-root user.
# The same image runs the web (default command), the RQ worker (python -m workers) and the
# migrations (flask db upgrade); see compose.yaml.
FROM python:3.11-slim

# gunicorn reads its worker count from WEB_CONCURRENCY (override it per deployment).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLASK_APP=wsgi.py \
    FLASK_CONFIG=production \
    WEB_CONCURRENCY=2

RUN groupadd --system --gid 10001 fitbud \
    && useradd --system --uid 10001 --gid fitbud --home-dir /app --shell /usr/sbin/nologin fitbud

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so create_app() finds migrations/ beside the package and config.py stays importable.
# instance/imports exists (owned by fitbud) so the compose volume mounted there starts writable.
RUN pip install --no-deps -e . \
    && mkdir -p /app/instance/imports \
    && chown -R fitbud:fitbud /app/instance

USER fitbud
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# The app writes its own JSON access log line per request, so gunicorn's is left off.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "wsgi:app"]
