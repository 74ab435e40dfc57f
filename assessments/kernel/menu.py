"""The main menu: a registry of entries, each shown to exactly those who may open its section.

Each feature registers its entries in its package's ``menu.py`` (another app: ``<app>/menu.py``),
imported by ``AssessmentsConfig.ready``; whether a person sees an entry is asked of the access
registry (``access.may_open(user, entry.section)``), never decided by role names in a template:

    # assessments/submission/menu.py
    from django.utils.translation import gettext_lazy as _
    from assessments.kernel import access, menu

    @access.section("imports", reason=_("Импорт данных доступен экспертам ..."))
    def _imports(p):
        return bool(import_kinds_for(p))

    menu.entry("imports", _("Импорт данных"), "submission:import_list", order=80,
               section="imports", current=("submission:import_*",))

The view of that section calls ``access.require_section(request.user, "imports")``, so the menu
and the page never disagree. ``current`` are patterns (``fnmatch``) of view names
(``namespace:url_name``) that mark the entry as the page's section (``aria-current``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.urls import NoReverseMatch, reverse

from assessments.kernel import access


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: Any  # a lazy translated string
    url_name: str
    order: int = 100
    section: str | None = None  # None: every signed-in person
    current: tuple[str, ...] = field(default=())
    badge: Callable[[Any], int | None] | None = None  # a count beside the label (unread, ...)

    def is_current(self, view_name: str) -> bool:
        patterns = self.current or (self.url_name,)
        return any(fnmatchcase(view_name, pattern) for pattern in patterns)


_ENTRIES: dict[str, MenuEntry] = {}


def entry(key: str, label: Any, url_name: str, *, order: int = 100, section: str | None = None,
          current: tuple[str, ...] = (),
          badge: Callable[[Any], int | None] | None = None) -> MenuEntry:
    """Register (or replace, by ``key``) a main-menu entry; ``badge(user)`` gives a count shown
    beside its label (nothing when 0 or None)."""
    item = MenuEntry(key=key, label=label, url_name=url_name, order=order, section=section,
                     current=tuple(current), badge=badge)
    _ENTRIES[key] = item
    return item


def entries() -> list[MenuEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str
    url: str
    current: bool
    badge: int | None = None


def menu_for(user, view_name: str = "") -> list[MenuLink]:
    """The entries ``user`` may use, in order, the one of the page's section marked current (the
    most specific match: the longest pattern wins when two entries claim a page)."""
    if not getattr(user, "is_authenticated", False):
        return []
    shown: list[tuple[MenuEntry, str]] = []
    for item in entries():
        if item.section is not None and not access.may_open(user, item.section):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        shown.append((item, url))
    best, best_len = None, -1
    for item, _url in shown:
        for pattern in item.current or (item.url_name,):
            if view_name and fnmatchcase(view_name, pattern) and len(pattern) > best_len:
                best, best_len = item.key, len(pattern)
    return [MenuLink(key=item.key, label=str(item.label), url=url, current=item.key == best,
                     badge=(item.badge(user) or None) if item.badge else None)
            for item, url in shown]
