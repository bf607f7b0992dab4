"""WSGI entry point (gunicorn verify.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")
application = get_wsgi_application()
