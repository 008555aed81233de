from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.referentiel"
    label = "referentiel"
    verbose_name = "Référentiel géographique"
