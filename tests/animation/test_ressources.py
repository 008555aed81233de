"""The resource centre: who sees what, role by role (network content never public unless marked so: 404), who
publishes (403), versions kept and listed, downloads counted in SQL and only through the visibility check, the shared
upload checks and antivirus, the French search, and bounded queries."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ti.animation import actions_ressources as actions
from ti.animation.models_ressources import Ressource, TypeRessource, VersionRessource, Visibilite
from ti.animation.selectors_ressources import rechercher_ressources
from ti.core.antivirus import Analyse
from ti.core.models import Journal

from ..core.faux_antivirus import CHEMIN, MARQUE, FauxAntivirus
from .conftest import creer_evenement

PDF = b"%PDF-1.7\n" + b"0" * 64


def pdf(nom="guide.pdf", contenu=PDF):
    return SimpleUploadedFile(nom, contenu)


def publier(par, titre="Guide", *, visibilite=Visibilite.RESEAU, region=None, **champs):
    valeurs = {"type": TypeRessource.GUIDE, "resume": "Un guide.", "theme": "decarbonation", "etiquettes": []}
    valeurs |= champs
    if "lien" not in champs and "fichier" not in champs:
        valeurs["fichier"] = pdf()
    return actions.publier(par=par, titre=titre, visibilite=visibilite, region=region, **valeurs)


@pytest.fixture
def ressources(equipe_nationale, cvl, bretagne):
    return {
        "public": publier(equipe_nationale, "Guide public", visibilite=Visibilite.PUBLIC),
        "reseau": publier(equipe_nationale, "Guide du réseau"),
        "cvl": publier(equipe_nationale, "Guide Centre-Val de Loire", visibilite=Visibilite.REGION, region=cvl),
        "bretagne": publier(equipe_nationale, "Guide breton", visibilite=Visibilite.REGION, region=bretagne),
    }


def _visibles(client, ressources) -> set[str]:
    return {nom for nom, r in ressources.items() if client.get(r.get_absolute_url()).status_code == 200}


def _telechargeables(client, ressources) -> set[str]:
    url = lambda r: reverse("animation:telecharger", args=[r.pk])  # noqa: E731
    return {nom for nom, r in ressources.items() if client.get(url(r)).status_code == 200}


@pytest.mark.parametrize(
    ("qui", "attendues"),
    [
        ("anonyme", {"public"}),
        ("porteur", {"public"}),
        ("consultant", {"public"}),
        ("chef_cvl", {"public", "reseau", "cvl"}),
        ("binome_bretagne", {"public", "reseau", "bretagne"}),
        ("instructeur_cvl", {"public", "reseau", "cvl"}),
        ("referent_cvl", {"public", "reseau", "cvl"}),
        ("equipe_nationale", {"public", "reseau", "cvl", "bretagne"}),
    ],
)
def test_qui_voit_et_telecharge_quelles_ressources(client, ressources, personne, qui, attendues):
    if qui != "anonyme":
        client.force_login(personne(qui))
    assert _visibles(client, ressources) == attendues  # the others are 404, as if they did not exist
    assert _telechargeables(client, ressources) == attendues
    liste = client.get(reverse("animation:ressources")).content.decode()
    assert {nom for nom, r in ressources.items() if r.titre in liste} == attendues
    # Nothing was counted for what the person may not see.
    comptes = dict(Ressource.objects.values_list("titre", "telechargements"))
    assert {nom for nom, r in ressources.items() if comptes[r.titre]} == attendues


@pytest.mark.parametrize(
    ("qui", "region_choisie", "autorise"),
    [
        ("equipe_nationale", "bretagne", True),
        ("referent_cvl", "cvl", True),
        ("referent_cvl", "bretagne", False),  # not his région: the form offers only his
        ("chef_cvl", "cvl", False),
        ("instructeur_cvl", "cvl", False),
    ],
)
def test_qui_publie(
    client, equipe_nationale, referent_region_cvl, chef_projet_cvl, instructeur_cvl, cvl, bretagne,
    qui, region_choisie, autorise,
):  # fmt: skip
    personne = {"equipe_nationale": equipe_nationale, "referent_cvl": referent_region_cvl,
                "chef_cvl": chef_projet_cvl, "instructeur_cvl": instructeur_cvl}[qui]  # fmt: skip
    region = {"cvl": cvl, "bretagne": bretagne, None: None}[region_choisie]
    client.force_login(personne)
    reponse = client.post(
        reverse("animation:publier_ressource"),
        {"titre": "Modèle de convention", "type": "modele", "resume": "À adapter.", "theme": "foncier",
         "etiquettes": "Convention, ADEME, convention", "visibilite": "region", "region": region.code if region else "",
         "fichier": pdf("modele.pdf")},
    )  # fmt: skip
    if qui in ("chef_cvl", "instructeur_cvl"):
        assert reponse.status_code == 403
    assert Ressource.objects.exists() == autorise
    if autorise and region:
        ressource = Ressource.objects.get()
        assert sorted(ressource.etiquettes.values_list("nom", flat=True)) == ["ademe", "convention"]
        assert Journal.objects.filter(action="animation.ressource_publiee").exists()


def test_une_ressource_regionale_sans_region_est_refusee(client, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        reverse("animation:publier_ressource"),
        {"titre": "Guide", "type": "guide", "resume": "…", "theme": "foncier", "visibilite": "region",
         "fichier": pdf()},
    )  # fmt: skip
    assert "Choisissez la région dont le réseau verra la ressource." in reponse.content.decode()
    assert not Ressource.objects.exists()


def test_un_fichier_refuse_par_les_controles_partages(client, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        reverse("animation:publier_ressource"),
        {"titre": "Guide", "type": "guide", "resume": "…", "theme": "foncier", "visibilite": "reseau",
         "fichier": pdf("guide.pdf", b"MZ\x90\x00 un executable")},
    )  # fmt: skip
    assert "n’est pas celui d’un fichier PDF" in reponse.content.decode()
    assert not Ressource.objects.exists() and not VersionRessource.objects.exists()


def test_ni_fichier_ni_lien(client, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = client.post(
        reverse("animation:publier_ressource"),
        {"titre": "Replay", "type": "replay", "resume": "…", "theme": "foncier", "visibilite": "reseau"},
    )
    assert "Déposez un fichier ou indiquez le lien d’un replay" in reponse.content.decode()
    assert not Ressource.objects.exists()


def test_chaque_depot_est_une_nouvelle_version_les_anciennes_restent(client, equipe_nationale, chef_projet_cvl):
    ressource = publier(equipe_nationale, fichier=pdf("guide-v1.pdf"))
    client.force_login(equipe_nationale)
    url = reverse("animation:ajouter_version", args=[ressource.pk])
    client.post(url, {"fichier": pdf("guide-v2.pdf", PDF + b"v2"), "note": "Chiffres 2026"})
    ressource.refresh_from_db()
    assert list(ressource.versions.values_list("numero", "nom")) == [(2, "guide-v2.pdf"), (1, "guide-v1.pdf")]
    assert ressource.derniere_version.numero == 2

    client.force_login(chef_projet_cvl)
    page = client.get(ressource.get_absolute_url()).content.decode()
    assert "guide-v1.pdf" in page and "guide-v2.pdf" in page and "Chiffres 2026" in page
    assert "Publier une nouvelle version" not in page  # a chef de projet reads, does not publish
    assert client.get(reverse("animation:telecharger", args=[ressource.pk])).filename == "guide-v2.pdf"
    assert client.get(reverse("animation:telecharger_version", args=[ressource.pk, 1])).filename == "guide-v1.pdf"
    assert client.post(url, {"fichier": pdf("intrus.pdf")}).status_code == 403
    assert ressource.versions.count() == 2


def test_un_referent_ne_versionne_pas_la_ressource_d_une_autre_region(referent_region_cvl, equipe_nationale, bretagne):
    ressource = publier(equipe_nationale, visibilite=Visibilite.RESEAU, region=bretagne)
    with pytest.raises(PermissionDenied):
        actions.ajouter_version(ressource=ressource, par=referent_region_cvl, fichier=pdf())


def test_les_telechargements_sont_comptes(client, equipe_nationale, chef_projet_cvl):
    ressource = publier(equipe_nationale)
    replay = publier(equipe_nationale, "Replay", type=TypeRessource.REPLAY, lien="https://video.example/replay")
    client.force_login(chef_projet_cvl)
    for _ in range(3):
        assert client.get(reverse("animation:telecharger", args=[ressource.pk])).status_code == 200
    reponse = client.get(reverse("animation:telecharger", args=[replay.pk]))
    assert (reponse.status_code, reponse["Location"]) == (302, "https://video.example/replay")
    ressource.refresh_from_db()
    replay.refresh_from_db()
    assert (ressource.telechargements, ressource.derniere_version.telechargements) == (3, 3)
    assert replay.telechargements == 1


def test_un_fichier_en_quarantaine_n_est_jamais_servi(client, settings, equipe_nationale, chef_projet_cvl):
    settings.ANTIVIRUS = CHEMIN
    ressource = publier(equipe_nationale, fichier=pdf("virus.pdf", PDF + MARQUE))
    assert ressource.derniere_version.analyse == Analyse.QUARANTAINE
    client.force_login(chef_projet_cvl)
    assert client.get(reverse("animation:telecharger", args=[ressource.pk])).status_code == 404
    ressource.refresh_from_db()
    assert ressource.telechargements == 0


def test_une_version_en_attente_d_analyse_est_reprise_par_la_commande(client, settings, equipe_nationale,
                                                                     chef_projet_cvl):  # fmt: skip
    settings.ANTIVIRUS = CHEMIN
    FauxAntivirus.EN_PANNE = True
    try:
        ressource = publier(equipe_nationale)
    finally:
        FauxAntivirus.EN_PANNE = False
    client.force_login(chef_projet_cvl)
    assert client.get(reverse("animation:telecharger", args=[ressource.pk])).status_code == 404  # not yet scanned
    call_command("analyser_fichiers", stdout=io.StringIO())
    assert client.get(reverse("animation:telecharger", args=[ressource.pk])).status_code == 200


def test_rattachee_a_un_evenement_elle_s_affiche_sur_sa_page(client, equipe_nationale, chef_projet_cvl):
    atelier = creer_evenement(equipe_nationale)
    publier(equipe_nationale, "Replay de l’atelier", type=TypeRessource.REPLAY, lien="https://v.example/1",
            evenement=atelier)  # fmt: skip
    publier(equipe_nationale, "Supports de l’atelier", type=TypeRessource.SUPPORT, evenement=atelier)
    client.force_login(chef_projet_cvl)
    page = client.get(atelier.get_absolute_url()).content.decode()
    assert "Replay de l’atelier" in page and "Supports de l’atelier" in page
    client.logout()  # the event is the network's: its page is a 404 for the public, and so are its resources
    assert client.get(atelier.get_absolute_url()).status_code == 404


def test_un_referent_ne_rattache_pas_a_l_evenement_d_une_autre_region(equipe_nationale, referent_region_cvl, cvl,
                                                                       bretagne):  # fmt: skip
    breton = creer_evenement(equipe_nationale, region=bretagne)
    with pytest.raises(actions.Refus, match="Vous n’organisez pas"):
        publier(referent_region_cvl, visibilite=Visibilite.REGION, region=cvl, evenement=breton)


# Search ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def a_chercher(equipe_nationale):
    publier(equipe_nationale, "Décarbonation des procédés industriels", resume="Chaleur fatale et électrification.")
    publier(equipe_nationale, "Recruter des soudeurs", theme="competences", resume="Former avec France Travail.",
            etiquettes=["alternance"])  # fmt: skip
    publier(equipe_nationale, "Sobriété foncière", theme="foncier", resume="Réhabiliter les friches industrielles.")


def titres(ressources) -> list[str]:
    return [r.titre for r in ressources]


def test_recherche_sans_accents_ni_majuscules(a_chercher, equipe_nationale):
    assert titres(rechercher_ressources(equipe_nationale, q="DECARBONATION")) == [
        "Décarbonation des procédés industriels"
    ]


def test_recherche_en_francais_avec_racines(a_chercher, equipe_nationale):
    trouvees = titres(rechercher_ressources(equipe_nationale, q="décarboner"))
    if connection.vendor == "postgresql":  # the French stemmer reduces both to « décarbon »
        assert trouvees == ["Décarbonation des procédés industriels"]
    else:  # SQLite: substring of the accent-free text, no stemming
        assert trouvees == []
    # « friche » is in « friches »: a stem for PostgreSQL, a substring for SQLite — both find it.
    assert titres(rechercher_ressources(equipe_nationale, q="friche")) == ["Sobriété foncière"]


def test_recherche_par_etiquette_type_et_theme(a_chercher, equipe_nationale):
    assert titres(rechercher_ressources(equipe_nationale, q="alternance")) == ["Recruter des soudeurs"]
    assert titres(rechercher_ressources(equipe_nationale, etiquette="alternance")) == ["Recruter des soudeurs"]
    assert titres(rechercher_ressources(equipe_nationale, theme="foncier")) == ["Sobriété foncière"]
    assert titres(rechercher_ressources(equipe_nationale, q="industriel", theme="foncier")) == ["Sobriété foncière"]


def test_la_recherche_ne_sort_pas_du_perimetre(a_chercher, equipe_nationale, bretagne, chef_projet_cvl):
    publier(equipe_nationale, "Décarbonation en Bretagne", visibilite=Visibilite.REGION, region=bretagne)
    assert "Décarbonation en Bretagne" not in titres(rechercher_ressources(chef_projet_cvl, q="decarbonation"))


def test_un_critere_invalide_est_une_erreur_claire(client, a_chercher):
    reponse = client.get(reverse("animation:ressources"), {"type": "film", "q": "x" * 300})
    page = reponse.content.decode()
    assert reponse.status_code == 200 and "Un critère de recherche n’est pas valide" in page
    assert "procédés industriels" not in page


def test_liste_et_fiche_en_requetes_bornees(client, equipe_nationale, chef_projet_cvl, django_assert_max_num_queries):
    def une_page():
        client.get(reverse("animation:ressources"), {"q": "guide"})
        client.get(reverse("animation:ressource", args=[Ressource.objects.first().pk]))

    for i in range(3):
        publier(equipe_nationale, f"Guide {i}", etiquettes=["a", "b"])
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(15):  # session, user, habilitations, count, page, tags; then the detail
        une_page()
    for i in range(3, 25):
        publier(equipe_nationale, f"Guide {i}", etiquettes=["a", "b"])
    with django_assert_max_num_queries(15):
        une_page()
