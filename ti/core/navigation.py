"""The breadcrumb of every page, in the form `{% dsfr_breadcrumb %}` reads."""


def fil_ariane(courant: str, *liens: tuple[str, str]) -> dict:
    """The links (title, url) between the home page and the current page, then the current page's title."""
    return {"links": [{"title": titre, "url": url} for titre, url in liens], "current": courant}
