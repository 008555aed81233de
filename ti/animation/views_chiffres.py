"""The network's figures, for the national team (the whole programme) and the regional referents (their région);
nobody else (404). Computed in SQL in a fixed number of queries (ti/animation/selectors_chiffres.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ti.animation import selectors_chiffres as chiffres_reseau
from ti.animation.selectors_ressources import les_plus_lues
from ti.animation.views import PROGRAMME
from ti.comptes import permissions
from ti.core.navigation import fil_ariane


@login_required
def chiffres(request):
    if not permissions.peut(request.user, "voir_chiffres_reseau"):
        raise Http404("Ces chiffres sont réservés à l’équipe nationale et aux référents régionaux.")
    regions = chiffres_reseau.portee(request.user)
    jamais = chiffres_reseau.jamais_atteints(regions)
    questions = chiffres_reseau.questions_sans_reponse(request.user)
    return render(
        request,
        "animation/chiffres.html",
        {
            "national": regions is None,
            "par_region": chiffres_reseau.participation_par_region(regions),
            "par_territoire": chiffres_reseau.participation_par_territoire(regions),
            "jamais_atteints": jamais[: chiffres_reseau.PREMIERS],
            "nb_jamais_atteints": jamais.count(),
            "questions": questions[: chiffres_reseau.PREMIERS],
            "nb_questions": questions.count(),
            "plus_lues": les_plus_lues(request.user),
            "premiers": chiffres_reseau.PREMIERS,
            "fil_ariane": fil_ariane("Le réseau en chiffres", PROGRAMME),
        },
    )
