"""URLs of the registry: bodies, cycles with their schedules, assessors' assignments."""

from django.urls import path

from assessments.registry.views import cycles, organisations

app_name = "registry"
urlpatterns = [
    path("bodies/", organisations.organisation_list, name="organisation_list"),
    path("bodies/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/<slug:code>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<slug:code>/milestones/<int:pk>/edit/", cycles.milestone_edit,
         name="milestone_edit"),
    path("cycles/<slug:code>/assessors/", cycles.cycle_assignments, name="cycle_assignments"),
    path("assessors/<int:pk>/remove/", cycles.assignment_remove, name="assignment_remove"),
]
