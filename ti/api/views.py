"""The API documentation page, in French and in the site's layout (ti/api/documentation.py)."""

from django.shortcuts import render

from ti.api.documentation import documentation as lire_documentation
from ti.core.navigation import fil_ariane


def documentation(request):
    return render(
        request,
        "api/documentation.html",
        {"doc": lire_documentation(), "fil_ariane": fil_ariane("Documentation de l’API")},
    )
