"""The admin of every feature package, registered when Django's admin autodiscovery imports
this module (it looks for ``<app>.admin`` only)."""

from assessments.api import admin as api_admin  # noqa: F401  (tokens, service accounts)
from assessments.kernel import admin as kernel_admin  # noqa: F401  (the kernel's models)
from assessments.registry import admin as registry_admin  # noqa: F401  (reference data)
from assessments.reverification import admin as reverification_admin  # noqa: F401  (records)
from assessments.scores import admin as scores_admin  # noqa: F401  (records)
from assessments.submission import admin as submission_admin  # noqa: F401  (register, records)
