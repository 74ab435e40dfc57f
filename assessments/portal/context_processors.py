"""Template context shared by every page: the current cycle, loaded only if a page uses it."""

from django.utils.functional import SimpleLazyObject


def cycle(request):
    def load():
        from assessments.registry.services.cycles import current_cycle

        return current_cycle()

    return {"current_cycle": SimpleLazyObject(load)}


def navigation(request):
    """``menu_links``: the main menu's entries this person may use (the kernel's menu registry,
    each entry asked of the access registry), the page's section marked, computed only if the
    page renders the menu."""

    def load():
        from assessments.kernel import menu

        match = getattr(request, "resolver_match", None)
        return menu.menu_for(getattr(request, "user", None), match.view_name if match else "")

    return {"menu_links": SimpleLazyObject(load)}
