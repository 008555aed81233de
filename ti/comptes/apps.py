from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.comptes"
    label = "comptes"
    verbose_name = "Comptes et habilitations"

    def ready(self):
        from ti.comptes import middleware  # noqa: F401  (the login timestamps of sessions, a signal receiver)
