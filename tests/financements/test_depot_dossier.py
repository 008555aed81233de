"""The dossier as the porteur writes it: drafts, optimistic lock, documents, filing, frozen once filed, mes dossiers."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.comptes.models import Role
from ti.core.models import Journal
from ti.financements.models import LigneFinancementDossier, PieceJointe, Statut, Transition, Versement, Volet

from ..factories import DossierFactory, HabilitationFactory, ProjetFactory
from .conftest import SIRET_AUTRE_PORTEUR, SIRET_PORTEUR

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _stockage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def brouillon(porteur, enveloppe_cvl, territoire_fv, montargis):
    return DossierFactory(
        reference="FV2024-24-00001",
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        deposant=porteur,
        porteur_siret=SIRET_PORTEUR,
        statut=Statut.BROUILLON,
        depose_le=None,
        description="",
        cout_total=None,
        cout_eligible=None,
        aide_demandee=None,
    )


def saisie(dossier, lignes=(), **autres):
    """The POST of the dossier form: its fields, then the plan's lines (existing ones first, as the page lists them)."""
    existantes = list(dossier.financements.order_by("pk"))
    donnees = {
        "version": dossier.version,
        "intitule": dossier.intitule,
        "porteur_adresse": "12 rue des Forges\n45200 Montargis",
        "description": "Récupérer la chaleur du four pour chauffer l’atelier voisin.",
        "projet": "",
        "cout_total": "1 000 000",
        "cout_eligible": "800 000",
        "aide_demandee": "300 000",
        "tco2e_evitees": "420,5",
        "energie_economisee": "1 800",
        "hectares": "",
        "emplois_crees": "4",
        "emplois_maintenus": "60",
        "lignes-TOTAL_FORMS": str(len(lignes)),
        "lignes-INITIAL_FORMS": str(len(existantes)),
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "1000",
        **autres,
    }
    for i, (financeur, montant, acquis) in enumerate(lignes):
        donnees[f"lignes-{i}-id"] = str(existantes[i].pk) if i < len(existantes) else ""
        donnees[f"lignes-{i}-financeur"] = financeur
        donnees[f"lignes-{i}-montant"] = montant
        if acquis:
            donnees[f"lignes-{i}-acquis"] = "on"
    return donnees


PLAN_EQUILIBRE = [("Fonds propres", "500 000", True), ("Fonds vert", "300 000", False), ("Région", "200 000", True)]


def joindre(client, dossier, type_piece, nom="piece.pdf", contenu=PDF):
    return client.post(
        reverse("financements:deposer_piece", args=[dossier.reference]),
        {"type": type_piece, "fichier": SimpleUploadedFile(nom, contenu, content_type="application/pdf")},
    )


@pytest.fixture
def complet(client, porteur, brouillon):
    client.force_login(porteur)
    client.post(reverse("financements:modifier", args=[brouillon.reference]), saisie(brouillon, PLAN_EQUILIBRE))
    joindre(client, brouillon, PieceJointe.Type.ETUDE_FAISABILITE, "etude.pdf")
    joindre(client, brouillon, PieceJointe.Type.KBIS, "kbis.pdf")
    brouillon.refresh_from_db()
    return brouillon


def test_la_page_du_brouillon(client, porteur, brouillon, django_assert_max_num_queries):
    client.force_login(porteur)
    with django_assert_max_num_queries(14):
        reponse = client.get(reverse("financements:modifier", args=[brouillon.reference]))
    assert reponse.status_code == 200
    assert "Enregistrer le brouillon" in reponse.content.decode()


@pytest.mark.parametrize("nombre", [3, 30])
def test_requetes_bornees_quel_que_soit_le_nombre_de_lignes(
    client, porteur, brouillon, nombre, django_assert_max_num_queries
):
    LigneFinancementDossier.objects.bulk_create(
        LigneFinancementDossier(dossier=brouillon, financeur=f"Financeur {i}", montant=Decimal(1000))
        for i in range(nombre)
    )
    client.force_login(porteur)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("financements:modifier", args=[brouillon.reference])).status_code == 200


def test_brouillon_enregistre_deux_fois(client, porteur, brouillon, django_assert_max_num_queries):
    client.force_login(porteur)
    url = reverse("financements:modifier", args=[brouillon.reference])
    with django_assert_max_num_queries(25):
        reponse = client.post(url, saisie(brouillon, [("Fonds propres", "700 000", True)]))
    assert reponse.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.version == 2 and brouillon.cout_total == Decimal("1000000")
    reponse = client.post(
        url, saisie(brouillon, [("Fonds propres", "700 000", True), ("Fonds vert", "300 000", False)])
    )
    assert reponse.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.version == 3 and brouillon.statut == Statut.BROUILLON
    assert list(brouillon.financements.values_list("financeur", "montant")) == [
        ("Fonds propres", Decimal("700000.00")),
        ("Fonds vert", Decimal("300000.00")),
    ]
    journal = Journal.objects.filter(action="dossier_modifie", objet_id=str(brouillon.pk)).order_by("pk")
    assert journal.count() == 2
    assert journal[0].details["cout_total"] == [None, "1000000"]


def test_version_perimee_refusee_et_saisie_gardee(client, porteur, brouillon):
    client.force_login(porteur)
    url = reverse("financements:modifier", args=[brouillon.reference])
    perimee = saisie(brouillon, description="Ma saisie à ne pas perdre")
    client.post(url, saisie(brouillon))
    reponse = client.post(url, perimee)
    assert reponse.status_code == 400
    assert "Le dossier a été enregistré entre-temps" in reponse.content.decode()
    assert "Ma saisie à ne pas perdre" in reponse.content.decode()
    brouillon.refresh_from_db()
    assert brouillon.version == 2 and brouillon.description != "Ma saisie à ne pas perdre"


def test_aide_au_dela_du_cout_eligible(client, porteur, brouillon):
    client.force_login(porteur)
    reponse = client.post(
        reverse("financements:modifier", args=[brouillon.reference]), saisie(brouillon, aide_demandee="900 000")
    )
    assert reponse.status_code == 400
    assert "L’aide demandée ne peut pas dépasser le coût éligible." in reponse.content.decode()


def test_lien_vers_une_fiche_action_du_territoire(client, porteur, brouillon, territoire_fv, territoire_bretagne):
    fiche = ProjetFactory(territoire=territoire_fv, public=True)
    ailleurs = ProjetFactory(territoire=territoire_bretagne, public=True)
    client.force_login(porteur)
    url = reverse("financements:modifier", args=[brouillon.reference])
    reponse = client.post(url, saisie(brouillon, projet=str(ailleurs.pk)))
    assert reponse.status_code == 400 and "projet" in reponse.context["form"].errors
    assert client.post(url, saisie(brouillon, projet=str(fiche.pk))).status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.projet == fiche


def test_plan_desequilibre_refuse_avec_l_ecart(client, porteur, complet):
    client.post(
        reverse("financements:modifier", args=[complet.reference]),
        saisie(
            complet, [("Fonds propres", "450 000", True), ("Fonds vert", "300 000", False), ("Région", "200 000", True)]
        ),
    )
    reponse = client.post(reverse("financements:deposer", args=[complet.reference]))
    assert reponse.status_code == 400
    texte = reponse.content.decode()
    assert "Le plan de financement ne s’équilibre pas" in texte
    assert "950\u00a0000,00\u00a0€" in texte and "il manque 50\u00a0000,00\u00a0€" in texte
    complet.refresh_from_db()
    assert complet.statut == Statut.BROUILLON


def test_ligne_fonds_vert_differente_de_l_aide(client, porteur, complet):
    client.post(
        reverse("financements:modifier", args=[complet.reference]),
        saisie(
            complet, [("Fonds propres", "600 000", True), ("Fonds vert", "200 000", False), ("Région", "200 000", True)]
        ),
    )
    reponse = client.post(reverse("financements:deposer", args=[complet.reference]))
    assert "doit être égale à l’aide demandée" in reponse.content.decode()
    assert "écart de 100\u00a0000,00\u00a0€" in reponse.content.decode()


def test_piece_obligatoire_manquante(client, porteur, brouillon):
    client.force_login(porteur)
    client.post(reverse("financements:modifier", args=[brouillon.reference]), saisie(brouillon, PLAN_EQUILIBRE))
    joindre(client, brouillon, PieceJointe.Type.KBIS)
    reponse = client.post(reverse("financements:deposer", args=[brouillon.reference]))
    assert reponse.status_code == 400
    assert "Joignez la pièce obligatoire : étude de faisabilité." in reponse.content.decode()


def test_etude_non_requise_hors_volet_1(client, porteur, brouillon):
    brouillon.volet = Volet.COMPETENCES
    brouillon.save()
    client.force_login(porteur)
    client.post(reverse("financements:modifier", args=[brouillon.reference]), saisie(brouillon, PLAN_EQUILIBRE))
    joindre(client, brouillon, PieceJointe.Type.KBIS)
    assert client.post(reverse("financements:deposer", args=[brouillon.reference])).status_code == 302


def test_champs_obligatoires_au_depot(client, porteur, brouillon):
    client.force_login(porteur)
    reponse = client.post(reverse("financements:deposer", args=[brouillon.reference]))
    assert "Renseignez la description du projet, le coût total, le coût éligible, l’aide demandée." in (
        reponse.content.decode()
    )


def test_piece_deguisee_refusee(client, porteur, brouillon):
    client.force_login(porteur)
    reponse = joindre(client, brouillon, PieceJointe.Type.KBIS, "kbis.pdf", b"MZ\x90\x00 pas un PDF")
    assert reponse.status_code == 400
    assert "n’est pas celui d’un fichier PDF" in reponse.content.decode()
    assert not PieceJointe.objects.exists()


def test_depot_accuse_et_fige(
    client,
    porteur,
    complet,
    instructeur_cvl,
    django_capture_on_commit_callbacks,
    executer_travaux,
    django_assert_max_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(20):
        reponse = client.post(reverse("financements:deposer", args=[complet.reference]))
    executer_travaux()
    assert reponse.status_code == 302
    complet.refresh_from_db()
    assert complet.statut == Statut.DEPOSE and complet.depose_le is not None
    assert Transition.objects.filter(dossier=complet, de=Statut.BROUILLON, vers=Statut.DEPOSE, par=porteur).exists()
    assert Journal.objects.filter(action="dossier_depose", objet_id=str(complet.pk)).exists()
    accuse = next(m for m in mail.outbox if m.to == [porteur.email])
    assert accuse.subject == f"Accusé de dépôt de votre dossier {complet.reference}"
    assert "300\u00a0000,00\u00a0€" in accuse.body
    assert any(m.to == [instructeur_cvl.email] for m in mail.outbox)

    modifier = reverse("financements:modifier", args=[complet.reference])
    reponse = client.get(modifier)
    assert reponse.status_code == 403
    assert "Ce dossier est déposé : il n’est plus modifiable" in reponse.content.decode()
    assert client.post(modifier, saisie(complet)).status_code == 403
    assert joindre(client, complet, PieceJointe.Type.AUTRE).status_code == 403
    assert client.post(reverse("financements:deposer", args=[complet.reference])).status_code == 403


def test_dossier_incomplet_redepose(
    client, porteur, complet, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    client.post(reverse("financements:deposer", args=[complet.reference]))
    complet.refresh_from_db()
    complet.passer(Statut.INCOMPLET, par=instructeur_cvl, motif="Kbis de plus de trois mois")
    assert client.get(reverse("financements:modifier", args=[complet.reference])).status_code == 200
    joindre(client, complet, PieceJointe.Type.KBIS, "kbis-recent.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("financements:deposer", args=[complet.reference])).status_code == 302
    executer_travaux()
    complet.refresh_from_db()
    assert complet.statut == Statut.DEPOSE
    assert Journal.objects.filter(action="dossier_redepose", objet_id=str(complet.pk)).exists()


def test_piece_telechargee_par_le_porteur_et_l_instructeur(client, porteur, complet, instructeur_bretagne):
    piece = complet.pieces.get(type=PieceJointe.Type.KBIS)
    url = reverse("financements:piece", args=[complet.reference, piece.pk])
    reponse = client.get(url)
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content) == PDF
    client.force_login(instructeur_bretagne)
    assert client.get(url).status_code == 404


def test_dossier_d_un_autre_porteur_introuvable(client, autre_porteur, brouillon, complet):
    client.force_login(autre_porteur)
    assert client.get(reverse("financements:modifier", args=[brouillon.reference])).status_code == 404
    assert client.post(reverse("financements:deposer", args=[brouillon.reference])).status_code == 404
    assert joindre(client, brouillon, PieceJointe.Type.KBIS).status_code == 404
    piece = complet.pieces.first()
    assert client.get(reverse("financements:piece", args=[complet.reference, piece.pk])).status_code == 404


def test_collegue_du_meme_siret_voit_le_dossier(client, brouillon):
    collegue = HabilitationFactory(role=Role.PORTEUR, siret=SIRET_PORTEUR).utilisateur
    client.force_login(collegue)
    assert client.get(reverse("financements:modifier", args=[brouillon.reference])).status_code == 200


@pytest.mark.parametrize("nombre", [3, 30])
def test_mes_dossiers(
    client, porteur, enveloppe_cvl, territoire_fv, montargis, instructeur_cvl, nombre, django_assert_max_num_queries
):
    communs = {"enveloppe": enveloppe_cvl, "territoire": territoire_fv, "commune": montargis, "deposant": porteur}
    for i in range(nombre - 1):
        DossierFactory(statut=Statut.BROUILLON if i % 2 else Statut.DEPOSE, **communs)
    engage = DossierFactory(
        statut=Statut.ENGAGE,
        montant_accorde=Decimal("250000"),
        montant_engage=Decimal("250000"),
        convention_numero="CVL-2024-017",
        convention_date=date(2024, 9, 12),
        **communs,
    )
    for montant in ("50000", "25000"):
        Versement.objects.create(
            dossier=engage,
            type=Versement.Type.ACOMPTE,
            montant=Decimal(montant),
            date=date(2024, 10, 1),
            par=instructeur_cvl,
        )
    DossierFactory(
        porteur_siret=SIRET_AUTRE_PORTEUR, intitule="Dossier d’un autre", **{**communs, "deposant": instructeur_cvl}
    )
    client.force_login(porteur)
    with django_assert_max_num_queries(6):
        reponse = client.get(reverse("financements:mes_dossiers"))
    texte = reponse.content.decode()
    assert reponse.status_code == 200
    assert len(reponse.context["dossiers"]) == nombre
    assert "Dossier d’un autre" not in texte
    assert "CVL-2024-017" in texte and "250\u00a0000,00" in texte and "75\u00a0000,00" in texte
    assert "Vérifier l’éligibilité d’un projet" in texte


def test_mes_dossiers_refuse_hors_porteur(client, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert client.get(reverse("financements:mes_dossiers")).status_code == 403


def test_fiche_action_creee_au_depot_par_la_plateforme(client, porteur, complet, territoire_fv):
    reponse = client.post(reverse("financements:deposer", args=[complet.reference]), {"creer_fiche": "on"})
    assert reponse.status_code == 302
    complet.refresh_from_db()
    fiche = complet.projet
    assert fiche is not None and fiche.territoire == territoire_fv and fiche.cree_par is None
    assert (fiche.titre, fiche.porteur_siret, fiche.budget) == (complet.intitule, SIRET_PORTEUR, complet.cout_total)
    assert sorted(fiche.financements.values_list("financeur", "montant")) == [
        ("Fonds propres", Decimal("500000.00")),
        ("Fonds vert", Decimal("300000.00")),
        ("Région", Decimal("200000.00")),
    ]
    entree = Journal.objects.get(action="projet_cree", objet_id=str(fiche.pk))
    assert entree.acteur is None and complet.reference in entree.motif and porteur.email in entree.motif
    assert fiche.plans.exists()


def test_sans_case_cochee_pas_de_fiche(client, porteur, complet):
    client.post(reverse("financements:deposer", args=[complet.reference]))
    complet.refresh_from_db()
    assert complet.projet is None and not ProjetFactory._meta.model.objects.exists()


def test_la_page_dit_ce_qui_manque_avant_le_depot(client, porteur, brouillon, complet):
    texte = client.get(reverse("financements:modifier", args=[complet.reference])).content.decode()
    assert "Le dossier enregistré est complet : vous pouvez le déposer." in texte
    complet.pieces.filter(type=PieceJointe.Type.KBIS).delete()
    texte = client.get(reverse("financements:modifier", args=[complet.reference])).content.decode()
    assert "Avant de déposer" in texte and "Joignez la pièce obligatoire : extrait kbis ou équivalent." in texte
