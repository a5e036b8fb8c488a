"""Entry point for gunicorn in a checkout: `gunicorn wsgi:app`. This file is not installed;
an installed copy runs `gunicorn 'inspect_ready:create_app()'`. Either way create_app, under
gunicorn, freezes what start-up made out of the garbage collector's sight
(inspect_ready.settle_for_serving)."""

from inspect_ready import create_app

app = create_app()
