"""« Mes données personnelles »: what the platform holds on the signed-in person, to read and to download."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ti.comptes.donnees_personnelles import donnees_de

DERNIERES_LIGNES = 20  # the readable summary shows the latest rows of each part; the file holds them all
TITRES = {
    "habilitations": "Habilitations (rôles et périmètres, y compris retirées)",
    "dossiers": "Dossiers de financement déposés ou portés",
    "fiches_action": "Fiches-action créées",
    "fiches_action_ou_vous_etes_referent": "Fiches-action où vous êtes référent",
    "notes_de_suivi": "Notes de suivi écrites",
    "messages": "Messages écrits sur des dossiers",
    "journal": "Actions enregistrées au journal",
    "jetons_api": "Jetons d’API (sans leur clé)",
    "double_authentification": "Double authentification (sans les secrets)",
}


@login_required
def mes_donnees(request):
    donnees = donnees_de(request.user)
    parties = [
        {"titre": titre, "nombre": len(donnees[nom]), "dernieres": donnees[nom][-DERNIERES_LIGNES:][::-1]}
        for nom, titre in TITRES.items()
    ]
    reponse = render(request, "comptes/mes_donnees.html", {"compte": donnees["compte"], "parties": parties})
    reponse["Cache-Control"] = "no-store"
    return reponse


@login_required
def mes_donnees_json(request):
    contenu = json.dumps(
        {"extrait_le": timezone.now(), **donnees_de(request.user)}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    reponse = HttpResponse(contenu, content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = 'attachment; filename="mes-donnees-territoires-industrie.json"'
    reponse["Cache-Control"] = "no-store"
    return reponse
