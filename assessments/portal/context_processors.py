"""Template context shared by every page: the current cycle, loaded only if a page uses it."""

from django.utils.functional import SimpleLazyObject


def cycle(request):
    def load():
        from assessments.registry.services.cycles import current_cycle

        return current_cycle()

    return {"current_cycle": SimpleLazyObject(load)}


def jobs(request):
    """``can_operate_jobs``: the navigation's link to the background jobs' page (administrators,
    coordinators), computed only if a page asks."""

    def load() -> bool:
        from assessments.kernel import access

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        principal = access.principal(user)
        return bool(principal.is_admin or principal.is_coordinator)

    return {"can_operate_jobs": SimpleLazyObject(load)}
