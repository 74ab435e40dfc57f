"""Page panels: a feature's page shows panels that other apps contribute, without importing them.

The conclusion's page shows the appeal's entry points, but conclusions may not import appeals
(the rules of the house): appeals registers a panel for the page's slot, the page asks for the
slot's panels by name.

    # appeals/panels.py (imported by AppealsConfig.ready)
    @panels.panel("conclusion_detail")
    def appeal_panel(request, conclusion) -> str:
        return render_to_string("appeals/partials/conclusion_panel.html", {...}, request=request)

    {# the page #}
    {% load assessments_tags %}{% page_panels "conclusion_detail" c %}

A panel returns HTML (rendered from a template, so escaped) or "" to show nothing; several panels
of one slot are shown in the order they were registered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[Any, Any], str]

_PANELS: dict[str, list[Panel]] = defaultdict(list)


def panel(slot: str) -> Callable[[Panel], Panel]:
    """Register ``fn(request, obj) -> html`` for the pages' ``slot`` (once per function)."""

    def decorator(fn: Panel) -> Panel:
        if fn not in _PANELS[slot]:
            _PANELS[slot].append(fn)
        return fn

    return decorator


def panels_for(slot: str) -> list[Panel]:
    return list(_PANELS.get(slot, ()))


def render_panels(slot: str, request, obj) -> SafeString:
    """Every panel of ``slot`` for ``obj``, in registration order. The panels render templates,
    which escape what they print."""
    return mark_safe("".join(fn(request, obj) for fn in panels_for(slot)))
