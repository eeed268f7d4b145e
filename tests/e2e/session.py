"""Log a browser in without the login form: the session cookie of a test client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext


def log_in(context: BrowserContext, live_server: Any, user: Any) -> None:
    """Give the browser the session cookie of a test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
