from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.comptes"
    label = "comptes"
    verbose_name = "Comptes et habilitations"
