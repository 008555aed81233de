from django.apps import AppConfig


class CroisementConfig(AppConfig):
    name = "ti.croisement"
    verbose_name = "Croisement de fichiers avec les Territoires d’industrie"
