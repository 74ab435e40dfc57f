"""Template context shared by every page: the current cycle, loaded only if a page uses it."""

from django.utils.functional import SimpleLazyObject


def cycle(request):
    def load():
        from assessments.registry.services.cycles import current_cycle

        return current_cycle()

    return {"current_cycle": SimpleLazyObject(load)}
