import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings module is set)

if settings.HERITAGE.get("FACET_MEMORY_WARM_UP"):
    # The collection search's facet rows into memory before the first search asks.
    from reisgezel.heritage.collection_memory import warm_up

    warm_up()
