"""WSGI entry point (gunicorn mesohair.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesohair.settings")
application = get_wsgi_application()
