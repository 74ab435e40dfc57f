from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The feature packages, kernel first: each may hold access.py (rules), todos.py (home to-dos),
# menu.py (main-menu entries and the sections they open), documents.py (PDF context providers)
# and signing.py (signature-slot resolvers).
FEATURES = ("kernel", "registry", "portal", "submission", "scores", "reverification", "conclusions",
            "overview", "api")
REGISTERING_MODULES = ("access", "todos", "menu", "documents", "signing")


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Оценка")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each feature package registers its access rules, home to-dos, document context providers
        # and signature-slot resolvers when its modules are imported; other apps keep theirs in
        # <app>/access_rules.py and <app>/todos.py (autodiscovered).
        from importlib import import_module

        from django.utils.module_loading import autodiscover_modules, module_has_submodule

        for feature in FEATURES:
            package = import_module(f"{self.name}.{feature}")
            for part in REGISTERING_MODULES:
                if module_has_submodule(package, part):
                    import_module(f"{package.__name__}.{part}")
        autodiscover_modules("access_rules", "todos", "menu")
