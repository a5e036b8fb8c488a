"""Entry point for gunicorn in a checkout: `gunicorn wsgi:app`. This file is not installed;
an installed copy runs `gunicorn 'inspect_ready:create_app()'`."""

import gc

from inspect_ready import create_app

app = create_app()
# Everything made while starting (the frameworks, templates, SQLAlchemy's mappers: some
# hundred thousand objects that live as long as the worker) is moved out of the collector's
# sight. Otherwise each full collection a request triggers walks them all again; frozen
# before gunicorn forks, they are also shared by the workers' memory without copying.
gc.freeze()
