# The production image: front-end libraries from the npm registry, Python deps from PyPI,
# static files collected (hashed and compressed) at build time.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
# STATIC_HASHED=1: there is no manifest yet, and without it the collect would copy plain names.
RUN STATIC_HASHED=1 DEBUG=1 SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && useradd --system --home /app portal && mkdir -p var && chown portal var
USER portal
EXPOSE 8000
CMD ["gunicorn", "itsm_pmo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
