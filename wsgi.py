"""Entry point for gunicorn in a checkout: `gunicorn wsgi:app`. This file is not installed;
an installed copy runs `gunicorn 'inspect_ready:create_app()'`."""

from inspect_ready import create_app

app = create_app()
