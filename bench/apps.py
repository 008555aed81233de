from django.apps import AppConfig


class Config(AppConfig):
    """The measurement bench's Django side: the synthetic dataset at national scale (`generate_scale_data`).
    Kept out of the product apps: nothing in ti/ depends on it."""

    name = "bench"
    label = "banc"
    verbose_name = "Banc de mesure"
