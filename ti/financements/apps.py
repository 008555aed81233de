from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.financements"
    label = "financements"
    verbose_name = "Financements (Fonds vert)"
