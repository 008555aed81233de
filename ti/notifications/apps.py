from django.apps import AppConfig


class Config(AppConfig):
    name = "ti.notifications"
    label = "notifications"
    verbose_name = "Notifications"
