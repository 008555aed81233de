from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.projets"
    label = "projets"
    verbose_name = "Projets et plans d’action"
