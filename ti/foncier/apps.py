from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.foncier"
    label = "foncier"
    verbose_name = "Foncier industriel : sites clés en main"
