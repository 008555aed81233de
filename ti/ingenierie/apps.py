from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.ingenierie"
    label = "ingenierie"
    verbose_name = "Ingénierie : offre de services, demandes des territoires, missions"
