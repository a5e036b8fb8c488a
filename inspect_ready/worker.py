"""The job consumer's entry point: `huey_consumer inspect_ready.worker.huey`.

huey's consumer needs a queue it can import, so importing this module makes an app from
the environment, as the web server does, and exposes that app's queue; every task runs in
this app's context. Only the consumer imports this module.
"""

from inspect_ready import create_app, freeze_start_up

app = create_app()
huey = app.extensions["huey"]
freeze_start_up()  # the consumer lives as long as gunicorn's workers (inspect_ready.settle_for_serving)
