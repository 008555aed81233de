from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.core"
    label = "core"
    verbose_name = "Socle commun"
