"""Every record admin (the scores' and re-verification's records) is the kernel's read-only admin:
it lists and shows, never adds, changes or deletes (the services do)."""

from django.contrib import admin

from assessments.kernel.admin import ReadOnlyAdmin

RECORDS = [
    "scoringinput", "scoresheet", "backgroundjob", "riskmethod", "risksample",
    "reverification", "documentrequest", "confirmingdocument", "systemcheck",
    "reconciliationact",
]


def test_every_record_admin_is_read_only():
    from assessments import models

    for name in RECORDS:
        model = next(m for m in vars(models).values()
                     if isinstance(m, type) and getattr(m, "_meta", None)
                     and m._meta.model_name == name)
        assert isinstance(admin.site._registry[model], ReadOnlyAdmin)
