"""The instructors' queue: who reaches it, what it lists, its filters, sorting, pagination, late opinions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.connexion import ClientVerifie
from tests.factories import CommuneFactory, DossierFactory, EnveloppeFactory, TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.financements.models import Avis, Dossier, Statut, SuiviDossier, Volet
from ti.financements.selectors_file import DELAI_RECEVABILITE_JOURS

pytestmark = pytest.mark.django_db

FILE = reverse("financements:file")


@pytest.fixture
def autre_territoire_cvl(loiret):
    return TerritoireFactory(
        nom="Vierzon-Sologne", code="2498", communes=[CommuneFactory(code="45100", nom="Briare", departement=loiret)]
    )


@pytest.fixture
def enveloppe_bretagne(dispositif, bretagne):
    return EnveloppeFactory(dispositif=dispositif, region=bretagne, annee=dispositif.annee)


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis):
    return DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference="FV2024-24-00001"
    )


@pytest.fixture
def dossier_bretagne(enveloppe_bretagne, territoire_bretagne):
    return DossierFactory(
        enveloppe=enveloppe_bretagne,
        territoire=territoire_bretagne,
        commune=territoire_bretagne.communes.get(),
        reference="FV2024-53-00001",
    )


def dossiers_cvl(enveloppe, territoire, commune, nombre, **champs):
    return [
        DossierFactory(enveloppe=enveloppe, territoire=territoire, commune=commune, **champs) for _ in range(nombre)
    ]


def demander_avis(dossier, par, *, type=Avis.Type.ADEME, echeance=None, rendu=False):
    return Avis.objects.create(
        dossier=dossier,
        type=type,
        demande_par=par,
        echeance=echeance or timezone.localdate() + timedelta(days=10),
        sens=Avis.Sens.FAVORABLE if rendu else "",
        rendu_le=timezone.now() if rendu else None,
        rendu_par=par if rendu else None,
    )


def references(reponse) -> list[str]:
    return [dossier.reference for dossier in reponse.context["page_obj"]]


# Who reaches the queue.


def test_un_visiteur_est_renvoye_vers_la_connexion(client):
    reponse = client.get(FILE)
    assert reponse.status_code == 302
    assert reverse("comptes:connexion") in reponse["Location"]


@pytest.mark.parametrize("role", [Role.CHEF_PROJET, Role.BINOME])
def test_l_equipe_du_territoire_n_a_pas_la_file(client, territoire_fv, role, django_assert_max_num_queries):
    client.force_login(utilisateur_avec(role, territoire=territoire_fv))
    with django_assert_max_num_queries(4):
        assert client.get(FILE).status_code == 403


def test_un_porteur_n_a_pas_la_file(client, porteur, dossier_cvl):
    client.force_login(porteur)
    assert client.get(FILE).status_code == 403


@pytest.mark.parametrize("persona", ["instructeur_cvl", "expert_ademe_cvl", "referent_region_cvl"])
def test_les_roles_de_la_region_voient_ses_dossiers_deposes(
    client, request, persona, dossier_cvl, dossier_bretagne, enveloppe_cvl, territoire_fv, montargis
):
    DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, statut=Statut.BROUILLON, reference="B-1"
    )
    client.force_login(request.getfixturevalue(persona))

    reponse = client.get(FILE)

    assert reponse.status_code == 200
    assert references(reponse) == ["FV2024-24-00001"]  # neither the draft nor Bretagne's dossier
    assert reverse("financements:dossier", args=["FV2024-24-00001"]) in reponse.content.decode()


def test_l_instructeur_de_bretagne_ne_voit_pas_les_dossiers_du_centre(
    client, instructeur_bretagne, dossier_cvl, dossier_bretagne
):
    client.force_login(instructeur_bretagne)
    assert references(client.get(FILE)) == ["FV2024-53-00001"]


def test_la_region_couvre_toutes_ses_enveloppes(
    client, instructeur_cvl, dispositif, cvl, dossier_cvl, dossier_bretagne, territoire_fv, montargis
):
    enveloppe_2025 = EnveloppeFactory(dispositif=dispositif, region=cvl, annee=2025)
    DossierFactory(enveloppe=enveloppe_2025, territoire=territoire_fv, commune=montargis, reference="FV2025-24-00001")
    client.force_login(instructeur_cvl)

    assert sorted(references(client.get(FILE))) == ["FV2024-24-00001", "FV2025-24-00001"]


def test_une_enveloppe_ouverte_apres_une_visite_compte_des_la_suivante(
    client, instructeur_cvl, dispositif, cvl, dossier_cvl, territoire_fv, montargis
):
    """The régions' envelopes and the gauges' links are kept in the cache: a new envelope must not wait for it."""
    client.force_login(instructeur_cvl)
    assert references(client.get(FILE)) == ["FV2024-24-00001"]

    enveloppe_2025 = EnveloppeFactory(dispositif=dispositif, region=cvl, annee=2025)
    DossierFactory(enveloppe=enveloppe_2025, territoire=territoire_fv, commune=montargis, reference="FV2025-24-00001")

    reponse = client.get(FILE)
    assert sorted(references(reponse)) == ["FV2024-24-00001", "FV2025-24-00001"]
    assert reverse("financements:enveloppe", args=[enveloppe_2025.pk]) in reponse.content.decode()


def test_l_equipe_nationale_voit_toutes_les_regions(client, equipe_nationale, dossier_cvl, dossier_bretagne):
    client.force_login(equipe_nationale)
    assert sorted(references(client.get(FILE))) == ["FV2024-24-00001", "FV2024-53-00001"]


# Filters.


def test_filtre_par_etat_territoire_et_volet(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, autre_territoire_cvl
):
    DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference="A-depose")
    DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        reference="B-instruction",
        statut=Statut.EN_INSTRUCTION,
    )
    DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=autre_territoire_cvl,
        commune=autre_territoire_cvl.communes.get(),
        reference="C-competences",
        volet=Volet.COMPETENCES,
    )
    client.force_login(instructeur_cvl)

    assert references(client.get(FILE, {"statut": "en_instruction"})) == ["B-instruction"]
    assert references(client.get(FILE, {"territoire": autre_territoire_cvl.identifiant})) == ["C-competences"]
    assert references(client.get(FILE, {"volet": "competences"})) == ["C-competences"]
    assert references(client.get(FILE, {"statut": "depose", "volet": "investissement", "tri": "reference"})) == [
        "A-depose"
    ]


def test_filtre_les_dossiers_avec_des_avis_en_attente(client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis):
    attend, rendu, sans = (
        DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference=ref)
        for ref in ("attend", "rendu", "sans")
    )
    demander_avis(attend, instructeur_cvl)
    demander_avis(attend, instructeur_cvl, type=Avis.Type.REGION)
    demander_avis(rendu, instructeur_cvl, rendu=True)
    client.force_login(instructeur_cvl)

    reponse = client.get(FILE, {"avis_en_attente": "on"})

    assert references(reponse) == ["attend"]
    assert reponse.context["page_obj"][0].avis_en_attente == 2
    assert "2 en attente" in reponse.content.decode()


def test_les_dossiers_en_retard_sont_signales_et_filtres(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis
):
    hier = timezone.localdate() - timedelta(days=1)
    a_temps, avis_en_retard, avis_rendu_tard, vieux_depose, vieux_instruit = (
        DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference=ref)
        for ref in ("a-temps", "avis-en-retard", "avis-rendu-tard", "vieux-depose", "vieux-instruit")
    )
    demander_avis(a_temps, instructeur_cvl)
    demander_avis(avis_en_retard, instructeur_cvl, echeance=hier)
    demander_avis(avis_rendu_tard, instructeur_cvl, echeance=hier, rendu=True)  # rendered: no longer late
    il_y_a_longtemps = timezone.now() - timedelta(days=DELAI_RECEVABILITE_JOURS + 1)
    vieux_depose.depose_le = il_y_a_longtemps
    vieux_depose.save()
    vieux_instruit.depose_le = il_y_a_longtemps
    vieux_instruit.statut = Statut.EN_INSTRUCTION  # opened: its recevabilité is done
    vieux_instruit.save()
    client.force_login(instructeur_cvl)

    reponse = client.get(FILE, {"en_retard": "on", "tri": "reference"})

    assert references(reponse) == ["avis-en-retard", "vieux-depose"]
    lignes = {dossier.reference: dossier for dossier in reponse.context["page_obj"]}
    assert lignes["avis-en-retard"].avis_en_retard == 1 and lignes["avis-en-retard"].en_retard
    assert lignes["vieux-depose"].recevabilite_en_retard
    page = reponse.content.decode()
    assert "1 en retard" in page and "Recevabilité en retard" in page


@pytest.mark.parametrize(
    ("parametres", "champ", "message"),
    [
        ({"statut": "perdu"}, "statut", "Choix inconnu : « perdu »."),
        ({"statut": "brouillon"}, "statut", "Choix inconnu : « brouillon »."),
        ({"volet": "volet-9"}, "volet", "Choix inconnu : « volet-9 »."),
        ({"tri": "montant; DROP"}, "tri", "Choix inconnu : « montant; DROP »."),
    ],
)
def test_un_filtre_invalide_est_une_erreur_en_francais(
    client, instructeur_cvl, dossier_cvl, parametres, champ, message
):
    client.force_login(instructeur_cvl)

    reponse = client.get(FILE, parametres)

    assert reponse.status_code == 200
    assert reponse.context["form"].errors[champ] == [message]
    assert references(reponse) == []
    assert "Filtres invalides" in reponse.content.decode()


def test_un_territoire_hors_du_perimetre_est_refuse(client, instructeur_cvl, dossier_cvl, territoire_bretagne):
    client.force_login(instructeur_cvl)

    reponse = client.get(FILE, {"territoire": territoire_bretagne.identifiant})

    assert reponse.context["form"].errors["territoire"] == [
        "Ce territoire n’existe pas ou n’est pas dans votre périmètre."
    ]
    assert references(reponse) == []


# Sorting and pages.


def test_tris(client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis):
    maintenant = timezone.now()
    for reference, aide, jours, statut in [
        ("R-2", "200000.00", 3, Statut.PROPOSE),
        ("R-1", "300000.00", 1, Statut.DEPOSE),
        ("R-3", "100000.00", 2, Statut.EN_INSTRUCTION),
    ]:
        DossierFactory(
            enveloppe=enveloppe_cvl,
            territoire=territoire_fv,
            commune=montargis,
            reference=reference,
            aide_demandee=Decimal(aide),
            depose_le=maintenant - timedelta(days=jours),
            statut=statut,
        )
    client.force_login(instructeur_cvl)

    assert references(client.get(FILE)) == ["R-1", "R-3", "R-2"]  # most recently filed first
    assert references(client.get(FILE, {"tri": "depose"})) == ["R-2", "R-3", "R-1"]
    assert references(client.get(FILE, {"tri": "aide"})) == ["R-3", "R-2", "R-1"]
    assert references(client.get(FILE, {"tri": "-aide"})) == ["R-1", "R-2", "R-3"]
    assert references(client.get(FILE, {"tri": "reference"})) == ["R-1", "R-2", "R-3"]
    assert references(client.get(FILE, {"tri": "statut"})) == ["R-1", "R-3", "R-2"]  # depose < en_instruction < propose


def test_pagination_garde_les_filtres(client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis):
    dossiers_cvl(enveloppe_cvl, territoire_fv, montargis, 30)
    client.force_login(instructeur_cvl)

    reponse = client.get(FILE, {"volet": "investissement", "page": 2})

    assert len(references(reponse)) == 5
    assert "30 dossiers, page 2 sur 2" in reponse.content.decode()
    assert "volet=investissement&amp;page=1" in reponse.content.decode()


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_file_en_requetes_bornees(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, nombre, django_assert_max_num_queries
):
    for dossier in dossiers_cvl(enveloppe_cvl, territoire_fv, montargis, nombre):
        demander_avis(dossier, instructeur_cvl, echeance=timezone.localdate() - timedelta(days=1))
    client.force_login(instructeur_cvl)

    # 10: the whole and the followed part counted in one query (ti/core/pagination.py) before the page is read; the
    # régions' envelopes and the scope's territories read once, then kept in the cache for the next requests.
    with django_assert_max_num_queries(10):
        reponse = client.get(FILE, {"territoire": territoire_fv.identifiant, "en_retard": "on"})
    with django_assert_max_num_queries(7):
        client.get(FILE, {"territoire": territoire_fv.identifiant, "en_retard": "on"})

    assert reponse.context["page_obj"].paginator.count == nombre


def test_la_file_mene_aux_jauges_des_enveloppes_suivies(client, instructeur_cvl, enveloppe_cvl, enveloppe_bretagne):
    client.force_login(instructeur_cvl)

    page = client.get(FILE).content.decode()

    assert reverse("financements:enveloppe", args=[enveloppe_cvl.pk]) in page
    assert reverse("financements:enveloppe", args=[enveloppe_bretagne.pk]) not in page


def test_la_liste_des_territoires_du_filtre(
    client, instructeur_cvl, territoire_fv, autre_territoire_cvl, territoire_bretagne
):
    """The territories of the instructor's scope, names escaped, the chosen one selected; none from elsewhere."""
    autre_territoire_cvl.nom = "Vierzon & <Sologne>"
    autre_territoire_cvl.save()
    client.force_login(instructeur_cvl)

    html = client.get(FILE, {"territoire": autre_territoire_cvl.identifiant}).content.decode()

    assert '<option value="">' in html
    assert f'<option value="{territoire_fv.identifiant}">{territoire_fv.nom}</option>' in html
    assert f'<option value="{autre_territoire_cvl.identifiant}" selected>Vierzon &amp; &lt;Sologne&gt;</option>' in html
    assert f'value="{territoire_bretagne.identifiant}"' not in html


def test_les_dossiers_suivis_en_tete_puis_les_autres_sans_doublon_d_une_page_a_l_autre(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis
):
    """27 dossiers, the two oldest followed: they open page 1, the 25 others follow in filing order, across pages."""
    maintenant = timezone.now()
    dossiers = dossiers_cvl(enveloppe_cvl, territoire_fv, montargis, 27)
    for i, dossier in enumerate(dossiers):
        Dossier.objects.filter(pk=dossier.pk).update(depose_le=maintenant - timedelta(days=i))
    suivis = dossiers[-2:]  # the oldest two
    for dossier in suivis:
        SuiviDossier.objects.create(dossier=dossier, utilisateur=instructeur_cvl)
    client.force_login(instructeur_cvl)

    page_1 = [d.reference for d in client.get(FILE).context["page_obj"]]
    page_2 = [d.reference for d in client.get(FILE, {"page": 2}).context["page_obj"]]

    assert page_1 == [d.reference for d in suivis] + [d.reference for d in dossiers[:23]]
    assert page_2 == [d.reference for d in dossiers[23:25]]
    anciens_d_abord = [d.reference for d in client.get(FILE, {"tri": "depose"}).context["page_obj"]]
    assert anciens_d_abord[:2] == [suivis[1].reference, suivis[0].reference]
    assert anciens_d_abord[2] == dossiers[24].reference


# Kept for its reader until the next write (ti.core.cache.pour_le_lecteur).


def test_la_file_est_gardee_pour_son_lecteur_jusqu_a_la_prochaine_ecriture(
    client, instructeur_cvl, dossier_cvl, enveloppe_cvl, territoire_fv, montargis
):
    client.force_login(instructeur_cvl)
    assert references(client.get(FILE)) == [dossier_cvl.reference]
    with CaptureQueriesContext(connection) as lues:
        page = client.get(FILE).content.decode()
    assert dossier_cvl.reference in page and not any("financements_dossier" in q["sql"] for q in lues.captured_queries)

    nouveau = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    assert client.post(reverse("financements:suivre", args=[dossier_cvl.reference]), {"suivre": "1"}).status_code == 302
    page = client.get(FILE).content.decode()

    assert nouveau.reference in page and "Suivi</p>" in page  # the filing and his own follow-up, both at once


def test_la_file_gardee_d_un_instructeur_ne_sert_pas_a_l_autre(client, instructeur_cvl, dossier_cvl, cvl):
    collegue = ClientVerifie()
    collegue.force_login(utilisateur_avec(Role.INSTRUCTEUR, region=cvl))
    client.force_login(instructeur_cvl)
    SuiviDossier.objects.create(dossier=dossier_cvl, utilisateur=instructeur_cvl)
    assert "Suivi</p>" in client.get(FILE).content.decode()

    page = collegue.get(FILE).content.decode()  # no write since: the same generation

    assert dossier_cvl.reference in page and "Suivi</p>" not in page
