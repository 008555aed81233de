"""The API documentation page, in French and in the site's layout (ti/api/documentation.py)."""

from django.shortcuts import render

from ti.api.documentation import documentation as lire_documentation


def documentation(request):
    return render(
        request,
        "api/documentation.html",
        {"doc": lire_documentation(), "fil_ariane": {"current": "Documentation de l’API"}},
    )
