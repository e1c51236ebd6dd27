"""The WSGI entry point: gunicorn serves `wsgi:app`."""

from fitbud import create_app

app = create_app()
