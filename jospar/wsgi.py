import os

from django.core.wsgi import get_wsgi_application

from jospar.ops import collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jospar.settings")
application = get_wsgi_application()
collector.tune()
