"""Background tasks of the search app (Django's tasks framework)."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-not-found,unused-ignore]

from reisgezel.search.postings import postings_build


@task()
def build_postings() -> int:
    """Build the frequent words' posting lists again (search/postings.py); returns how
    many words got one."""
    return postings_build().frequent
