"""The instructors' queue: which dossiers, filtered and sorted how, with their opinions counted by the database.

« En retard » (late) means either an opinion still awaited after its due date, or a dossier filed more than
`DELAI_RECEVABILITE_JOURS` days ago and still waiting for its recevabilité (state « déposé »: nobody opened it).
"""

from datetime import timedelta

from django import forms
from django.db.models import Exists, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ti.comptes import permissions
from ti.core.cache import en_cache, en_cache_des_pages
from ti.core.pagination import DeuxParties
from ti.financements.models import Avis, Dossier, Enveloppe, Message, Statut, SuiviDossier, Volet
from ti.territoires.models import Territoire

DELAI_RECEVABILITE_JOURS = 30
TRIS = {
    "-depose": ("Déposés récemment d’abord", ["-depose_le", "-pk"]),
    "depose": ("Déposés anciennement d’abord", ["depose_le", "pk"]),
    "-aide": ("Aide demandée décroissante", ["-aide_demandee", "reference"]),
    "aide": ("Aide demandée croissante", ["aide_demandee", "reference"]),
    "reference": ("Référence", ["reference"]),
    "statut": ("État", ["statut", "reference"]),
}


def _nombre(avis: QuerySet) -> Subquery:
    """COUNT(*) of `avis` correlated to the outer dossier: computed for the rows of the page only."""
    return Subquery(avis.order_by().annotate(n=Func("pk", function="COUNT")).values("n"), output_field=IntegerField())


def _avis_en_attente() -> QuerySet:
    """Not given yet, or given on amounts the porteur has changed since (stale: it no longer counts as given)."""
    return Avis.objects.filter(
        Q(rendu_le__isnull=True) | Q(version_jugee__lt=OuterRef("version_montants")), dossier=OuterRef("pk")
    )


def _avis_en_retard() -> QuerySet:
    return Avis.objects.filter(dossier=OuterRef("pk"), rendu_le__isnull=True, echeance__lt=timezone.localdate())


def _auteur_du_dernier_message() -> Subquery:
    return Subquery(Message.objects.filter(dossier=OuterRef("pk")).order_by("-envoye_le", "-pk").values("auteur")[:1])


def avec_avis(dossiers: QuerySet) -> QuerySet:
    """Each dossier with `avis_en_attente` and `avis_en_retard`, counted in the same SQL query.

    Correlated subqueries, not a join and GROUP BY: the database counts the opinions of the 25 dossiers of the page
    only (the partial unique index on pending opinions serves them), the pagination COUNT does not read the
    opinions at all, and the sort can walk an index instead of grouping the whole scope first.
    """
    return dossiers.annotate(
        avis_en_attente=_nombre(_avis_en_attente()),
        avis_en_retard=_nombre(_avis_en_retard()),
        auteur_dernier_message=_auteur_du_dernier_message(),
    )


def q_en_retard() -> Q:
    limite = timezone.now() - timedelta(days=DELAI_RECEVABILITE_JOURS)
    return Q(Exists(_avis_en_retard())) | Q(statut=Statut.DEPOSE, depose_le__lt=limite)


def enveloppes_suivies(user) -> list[dict]:
    """The envelopes whose gauge the user follows (rule « suivre_enveloppe »): all for the national team, the
    région's for its roles. Shared by the users of the same régions until a write (`en_cache_des_pages`)."""
    enveloppes = Enveloppe.objects.order_by("-annee", "region__nom").values("pk", "annee", "region__nom")
    regions = permissions.regions_des_enveloppes_suivies(user)
    if regions is None:
        return en_cache_des_pages("file:enveloppes:tout", lambda: list(enveloppes))
    regions = sorted(regions)
    return en_cache_des_pages(
        f"file:enveloppes:{','.join(regions)}", lambda: list(enveloppes.filter(region__in=regions))
    )


def dossiers_de_la_file(user) -> QuerySet:
    """The filed dossiers the user's agent roles reach (not their own structure's), with their opinions counted and
    `suivi` (the user follows it)."""
    return avec_avis(
        Dossier.objects.filter(permissions.q_dossiers_de_la_file(user))
        .annotate(suivi=Exists(SuiviDossier.objects.filter(dossier=OuterRef("pk"), utilisateur=user)))
        .select_related("territoire")
        .only(
            "reference",
            "statut",
            "volet",
            "porteur_nom",
            "intitule",
            "aide_demandee",
            "depose_le",
            "deposant",
            "porteur_siret",
            "territoire__nom",
            "territoire__identifiant",
        )
    )


class FiltresFile(forms.Form):
    recherche = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Référence du dossier, nom de l’entreprise ou SIRET.",
    )
    statut = forms.ChoiceField(
        label="État", required=False, choices=[("", "Tous")] + [c for c in Statut.choices if c[0] != Statut.BROUILLON]
    )
    territoire = forms.ModelChoiceField(
        label="Territoire",
        required=False,
        queryset=Territoire.objects.none(),
        to_field_name="identifiant",
        empty_label="Tous",
        error_messages={"invalid_choice": "Ce territoire n’existe pas ou n’est pas dans votre périmètre."},
    )
    volet = forms.ChoiceField(label="Volet", required=False, choices=[("", "Tous")] + Volet.choices)
    suivis = forms.BooleanField(label="Seulement les dossiers que je suis", required=False)
    avis_en_attente = forms.BooleanField(label="Avec des avis en attente", required=False)
    en_retard = forms.BooleanField(
        label="En retard",
        required=False,
        help_text=f"Avis attendu après son échéance, ou dossier déposé depuis plus de {DELAI_RECEVABILITE_JOURS} "
        "jours sans recevabilité.",
    )
    tri = forms.ChoiceField(
        label="Trier par", required=False, choices=[(code, libelle) for code, (libelle, _) in TRIS.items()]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.data.get("territoire"):  # checked against the scope when one is chosen; the list comes from the cache
            self.fields["territoire"].queryset = self._territoires()
        for champ in ("statut", "volet", "tri"):
            self.fields[champ].error_messages["invalid_choice"] = "Choix inconnu : « %(value)s »."

    def _territoires(self) -> QuerySet:
        return Territoire.objects.du_perimetre(self.user).order_by("nom").only("nom", "identifiant")

    def listes(self) -> list[tuple]:
        """The four selects, each with its <option>s written in one pass (`_options`)."""
        return [(self[nom], self._options(nom)) for nom in ("statut", "territoire", "volet", "tri")]

    def cases(self) -> list:
        return [self[nom] for nom in ("suivis", "avis_en_attente", "en_retard")]

    def _options(self, nom: str) -> str:
        """The <option>s of a select, written in one pass: the national team has every territory of the country, and
        a template loop over as many choices cost more than the rest of the page. The territories, as (identifiant,
        nom) rows, are the same for every user of the same scope (`visibilite` names it), until one changes."""
        choisi = self[nom].value()
        choisi = None if choisi is None else str(choisi)
        if nom == "territoire":
            choix = [("", self.fields[nom].empty_label)] + en_cache(
                f"file:territoires:{permissions.visibilite(self.user)}",
                lambda: list(self._territoires().values_list("identifiant", "nom")),
            )
        else:
            choix = self.fields[nom].choices
        # Escaped values in an f-string: several times cheaper than format_html() per option, the same HTML.
        return mark_safe(
            "".join(
                f'<option value="{escape(valeur)}"{" selected" if str(valeur) == choisi else ""}>{escape(libelle)}'
                "</option>"
                for valeur, libelle in choix
            )
        )

    def filtrer(self, dossiers: QuerySet) -> QuerySet:
        """Apply the valid form's criteria and ordering."""
        criteres = self.cleaned_data
        if recherche := criteres.get("recherche", "").strip():
            chiffres = recherche.replace(" ", "")
            trouve = Q(reference__iexact=recherche) | Q(porteur_nom__icontains=recherche)
            if chiffres.isdigit():
                trouve |= Q(porteur_siret__startswith=chiffres)
            dossiers = dossiers.filter(trouve)
        if criteres.get("statut"):
            dossiers = dossiers.filter(statut=criteres["statut"])
        if criteres.get("territoire"):
            dossiers = dossiers.filter(territoire=criteres["territoire"])
        if criteres.get("volet"):
            dossiers = dossiers.filter(volet=criteres["volet"])
        if criteres.get("suivis"):
            dossiers = dossiers.filter(suivi=True)
        if criteres.get("avis_en_attente"):
            dossiers = dossiers.filter(Exists(_avis_en_attente()))
        if criteres.get("en_retard"):
            dossiers = dossiers.filter(q_en_retard())
        return dossiers.order_by(*TRIS[criteres.get("tri") or "-depose"][1])


def suivis_d_abord(dossiers: QuerySet) -> DeuxParties:
    """The queue's rows to paginate: the dossiers the user follows first, then the others, each in the chosen order
    (an index serves each part; ordering by « followed » sorted the whole national table for every page)."""
    return DeuxParties(dossiers, Q(suivi=True))


def marquer_retard(dossiers) -> None:
    """`en_retard`, `age` (days since filing) and `message_du_porteur` (the thread's last word is the porteur's: it
    awaits an answer) on each dossier of a page, with no query: the counts are annotated."""
    maintenant = timezone.now()
    limite = maintenant - timedelta(days=DELAI_RECEVABILITE_JOURS)
    for dossier in dossiers:
        dossier.age = (maintenant - dossier.depose_le).days if dossier.depose_le else None
        dossier.message_du_porteur = dossier.auteur_dernier_message is not None and (
            dossier.auteur_dernier_message == dossier.deposant_id
        )
        dossier.recevabilite_en_retard = (
            dossier.statut == Statut.DEPOSE and dossier.depose_le is not None and dossier.depose_le < limite
        )
        dossier.en_retard = dossier.avis_en_retard > 0 or dossier.recevabilite_en_retard
