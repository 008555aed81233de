"""« Mes données personnelles »: what the platform holds on the signed-in person, to read and to download."""

import json

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.utils import timezone

from ti.comptes.donnees_personnelles import donnees_de
from ti.core.exports import piece_jointe
from ti.core.formats import valeur_lisible

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
LIBELLES = {  # the JSON keys, in words, for the readable summary
    "role": "rôle",
    "perimetre": "périmètre",
    "siret": "SIRET",
    "organisme": "structure",
    "accordee_le": "accordée le",
    "valable_jusqu_au": "valable jusqu’au",
    "retiree_le": "retirée le",
    "motif_du_retrait": "motif du retrait",
    "active": "en vigueur",
    "reference": "référence",
    "intitule": "intitulé",
    "porteur_nom": "porteur",
    "porteur_siret": "SIRET du porteur",
    "statut": "statut",
    "aide_demandee": "aide demandée (€)",
    "cree_le": "créé le",
    "uuid": "identifiant",
    "titre": "titre",
    "referent_prenom": "prénom",
    "referent_nom": "nom",
    "referent_fonction": "fonction",
    "referent_telephone": "téléphone",
    "projet__titre": "fiche-action",
    "texte": "texte",
    "ecrite_le": "écrite le",
    "dossier__reference": "dossier",
    "envoye_le": "envoyé le",
    "quand": "le",
    "action": "action",
    "objet_libelle": "objet",
    "details": "détails",
    "motif": "motif",
    "nom": "nom",
    "prefixe": "début de la clé",
    "utilise_le": "dernière utilisation",
    "revoque_le": "révoqué le",
    "name": "nom",
    "confirmed": "confirmé",
    "created_at": "créé le",
    "last_used_at": "dernière utilisation",
}


def _lisible(ligne: dict) -> list[tuple[str, object]]:
    return [
        (
            LIBELLES.get(cle, cle),
            {True: "oui", False: "non"}.get(valeur, valeur) if isinstance(valeur, bool) else valeur_lisible(valeur),
        )
        for cle, valeur in ligne.items()
        if valeur not in ("", None, {})
    ]


@login_required
def mes_donnees(request):
    donnees = donnees_de(request.user)
    parties = [
        {
            "titre": titre,
            "nombre": len(donnees[nom]),
            "dernieres": [_lisible(ligne) for ligne in donnees[nom][-DERNIERES_LIGNES:][::-1]],
        }
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
    reponse = piece_jointe(contenu, "application/json; charset=utf-8", "mes-donnees-territoires-industrie.json")
    reponse["Cache-Control"] = "no-store"
    return reponse
