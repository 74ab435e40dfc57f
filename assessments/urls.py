from django.urls import path

from assessments.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
]
