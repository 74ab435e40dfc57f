from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and the demo cycle: management commands only, no models.

    Installed last, so that it sees every production app ready; its ``ready()`` registers nothing
    (the demo's steps are listed in ``demo.steps``)."""

    name = "demo"
    label = "demo"
