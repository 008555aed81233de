"""Plan d'action workflow. Placeholder of the interface that fiche actions call; the plans helper fills it."""


def noter_changement(*, territoire, par) -> None:
    """Called by every action that creates, changes or archives a fiche-action of `territoire`.

    When the territory's latest plan is validated, a change starts a new brouillon version (earlier versions stay
    readable, frozen in their snapshot)."""
