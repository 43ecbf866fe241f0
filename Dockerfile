# The application's image: the web process (gunicorn), the Celery worker and Celery
# beat all run from it, with different commands (compose.yaml). Nothing is fetched
# at run time; the containers write nothing but their logs (files go to the object
# storage, data to PostgreSQL, work to Redis).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=qms.settings.production

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# The message catalogues and the static files (whitenoise serves them) are built
# into the image. Production settings need a secret to load; this one is only for
# the build and is never used to sign anything.
RUN DJANGO_SECRET_KEY=image-build-only python manage.py compiletranslations \
 && DJANGO_SECRET_KEY=image-build-only python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --no-create-home qms
USER qms

EXPOSE 8000
CMD ["gunicorn", "qms.wsgi", "--workers", "2", "--bind", "0.0.0.0:8000", "--access-logfile", "-", \
     "--no-control-socket"]
