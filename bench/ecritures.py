"""The write scenarios of `make bench`: targets prepared inside Django, invariants checked in SQL after the load.

Each scenario is a list of targets, one per POST, each on its own object so that concurrent clients do not all
queue on one row: (cookie, path, urlencoded body). The body is the page's own form as a browser would post it
(bench/formulaires.py), read once per object through the test client as the user who writes, with one field
changed so that the write really writes. bench/wrk_ecriture.lua posts them in turn, each wrk thread on its own
share; a target used twice (the list exhausted) meets its own earlier write (a stale version, a dossier already
filed): run.py reports how many were used and whether the list wrapped.

The CSRF token is a fixed secret of the run, given as the `csrftoken` cookie and as the form field (Django accepts
the unmasked secret in the form): no page has to be fetched under load to get one.
"""

from datetime import timedelta
from decimal import Decimal
from itertools import zip_longest

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from bench import formulaires
from tests.connexion import ClientVerifie
from ti.animation.models import Evenement
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.financements.actions.depot import pieces_requises
from ti.financements.models import Dossier, LigneFinancementDossier, PieceJointe
from ti.projets.models import Projet
from ti.territoires.models import Territoire

HOTE = "127.0.0.1"
PARTICIPANTS = "bench-participant-{}@territoires-industrie.invalid"
PORTEURS = "bench-porteur-{}@territoires-industrie.invalid"
CHEFS = "bench-chef-{}@territoires-industrie.invalid"
INSTRUCTEUR = "bench-instructeur-ecritures@territoires-industrie.invalid"
TERRITOIRES_ECRITS = 16  # as many as the most clients of the write levels the targets are judged at
SIRETS_PAR_PORTEUR = 5
TITRE_EVENEMENT = "Banc de mesure — inscriptions sous charge"
PLACES = 5  # few seats per bench event: the load fills them and the waiting list, so the seats invariant is tested


def jeton_csrf() -> str:
    return get_random_string(32)  # the secret's length and alphabet, as Django's _get_new_csrf_string


def cookie(client, csrf: str) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; csrftoken={csrf}"


def client_de(user) -> ClientVerifie:
    client = ClientVerifie(HTTP_HOST=HOTE)
    client.force_login(user)
    return client


def _champs_de_la_page(client, url_page: str, action: str) -> list[list[str]] | None:
    reponse = client.get(url_page)
    if reponse.status_code != 200:
        return None
    html = reponse.content.decode()
    for f in formulaires.formulaires(html):
        cible = f["action"].split("?")[0] or url_page  # an empty action posts to the page itself
        if f["methode"] == "post" and cible.endswith(action):
            return [c for c in f["champs"] if c[0] != formulaires.CHAMP_CSRF]
    return None


def _marquer(champs: list[list[str]], nom: str) -> list[list[str]]:
    """One text field changed, so that the save is a real write (a form posted back unchanged writes nothing)."""
    valeur = next((v for n, v in champs if n == nom), None)
    return champs if valeur is None else formulaires.remplacer(champs, nom, (valeur + " (banc)").strip())


def chefs_du_banc(nombre: int = TERRITOIRES_ECRITS) -> list[Utilisateur]:
    """The chefs de projet who write under load: one per territory, on the `nombre` territories that have the most
    fiches-action. A territory's fiches and imports are written one at a time (its action plan is kept in step under
    a lock on the territory): sixteen writers on ONE territory measured that queue, which no territory meets, a
    chef de projet and a binôme writing there."""
    territoires = (
        Territoire.objects.annotate(n=Count("projets", filter=Q(projets__archive_le__isnull=True)))
        .filter(n__gt=0)
        .order_by("-n", "identifiant")[:nombre]
    )
    chefs = []
    for i, territoire in enumerate(territoires):
        user = _compte(CHEFS.format(i), "Chef", f"Banc {i}")
        Habilitation.objects.filter(utilisateur=user, revoquee_le__isnull=True).exclude(territoire=territoire).update(
            revoquee_le=timezone.now()
        )
        if not Habilitation.objects.filter(utilisateur=user, territoire=territoire, revoquee_le__isnull=True).exists():
            Habilitation.objects.create(utilisateur=user, role=Role.CHEF_PROJET, territoire=territoire)
        chefs.append(user)
    return chefs


def _en_alternance(listes: list[list[tuple]]) -> list[tuple]:
    """The targets of each writer in turn, so that concurrent clients write to different territories."""
    return [cible for tour in zip_longest(*listes) for cible in tour if cible is not None]


def fiches(chefs: list[Utilisateur], nombre: int, csrf: str) -> list[tuple]:
    """Edit a fiche-action of a chef de projet's territory: the edit page's form, description changed."""
    return _en_alternance([_fiches_de(chef, -(-nombre // len(chefs)), csrf) for chef in chefs])


def _fiches_de(chef, nombre: int, csrf: str) -> list[tuple]:
    client = client_de(chef)
    territoires = Habilitation.objects.filter(utilisateur=chef, role=Role.CHEF_PROJET, revoquee_le__isnull=True).values(
        "territoire"
    )
    cibles = []
    for projet in Projet.objects.actifs().filter(territoire__in=territoires).order_by("-id")[: nombre * 2]:
        url = f"/projets/{projet.pk}/modifier/"
        champs = _champs_de_la_page(client, url, url)
        if champs:
            cibles.append((cookie(client, csrf), url, formulaires.corps(_marquer(champs, "description"), csrf)))
        if len(cibles) >= nombre:
            break
    return cibles


def _clients(porteurs: dict[str, Utilisateur]) -> dict[int, ClientVerifie]:
    """One signed-in client per bench porteur."""
    return {user.pk: client_de(user) for user in {u.pk: u for u in porteurs.values()}.values()}


def brouillons(porteurs: dict[str, Utilisateur], dossiers: list[Dossier], csrf: str) -> list[tuple]:
    """Save a draft dossier: the dossier form, « Enregistrer », description changed; each by its SIRET's porteur."""
    clients = _clients(porteurs)
    cibles = []
    for dossier in dossiers:
        client = clients[porteurs[dossier.porteur_siret].pk]
        url = f"/financements/dossiers/{dossier.reference}/modifier/"
        champs = _champs_de_la_page(client, url, url)
        if champs:
            champs = formulaires.remplacer(_marquer(champs, "description"), "action", "enregistrer")
            cibles.append((cookie(client, csrf), url, formulaires.corps(champs, csrf)))
    return cibles


def depots(porteurs: dict[str, Utilisateur], dossiers: list[Dossier], csrf: str) -> list[tuple]:
    """File a draft dossier: the « Confirmer le dépôt » button (a POST without fields but the token)."""
    clients = _clients(porteurs)
    return [
        (
            cookie(clients[porteurs[d.porteur_siret].pk], csrf),
            f"/financements/dossiers/{d.reference}/deposer/",
            formulaires.corps([], csrf),
        )
        for d in dossiers
    ]


def etapes(instructeur, dossiers: list[Dossier], csrf: str) -> list[tuple]:
    """The first instruction step the dossier page offers its instructor (on a filed dossier: its admissibility)."""
    client = client_de(instructeur)
    cibles = []
    for dossier in dossiers:
        url = f"/financements/dossiers/{dossier.reference}/etape/"
        champs = _champs_de_la_page(client, f"/financements/dossiers/{dossier.reference}/", url)
        if champs:
            cibles.append((cookie(client, csrf), url, formulaires.corps(champs, csrf)))
    return cibles


def imports(chefs: list[Utilisateur], nombre: int, csrf: str) -> list[tuple]:
    """Confirm an import of fiches-action: for each target a file of its own (one fiche, a title of its own, so that
    no two are the same file) uploaded by a chef de projet through the page, whose preview gives the signed token
    that the confirmation posts (ti/projets/views/imports.py)."""
    return _en_alternance([_imports_de(chef, -(-nombre // len(chefs)), csrf) for chef in chefs])


def _imports_de(chef, nombre: int, csrf: str) -> list[tuple]:
    habilitation = Habilitation.objects.filter(
        utilisateur=chef, role=Role.CHEF_PROJET, revoquee_le__isnull=True
    ).select_related("territoire")
    territoire = habilitation.first().territoire
    commune = territoire.communes.order_by("code").first()
    if commune is None:
        return []
    client = client_de(chef)
    url = f"/projets/territoire/{territoire.identifiant}/import/"
    marque = get_random_string(8)
    cibles = []
    for i in range(nombre):
        contenu = f"Titre *;Axe *;Commune\r\nBanc de mesure {marque} {i};Innover;{commune.code}\r\n".encode()
        reponse = client.post(url, {"fichier": SimpleUploadedFile(f"banc-{marque}-{i}.csv", contenu, "text/csv")})
        champs = next(
            (
                [c for c in f["champs"] if c[0] != formulaires.CHAMP_CSRF]
                for f in formulaires.formulaires(reponse.content.decode())
                if f["methode"] == "post" and any(c[0] == "jeton" for c in f["champs"])
            ),
            None,
        )
        if champs:
            cibles.append((cookie(client, csrf), url, formulaires.corps(champs, csrf)))
    return cibles


def participants(territoire, nombre: int) -> list[Utilisateur]:
    """Bench members of the network (chef de projet of a territory): who may register for a network event."""
    users = []
    for i in range(nombre):
        user, cree = Utilisateur.objects.get_or_create(
            email=PARTICIPANTS.format(i), defaults={"prenom": "Participant", "nom": f"Banc {i}"}
        )
        if cree or not Habilitation.objects.filter(utilisateur=user, role=Role.CHEF_PROJET).exists():
            Habilitation.objects.create(utilisateur=user, role=Role.CHEF_PROJET, territoire=territoire)
        users.append(user)
    return users


def evenements_du_banc(organisateur, nombre: int) -> list[Evenement]:
    """Bench events open for registration, PLACES seats each; emptied of their registrations at each run."""
    debut = timezone.now() + timedelta(days=60)
    existants = list(Evenement.objects.filter(titre=TITRE_EVENEMENT).order_by("pk")[:nombre])
    for evenement in existants:
        evenement.inscriptions.all().delete()
    nouveaux = [
        Evenement(
            titre=TITRE_EVENEMENT,
            type=Evenement._meta.get_field("type").choices[0][0],
            debut=debut,
            fin=debut + timedelta(hours=2),
            public=True,
            capacite=PLACES,
            cloture_inscriptions=debut - timedelta(days=1),
            organisateur=organisateur,
        )
        for _ in range(nombre - len(existants))
    ]
    return existants + Evenement.objects.bulk_create(nouveaux)


def inscriptions(users: list[Utilisateur], evenements: list[Evenement], csrf: str) -> list[tuple]:
    """Register for an event: each (person, event) pair once, the events in turn so that each fills up under
    concurrent requests (seats, then the waiting list)."""
    cookies = [cookie(client_de(user), csrf) for user in users]
    return [
        (cookies[i], f"/reseau/evenements/{evenement.pk}/inscription/", formulaires.corps([], csrf))
        for i in range(len(users))
        for evenement in evenements
    ]


def dossiers_a_deposer(nombre: int) -> list[Dossier]:
    """Draft dossiers, most recent first, those of an open dispositif (the only ones that can be filed) first."""
    jour = timezone.localdate()
    brouillons = Dossier.objects.filter(statut="brouillon").select_related("dispositif").order_by("-id")
    ouverts = list(brouillons.filter(dispositif__ouverture__lte=jour, dispositif__cloture__gte=jour)[:nombre])
    return ouverts + list(brouillons.exclude(pk__in=[d.pk for d in ouverts])[: nombre - len(ouverts)])


def completer(dossier: Dossier, porteur) -> bool:
    """Make a draft of an open dispositif complete, as its porteur would before filing: the required fields, a
    balanced plan (the Fonds vert line equal to the aid) and the required pieces (rows only: filing reads no file).
    False when its dispositif is closed (it cannot be filed)."""
    if not dossier.dispositif.est_ouvert():
        return False
    aide = dossier.aide_demandee or Decimal(20000)
    cout = max(dossier.cout_total or Decimal(0), aide * 2)
    Dossier.objects.filter(pk=dossier.pk).update(
        porteur_adresse=dossier.porteur_adresse or "1 rue du Banc, 75001 Paris",
        description=dossier.description or "Dossier complété par le banc de mesure.",
        cout_total=cout,
        cout_eligible=dossier.cout_eligible or cout,
        aide_demandee=aide,
    )
    dossier.financements.all().delete()
    LigneFinancementDossier.objects.bulk_create(
        [
            LigneFinancementDossier(dossier=dossier, financeur="Fonds vert", montant=aide),
            LigneFinancementDossier(dossier=dossier, financeur="Autofinancement", montant=cout - aide),
        ]
    )
    presentes = set(dossier.pieces.filter(archive_le__isnull=True).values_list("type", flat=True))
    PieceJointe.objects.bulk_create(
        PieceJointe(
            dossier=dossier,
            type=type_piece,
            fichier=f"banc/{type_piece}.pdf",
            nom=f"{type_piece}.pdf",
            type_mime="application/pdf",
            taille=1,
            depose_par=porteur,
        )
        for type_piece in pieces_requises(dossier)
        if type_piece not in presentes
    )
    dossier.refresh_from_db()
    return True


def porteurs_du_banc(dossiers: list[Dossier]) -> dict[str, Utilisateur]:
    """The bench porteurs, by SIRET: each speaks for a few structures, as a porteur does (a commune and its syndicate,
    a company and its subsidiary); one porteur on the thousand SIRETs of the targets read a thousand habilitations on
    each of his requests, a cost no real porteur meets."""
    sirets = sorted({d.porteur_siret for d in dossiers})
    porteurs = {}
    for debut in range(0, len(sirets), SIRETS_PAR_PORTEUR):
        groupe = sirets[debut : debut + SIRETS_PAR_PORTEUR]
        user = _porteur(PORTEURS.format(debut // SIRETS_PAR_PORTEUR), set(groupe))
        porteurs.update(dict.fromkeys(groupe, user))
    return porteurs


def _porteur(courriel: str, sirets: set[str]) -> Utilisateur:
    """A bench porteur habilitated on these SIRETs."""
    user = _compte(courriel, "Porteur", "Banc")
    deja = set(_tenues(user, Role.PORTEUR).values_list("siret", flat=True))
    Habilitation.objects.bulk_create(
        Habilitation(utilisateur=user, role=Role.PORTEUR, siret=siret, organisme="Banc de mesure")
        for siret in sorted(sirets - deja)
    )
    return user


def _compte(courriel: str, prenom: str, nom: str) -> Utilisateur:
    """A bench account, created once (no password: the bench signs it in by session)."""
    return Utilisateur.objects.filter(email=courriel).first() or Utilisateur.objects.create_user(
        email=courriel, password=None, prenom=prenom, nom=nom
    )


def _tenues(user, role: str):
    return Habilitation.objects.filter(utilisateur=user, role=role, revoquee_le__isnull=True)


def instructeur_des_ecritures() -> Utilisateur:
    """The instructor who takes the first step of filed dossiers under load: one of every région, since each run
    moves hundreds of a région's filed dossiers forward and one région alone ran out of them (a step taken twice is
    refused)."""
    from ti.referentiel.models import Region

    user = _compte(INSTRUCTEUR, "Instructeur", "Banc (écritures)")
    tenues = set(_tenues(user, Role.INSTRUCTEUR).values_list("region", flat=True))
    Habilitation.objects.bulk_create(
        Habilitation(utilisateur=user, role=Role.INSTRUCTEUR, region=region)
        for region in Region.objects.exclude(code__in=tenues)
    )
    return user


def deposes(nombre: int) -> list[Dossier]:
    """Filed dossiers of every région, the most recent first."""
    return list(Dossier.objects.filter(statut="depose").order_by("-id")[:nombre])


def territoire_le_plus_fourni():
    """The territory with most fiches-action: its chef de projet has the most to read and to edit."""
    return (
        Territoire.objects.annotate(n=Count("projets")).filter(n__gt=0).order_by("-n", "identifiant").first()
        or Territoire.objects.order_by("identifiant").first()
    )
