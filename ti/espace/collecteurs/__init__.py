"""The kinds of « À faire », one module per part of the platform; importing them registers them (`@genre(ordre)`)."""

from ti.espace.collecteurs import animation, financements, ingenierie, projets  # noqa: F401
