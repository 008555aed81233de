from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.espace"
    label = "espace"
    verbose_name = "Espace personnel"

    def ready(self):
        # Registers the kinds of « À faire » and the login receiver that keeps the menu's habilitations.
        from ti.espace import collecteurs, navigation  # noqa: F401
