"""« À faire »: the personal home every signed-in person lands on after logging in."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ti.core.cache import pour_le_lecteur
from ti.core.navigation import fil_ariane
from ti.espace.a_faire import a_faire as actions_en_attente
from ti.espace.a_faire import genres


@login_required
def a_faire(request):
    # Kept for the reader until the next write (a dozen queries over a région's thousands of dossiers for an
    # instructor, decision 0068 « Suite, deuxième temps »).
    groupes = pour_le_lecteur(request.user, "a-faire", lambda: actions_en_attente(request.user))
    return render(
        request,
        "espace/a_faire.html",
        {
            "groupes": groupes,
            "total": sum(g.total for g in groupes),
            "plus_de": any(g.plus_de for g in groupes),
            "fil_ariane": fil_ariane("À faire"),
        },
    )


@login_required
def genre(request, code):
    """All the items of one kind (up to a few hundred), for the kinds without a page of their own."""
    if code not in genres():
        raise Http404("Cette liste n’existe pas.")
    groupes = actions_en_attente(request.user, seulement=code)
    groupe = groupes[0] if groupes else None
    titre = groupe.titre if groupe else "Rien à faire"
    return render(
        request,
        "espace/genre.html",
        {
            "groupe": groupe,
            "titre": titre,
            "fil_ariane": fil_ariane(titre, ("À faire", reverse("espace:a_faire"))),
        },
    )
