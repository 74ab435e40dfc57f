"""Who sees the API's own records: administrators every token and service account, a person
their own tokens."""

from django.db.models import Q

from assessments.kernel import access
from assessments.kernel.access import EVERYTHING, Principal
from assessments.models import ApiToken, ServiceAccount


@access.visibility(ApiToken)
def _tokens(p: Principal) -> Q:
    return EVERYTHING if p.is_admin else Q(user_id=p.user.pk)


@access.visibility(ServiceAccount)
def _service_accounts(p: Principal) -> Q | None:
    return EVERYTHING if p.is_admin else None
