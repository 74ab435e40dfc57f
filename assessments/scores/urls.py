"""URLs of scores: a cycle's and a body's scores, the scoring input, what-if, jobs."""

from django.urls import path

from assessments.scores import views as scores

app_name = "scores"
urlpatterns = [
    path("scores/", scores.scores_current, name="scores_current"),
    path("cycles/<slug:code>/scores/", scores.cycle_scores, name="cycle_scores"),
    path("cycles/<slug:code>/scores/recompute/", scores.cycle_recompute, name="cycle_recompute"),
    path("cycles/<slug:code>/bodies/<int:pk>/scores/", scores.body_scores, name="body_scores"),
    path("cycles/<slug:code>/bodies/<int:pk>/input/", scores.scoring_input_detail,
         name="scoring_input"),
    path("cycles/<slug:code>/bodies/<int:pk>/input/v<int:version>/", scores.scoring_input_detail,
         name="scoring_input_version"),
    path("cycles/<slug:code>/bodies/<int:pk>/input/load/", scores.scoring_input_load,
         name="scoring_input_load"),
    path("cycles/<slug:code>/bodies/<int:pk>/what-if/", scores.whatif, name="whatif"),
    path("cycles/<slug:code>/bodies/<int:pk>/scoring-input/", scores.scoring_input_page,
         name="scoring_input_page"),
    path("jobs/<int:pk>/", scores.job_detail, name="job_detail"),
]  # fmt: skip
