# The production image: the same system packages as scripts/system-deps.sh (Pango, HarfBuzz
# subsetting, IPAex fonts, gettext), the locked dependencies, collected static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=handson.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-ipaexfont-gothic fonts-ipaexfont-mincho gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir -r requirements/base.lock

COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py compilemessages -v0 \
 && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v0 \
 && useradd --system --home /app handson && mkdir -p /app/var && chown handson /app/var
USER handson

EXPOSE 8000
CMD ["gunicorn", "handson.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
