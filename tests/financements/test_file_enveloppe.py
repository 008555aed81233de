"""The envelope page (gauge, dossiers by state) and the programme exports (CSV for French Excel, XLSX, ODS)."""

import io
from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from tests.factories import DossierFactory, EnveloppeFactory, utilisateur_avec
from tests.html import lire
from ti.comptes.models import Role
from ti.financements.models import Statut

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_cvl(enveloppe_cvl, territoire_fv, montargis):
    """One dossier per stage, with the amounts the gauge reads; and a draft, which the gauge ignores."""

    def dossier(reference, statut, **montants):
        return DossierFactory(
            enveloppe=enveloppe_cvl,
            territoire=territoire_fv,
            commune=montargis,
            reference=reference,
            statut=statut,
            aide_demandee=Decimal("300000.00"),
            **montants,
        )

    dossier("FV-01", Statut.DEPOSE)
    dossier("FV-02", Statut.PROPOSE, montant_propose=Decimal("250000.00"))
    dossier("FV-03", Statut.ACCEPTE, montant_propose=Decimal("200000.00"), montant_accorde=Decimal("200000.00"))
    dossier(
        "FV-04",
        Statut.ENGAGE,
        montant_accorde=Decimal("150000.50"),
        montant_engage=Decimal("150000.50"),
        montant_verse=Decimal("45000.00"),
        convention_numero="CONV-2024-04",
        convention_date=date(2024, 6, 3),
    )
    dossier("FV-05", Statut.REFUSE)
    dossier("FV-00", Statut.BROUILLON)
    enveloppe_cvl.montant_accorde = Decimal("350000.50")
    enveloppe_cvl.save()
    return enveloppe_cvl


def test_la_jauge_en_chiffres(client, instructeur_cvl, programme_cvl, django_assert_max_num_queries):
    client.force_login(instructeur_cvl)

    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("financements:enveloppe", args=[programme_cvl.pk]))

    jauge = reponse.context["jauge"]
    assert jauge.montant == Decimal("5600000.00")
    assert jauge.demande == Decimal("1200000.00")  # filed and still running or granted: not refused, not the draft
    assert jauge.propose == Decimal("250000.00")
    assert jauge.accorde == Decimal("350000.50")
    assert jauge.engage == Decimal("150000.50")
    assert jauge.verse == Decimal("45000.00")
    assert jauge.reste == Decimal("5249999.50")
    page = reponse.content.decode()
    assert "5\xa0249\xa0999,50&nbsp;€" in page
    assert reponse.context["parts"] == {"accorde": 6, "engage": 2, "verse": 0}
    nombres = {ligne["code"]: ligne["nombre"] for ligne in reponse.context["par_statut"]}
    assert nombres[Statut.DEPOSE] == nombres[Statut.ENGAGE] == nombres[Statut.REFUSE] == 1
    assert Statut.BROUILLON not in nombres and reponse.context["total_dossiers"] == 5


@pytest.mark.parametrize("persona", ["referent_region_cvl", "expert_ademe_cvl", "equipe_nationale"])
def test_les_roles_de_la_region_et_le_national_suivent_l_enveloppe(client, request, persona, programme_cvl):
    client.force_login(request.getfixturevalue(persona))
    reponse = client.get(reverse("financements:enveloppe", args=[programme_cvl.pk]))
    assert reponse.status_code == 200
    assert lire(reponse).h1() == f"Enveloppe {programme_cvl.region.nom} {programme_cvl.annee}"
    assert reponse.context["total_dossiers"] == 5


def test_hors_perimetre_l_enveloppe_est_introuvable(client, instructeur_bretagne, territoire_fv, programme_cvl):
    for user in (instructeur_bretagne, utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_fv)):
        client.force_login(user)
        assert client.get(reverse("financements:enveloppe", args=[programme_cvl.pk])).status_code == 404
        assert client.get(reverse("financements:programme", args=[programme_cvl.pk, "csv"])).status_code == 404


def test_enveloppe_inconnue(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert client.get(reverse("financements:enveloppe", args=[99999])).status_code == 404


def test_format_inconnu(client, instructeur_cvl, programme_cvl):
    client.force_login(instructeur_cvl)
    assert client.get(reverse("financements:programme", args=[programme_cvl.pk, "pdf"])).status_code == 404


def test_le_programme_en_csv_pour_excel_se_relit(client, instructeur_cvl, programme_cvl, django_assert_max_num_queries):
    client.force_login(instructeur_cvl)

    with django_assert_max_num_queries(6):
        reponse = client.get(reverse("financements:programme", args=[programme_cvl.pk, "csv"]))

    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="programme-fonds-vert-24-2024.csv"' in reponse["Content-Disposition"]
    assert reponse.content.startswith(b"\xef\xbb\xbf")
    donnees = tablib.Dataset().load(reponse.content.decode("utf-8-sig"), format="csv", delimiter=";")
    assert [ligne[0] for ligne in donnees] == ["FV-01", "FV-02", "FV-03", "FV-04", "FV-05"]  # not the draft
    fv04 = donnees.dict[3]
    assert fv04["État"] == "Engagé (convention signée)"
    assert fv04["Montant engagé (€)"] == "150000,50"
    assert fv04["Montant versé (€)"] == "45000,00"
    assert fv04["Date de la convention"] == "2024-06-03"
    assert fv04["Numéro de convention"] == "CONV-2024-04"
    assert donnees.dict[0]["Montant engagé (€)"] == ""


@pytest.mark.parametrize("format", ["xlsx", "ods"])
def test_le_programme_en_tableur_se_relit(client, instructeur_cvl, programme_cvl, format):
    client.force_login(instructeur_cvl)

    reponse = client.get(reverse("financements:programme", args=[programme_cvl.pk, format]))

    assert reponse.status_code == 200
    donnees = tablib.Dataset().load(io.BytesIO(reponse.content), format=format)
    assert len(donnees) == 5
    fv04 = donnees.dict[3]
    assert fv04["Référence"] == "FV-04"
    assert Decimal(str(fv04["Montant engagé (€)"])) == Decimal("150000.5")
    assert Decimal(str(fv04["Aide demandée (€)"])) == Decimal("300000")


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_page_de_l_enveloppe_en_requetes_bornees(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, nombre, django_assert_max_num_queries
):
    for _ in range(nombre):
        DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    EnveloppeFactory(dispositif=enveloppe_cvl.dispositif, region=enveloppe_cvl.region, annee=2025)
    client.force_login(instructeur_cvl)

    with django_assert_max_num_queries(8):
        assert client.get(reverse("financements:enveloppe", args=[enveloppe_cvl.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("financements:programme", args=[enveloppe_cvl.pk, "xlsx"])).status_code == 200


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_le_programme_neutralise_les_formules(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, format_
):
    DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        porteur_nom='=HYPERLINK("http://x")',
        intitule="  +cmd|' /C calc'!A0",
        convention_numero="@SUM(A1:A9)",
        cout_total=Decimal("-1500.00"),
    )
    client.force_login(instructeur_cvl)

    reponse = client.get(reverse("financements:programme", args=[enveloppe_cvl.pk, format_]))

    if format_ == "csv":
        donnees = tablib.Dataset().load(reponse.content.decode("utf-8-sig"), format="csv", delimiter=";")
    else:
        donnees = tablib.Dataset().load(io.BytesIO(reponse.content), format=format_)
    ligne = donnees.dict[0]
    assert ligne["Porteur"] == '\'=HYPERLINK("http://x")'
    assert ligne["Intitulé"] == "'  +cmd|' /C calc'!A0"
    assert ligne["Numéro de convention"] == "'@SUM(A1:A9)"
    assert str(ligne["Coût total (€)"]).replace(",", ".") in ("-1500.00", "-1500", "-1500.0")
