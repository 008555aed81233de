"""Awarded grants in SCDL Subventions 2.1.1: the CSV validated by frictionless, the JSON API, the public page."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import frictionless
import pytest
from django.urls import reverse

from tests.factories import DispositifFactory, DossierFactory, EnveloppeFactory, RegionFactory
from ti.financements import scdl
from ti.financements.models import Statut, Versement

pytestmark = pytest.mark.django_db

CSV = reverse("api:subventions_csv")
JSON = reverse("api:subventions")
PREFET = ("Le préfet de la région Centre-Val de Loire, préfet du Loiret", "17450001400017")


@pytest.fixture(autouse=True)
def signataire_cvl(request):
    """The Centre-Val de Loire envelope signed by its préfet, the attribuant of its grants."""
    if "enveloppe_cvl" in request.fixturenames:
        enveloppe = request.getfixturevalue("enveloppe_cvl")
        enveloppe.signataire_qualite, enveloppe.signataire_siret = PREFET
        enveloppe.save(update_fields=["signataire_qualite", "signataire_siret"])


def valider(contenu: bytes) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(json.loads(scdl.SCHEMA.read_text(encoding="utf-8")))
    return frictionless.validate(frictionless.Resource(contenu, format="csv", encoding="utf-8", schema=schema))


def erreurs(rapport: frictionless.Report) -> list[list]:
    return rapport.flatten(["rowNumber", "fieldName", "type"])


def telecharger(client) -> bytes:
    reponse = client.get(CSV)
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(reponse.streaming_content)


def lignes(contenu: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(contenu.decode("utf-8"))))


def engage(enveloppe, territoire, commune, reference, *, statut=Statut.ENGAGE, **champs):
    valeurs = {
        "montant_propose": Decimal("250000.00"),
        "montant_accorde": Decimal("250000.00"),
        "montant_engage": Decimal("250000.00"),
        "convention_numero": f"CONV-{reference}",
        "convention_date": date(2024, 6, 3),
    }
    valeurs.update(champs)
    return DossierFactory(
        enveloppe=enveloppe, territoire=territoire, commune=commune, reference=reference, statut=statut, **valeurs
    )


def verser(dossier, par, montant, jour, type=Versement.Type.ACOMPTE):
    Versement.objects.create(dossier=dossier, type=type, montant=Decimal(montant), date=jour, par=par)
    dossier.montant_verse += Decimal(montant)
    dossier.save()


@pytest.fixture
def attributions(enveloppe_cvl, territoire_fv, montargis, instructeur_cvl):
    """Engaged without payment, engaged with one payment, closed with three; and dossiers that are not awards."""
    sans_versement = engage(enveloppe_cvl, territoire_fv, montargis, "FV-A", convention_date=date(2024, 5, 2))
    un_versement = engage(
        enveloppe_cvl,
        territoire_fv,
        montargis,
        "FV-B",
        intitule='Four électrique, « chaleur fatale », virgules, "guillemets"',
        porteur_nom="Verrerie d’Amilly, SAS",
    )
    verser(un_versement, instructeur_cvl, "75000.00", date(2024, 7, 1), Versement.Type.AVANCE)
    solde = engage(
        enveloppe_cvl,
        territoire_fv,
        montargis,
        "FV-C",
        montant_accorde=Decimal("120000.55"),
        montant_engage=Decimal("120000.55"),
    )
    verser(solde, instructeur_cvl, "36000.00", date(2024, 7, 15), Versement.Type.AVANCE)
    verser(solde, instructeur_cvl, "40000.00", date(2024, 11, 4))
    verser(solde, instructeur_cvl, "44000.55", date(2025, 3, 20), Versement.Type.SOLDE)
    solde.statut = Statut.SOLDE
    solde.save()
    for reference, statut in [("FV-X1", Statut.ACCEPTE), ("FV-X2", Statut.PROPOSE), ("FV-X3", Statut.DEPOSE)]:
        DossierFactory(
            enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, reference=reference, statut=statut
        )
    return sans_versement, un_versement, solde


def test_le_csv_est_valide_au_schema_scdl(client, attributions):
    contenu = telecharger(client)

    rapport = valider(contenu)

    assert rapport.valid, erreurs(rapport)
    assert rapport.tasks[0].stats["rows"] == 3  # engaged or closed only


def test_une_ligne_fausse_est_detectee(client, attributions):
    """The validation is real: one wrong value and frictionless names the field."""
    contenu = telecharger(client).decode("utf-8")
    fausses = {
        "idAttribuant": contenu.replace(PREFET[1], "1745000140001", 1),
        "montant": contenu.replace(",250000.00,", ",250000;00,", 1),
        "datesPeriodeVersement": contenu.replace("2024-07-15/2025-03-20", "15/07/2024", 1),
        "nature": contenu.replace("aide en numéraire", "subvention", 1),
        "dateConvention": contenu.replace("2024-05-02", "02/05/2024", 1),
    }
    for champ, faux in fausses.items():
        assert faux != contenu, champ
        rapport = valider(faux.encode("utf-8"))
        assert not rapport.valid, champ
        assert {erreur[1] for erreur in erreurs(rapport)} == {champ}


def test_les_colonnes_sont_celles_du_schema_dans_son_ordre(client, attributions):
    schema = json.loads(scdl.SCHEMA.read_text(encoding="utf-8"))
    entete = telecharger(client).decode("utf-8").splitlines()[0]
    assert entete.split(",") == [champ["name"] for champ in schema["fields"]] == scdl.COLONNES


def test_la_copie_du_schema_est_celle_du_standard():
    assert json.loads(scdl.SCHEMA.read_text(encoding="utf-8"))["version"] == "2.1.1"


def test_une_ligne_traduit_le_dossier(client, attributions):
    par_reference = {ligne["referenceDecision"]: ligne for ligne in lignes(telecharger(client))}

    a, b, c = par_reference["FV-A"], par_reference["FV-B"], par_reference["FV-C"]
    assert (a["nomAttribuant"], a["idAttribuant"]) == PREFET  # the authority that signs, set on the envelope
    assert a["dateConvention"] == "2024-05-02"
    assert a["datesPeriodeVersement"] == "2024-05-02"  # no payment yet: the convention date
    assert b["datesPeriodeVersement"] == "2024-07-01"  # one payment: its date
    assert c["datesPeriodeVersement"] == "2024-07-15/2025-03-20"  # several: first to last
    assert b["objet"] == 'Four électrique, « chaleur fatale », virgules, "guillemets"'
    assert b["nomBeneficiaire"] == "Verrerie d’Amilly, SAS"
    assert c["montant"] == "120000.55"
    assert a["idBeneficiaire"] == "73282932000074"
    assert a["nature"] == "aide en numéraire"
    assert a["conditionsVersement"] == "Avance, acomptes et solde sur justificatifs"
    assert (a["notificationUE"], a["pourcentageSubvention"]) == ("non", "1")
    assert a["dispositifAide"] == "Fonds vert — Territoires d’industrie en transition écologique 2024"


def test_l_attribuant_ne_vient_pas_du_dispositif(client, attributions, dispositif):
    dispositif.nom_attribuant = "Agence nationale de la cohésion des territoires"
    dispositif.siret_attribuant = "13002603200016"
    dispositif.save()

    assert {(ligne["nomAttribuant"], ligne["idAttribuant"]) for ligne in lignes(telecharger(client))} == {PREFET}


@pytest.mark.parametrize("champ", ["signataire_qualite", "signataire_siret"])
def test_sans_autorite_signataire_la_subvention_est_ecartee_et_comptee(
    client, attributions, enveloppe_cvl, dispositif, champ
):
    bretagne = EnveloppeFactory(dispositif=dispositif, region=RegionFactory(code="53", nom="Bretagne"), annee=2024)
    engage(bretagne, attributions[0].territoire, attributions[0].commune, "FV-BZH")
    engage(bretagne, attributions[0].territoire, attributions[0].commune, "FV-BZH2")
    setattr(enveloppe_cvl, champ, "")
    enveloppe_cvl.save()

    contenu = telecharger(client)
    assert lignes(contenu) == []  # never a row with a guessed attribuant
    assert client.get(JSON).json()["total"] == 0
    assert scdl.sans_attribuant() == [("Bretagne 2024", 2), ("Centre-Val de Loire 2024", 3)]
    page = " ".join(client.get(reverse("financements:subventions")).content.decode().split())
    assert "Subventions non publiées" in page
    assert "<li>Bretagne 2024 : 2 subventions</li>" in page
    assert "<li>Centre-Val de Loire 2024 : 3 subventions</li>" in page


def test_un_objet_trop_long_est_coupe_et_tient_sur_une_ligne(enveloppe_cvl, territoire_fv, montargis):
    engage(enveloppe_cvl, territoire_fv, montargis, "FV-L")
    dossier = scdl.subventions_attribuees().get()
    dossier.intitule = "Projet\n" + "y" * 300  # longer than the schema allows, with a line break

    objet = scdl.ligne(dossier)["objet"]

    assert len(objet) == scdl.OBJET_MAX == 256
    assert objet.startswith("Projet yyy")


def test_sans_subvention_le_csv_n_a_que_son_entete(client, db):
    contenu = telecharger(client)
    assert contenu.decode("utf-8").strip() == ",".join(scdl.COLONNES)


# The JSON API and the public page.


def test_l_api_json_pagine_les_subventions(client, attributions, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        reponse = client.get(JSON, {"limit": 2})

    assert reponse.status_code == 200
    page = reponse.json()
    assert (page["total"], page["limit"], page["offset"], page["precedent"]) == (3, 2, 0, None)
    assert page["suivant"].endswith("limit=2&offset=2")
    premiere = page["resultats"][0]
    assert premiere["referenceDecision"] == "FV-A"
    assert premiere["montant"] == 250000.0
    assert premiere["notificationUE"] is False
    assert premiere["pourcentageSubvention"] == 1.0
    assert premiere["rnaBeneficiaire"] is None
    assert [
        ligne["referenceDecision"] for ligne in client.get(JSON, {"limit": 2, "offset": 2}).json()["resultats"]
    ] == ["FV-C"]


def test_l_api_refuse_une_pagination_invalide(client, db):
    assert client.get(JSON, {"limit": 1000}).status_code == 400


@pytest.mark.parametrize("nombre", [3, 30])
def test_api_csv_et_page_en_requetes_bornees(
    client, enveloppe_cvl, territoire_fv, montargis, instructeur_cvl, nombre, django_assert_max_num_queries
):
    for rang in range(nombre):
        dossier = engage(enveloppe_cvl, territoire_fv, montargis, f"FV-{rang:03d}")
        verser(dossier, instructeur_cvl, "1000.00", date(2024, 8, 1))

    with django_assert_max_num_queries(2):
        assert client.get(JSON, {"limit": 100}).json()["total"] == nombre
    with django_assert_max_num_queries(1):
        assert len(lignes(telecharger(client))) == nombre
    with django_assert_max_num_queries(3):  # + the grants left out, per envelope
        reponse = client.get(reverse("financements:subventions"))
    assert len(reponse.context["lignes"]) == nombre


def test_la_page_publique_liste_les_subventions(client, attributions):
    reponse = client.get(reverse("financements:subventions"))

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "3 subventions attribuées" in page
    assert "FV-C" in page and "du 15/07/2024 au 20/03/2025" in page and "FV-X1" not in page
    assert "2024-" not in page  # dates the French way on the page; the CSV keeps ISO
    assert "Subventions non publiées" not in page
    assert reverse("api:subventions_csv") in page


def test_la_page_publique_sans_subvention(client, db):
    assert "Aucune convention de subvention" in client.get(reverse("financements:subventions")).content.decode()


def test_un_autre_dispositif_donne_son_nom(client, enveloppe_cvl, territoire_fv, montargis):
    autre = DispositifFactory(code="autre", nom="Autre dispositif")
    engage(enveloppe_cvl, territoire_fv, montargis, "FV-Z", dispositif=autre)
    assert lignes(telecharger(client))[0]["dispositifAide"] == "Autre dispositif"


def test_les_formules_sont_neutralisees_et_le_csv_reste_valide(client, enveloppe_cvl, territoire_fv, montargis):
    engage(
        enveloppe_cvl,
        territoire_fv,
        montargis,
        "FV-F",
        intitule='=HYPERLINK("http://exemple.invalid";"clic")',
        porteur_nom="@SUM(A1:A9)",
    )
    engage(enveloppe_cvl, territoire_fv, montargis, "FV-G", intitule="+cmd|' /C calc'!A0", porteur_nom=" -2+3")

    contenu = telecharger(client)

    assert valider(contenu).valid
    par_reference = {ligne["referenceDecision"]: ligne for ligne in lignes(contenu)}
    assert par_reference["FV-F"]["objet"] == '\'=HYPERLINK("http://exemple.invalid";"clic")'
    assert par_reference["FV-F"]["nomBeneficiaire"] == "'@SUM(A1:A9)"
    assert par_reference["FV-G"]["objet"] == "'+cmd|' /C calc'!A0"
    assert par_reference["FV-G"]["nomBeneficiaire"] == "' -2+3"
    assert par_reference["FV-G"]["montant"] == "250000.00"
