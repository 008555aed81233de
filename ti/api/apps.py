from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.api"
    label = "api"
    verbose_name = "API publique"
