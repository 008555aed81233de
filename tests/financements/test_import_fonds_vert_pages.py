"""The national team imports the national Fonds vert list from the site: upload → preview → confirm → result,
with its progress; every other role is refused (403), an unknown import is a 404."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import SCEAU
from ti.comptes.models import Role
from ti.core.models import Journal
from ti.financements.actions import import_fonds_vert as actions
from ti.financements.import_fonds_vert import importer_fonds_vert
from ti.financements.models import AttributionFondsVert, ImportFondsVert, LigneFondsVert

from ..factories import utilisateur_avec
from ..rappels import du_domaine
from .test_fonds_vert_fichier_reel import fichier_reel
from .test_import_fonds_vert import ecrire, ligne

DEPOT = reverse("financements:import_fonds_vert_depot")


@pytest.fixture(autouse=True)
def _medias(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medias"


@pytest.fixture
def national(db):
    return utilisateur_avec(Role.EQUIPE_NATIONALE)


def fichier(tmp_path, lignes, nom="fonds-vert-2024.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, ecrire(tmp_path, nom, lignes).read_bytes(), content_type="text/csv")


def deposer(client, tmp_path, lignes, **donnees):
    return client.post(DEPOT, {"fichier": fichier(tmp_path, lignes, **donnees)})


def test_depot_apercu_confirmation(
    client,
    national,
    referentiel_exemple,
    tmp_path,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    executer_travaux,
):
    client.force_login(national)
    # The same lookups whatever the file's size (see test_import_fonds_vert), the second factor's device, the seal.
    with django_assert_max_num_queries(14 + 1 + SCEAU):
        reponse = deposer(client, tmp_path, fichier_reel())
    import_ = ImportFondsVert.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == import_.get_absolute_url()
    assert not AttributionFondsVert.objects.exists()  # the preview writes no award
    assert (import_.statut, import_.annee, import_.lignes_total, import_.par) == ("apercu", 2024, 9, national)
    assert Journal.objects.get(action="import_fonds_vert_depose").acteur == national

    with django_assert_max_num_queries(6):
        page = client.get(import_.get_absolute_url()).content.decode()
    assert "Aperçu : rien n’est encore enregistré" in page
    assert "Confirmer l’import de 6 dossiers" in page
    assert "1\xa0434\xa0913,57&nbsp;€" in page  # total engaged
    assert "Zéro initial rétabli" in page and "12345.670000000002" in page  # normalisations, line by line
    assert "code commune « NULL »" in page and "98735" in page  # unplaceable lines
    assert "Centre-Val de Loire" in page and "Montargis-Gâtinais" in page  # by région and territory

    with django_capture_on_commit_callbacks(execute=True) as rappels:
        reponse = client.post(reverse("financements:import_fonds_vert_confirmer", args=[import_.pk]))
    assert reponse.status_code == 302 and len(du_domaine(rappels)) == 1
    assert executer_travaux() == 1  # the import runs in the job queue
    import_.refresh_from_db()
    assert import_.statut == "termine" and import_.lignes_traitees == 9
    assert import_.resultat["creees"] == 6 and import_.resultat["dossiers_groupes"] == 1
    assert AttributionFondsVert.objects.get(numero_dossier="20000010").montant_engage == Decimal("182000.10")
    assert LigneFondsVert.objects.count() == 9
    confirme = Journal.objects.get(action="import_fonds_vert_confirme")
    assert confirme.acteur == national and confirme.objet_id == str(import_.pk)
    assert Journal.objects.get(action="import_fonds_vert").acteur == national
    assert Journal.objects.get(action="import_fonds_vert_termine").objet_id == str(import_.pk)

    page = client.get(import_.get_absolute_url()).content.decode()
    assert "Import terminé" in page and "6 dossiers (6 créés, 0 mis à jour)" in page


def test_un_second_clic_sur_confirmer_n_importe_pas_deux_fois(
    client, national, referentiel_exemple, tmp_path, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(national)
    deposer(client, tmp_path, fichier_reel())
    url = reverse("financements:import_fonds_vert_confirmer", args=[ImportFondsVert.objects.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    executer_travaux()
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        reponse = client.post(url, follow=True)
    assert not du_domaine(rappels)
    assert "Cet import a déjà été confirmé (terminé)." in reponse.content.decode()
    assert Journal.objects.filter(action="import_fonds_vert").count() == 1


def test_un_fichier_invalide_est_refuse_avec_chaque_ligne_et_rien_n_est_garde(
    client, national, referentiel_exemple, tmp_path
):
    client.force_login(national)
    lignes = [*fichier_reel(), ligne(numero_dossier_ds="99", siren="9.99E+08"), ligne(montant_engage="x")]
    reponse = deposer(client, tmp_path, lignes)
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Import refusé : 2 erreurs" in page  # one message per wrong value
    assert "Ligne 11 : siren « 9.99E+08 » est écrit en notation scientifique et a perdu des chiffres" in page
    assert "Ligne 12 : montant_engage « x » n’est pas un nombre." in page
    assert not ImportFondsVert.objects.exists() and not AttributionFondsVert.objects.exists()


def test_l_annee_vient_du_nom_ou_du_formulaire(client, national, referentiel_exemple, tmp_path):
    client.force_login(national)
    reponse = deposer(client, tmp_path, [ligne()], nom="liste-fonds-vert.csv")
    assert "ne contient pas d’année : indiquez-la." in reponse.content.decode()
    reponse = client.post(DEPOT, {"fichier": fichier(tmp_path, [ligne()], nom="liste.csv"), "annee": "2023"})
    assert reponse.status_code == 302 and ImportFondsVert.objects.get().annee == 2023


def test_un_fichier_qui_n_est_pas_un_tableur_est_refuse(client, national, db):
    client.force_login(national)
    reponse = client.post(DEPOT, {"fichier": SimpleUploadedFile("liste-2024.pdf", b"%PDF-1.4")})
    assert "n’est ni un fichier CSV ni un classeur XLSX" in reponse.content.decode()


def test_l_execution_refait_les_controles_et_ne_change_rien_si_le_fichier_a_change(
    client, national, referentiel_exemple, tmp_path
):
    client.force_login(national)
    deposer(client, tmp_path, fichier_reel())
    import_ = ImportFondsVert.objects.get()
    with import_.fichier.open("wb") as stocke:
        stocke.write(b"autre contenu")
    ImportFondsVert.objects.filter(pk=import_.pk).update(statut="en_attente")
    actions.executer_import_fonds_vert(import_.pk)
    import_.refresh_from_db()
    assert import_.statut == "echoue" and "a changé depuis l’aperçu" in import_.resultat["erreurs"][0]["message"]
    assert not AttributionFondsVert.objects.exists()
    actions.executer_import_fonds_vert(import_.pk)  # a second run of the job does nothing
    assert ImportFondsVert.objects.get().statut == "echoue"
    assert Journal.objects.filter(action="import_fonds_vert_echoue", objet_id=str(import_.pk)).count() == 1


def test_une_erreur_inattendue_pendant_l_ecriture_ne_laisse_rien(
    client, national, referentiel_exemple, tmp_path, monkeypatch, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(national)
    deposer(client, tmp_path, fichier_reel())
    import_ = ImportFondsVert.objects.get()

    def coupure(*args, **kwargs):
        raise RuntimeError("connexion perdue")

    # the territory links are written after the dossiers and their lines
    monkeypatch.setattr(LigneFondsVert.territoires.through.objects, "bulk_create", coupure)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("financements:import_fonds_vert_confirmer", args=[import_.pk]))
    executer_travaux()
    import_.refresh_from_db()
    assert import_.statut == "echoue" and import_.resultat["erreurs"][0]["message"] == actions.ERREUR_INATTENDUE
    assert not AttributionFondsVert.objects.exists() and not LigneFondsVert.objects.exists()
    page = client.get(import_.get_absolute_url()).content.decode()
    assert "Import refusé : 1 erreur" in page


def test_la_progression_se_lit_en_json(client, national, referentiel_exemple, tmp_path, django_assert_max_num_queries):
    client.force_login(national)
    deposer(client, tmp_path, fichier_reel())
    import_ = ImportFondsVert.objects.get()
    ImportFondsVert.objects.filter(pk=import_.pk).update(statut="en_cours", lignes_traitees=4)
    page = client.get(import_.get_absolute_url()).content.decode()
    assert 'src="/static/financements/progression-import.js"' in page and "<progress" in page
    assert "<script>" not in page  # no inline script (Content-Security-Policy script-src 'self')
    with django_assert_max_num_queries(5):  # session, account, habilitations, second factor's device, the import
        etat = client.get(reverse("financements:import_fonds_vert_progression", args=[import_.pk])).json()
    assert etat == {
        "statut": "en_cours",
        "termine": False,
        "traitees": 4,
        "total": 9,
        "message": "4 lignes vérifiées sur 9…",
    }


@pytest.mark.parametrize(
    "role",
    [
        Role.INSTRUCTEUR,
        Role.EXPERT_ADEME,
        Role.REFERENT_REGION,
        Role.CHEF_PROJET,
        Role.BINOME,
        Role.PORTEUR,
        Role.CONSULTANT,
    ],
)
def test_les_autres_roles_sont_refuses(client, role, cvl, territoire_fv, national, tmp_path):
    perimetre = {"region": cvl} if role in (Role.INSTRUCTEUR, Role.EXPERT_ADEME, Role.REFERENT_REGION) else {}
    if role in (Role.CHEF_PROJET, Role.BINOME):
        perimetre = {"territoire": territoire_fv}
    if role == Role.PORTEUR:
        perimetre = {"siret": "73282932000074"}
    import_, _ = actions.deposer(
        par=national, contenu=ecrire(tmp_path, "f.csv", [ligne()]).read_bytes(), nom_fichier="f.csv", annee=2024
    )
    client.force_login(utilisateur_avec(role, **perimetre))
    assert client.get(DEPOT).status_code == 403
    assert client.post(DEPOT, {"fichier": fichier(tmp_path, [ligne()])}).status_code == 403
    assert client.get(import_.get_absolute_url()).status_code == 403
    assert client.get(reverse("financements:import_fonds_vert_progression", args=[import_.pk])).status_code == 403
    assert client.post(reverse("financements:import_fonds_vert_confirmer", args=[import_.pk])).status_code == 403
    assert ImportFondsVert.objects.get().statut == "apercu"
    assert "Importer la liste nationale" not in client.get(reverse("comptes:mon_espace")).content.decode()


def test_un_visiteur_est_renvoye_vers_la_connexion(client, db):
    reponse = client.get(DEPOT)
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("comptes:connexion"))


def test_un_import_inconnu_est_introuvable(client, national):
    client.force_login(national)
    assert client.get(reverse("financements:import_fonds_vert", args=[999])).status_code == 404
    assert client.post(reverse("financements:import_fonds_vert_confirmer", args=[999])).status_code == 404


def test_l_equipe_nationale_trouve_l_import_dans_son_espace(client, national):
    client.force_login(national)
    page = client.get(reverse("comptes:mon_espace")).content.decode()
    assert f'href="{DEPOT}">Importer la liste nationale des attributions' in page


@pytest.mark.parametrize("groupes", [1, 10])
def test_la_page_des_dossiers_montre_totaux_et_lignes_en_requetes_bornees(
    client, referentiel_exemple, tmp_path, groupes, django_assert_max_num_queries
):
    lignes = [
        ligne(numero_dossier_ds=str(n), code_commune=code, montant_engage="100")
        for n in range(groupes)
        for code in ("45208", "45004", "NULL")
    ]
    assert importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", lignes)).accepte
    url = reverse("financements:dossiers_fonds_vert")
    with django_assert_max_num_queries(5):
        reponse = client.get(url, {"annee": 2024, "groupes": 1})  # public, like the dashboards
    page = reponse.content.decode()
    assert f"{groupes} dossier{'s' if groupes > 1 else ''} groupé" in page
    assert "300,00&nbsp;€" in page and "(Territoires d&#x27;industrie en transition écologique, 3 lignes)" in page
    assert page.count("non placée</span>") == groupes
    assert client.get(url, {"annee": "deux mille"}).status_code == 404
