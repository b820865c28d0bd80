"""WSGI entry point for gunicorn: ``gunicorn stodkedjan.wsgi``."""

import os
import sys

from django.core.wsgi import get_wsgi_application

from stodkedjan.env import EnvError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")

try:
    application = get_wsgi_application()
except EnvError as error:
    sys.exit(f"stodkedjan: configuration error: {error}")
