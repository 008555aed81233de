from django.apps import AppConfig


class Config(AppConfig):
    """The demonstration: `manage.py charger_demo` loads each app's demo in the order they depend on each other.
    Apart from the core, so that the core knows no domain."""

    name = "ti.demo"
    label = "demo"
    verbose_name = "Démonstration"
