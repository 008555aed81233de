from django.utils.functional import SimpleLazyObject

from ti.espace.navigation import menu


def navigation(request):
    """The main menu of the layout (`ti.espace.navigation`), computed only when a page renders it."""
    return {"menu_principal": SimpleLazyObject(lambda: menu(request))}
