"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from inspect_ready import create_app

app = create_app()
