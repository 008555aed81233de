"""The catalogue of what the platform publishes as open data, for the « Données ouvertes » page.

Every address is reversed from its URL name, so that a renamed route breaks the page's tests rather than leaves a
dead link. A dataset's data.gouv.fr page is a setting (`DATA_GOUV_<CLE>`, config/settings.py), empty until the
dataset is actually published there: no address is guessed.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

LICENCE = ("Licence Ouverte 2.0 (Etalab)", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")

# The standards followed, as their own schema files name them (data/standards/, from ../shared/standards/).
SCDL_SUBVENTIONS = ("SCDL Subventions 2.1.1", "https://schema.data.gouv.fr/scdl/subventions/2.1.1/")
PROJETS_COLLECTIVITES = (
    "Projets de collectivités v0.1.0 (schéma national)",
    "https://github.com/betagouv/schema-projet-collectivites-transition-ecologique",
)
CNIG_SITES_ECONOMIQUES = (
    "Standard CNIG Sites économiques v1.0.1",
    "https://github.com/cnigfr/schema-sites-economiques",
)
COG = ("Code officiel géographique de l’Insee, millésime 2026 ; colonnes des fichiers de l’ANCT", "")
ICALENDAR = ("iCalendar (RFC 5545)", "https://www.rfc-editor.org/rfc/rfc5545")


@dataclass(frozen=True)
class Ressource:
    libelle: str
    url: str
    format: str
    telechargement: bool = False


@dataclass(frozen=True)
class Jeu:
    cle: str
    titre: str
    description: str
    frequence: str
    standard: tuple[str, str] | None
    ressources: list[Ressource] = field(default_factory=list)

    @property
    def data_gouv(self) -> str:
        return settings.PAGES_DATA_GOUV.get(self.cle, "")


def _fonds_vert(annees: list[int]) -> list[Ressource]:
    """The tables of the Fonds vert page, as files: all years, then the last year's by région and by territory.
    None until a year is loaded: the page would otherwise answer a download link with an empty page."""
    if not annees:
        return []
    page = reverse("financements:fonds_vert")
    tableaux = [("annees", "Synthèse par année", "")] + [
        (tableau, f"{libelle} {annees[0]}", f"annee={annees[0]}&")
        for tableau, libelle in (("regions", "Par région,"), ("territoires", "Par territoire,"))
    ]
    return [
        Ressource(
            f"{libelle} ({format_.upper()})", f"{page}?{annee}tableau={tableau}&format={format_}", format_.upper(), True
        )
        for tableau, libelle, annee in tableaux
        for format_ in ("csv", "xlsx", "ods")
    ]


def jeux(*, annees_fonds_vert: list[int]) -> list[Jeu]:
    """`annees_fonds_vert`: the years of the national Fonds vert list loaded, most recent first."""
    return [
        Jeu(
            cle="subventions",
            titre="Subventions attribuées du Fonds vert « Territoires d’industrie »",
            description="Les données essentielles des conventions de subvention signées : bénéficiaire (SIRET), "
            "objet, montant, dates, versements, attribuant.",
            frequence="En continu : chaque convention signée y figure dès sa signature.",
            standard=SCDL_SUBVENTIONS,
            ressources=[
                Ressource("Fichier des subventions", reverse("api:subventions_csv"), "CSV", telechargement=True),
                Ressource("API des subventions", reverse("api:subventions"), "JSON"),
                Ressource("Consulter les subventions", reverse("financements:subventions"), "Page web"),
            ],
        ),
        Jeu(
            cle="projets",
            titre="Projets des territoires (fiches-action)",
            description="Les fiches-action publiées par les territoires : axe, thèmes, phase, commune, budget, "
            "impact attendu. Les coordonnées des référents ne sont jamais publiées.",
            frequence="En continu : chaque fiche publiée y figure aussitôt.",
            standard=PROJETS_COLLECTIVITES,
            ressources=[
                Ressource(
                    "Export des projets",
                    reverse("api:export_projets_collectivites"),
                    "CSV",
                    telechargement=True,
                ),
                Ressource("API des projets", reverse("api:projets"), "JSON"),
                Ressource("Consulter les projets", reverse("projets:annuaire"), "Page web"),
            ],
        ),
        Jeu(
            cle="territoires",
            titre="Territoires d’industrie et leurs périmètres",
            description="Les territoires labellisés (Temps I 2018-2022, Temps II 2023-2027), leurs EPCI et communes, "
            "leur gouvernance (rôles seulement), leurs missions, et les chiffres clés du programme.",
            frequence="À chaque labellisation ou changement de périmètre.",
            standard=COG,
            ressources=[
                Ressource(
                    "Fichier des périmètres (commune → territoire)",
                    reverse("api:territoires_csv"),
                    "CSV",
                    telechargement=True,
                ),
                Ressource("API des territoires", reverse("api:territoires"), "JSON"),
                Ressource("Chiffres clés du programme", reverse("api:chiffres"), "JSON"),
                Ressource("Consulter les territoires", reverse("territoires:liste"), "Page web"),
            ],
        ),
        Jeu(
            cle="fonds_vert",
            titre="Le Fonds vert dans les territoires d’industrie",
            description="La part des attributions nationales du Fonds vert qui revient aux territoires d’industrie, "
            "par année, par région et par territoire."
            + ("" if annees_fonds_vert else " Aucune année n’est encore chargée : les fichiers suivront la première."),
            frequence="Annuelle, à chaque chargement de la liste nationale des attributions.",
            standard=None,
            ressources=[
                Ressource("Tableau de bord", reverse("financements:fonds_vert"), "Page web"),
                *_fonds_vert(annees_fonds_vert),
            ],
        ),
        Jeu(
            cle="sites",
            titre="Sites clés en main",
            description="Les sites industriels prêts à accueillir une usine : commune, surfaces, disponibilité, "
            "procédures anticipées, réseaux et accès. Les demandes des investisseurs ne sont jamais publiées.",
            frequence="En continu : à chaque site publié ou modifié.",
            standard=CNIG_SITES_ECONOMIQUES,
            ressources=[
                Ressource("Fichier site-eco", reverse("foncier:export_sites"), "CSV", telechargement=True),
                Ressource("Fichier terrain-eco", reverse("foncier:export_terrains"), "CSV", telechargement=True),
                Ressource("API des sites", reverse("api:sites"), "JSON"),
                Ressource("Consulter le catalogue", reverse("foncier:catalogue"), "Page web"),
            ],
        ),
        Jeu(
            cle="ingenierie",
            titre="Offre d’ingénierie et missions commandées",
            description="Le catalogue de l’ANCT et des opérateurs, et les missions d’ingénierie commandées pour les "
            "territoires, sans donnée personnelle.",
            frequence="En continu.",
            standard=None,
            ressources=[
                Ressource("API de l’offre", reverse("api:offres_ingenierie"), "JSON"),
                Ressource("API des missions", reverse("api:missions_ingenierie"), "JSON"),
                Ressource("Consulter l’offre", reverse("ingenierie:catalogue"), "Page web"),
            ],
        ),
        Jeu(
            cle="evenements",
            titre="Événements du réseau",
            description="Les formations, ateliers et webinaires ouverts au public, chacun avec son fichier "
            "d’agenda à importer dans une messagerie.",
            frequence="En continu : à chaque événement planifié ou modifié.",
            standard=ICALENDAR,
            ressources=[Ressource("Programme des événements", reverse("animation:programme"), "Page web")],
        ),
    ]
