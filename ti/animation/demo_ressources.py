"""The resource centre's and the directory's demo, for `manage.py charger_demo` (through `charger_animation_demo`):
a few resources, one with two versions and one attached to the demo workshop (its slides and replay), and the
directory entries of demo accounts who « consented ». Invented content; found again by title, loading twice adds
nothing."""

from django.core.files.base import ContentFile

from ti.animation import actions_annuaire, actions_ressources
from ti.animation.models import Evenement, Theme, TypeEvenement
from ti.animation.models_annuaire import FicheAnnuaire
from ti.animation.models_ressources import Ressource, TypeRessource, Visibilite
from ti.comptes.demo import DOMAINE, REGION
from ti.comptes.models import Utilisateur
from ti.referentiel.models import Region


def pdf(texte: str) -> bytes:
    """A one-page PDF saying `texte` (ASCII), enough for any reader and for the upload checks."""
    flux = f"BT /F1 14 Tf 72 760 Td ({texte}) Tj ET".encode()
    objets = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(flux) + flux + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    contenu, positions = b"%PDF-1.4\n", []
    for numero, objet in enumerate(objets, start=1):
        positions.append(len(contenu))
        contenu += b"%d 0 obj\n" % numero + objet + b"\nendobj\n"
    table = len(contenu)
    contenu += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objets) + 1)
    contenu += b"".join(b"%010d 00000 n \n" % position for position in positions)
    return contenu + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objets) + 1, table)


def _fichier(nom: str, texte: str) -> ContentFile:
    return ContentFile(pdf(texte), name=nom)


# (title, kind, theme, tags, visibility, régional, summary, file name or replay link, text of the PDF)
RESSOURCES = [
    ("Guide du chef de projet Territoires d’industrie", TypeRessource.GUIDE, Theme.AUTRE, ["prise de poste"],
     Visibilite.PUBLIC, False, "Le programme, ses partenaires, la gouvernance du binôme et le plan d’action : "
     "l’essentiel pour prendre son poste.", "guide-chef-de-projet.pdf", "Guide du chef de projet"),
    ("Fiche méthode : décarboner un site industriel", TypeRessource.FICHE_METHODE, Theme.DECARBONATION,
     ["audit énergétique", "fonds vert"], Visibilite.RESEAU, False,
     "Audit énergétique, chaleur fatale, électrification des procédés : les étapes et les financements de la "
     "décarbonation d’un site.", "fiche-decarbonation.pdf", "Decarboner un site industriel"),
    ("Modèle de convention de portage foncier", TypeRessource.MODELE, Theme.FONCIER, ["friche", "convention"],
     Visibilite.REGION, True, "Un modèle de convention entre l’EPCI et l’établissement public foncier, à adapter.",
     "modele-convention-portage.pdf", "Convention de portage foncier"),
]  # fmt: skip
ATELIER = "Décarbonation des sites industriels : monter un dossier Fonds vert"
SUPPORTS = ("Supports de l’atelier décarbonation", "supports-atelier-decarbonation.pdf")
REPLAY = ("Replay du webinaire sobriété foncière", "https://webinaire.example/replays/sobriete-fonciere")

# Directory: (account, function, presentation, themes, show e-mail)
FICHES = [
    ("chef-projet-est-loiret", "Cheffe de projet Territoires d’industrie",
     "Décarbonation des fonderies et reconversion de friches : posez-moi vos questions.",
     [Theme.DECARBONATION, Theme.FONCIER], True),
    ("binome-chartres", "Binôme industriel", "Recrutement et alternance dans la cosmétique et l’agroalimentaire.",
     [Theme.COMPETENCES], False),
    ("region-cvl", "Chargé de mission industrie au Conseil régional", "", [Theme.FINANCEMENT, Theme.INNOVATION], True),
]  # fmt: skip


def _compte(local: str) -> Utilisateur:
    return Utilisateur.objects.get(email=f"{local}@{DOMAINE}")


def charger_ressources_demo() -> list[Ressource]:
    """Returns the resources created (none on a second run)."""
    national, referent = _compte("equipe-nationale"), _compte("region-cvl")
    region = Region.objects.get(code=REGION)
    existantes = set(Ressource.objects.values_list("titre", flat=True))
    creees = []
    for titre, type_, theme, etiquettes, visibilite, regional, resume, nom, texte in RESSOURCES:
        if titre in existantes:
            continue
        ressource = actions_ressources.publier(
            par=referent if regional else national, titre=titre, type=type_, resume=resume, theme=theme,
            etiquettes=etiquettes, visibilite=visibilite, region=region if regional else None,
            fichier=_fichier(nom, texte),
        )  # fmt: skip
        creees.append(ressource)
    if creees and creees[0].titre == RESSOURCES[0][0]:  # the guide has a second edition
        actions_ressources.ajouter_version(
            ressource=creees[0], par=national, fichier=_fichier("guide-chef-de-projet-2027.pdf", "Guide 2027"),
            note="Édition 2027 : les enveloppes du Fonds vert et la nouvelle offre d’ingénierie.",
        )  # fmt: skip
    atelier = Evenement.objects.filter(titre=ATELIER).first()
    if atelier is not None and SUPPORTS[0] not in existantes:
        creees.append(
            actions_ressources.publier(
                par=referent,
                titre=SUPPORTS[0],
                type=TypeRessource.SUPPORT,
                theme=Theme.DECARBONATION,
                resume="Les diapositives de l’atelier : dossiers types et retours d’expérience.",
                etiquettes=[],
                visibilite=Visibilite.REGION,
                region=region,
                evenement=atelier,
                fichier=_fichier(SUPPORTS[1], "Supports de l atelier"),
            )  # fmt: skip
        )
    webinaire = Evenement.objects.filter(type=TypeEvenement.WEBINAIRE).first()
    if REPLAY[0] not in existantes:
        creees.append(
            actions_ressources.publier(
                par=national,
                titre=REPLAY[0],
                type=TypeRessource.REPLAY,
                theme=Theme.FONCIER,
                etiquettes=["friche"],
                resume="Une heure sur le zéro artificialisation nette et la réhabilitation des friches.",
                visibilite=Visibilite.RESEAU,
                evenement=webinaire,
                lien=REPLAY[1],
            )  # fmt: skip
        )
    for local, fonction, presentation, themes, courriel in FICHES:
        personne = _compte(local)
        if not FicheAnnuaire.objects.filter(utilisateur=personne).exists():
            actions_annuaire.consentir_annuaire(
                par=personne, themes=themes, fonction=fonction, presentation=presentation,
                montrer_courriel=courriel, montrer_organisation=True,
            )  # fmt: skip
    return creees
