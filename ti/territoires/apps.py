from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.territoires"
    label = "territoires"
    verbose_name = "Territoires d’industrie"
