"""The figures pages: who sees which figures (territory, région, national), traceable counts, exports, queries."""

import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LigneFinancementFactory, ProjetFactory, utilisateur_avec
from tests.html import lire
from ti.comptes.models import Role
from ti.projets import referentiels
from ti.projets.models import Axe, Competence, Levier, Theme
from ti.territoires.models import Territoire

# Queries of each page: computed (the first reader after a write), then from the cache. A visitor's territory page:
# the territory, its régions, the 3 queries of the figures. Signed in: the session, the user and their
# habilitations first. The région page: the région, the figures (3), the per-territory table (3: the fiches and the
# acquired lines grouped by territory, the territories' régions). National: the figures (3) and both tables from
# the same 3 queries; its export of all the territories, that table alone.
REQUETES = {  # the instructor's and national team's include their second factor's device
    "visiteur": (5, 2),
    "territoire": (8, 5),
    "region": (11, 5),
    "national": (14, 8),  # + the network's summary (4 counts, not cached: ti/animation/selectors_chiffres.py)
    "export": (7, 4),
}


@pytest.fixture(autouse=True)
def _referentiels(db):
    referentiels.charger(Theme, Competence, Levier)


@pytest.fixture
def fiches(projet_public, projet_prive):
    return projet_public, projet_prive


def url_territoire(territoire, **parametres):
    adresse = reverse("projets:chiffres_territoire", args=[territoire.identifiant])
    return adresse + ("?" + "&".join(f"{k}={v}" for k, v in parametres.items()) if parametres else "")


def url_region(code="24"):
    return reverse("projets:chiffres_region", args=[code])


URL_NATIONAL = "/projets/chiffres/national/"


# The territory's figures.


def test_un_visiteur_ne_compte_que_les_fiches_publiques(client, fiches, territoire_projets):
    reponse = client.get(url_territoire(territoire_projets))

    assert reponse.status_code == 200
    chiffres = reponse.context["chiffres"]
    assert chiffres["fiches"] == 1
    assert chiffres["budget"] == Decimal("250000.00")
    assert chiffres["financement"]["acquis"] == Decimal("80000.00")
    assert chiffres["impact"]["hectares"] == Decimal("0.00")  # the private fiche's 6,5 ha stay private
    assert "Fiches-action publiées seulement" in reponse.content.decode()


def test_la_chef_de_projet_compte_toutes_les_fiches_du_territoire(client, fiches, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    reponse = client.get(url_territoire(territoire_projets))

    chiffres = reponse.context["chiffres"]
    assert (chiffres["fiches"], chiffres["budget"], chiffres["impact"]["hectares"]) == (
        2,
        Decimal("1450000.00"),
        Decimal("6.50"),
    )
    assert "publiées seulement" not in reponse.content.decode()


def test_un_agent_d_un_autre_territoire_ne_compte_que_les_fiches_publiques(
    client, fiches, territoire_projets, autre_chef_projet
):
    client.force_login(autre_chef_projet)

    reponse = client.get(url_territoire(territoire_projets))

    assert reponse.context["chiffres"]["fiches"] == 1
    assert "Fiches-action publiées seulement" in reponse.content.decode()


def test_les_montants_a_la_francaise(client, fiches, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    page = client.get(url_territoire(territoire_projets)).content.decode()

    assert "1\xa0450\xa0000,00&nbsp;€" in page
    assert "5,5&nbsp;%" in page  # 80 000 acquired on 1 450 000
    assert "6,50&nbsp;ha" in page


def test_chaque_nombre_mene_a_la_recherche_des_fiches_comptees(client, fiches, territoire_projets, chef_projet):
    from ti.projets.selectors import rechercher_projets

    client.force_login(chef_projet)

    chiffres = client.get(url_territoire(territoire_projets)).context["chiffres"]

    innover = next(ligne for ligne in chiffres["par_axe"] if ligne["code"] == Axe.INNOVER)
    adresse = urlsplit(innover["lien"])
    assert adresse.path == reverse("projets:annuaire")  # the one search, within the chef de projet’s scope
    filtres = {cle: valeurs[0] for cle, valeurs in parse_qs(adresse.query).items()}
    assert filtres == {"territoire": territoire_projets.identifiant, "axe": "innover"}
    # The search with those filters lists exactly the fiches counted.
    assert rechercher_projets(chef_projet, **filtres).count() == innover["nombre"] == 1
    etude = next(p for p in chiffres["par_phase"] if p["code"] == "etude")
    en_cours = next(s for s in etude["statuts"] if s["code"] == "en_cours")
    filtres = {cle: valeurs[0] for cle, valeurs in parse_qs(urlsplit(en_cours["lien"]).query).items()}
    assert rechercher_projets(chef_projet, **filtres).count() == en_cours["nombre"] == 1


def test_un_visiteur_est_mene_a_l_annuaire_public_filtre(client, fiches, territoire_projets):
    from ti.projets.selectors import PUBLIC, rechercher_projets

    chiffres = client.get(url_territoire(territoire_projets)).context["chiffres"]

    innover = next(ligne for ligne in chiffres["par_axe"] if ligne["code"] == Axe.INNOVER)
    adresse = urlsplit(innover["lien"])
    assert adresse.path == reverse("projets:annuaire")
    filtres = {cle: valeurs[0] for cle, valeurs in parse_qs(adresse.query).items()}
    assert rechercher_projets(PUBLIC, **filtres).count() == innover["nombre"] == 1
    tout = {cle: valeurs[0] for cle, valeurs in parse_qs(urlsplit(chiffres["lien"]).query).items()}
    assert rechercher_projets(PUBLIC, **tout).count() == chiffres["fiches"] == 1


def test_la_page_du_plan_n_est_proposee_qu_a_l_equipe_du_territoire(client, fiches, territoire_projets, chef_projet):
    plan = reverse("projets:plan_courant", args=[territoire_projets.identifiant])
    assert plan not in client.get(url_territoire(territoire_projets)).content.decode()

    client.force_login(chef_projet)
    assert plan in client.get(url_territoire(territoire_projets)).content.decode()


def test_territoire_inconnu(client, db):
    assert client.get(reverse("projets:chiffres_territoire", args=["ti9-0000"])).status_code == 404


def test_les_fiches_archivees_ne_comptent_pas(client, fiches, territoire_projets, chef_projet):
    ProjetFactory(territoire=territoire_projets, archive=True, public=True)
    client.force_login(chef_projet)

    assert client.get(url_territoire(territoire_projets)).context["chiffres"]["fiches"] == 2


# The région's figures: its agents and the national team; anybody else gets a 404 (out of scope).


@pytest.mark.parametrize("role", [Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION])
def test_les_roles_de_la_region_voient_ses_chiffres(client, fiches, autre_territoire_projets, cvl, role):
    ProjetFactory(territoire=autre_territoire_projets, budget=Decimal("100000"))
    client.force_login(utilisateur_avec(role, region=cvl))

    reponse = client.get(url_region())

    assert reponse.status_code == 200
    assert reponse.context["chiffres"]["fiches"] == 3  # private fiches included: they are in scope
    lignes = {t.identifiant: t.nb_fiches for t in reponse.context["territoires"]}
    assert lignes == {"ti2-2405": 2, "ti2-2411": 1}


def test_l_equipe_nationale_voit_les_chiffres_de_toute_region(client, fiches, equipe_nationale):
    client.force_login(equipe_nationale)

    reponse = client.get(url_region())

    assert reponse.status_code == 200
    assert reponse.context["chiffres"]["fiches"] == 2
    assert {t.identifiant: t.nb_fiches for t in reponse.context["territoires"]} == {"ti2-2405": 2}


@pytest.mark.parametrize("personne", ["chef_projet", "binome"])
def test_un_role_de_territoire_n_a_pas_les_chiffres_de_la_region(client, fiches, request, personne):
    client.force_login(request.getfixturevalue(personne))

    assert client.get(url_region()).status_code == 404


def test_un_instructeur_d_une_autre_region_a_une_404(client, fiches, bretagne):
    client.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=bretagne))

    assert client.get(url_region("24")).status_code == 404


def test_une_habilitation_revoquee_ne_donne_plus_les_chiffres(client, fiches, instructeur_region):
    from django.utils import timezone

    instructeur_region.habilitations.update(revoquee_le=timezone.now())
    client.force_login(instructeur_region)

    assert client.get(url_region()).status_code == 404


def test_un_visiteur_est_invite_a_se_connecter(client, fiches):
    reponse = client.get(url_region())

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


def test_region_inconnue(client, equipe_nationale):
    client.force_login(equipe_nationale)

    assert client.get(url_region("99")).status_code == 404


def test_les_nombres_de_la_region_menent_a_la_recherche_filtree(client, fiches, instructeur_region):
    client.force_login(instructeur_region)

    reponse = client.get(url_region())

    assert parse_qs(urlsplit(reponse.context["chiffres"]["lien"]).query) == {"region": ["24"]}
    (ligne,) = reponse.context["territoires"]
    assert parse_qs(urlsplit(ligne.lien).query) == {"region": ["24"], "territoire": ["ti2-2405"]}


# The programme's figures: the national team only.


def test_l_equipe_nationale_voit_les_chiffres_du_programme(client, fiches, autre_territoire_projets, equipe_nationale):
    ProjetFactory(territoire=autre_territoire_projets, budget=Decimal("100000"))
    client.force_login(equipe_nationale)

    reponse = client.get(URL_NATIONAL)

    assert reponse.status_code == 200
    assert reponse.context["chiffres"]["fiches"] == 3
    assert [(r.code, r.nb_fiches, r.nb_territoires) for r in reponse.context["regions"]] == [("24", 3, 2)]
    assert [t.identifiant for t in reponse.context["territoires"]] == ["ti2-2405", "ti2-2411"]  # most fiches first


@pytest.mark.parametrize("personne", ["instructeur_region", "chef_projet", "binome"])
def test_les_autres_ont_une_404_sur_les_chiffres_du_programme(client, fiches, request, personne):
    client.force_login(request.getfixturevalue(personne))

    assert client.get(URL_NATIONAL).status_code == 404


def test_les_chiffres_du_programme_demandent_une_connexion(client, db):
    reponse = client.get(URL_NATIONAL)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("comptes:connexion"))


# Exports: each table in CSV, XLSX and ODS, read back with tablib.


def relire(reponse, format_):
    """As a program reads the file: CSV for French Excel is `;`-separated UTF-8 with a BOM and decimal commas."""
    if format_ == "csv":
        donnees = tablib.Dataset().load(reponse.content.decode("utf-8-sig"), format="csv", delimiter=";")
        return tablib.Dataset(
            *[[v.replace(",", ".") if v[:1].isdigit() else v for v in ligne] for ligne in donnees],
            headers=donnees.headers,
        )
    return tablib.Dataset().load(io.BytesIO(reponse.content).read(), format=format_)


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_export_des_axes_du_territoire(client, fiches, territoire_projets, chef_projet, format_):
    client.force_login(chef_projet)

    reponse = client.get(url_territoire(territoire_projets, tableau="axes", format=format_))

    assert reponse.status_code == 200
    assert f"chiffres-projets-ti2-2405-axes.{format_}" in reponse["Content-Disposition"]
    donnees = relire(reponse, format_)
    assert donnees.headers == ["Axe", "Code", "Fiches-action"]
    assert {ligne[1]: int(ligne[2]) for ligne in donnees} == {
        "recruter": 0,
        "innover": 1,
        "attirer": 1,
        "simplifier": 0,
    }


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_export_de_la_synthese_pour_un_visiteur(client, fiches, territoire_projets, format_):
    reponse = client.get(url_territoire(territoire_projets, tableau="synthese", format=format_))

    valeurs = {ligne[0]: ligne[1] for ligne in relire(reponse, format_)}
    assert Decimal(str(valeurs["Fiches-action"])) == 1  # public fiches only, as on the page
    assert Decimal(str(valeurs["Budget total"])) == Decimal("250000")
    assert Decimal(str(valeurs["Financements sollicités"])) == Decimal("50000")


def test_export_des_phases_en_csv(client, fiches, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    reponse = client.get(url_territoire(territoire_projets, tableau="phases", format="csv"))

    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse.content.startswith("\ufeffPhase;Code;En cours;".encode())  # for French Excel
    donnees = relire(reponse, "csv")
    assert donnees.headers[:3] == ["Phase", "Code", "En cours"]
    assert {ligne[1]: ligne[-1] for ligne in donnees} == {"idee": "1", "etude": "1", "operation": "0"}


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_export_des_territoires_de_la_region(client, fiches, instructeur_region, format_):
    client.force_login(instructeur_region)

    reponse = client.get(url_region() + f"?tableau=territoires&format={format_}")

    (ligne,) = relire(reponse, format_).dict
    assert ligne["Identifiant"] == "ti2-2405"
    assert int(ligne["Fiches-action"]) == 2
    assert Decimal(str(ligne["Budget (€)"])) == Decimal("1450000")
    assert Decimal(str(ligne["Financements acquis (€)"])) == Decimal("80000")


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_export_des_regions_et_de_tous_les_territoires(
    client, fiches, autre_territoire_projets, equipe_nationale, format_
):
    ProjetFactory(territoire=autre_territoire_projets)
    client.force_login(equipe_nationale)

    regions = relire(client.get(URL_NATIONAL + f"?tableau=regions&format={format_}"), format_).dict
    territoires = relire(client.get(URL_NATIONAL + f"?tableau=territoires&format={format_}"), format_).dict

    assert [(r["Code"], int(r["Fiches-action"])) for r in regions] == [("24", 3)]
    assert [t["Identifiant"] for t in territoires] == ["ti2-2405", "ti2-2411"]


def test_l_export_respecte_le_perimetre(client, fiches, chef_projet):
    client.force_login(chef_projet)

    assert client.get(url_region() + "?tableau=territoires&format=csv").status_code == 404
    assert client.get(URL_NATIONAL + "?tableau=regions&format=csv").status_code == 404


def test_csv_pour_excel_en_francais(client, fiches, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    lignes = client.get(url_territoire(territoire_projets, format="csv")).content.decode("utf-8-sig").splitlines()

    assert lignes[0] == "Indicateur;Valeur;Unité"
    assert "Budget total;1450000,00;€" in lignes
    assert "Part du budget sécurisée (financements acquis);5,5;%" in lignes


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
@pytest.mark.parametrize("nom", ['=LIEN_HYPERTEXTE("x")', "  @SOMME(A1)", "\t+cmd"])
def test_un_nom_ne_s_execute_pas_comme_une_formule(
    client, fiches, territoire_projets, instructeur_region, format_, nom
):
    Territoire.objects.filter(pk=territoire_projets.pk).update(nom=nom)
    client.force_login(instructeur_region)

    reponse = client.get(url_region() + f"?tableau=territoires&format={format_}")

    assert relire(reponse, format_).dict[0]["Territoire"] == f"'{nom}"


@pytest.mark.parametrize("parametres", [{"format": "pdf"}, {"format": "csv", "tableau": "inconnu"}])
def test_format_ou_tableau_inconnu(client, fiches, territoire_projets, parametres):
    assert client.get(url_territoire(territoire_projets, **parametres)).status_code == 404


def test_un_tableau_propre_a_la_region_n_existe_pas_pour_un_territoire(client, fiches, territoire_projets):
    assert client.get(url_territoire(territoire_projets, tableau="territoires", format="csv")).status_code == 404


# Queries: bounded, and the same for 3 fiches as for 30.


def creer_fiches(territoires, n):
    themes = list(Theme.objects.all()[:2])
    for i in range(n):
        projet = ProjetFactory(territoire=territoires[i % len(territoires)], public=i % 2 == 0)
        projet.themes.set(themes)
        LigneFinancementFactory.create_batch(2, projet=projet)


def requetes(client, adresse):
    with CaptureQueriesContext(connection) as contexte:
        assert client.get(adresse).status_code == 200
    return len(contexte.captured_queries)


@pytest.mark.parametrize(
    "personne, adresse, bornes",
    [
        (None, "territoire", REQUETES["visiteur"]),
        ("chef_projet", "territoire", REQUETES["territoire"]),
        ("instructeur_region", "region", REQUETES["region"]),
        ("equipe_nationale", "national", REQUETES["national"]),
        ("equipe_nationale", "export", REQUETES["export"]),
    ],
)
def test_requetes_bornees(
    client,
    request,
    territoire_projets,
    autre_territoire_projets,
    django_assert_max_num_queries,
    personne,
    adresse,
    bornes,
):
    if personne:
        client.force_login(request.getfixturevalue(personne))
    adresse = {
        "territoire": url_territoire(territoire_projets),
        "region": url_region(),
        "national": URL_NATIONAL,
        "export": URL_NATIONAL + "?tableau=territoires&format=xlsx",
    }[adresse]
    territoires = [territoire_projets, autre_territoire_projets]
    calculee, en_cache = bornes

    creer_fiches(territoires, 3)
    avec_3 = requetes(client, adresse)
    creer_fiches(territoires, 27)  # new fiches: the figures are computed again
    with django_assert_max_num_queries(calculee):
        avec_30 = requetes(client, adresse)
    with django_assert_max_num_queries(en_cache):
        requetes(client, adresse)

    assert avec_30 == avec_3


# The links from the territory's and the région's pages.


def test_la_page_du_territoire_mene_aux_projets(client, territoire_projets, chef_projet):
    page = reverse("territoires:detail", args=[territoire_projets.identifiant])
    chiffres = reverse("projets:chiffres_territoire", args=[territoire_projets.identifiant])
    fiches = reverse("projets:territoire", args=[territoire_projets.identifiant])
    plan = reverse("projets:plan_courant", args=[territoire_projets.identifiant])

    contenu = client.get(page).content.decode()
    assert chiffres in contenu and fiches in contenu
    assert plan not in contenu

    client.force_login(chef_projet)
    assert plan in client.get(page).content.decode()


@pytest.mark.parametrize(
    "personne, lien", [(None, False), ("chef_projet", False), ("instructeur_region", True), ("equipe_nationale", True)]
)
def test_la_page_de_la_region_mene_a_ses_chiffres_pour_qui_peut_les_voir(
    client, request, territoire_projets, personne, lien
):
    if personne:
        client.force_login(request.getfixturevalue(personne))

    contenu = client.get(reverse("territoires:region", args=["24"])).content.decode()

    assert (url_region("24") in contenu) is lien


def test_la_page_de_la_region_ne_mene_pas_aux_chiffres_d_une_autre_region(client, territoire_projets, bretagne):
    client.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=bretagne))

    assert url_region("24") not in client.get(reverse("territoires:region", args=["24"])).content.decode()
    assert url_region("53") in {
        lien.href for lien in lire(client.get(reverse("territoires:region", args=["53"]))).liens
    }


def test_un_nombre_de_fiches_mene_a_la_recherche_et_zero_a_rien():
    from django.contrib.humanize.templatetags.humanize import intcomma

    from ti.projets.templatetags.chiffres_projets import nombre_de_fiches

    assert nombre_de_fiches(1234, "/projets/recherche/?axe=innover&phase=idee") == (
        f'<a href="/projets/recherche/?axe=innover&amp;phase=idee">{intcomma(1234)}'
        '<span class="fr-sr-only"> fiches-action : voir la liste</span></a>'
    )
    assert nombre_de_fiches(0, "/projets/recherche/?axe=innover") == "0"
    assert nombre_de_fiches(7) == "7"
