"""The tamper-evident chain of the journal and transition logs: every row sealed, any edit in SQL found."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ti.core import chaine
from ti.core.models import Journal, journaliser
from ti.financements.models import Statut, Transition

from ..factories import DossierFactory, TerritoireFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trois_entrees():
    auteur = UtilisateurFactory()
    territoire = TerritoireFactory()
    return [
        journaliser(acteur=auteur, action=f"essai_{i}", objet=territoire, details={"n": i, "texte": "é & <b>"})
        for i in range(3)
    ]


def _sql(requete: str, *parametres) -> None:
    with connection.cursor() as curseur:
        curseur.execute(requete, parametres)


def test_chaque_entree_est_scellee_a_la_suite_de_la_precedente(trois_entrees):
    premiere, deuxieme, troisieme = trois_entrees
    assert [e.rang for e in trois_entrees] == [1, 2, 3]
    assert premiere.precedent == chaine.GENESE
    assert deuxieme.precedent == premiere.empreinte
    assert troisieme.precedent == deuxieme.empreinte
    assert chaine.verifier(Journal) == 3


def test_l_empreinte_ecrite_est_celle_que_l_on_relit(trois_entrees):
    relue = Journal.objects.get(pk=trois_entrees[1].pk)
    assert chaine.empreinte(relue.precedent, relue) == trois_entrees[1].empreinte


def test_une_ligne_modifiee_en_sql_est_nommee(trois_entrees):
    cible = trois_entrees[1]
    _sql("UPDATE core_journal SET motif = %s WHERE id = %s", "réécrit", cible.pk)
    with pytest.raises(CommandError, match=rf"la ligne {cible.pk} \(rang 2\) a été modifiée"):
        call_command("verifier_journal", stdout=io.StringIO())


def test_des_details_modifies_en_sql_sont_trouves(trois_entrees):
    cible = trois_entrees[0]
    _sql("UPDATE core_journal SET details = %s WHERE id = %s", json.dumps({"n": 99, "texte": "é & <b>"}), cible.pk)
    with pytest.raises(chaine.Rupture, match=rf"ligne {cible.pk} \(rang 1\)"):
        chaine.verifier(Journal)


def test_une_ligne_supprimee_en_sql_rompt_la_chaine(trois_entrees):
    _sql("DELETE FROM core_journal WHERE id = %s", trois_entrees[1].pk)
    with pytest.raises(chaine.Rupture, match=rf"la ligne {trois_entrees[2].pk} porte le rang 3 au lieu de 2"):
        chaine.verifier(Journal)


def test_une_ligne_inseree_hors_de_l_application_est_signalee(trois_entrees):
    modele = trois_entrees[0]
    _sql(
        "INSERT INTO core_journal (quand, action, objet_type_id, objet_id, objet_libelle, details, motif, precedent, "
        "empreinte) SELECT quand, 'ajout', objet_type_id, objet_id, objet_libelle, details, '', '', '' "
        "FROM core_journal WHERE id = %s",
        modele.pk,
    )
    with pytest.raises(chaine.Rupture, match="n’est pas scellée"):
        chaine.verifier(Journal)


def test_les_ecritures_en_masse_sont_scellees_aussi(trois_entrees):
    modele = trois_entrees[0]
    Journal.objects.bulk_create(
        Journal(action="import", objet_type=modele.objet_type, objet_id="1", objet_libelle="x") for _ in range(4)
    )
    assert list(Journal.objects.order_by("rang").values_list("rang", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert chaine.verifier(Journal) == 7


def test_les_transitions_d_un_dossier_sont_chainees():
    dossier = DossierFactory(statut=Statut.DEPOSE)
    instructeur = UtilisateurFactory()
    dossier.passer(Statut.EN_INSTRUCTION, par=instructeur, motif="Dossier complet")
    dossier.passer(Statut.PROPOSE, par=instructeur)
    assert chaine.verifier(Transition) == 2
    _sql("UPDATE financements_transition SET vers = %s WHERE rang = 2", Statut.ACCEPTE)
    with pytest.raises(chaine.Rupture, match=r"\(rang 2\) a été modifiée"):
        chaine.verifier(Transition)


def test_une_chaine_recalculee_apres_coup_ne_correspond_plus_a_son_ancre(trois_entrees, tmp_path):
    fichier = tmp_path / "ancres.jsonl"
    call_command("ancrer_journal", fichier=fichier, stdout=io.StringIO())
    ancres = [json.loads(ligne) for ligne in fichier.read_text().splitlines()]
    assert {"chaine": "core.Journal", "rang": 3, "empreinte": trois_entrees[2].empreinte}.items() <= ancres[0].items()

    # Someone edits a row, then reseals the whole table so that the chain alone looks intact.
    _sql("UPDATE core_journal SET motif = 'réécrit', rang = NULL")
    chaine.sceller_existant(Journal)
    assert chaine.verifier(Journal) == 3
    with pytest.raises(CommandError, match="l’ancre du .* \\(rang 3\\) ne correspond plus"):
        call_command("verifier_journal", ancres=fichier, stdout=io.StringIO())


def test_des_ancres_fideles_sont_verifiees(trois_entrees, tmp_path):
    fichier = tmp_path / "ancres.jsonl"
    call_command("ancrer_journal", fichier=fichier, stdout=io.StringIO())
    journaliser(acteur=None, action="apres_l_ancre", objet=trois_entrees[0].objet_type)
    call_command("verifier_journal", ancres=fichier, stdout=io.StringIO())


def test_l_ancre_quotidienne_est_planifiee_dans_la_file_de_travaux():
    from django_q.models import Schedule

    planifiee = Schedule.objects.get(name="Ancre quotidienne du journal")
    assert (planifiee.func, planifiee.schedule_type, planifiee.repeats) == ("ti.core.chaine.ancrer", "D", -1)


def test_l_ancre_ecrite_par_la_file_va_dans_le_fichier_configure(trois_entrees, settings, tmp_path):
    settings.ANCRES_JOURNAL = tmp_path / "ancres" / "journal.jsonl"
    chaine.ancrer()
    premiere = json.loads(settings.ANCRES_JOURNAL.read_text().splitlines()[0])
    assert (premiere["chaine"], premiere["rang"]) == ("core.Journal", 3)
