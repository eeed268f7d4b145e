"""`{% my_neighbourhood_panel %}`: the resident's own buurt on the home page.

The home page belongs to the agenda app, which may not import this one; the template
tag is the seam: the agenda's home template loads this library and calls the tag.
"""

from __future__ import annotations

from typing import Any

from django import template

from reisgezel.neighbourhoods import selectors
from reisgezel.neighbourhoods.preference import home_neighbourhood_for

register = template.Library()

PANEL_EVENTS = 3


@register.inclusion_tag("neighbourhoods/panel.html", takes_context=True)
def my_neighbourhood_panel(context: template.Context) -> dict[str, Any]:
    """The chosen buurt with its next few events, or an invitation to choose one."""
    request = context.get("request")
    home = home_neighbourhood_for(request) if request is not None else None
    if home is None:
        return {"home": None}
    area = selectors.neighbourhood_area(slug=home.slug)
    events = selectors.upcoming_events(area, limit=PANEL_EVENTS) if area else []
    return {"home": home, "area": area, "events": events}
