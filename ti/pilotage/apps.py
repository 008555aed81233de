from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.pilotage"
    label = "pilotage"
    verbose_name = "Pilotage"
