from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Оценка")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Access rules and home-page to-do providers of every app register themselves on import:
        # this app's live in assessments/access.py and assessments/todos.py; other apps put theirs
        # in <app>/access_rules.py and <app>/todos.py.
        from django.utils.module_loading import autodiscover_modules

        from assessments import (  # noqa: F401
            access,
            access_rules_reverification,
            documents_reverification,
            todos,
            todos_reverification,
        )
        from assessments.demo_reverification import register as register_reverification_demo

        register_reverification_demo()

        autodiscover_modules("access_rules", "todos")

        # The conclusions' signature-slot resolvers and PDF context providers, and their demo
        # step (issue 7).
        from assessments import conclusion_documents, conclusion_signing, demo  # noqa: F401
        from assessments.demo_conclusions import seed_conclusions

        if seed_conclusions not in demo.DEMO_STEPS:
            demo.DEMO_STEPS.append(seed_conclusions)
