from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.core"
    label = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from ti.core import invalidation, rendu_dsfr  # models are loaded only now

        invalidation.connecter()
        rendu_dsfr.partager_le_moteur_dsfr()
