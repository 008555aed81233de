"""The porteur's pages: eligibility, the dossier form (drafts, pieces, the instruction's request and the answer),
the confirmation and the filing, « mes dossiers ». The pieces' own routes are in `pieces.py`.

Out of scope is a 404 (`Dossier.objects.visible_to`), a forbidden action a 403 (the permission layer), a filed
dossier a 403 with its reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.core.envois import DEJA_ENVOYE, premier_envoi, une_seule_fois
from ti.core.etats import Refus
from ti.core.navigation import fil_ariane
from ti.financements import eligibilite as regles
from ti.financements.actions import depot as actions
from ti.financements.actions.instruction import envoyer_message
from ti.financements.forms_depot import DossierForm, EligibiliteForm, LignesDossierFormSet, PieceForm, ReponseForm
from ti.financements.models import Dispositif, Dossier, PieceJointe, Statut, Transition
from ti.financements.views.aides import cle_de_session

STATUTS_DECIDES = {Statut.ACCEPTE, Statut.ENGAGE, Statut.SOLDE}


def _fil(courant: str, *liens) -> dict:
    return fil_ariane(courant, ("Mes dossiers", reverse("financements:mes_dossiers")), *liens)


def _dossiers_du_porteur(user):
    """The dossiers of the SIRETs the user is habilitated on today (others' dossiers are out of scope)."""
    return Dossier.objects.visible_to(user).filter(porteur_siret__in=permissions.sirets_du_porteur(user))


def _dossier(request, reference) -> Dossier:
    dossier = get_object_or_404(
        _dossiers_du_porteur(request.user).select_related("dispositif", "enveloppe__region", "territoire", "commune"),
        reference=reference,
    )
    permissions.exiger(request.user, "deposer_dossier", dossier)
    return dossier


def _fige(request, dossier):
    """A filed dossier: the 403 page says why, and where to follow it."""
    return render(
        request,
        "financements/depot_fige.html",
        {"dossier": dossier, "message": actions.MESSAGE_FIGE, "fil_ariane": _fil(dossier.reference)},
        status=403,
    )


@login_required
@une_seule_fois
def eligibilite(request, code):
    permissions.exiger(request.user, "deposer_dossier")
    dispositif = get_object_or_404(Dispositif, code=code)
    # The answers of the public check (views/aides.py), if the applicant ran it before signing up.
    reprises = request.session.get(cle_de_session(dispositif), {})
    form = EligibiliteForm(request.POST or None, dispositif=dispositif, utilisateur=request.user, initial=reprises)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        dossier = actions.creer_dossier(
            par=request.user,
            dispositif=dispositif,
            enveloppe=form.enveloppe,
            territoire=d["territoire"],
            commune=d["commune"],
            volet=d["volet"],
            siret=d["siret"],
            porteur_nom=d["porteur_nom"],
            porteur_type=d["porteur_type"],
            intitule=d["intitule"],
        )
        messages.success(
            request,
            f"Votre projet est éligible : le dossier {dossier.reference} est créé en brouillon. Complétez-le, "
            "en plusieurs fois si besoin, puis déposez-le.",
        )
        return redirect("financements:modifier", reference=dossier.reference)
    return render(
        request,
        "financements/eligibilite.html",
        {
            "dispositif": dispositif,
            "form": form,
            "ferme": regles.raison_dispositif_ferme(dispositif, timezone.localdate()),
            "fil_ariane": _fil(f"Éligibilité — {dispositif.nom}"),
        },
    )


def demande_de_complements(dossier: Dossier):
    """The instructor's last request for more pieces (its transition: who, when, why), or None."""
    if dossier.statut != Statut.INCOMPLET:
        return None
    demandes = Transition.objects.filter(dossier=dossier, vers=Statut.INCOMPLET).select_related("par")
    return demandes.order_by("-quand", "-pk").first()


def pieces_actuelles(dossier: Dossier) -> list[PieceJointe]:
    return list(dossier.pieces.filter(archive_le__isnull=True).order_by("type", "depose_le", "pk"))


def contexte_pieces(dossier: Dossier, piece_form=None, pieces=None) -> dict:
    """What the pieces' part of the form shows (also rendered alone, for the uploads without reloading)."""
    pieces = pieces_actuelles(dossier) if pieces is None else pieces
    presentes = {p.type for p in pieces}
    return {
        "dossier": dossier,
        "pieces": pieces,
        "pieces_manquantes": [
            PieceJointe.Type(t).label for t in actions.pieces_requises(dossier) if t not in presentes
        ],
        "piece_form": piece_form or PieceForm(requis=False),
    }


def _page_dossier(request, dossier, form, lignes, *, piece_form=None, reponse_form=None, raisons=None, status=200):
    echanges = dossier.statut != Statut.BROUILLON
    return render(
        request,
        "financements/depot_formulaire.html",
        {
            **contexte_pieces(dossier, piece_form),
            "form": form,
            "lignes": lignes,
            "demande": demande_de_complements(dossier),
            "echanges": echanges,
            "fil": list(dossier.messages.select_related("auteur")) if echanges else [],
            "reponse_form": reponse_form or ReponseForm(),
            "raisons": raisons,
            "a_completer": actions.raisons_incompletude(dossier) if raisons is None else [],
            "fil_ariane": _fil(dossier.reference),
        },
        status=status,
    )


def joindre(request, dossier, piece_form) -> list[PieceJointe]:
    """The files of a valid PieceForm, each joined to the dossier as a piece of the chosen type."""
    type_piece = piece_form.cleaned_data["type"]
    return [
        actions.ajouter_piece(dossier=dossier, par=request.user, type=type_piece, fichier=fichier, type_mime=mime)
        for fichier, mime in piece_form.fichiers()
    ]


def _retirer(request, dossier) -> str | None:
    """The piece a « Retirer » button of the form names, withdrawn; its name, or None when no button was used."""
    valeur = request.POST.get("retirer", "")
    if not valeur.isdigit():
        return None
    piece = get_object_or_404(PieceJointe, pk=int(valeur), dossier=dossier, archive_le__isnull=True)
    actions.retirer_piece(piece=piece, par=request.user)
    return piece.nom


@login_required
def modifier(request, reference):
    """The dossier form. Every button of it saves the draft first, then does its own step (join files, withdraw a
    piece, answer the instruction, go to the filing's confirmation): without JavaScript nothing typed is lost when a
    piece is joined. Files and answers are kept even when the draft has errors, which the page then shows."""
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    form = DossierForm(request.POST or None, instance=dossier, utilisateur=request.user)
    lignes = LignesDossierFormSet(request.POST or None, instance=dossier, prefix="lignes")
    if request.method != "POST":
        return _page_dossier(request, dossier, form, lignes)
    url = reverse("financements:modifier", args=[dossier.reference])
    if not premier_envoi(request, url):  # a double click: the first post did it all
        messages.info(request, DEJA_ENVOYE)
        return redirect(url)
    etape = request.POST.get("action", "enregistrer")
    piece_form = PieceForm(request.POST, request.FILES, requis=etape == "joindre")
    reponse_form = ReponseForm(request.POST)
    faits = []
    brouillon_valide = form.is_valid() and lignes.is_valid()
    if brouillon_valide:
        try:
            actions.enregistrer(
                dossier=dossier,
                par=request.user,
                version=form.cleaned_data["version"],
                donnees={champ: form.cleaned_data[champ] for champ in actions.CHAMPS},
                lignes=lignes.donnees(),
            )
        except actions.VersionPerimee:
            brouillon_valide = False
            form.add_error(
                None,
                "Le dossier a été enregistré entre-temps (dans un autre onglet ?) : votre saisie n’a pas été "
                "enregistrée. Rechargez la page pour repartir de la dernière version.",
            )
        else:
            faits.append("Brouillon enregistré.")
    pieces_valides = piece_form.is_valid()
    if pieces_valides and piece_form.fichiers():
        faits.append(f"{len(joindre(request, dossier, piece_form))} fichier(s) joint(s) au dossier.")
        piece_form = None  # joined: the page shows them in the list, the input is empty again
    retiree = _retirer(request, dossier)
    if retiree:
        faits.append(f"Pièce « {retiree} » retirée du dossier.")
        etape = "retirer" if etape == "enregistrer" else etape
    reponse_valide = reponse_form.is_valid()
    if reponse_valide and reponse_form.cleaned_data["reponse"].strip():
        try:
            envoyer_message(dossier=dossier, par=request.user, texte=reponse_form.cleaned_data["reponse"])
        except Refus as refus:
            reponse_valide = False
            reponse_form.add_error("reponse", str(refus))
        else:
            faits.append("Réponse envoyée à l’instruction.")
            reponse_form = None
    if brouillon_valide and pieces_valides and reponse_valide:
        messages.success(request, " ".join(faits))
        if etape == "deposer":
            return redirect("financements:confirmer_depot", reference=dossier.reference)
        ancre = {"joindre": "#pieces", "retirer": "#pieces", "repondre": "#echanges"}.get(etape, "")
        return redirect(url + ancre)
    if faits:
        messages.info(request, " ".join(faits))
    dossier.refresh_from_db()
    return _page_dossier(request, dossier, form, lignes, piece_form=piece_form, reponse_form=reponse_form, status=400)


@login_required
def confirmer_depot(request, reference):
    """The summary of what is about to be filed, and the « Confirmer le dépôt » button (a POST to `deposer`)."""
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    return render(
        request,
        "financements/depot_confirmation.html",
        {
            "dossier": dossier,
            "lignes": list(dossier.financements.all()),
            "pieces": pieces_actuelles(dossier),
            "raisons": actions.raisons_incompletude(dossier),
            "fil_ariane": _fil(
                "Confirmer le dépôt",
                (dossier.reference, reverse("financements:modifier", args=[dossier.reference])),
            ),
        },
    )


@login_required
@require_POST
def deposer(request, reference):
    dossier = _dossier(request, reference)
    if not dossier.modifiable_par_le_porteur:
        return _fige(request, dossier)
    try:
        dossier = actions.deposer(
            dossier=dossier, par=request.user, creer_fiche=request.POST.get("creer_fiche") == "on"
        )
    except actions.DossierIncomplet as erreur:
        form = DossierForm(instance=dossier, utilisateur=request.user)
        lignes = LignesDossierFormSet(instance=dossier, prefix="lignes")
        return _page_dossier(request, dossier, form, lignes, raisons=erreur.raisons, status=400)
    if dossier.projet_id and request.POST.get("creer_fiche") == "on":
        messages.info(
            request,
            f"La fiche-action « {dossier.projet.titre} » a été créée à partir du dossier dans le territoire "
            f"{dossier.territoire.nom} ; l’équipe du territoire la complète et la publie.",
        )
    messages.success(
        request,
        f"Dossier {dossier.reference} déposé. Un accusé de dépôt vous est envoyé par courriel et son récépissé est "
        "téléchargeable ci-dessous ; le dossier n’est plus modifiable pendant l’instruction.",
    )
    return redirect("financements:mes_dossiers")


@login_required
def mes_dossiers(request):
    permissions.exiger(request.user, "deposer_dossier")
    dossiers = (
        _dossiers_du_porteur(request.user)
        .select_related("dispositif", "enveloppe__region", "territoire", "commune")
        .annotate(total_verse=Sum("versements__montant"))
        .order_by("-modifie_le", "-pk")
    )
    jour = timezone.localdate()
    return render(
        request,
        "financements/mes_dossiers.html",
        {
            "dossiers": dossiers,
            "statuts_decides": STATUTS_DECIDES,
            "dispositifs_ouverts": Dispositif.objects.filter(ouverture__lte=jour, cloture__gte=jour),
            "fil_ariane": fil_ariane("Mes dossiers"),
        },
    )
