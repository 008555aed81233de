"""Fonds vert dossiers: the porteur completes and corrects; ADEME, the Région and the binôme give their opinions; the
instructors examine, chase late opinions, decide and record payments; both sides answer messages.

Every kind starts from the permission layer: the porteur's dossiers are `Dossier.objects.visible_to(user)` on his
SIRETs; the agents' from `permissions.q_dossiers_de_la_file(user)` (filed dossiers of their scope, never those of
their own structure), narrowed to the régions or territories where they hold the role that acts."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from ti.comptes import permissions
from ti.espace.a_faire import Element, genre, lire
from ti.financements.models import Avis, Dossier, Enveloppe, Message, Statut, Transition

# --- Porteur -------------------------------------------------------------------------------------------------------


def _dossiers_du_porteur(user):
    sirets = permissions.sirets_du_porteur(user)
    if not sirets:
        return None
    return Dossier.objects.visible_to(user).filter(porteur_siret__in=sorted(sirets))


@genre(10)
def corrections_demandees(user):
    """An incomplete dossier: the instructor's request (the reason of the last step to « incomplet ») shown."""
    dossiers = _dossiers_du_porteur(user)
    if dossiers is None:
        return None
    demande = Transition.objects.filter(dossier=OuterRef("pk"), vers=Statut.INCOMPLET).order_by("-quand", "-pk")
    dossiers = dossiers.filter(statut=Statut.INCOMPLET).annotate(
        demande=Subquery(demande.values("motif")[:1]), demandee_le=Subquery(demande.values("quand")[:1])
    )
    return lire(
        "Compléments demandés par l’instruction",
        dossiers.order_by("demandee_le", "pk"),
        lambda d: Element(
            texte=f"{d.reference} — {d.intitule}",
            lien=reverse("financements:modifier", args=[d.reference]),
            precision=d.demande or "",
            quand=d.demandee_le,
            libelle_quand="demandés le",
        ),
    )


@genre(20)
def dossiers_a_completer(user):
    dossiers = _dossiers_du_porteur(user)
    if dossiers is None:
        return None
    return lire(
        "Dossiers à compléter et déposer",
        dossiers.filter(statut=Statut.BROUILLON).order_by("-modifie_le", "-pk"),
        lambda d: Element(
            texte=f"{d.reference} — {d.intitule}",
            lien=reverse("financements:modifier", args=[d.reference]),
            quand=d.modifie_le,
            libelle_quand="modifié le",
        ),
        lien_tout=reverse("financements:mes_dossiers"),
    )


# --- Both sides of the thread --------------------------------------------------------------------------------------


def _avec_dernier_message(dossiers):
    """Each dossier with its last message's date and whether a porteur of its SIRET wrote it (habilitated today).
    Only dossiers with a thread are looked at: a semi-join on the messages, before any per-dossier subquery (a
    région holds thousands of dossiers, most without a message)."""
    dernier = Message.objects.filter(dossier=OuterRef("pk")).order_by("-envoye_le", "-pk")
    du_porteur = permissions.habilitations_de_porteur().filter(
        siret=OuterRef("porteur_siret"), utilisateur=OuterRef("dernier_auteur")
    )
    return (
        dossiers.filter(pk__in=Message.objects.values("dossier_id"))
        .annotate(
            dernier_le=Subquery(dernier.values("envoye_le")[:1]),
            dernier_auteur=Subquery(dernier.values("auteur")[:1]),
        )
        .filter(dernier_le__isnull=False)
        .annotate(ecrit_par_le_porteur=Exists(du_porteur))
    )


def _element_message(d) -> Element:
    return Element(
        texte=f"{d.reference} — {d.intitule}",
        lien=f"{d.get_absolute_url()}#echanges",
        precision=d.porteur_nom,
        quand=d.dernier_le,
        libelle_quand="dernier message le",
    )


@genre(30)
def messages_sans_reponse(user):
    """The dossiers whose last message came from the other side: the instruction's for the porteur, the porteur's
    for the instructors of its région."""
    condition = Q(pk__in=[])
    sirets = permissions.sirets_du_porteur(user)
    if sirets:
        condition |= Q(porteur_siret__in=sorted(sirets), ecrit_par_le_porteur=False)
    instruits = _dossiers_instruits(user)
    if instruits is not None:
        condition |= Q(pk__in=instruits.values("pk"), ecrit_par_le_porteur=True)
    if not sirets and instruits is None:
        return None
    dossiers = _avec_dernier_message(Dossier.objects.visible_to(user)).filter(condition)
    return lire("Messages en attente de réponse", dossiers.order_by("dernier_le", "pk"), _element_message)


# --- Opinions (ADEME, Conseil régional, binôme) ----------------------------------------------------------------------


@genre(40)
def avis_a_rendre(user):
    """The opinions asked of the user's body, on the filed dossiers of his scope (`permissions.ROLES_AVIS`)."""
    conditions = []
    for type_avis, (mes_regions, mes_territoires) in permissions.perimetres_des_avis(user).items():
        if mes_territoires:
            conditions.append(Q(type=type_avis, dossier__territoire__in=mes_territoires))
        if mes_regions:
            enveloppes = Enveloppe.objects.filter(region__in=mes_regions)
            conditions.append(Q(type=type_avis, dossier__enveloppe__in=enveloppes))
    if not conditions:
        return None
    avis = Avis.objects.filter(
        reduce(operator.or_, conditions),
        rendu_le__isnull=True,
        dossier__in=Dossier.objects.filter(permissions.q_dossiers_de_la_file(user)),
    )
    aujourd_hui = timezone.localdate()
    return lire(
        "Avis à rendre",
        avis.select_related("dossier").order_by("echeance", "pk"),
        lambda a: Element(
            texte=f"{a.get_type_display()} — {a.dossier.reference} — {a.dossier.intitule}",
            lien=reverse("financements:rendre_avis", args=[a.dossier.reference, a.pk]),
            precision=a.dossier.porteur_nom,
            quand=a.echeance,
            libelle_quand="à rendre avant le",
            en_retard=a.echeance < aujourd_hui,
        ),
    )


# --- Instructors ---------------------------------------------------------------------------------------------------


def _dossiers_instruits(user):
    """The filed dossiers of the régions where the user instructs (never those of his own structure)."""
    if not permissions.regions_instruites(user):
        return None
    return Dossier.objects.filter(permissions.q_dossiers_instruits(user))


def _element_dossier(libelle_quand: str, champ: str, ancre: str = "#etapes"):
    def element(d) -> Element:
        return Element(
            texte=f"{d.reference} — {d.intitule}",
            lien=f"{d.get_absolute_url()}{ancre}",
            precision=d.porteur_nom,
            quand=getattr(d, champ),
            libelle_quand=libelle_quand,
        )

    return element


def _etape(user, titre: str, statut: str, libelle_quand: str, champ: str):
    dossiers = _dossiers_instruits(user)
    if dossiers is None:
        return None
    # The columns the item shows: a dossier has forty, long texts among them.
    dossiers = dossiers.filter(statut=statut).only("reference", "intitule", "porteur_nom", champ).order_by(champ, "pk")
    return lire(titre, dossiers, _element_dossier(libelle_quand, champ), lien_tout=reverse("financements:file"))


@genre(50)
def dossiers_a_examiner(user):
    """Filed (or filed again after a correction): recevabilité, then instruction."""
    return _etape(user, "Dossiers déposés à examiner", Statut.DEPOSE, "déposé le", "depose_le")


@genre(60)
def avis_en_retard(user):
    mes_regions = permissions.regions_instruites(user)
    if not mes_regions:
        return None
    # Joined to the dossiers rather than `dossier__in`: walked from the late opinions' index, the first rows come
    # without reading every dossier of the région (avis_en_attente_par_echeance).
    avis = Avis.objects.filter(
        permissions.par_la_relation("dossier", permissions.q_dossiers_instruits(user)),
        rendu_le__isnull=True,
        echeance__lt=timezone.localdate(),
    )
    return lire(
        "Avis en retard",
        avis.select_related("dossier")
        .only("type", "echeance", "dossier__reference", "dossier__intitule", "dossier__porteur_nom")
        .order_by("echeance", "pk"),
        lambda a: Element(
            texte=f"{a.get_type_display()} — {a.dossier.reference} — {a.dossier.intitule}",
            lien=f"{a.dossier.get_absolute_url()}#avis",
            precision=a.dossier.porteur_nom,
            quand=a.echeance,
            libelle_quand="attendu avant le",
            en_retard=True,
        ),
    )


@genre(70)
def decisions_a_prendre(user):
    return _etape(user, "Décisions à prendre", Statut.PROPOSE, "modifié le", "modifie_le")


@genre(80)
def versements_a_enregistrer(user):
    """Engaged dossiers, not yet paid in full: the next payment is recorded by the instruction."""
    return _etape(
        user,
        "Versements à enregistrer",
        Statut.ENGAGE,
        "convention du",
        "convention_date",
    )
