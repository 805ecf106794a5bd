import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
application = get_wsgi_application()

# Every app's pages and the API (django-ninja's schemas) are loaded as the worker starts, not by its first request:
# about 0.4 s of CPU that the first request after each start or restart (gunicorn's max_requests) would wait for.
get_resolver().url_patterns
