from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.animation"
    label = "animation"
    verbose_name = "Animation du réseau : événements et échanges"
