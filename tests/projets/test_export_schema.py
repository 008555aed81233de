"""The export of fiches-action in the national « projets de collectivités » schema, validated with frictionless."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import frictionless
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import ProjetFactory
from ti.comptes import jetons
from ti.projets import export_schema
from ti.projets.models import Competence, Levier, PhaseProjet, StatutPhase
from ti.projets.referentiels import lire_competences, lire_leviers

pytestmark = pytest.mark.django_db

EXPORT = reverse("api:export_projets_collectivites")


def valider(contenu: bytes) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(json.loads(export_schema.SCHEMA.read_text(encoding="utf-8")))
    return frictionless.validate(frictionless.Resource(contenu, format="csv", encoding="utf-8", schema=schema))


def erreurs(rapport: frictionless.Report) -> list[list]:
    return rapport.flatten(["rowNumber", "fieldName", "type"])


def telecharger(client, **entetes) -> bytes:
    reponse = client.get(EXPORT, **entetes)
    assert reponse.status_code == 200
    return b"".join(reponse.streaming_content)


def lignes(contenu: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(contenu.decode("utf-8"))))


@pytest.fixture
def fiches(projet_public, projet_prive, territoire_projets, autre_territoire_projets):
    """The public fiche completed with every field of the schema, a public one without commune, another territory's."""
    projet_public.date_debut = date(2026, 3, 1)
    projet_public.referent_prenom = "Marie"
    projet_public.referent_nom = "Dupont"
    projet_public.referent_fonction = "Directrice industrielle"
    projet_public.referent_email = "marie.dupont@forges-drouais.example"
    projet_public.referent_telephone = "0237000000"
    projet_public.budget = Decimal("250000.50")
    projet_public.save()
    projet_public.competences.set(Competence.objects.filter(code__in=["90-632", "90-68"]))
    projet_public.leviers.set(Levier.objects.filter(libelle__in=["Electricité renouvelable", "Vélo"]))
    ProjetFactory(
        territoire=territoire_projets,
        titre="Étude « Territoire zéro friche », phase 2",
        description='Une description avec des "guillemets", des virgules,\net un retour à la ligne.',
        porteur_siret="",
        budget=None,
        phase=PhaseProjet.OPERATION,
        phase_statut=StatutPhase.TERMINE,
        public=True,
    )
    ProjetFactory(
        territoire=autre_territoire_projets,
        titre="Vierzon : atelier partagé",
        referent_email="referent@vierzon.example",
        public=True,
    )
    return projet_public


def test_l_export_public_est_valide_au_schema_national(client, fiches):
    contenu = telecharger(client)

    rapport = valider(contenu)

    assert rapport.valid, erreurs(rapport)
    assert rapport.tasks[0].stats["rows"] == 3  # the three published fiches, not the private one


def test_une_ligne_fausse_est_detectee(client, fiches):
    """The validation is real: one wrong value in one row and frictionless says which."""
    contenu = telecharger(client).decode("utf-8")
    fausses = {
        "phase": contenu.replace(",Étude,", ",Etude,", 1),
        "budgetPrevisionnel": contenu.replace(",250001,", ",250000.50,", 1),
        "createdAt": contenu.replace("Z,", ",", 1),
        "id": contenu.replace(str(fiches.uuid), "fiche-1", 1),
        "porteurCodeSiret": contenu.replace(",73282932000074,", ",7328293200007,", 1),
    }
    for champ, faux in fausses.items():
        assert faux != contenu, champ
        rapport = valider(faux.encode("utf-8"))
        assert not rapport.valid, champ
        assert {erreur[1] for erreur in erreurs(rapport)} - {None} == {champ}  # None: a row-level error (the key)


def test_les_colonnes_sont_celles_du_schema_dans_son_ordre(client, fiches):
    schema = json.loads(export_schema.SCHEMA.read_text(encoding="utf-8"))
    entete = telecharger(client).decode("utf-8").splitlines()[0]

    assert entete.split(",") == [champ["name"] for champ in schema["fields"]] == export_schema.COLONNES


def test_une_ligne_traduit_la_fiche(client, fiches):
    ligne = next(ligne for ligne in lignes(telecharger(client)) if ligne["id"] == str(fiches.uuid))

    assert ligne["nom"] == "Plateforme mutualisée de fabrication additive"
    assert ligne["createdAt"].endswith("Z") and len(ligne["createdAt"]) == len("2026-11-25T13:46:00.000Z")
    assert ligne["budgetPrevisionnel"] == "250001"  # whole euros, half up
    assert ligne["dateDebutPrevisionnelle"] == "2026-03-01"
    assert (ligne["phase"], ligne["phaseStatut"]) == ("Étude", "En cours")
    assert ligne["programme"] == "Territoires d'industrie"
    assert ligne["porteurCodeSiret"] == "73282932000074"
    assert json.loads(ligne["competences"]) == ["90-632", "90-68"]
    assert json.loads(ligne["leviers"]) == ["Electricité renouvelable", "Vélo"]
    assert json.loads(ligne["collectiviteIds"]) == ["28134", "200040277"]  # Dreux, then its agglomeration
    assert ligne["mecId"] == ligne["tetId"] == ligne["recocoId"] == ""


def test_une_fiche_sans_commune_est_rattachee_aux_epci_du_territoire(client, fiches):
    ligne = next(ligne for ligne in lignes(telecharger(client)) if ligne["nom"].startswith("Étude « Territoire"))

    assert json.loads(ligne["collectiviteIds"]) == ["200040277"]
    assert ligne["budgetPrevisionnel"] == "" and ligne["porteurCodeSiret"] == ""
    assert ligne["description"] == 'Une description avec des "guillemets", des virgules,\net un retour à la ligne.'
    assert (ligne["phase"], ligne["phaseStatut"]) == ("Opération", "Terminé")


def test_les_competences_et_les_leviers_viennent_des_referentiels(client, fiches):
    competences = {code for code, _ in lire_competences()}
    leviers = {libelle for libelle, _ in lire_leviers()}

    for ligne in lignes(telecharger(client)):
        assert set(json.loads(ligne["competences"])) <= competences
        assert set(json.loads(ligne["leviers"])) <= leviers


def test_l_export_public_ne_donne_aucune_coordonnee_de_referent(client, fiches):
    contenu = telecharger(client)

    for ligne in lignes(contenu):
        assert ligne["porteurReferentEmail"] == ligne["porteurReferentTelephone"] == ""
        assert ligne["porteurReferentPrenom"] == ligne["porteurReferentNom"] == ligne["porteurReferentFonction"] == ""
    assert b"marie.dupont" not in contenu


def test_avec_un_jeton_tout_le_perimetre_et_les_referents_de_ses_territoires(client, fiches, chef_projet):
    _, cle = jetons.creer_jeton(par=chef_projet, nom="Export")

    contenu = telecharger(client, HTTP_AUTHORIZATION=f"Bearer {cle}")

    rapport = valider(contenu)
    assert rapport.valid, erreurs(rapport)
    par_nom = {ligne["nom"]: ligne for ligne in lignes(contenu)}
    assert set(par_nom) == {
        "Plateforme mutualisée de fabrication additive",
        "Reconversion de la friche Philips",  # private, of the token holder's territory
        "Étude « Territoire zéro friche », phase 2",
        "Vierzon : atelier partagé",  # public, of another territory
    }
    assert par_nom["Plateforme mutualisée de fabrication additive"]["porteurReferentEmail"] == (
        "marie.dupont@forges-drouais.example"
    )
    assert par_nom["Plateforme mutualisée de fabrication additive"]["porteurReferentFonction"] == (
        "Directrice industrielle"
    )
    assert par_nom["Vierzon : atelier partagé"]["porteurReferentEmail"] == ""  # not their territory


def test_l_export_suit_les_criteres_de_la_recherche(client, fiches):
    reponse = client.get(EXPORT, {"q": "dreux", "phase": ["etude", "idee"]})

    noms = [ligne["nom"] for ligne in lignes(b"".join(reponse.streaming_content))]
    assert noms == ["Plateforme mutualisée de fabrication additive"]


def test_l_export_est_un_fichier_diffuse_au_fil_de_l_eau(client, fiches):
    reponse = client.get(EXPORT)

    assert isinstance(reponse, StreamingHttpResponse)
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="projets-collectivites-')
    assert "public" in reponse["Cache-Control"]


def test_un_critere_inconnu_de_l_export_est_une_erreur_400(client, fiches):
    reponse = client.get(EXPORT, {"region": "99"})

    assert reponse.status_code == 400
    assert reponse.json()["detail"] == "Région inconnue : 99"


def test_l_export_lit_les_fiches_par_lots(territoire_projets, monkeypatch, django_assert_max_num_queries):
    """Lots of 2: each lot is one read of its competences and one of its leviers, and one piece of the file; the
    EPCI of a territory are read once for the whole export."""
    monkeypatch.setattr(export_schema, "TAILLE_DES_LOTS", 2)
    ProjetFactory.create_batch(5, territoire=territoire_projets, public=True)  # without commune

    from ti.projets.selectors import PUBLIC, projets_filtres

    with django_assert_max_num_queries(1 + 3 * 2 + 1):
        sortie = list(export_schema.lignes_csv(projets_filtres(PUBLIC)))
    assert len(sortie) == 1 + 3  # the header, then one piece per lot
    assert len(lignes(b"".join(sortie))) == 5


def test_le_fichier_ne_depend_pas_de_la_taille_des_lots(client, fiches, chef_projet, monkeypatch):
    _, cle = jetons.creer_jeton(par=chef_projet, nom="Export")
    fichiers = []
    for taille in (1, 2, 500):
        monkeypatch.setattr(export_schema, "TAILLE_DES_LOTS", taille)
        fichiers.append(telecharger(client, HTTP_AUTHORIZATION=f"Bearer {cle}"))

    assert fichiers[0] == fichiers[1] == fichiers[2]
    assert len(lignes(fichiers[0])) == 4


@pytest.mark.parametrize("nombre", [3, 30])
def test_l_export_en_requetes_bornees(client, territoire_projets, nombre, django_assert_max_num_queries):
    for projet in ProjetFactory.create_batch(nombre, territoire=territoire_projets, public=True):
        projet.competences.set(Competence.objects.filter(code="90-632"))

    with django_assert_max_num_queries(4):  # the fiches, their competences, leviers and EPCI of their territory
        contenu = telecharger(client)
    assert len(lignes(contenu)) == nombre


def test_les_formules_sont_neutralisees_et_l_export_reste_valide(client, fiches, territoire_projets):
    ProjetFactory(territoire=territoire_projets, titre='=HYPERLINK("http://exemple.invalid")', public=True)
    ProjetFactory(territoire=territoire_projets, titre="@SUM(A1)", description="\t+cmd", public=True)

    contenu = telecharger(client)

    assert valider(contenu).valid
    titres = {ligne["nom"]: ligne for ligne in lignes(contenu)}
    assert '\'=HYPERLINK("http://exemple.invalid")' in titres
    assert titres["'@SUM(A1)"]["description"] == "'\t+cmd"
