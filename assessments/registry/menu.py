"""The registry's menu entries: the bodies and the cycles (everyone signed in sees at least the
organisations they belong to and the cycles' schedules)."""

from django.utils.translation import gettext_lazy as _

from assessments.kernel import menu

menu.entry("organisations", _("Реестр органов"), "registry:organisation_list", order=80,
           current=("registry:organisation_*", "registry:assignment_*"))
menu.entry("cycles", _("Циклы оценки"), "registry:cycle_list", order=85,
           current=("registry:cycle_*", "registry:milestone_*"))
