"""Creating, modifying and archiving a fiche-action through its pages: happy paths, every refusal, role by role."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.html import lire
from ti.core.models import Journal
from ti.projets.actions import fiches as actions
from ti.projets.actions import plans
from ti.projets.models import Competence, Levier, LigneFinancement, Projet, StatutFinancement
from ti.referentiel.models import CommuneRattachee

from .saisie_fiche import ajouter_ligne, saisie_existante, saisie_nouvelle

pytestmark = pytest.mark.django_db


@pytest.fixture
def changements_du_plan(monkeypatch):
    """The calls to `plans.noter_changement`, passed on to the real one."""
    appels = []
    vraie = plans.noter_changement

    def espion(*, territoire, par, **options):
        appels.append((territoire, par))
        return vraie(territoire=territoire, par=par, **options)

    monkeypatch.setattr(plans, "noter_changement", espion)
    return appels


def url_creer(territoire):
    return reverse("projets:creer", args=[territoire.identifiant])


def url_modifier(projet):
    return reverse("projets:modifier", args=[projet.pk])


def messages_de(reponse) -> list[str]:
    return [str(message) for message in get_messages(reponse.wsgi_request)]


# Creation.


def test_le_chef_de_projet_cree_une_fiche_complete(client, chef_projet, territoire_projets, changements_du_plan):
    client.force_login(chef_projet)
    saisie = saisie_nouvelle(
        {"financeur": "Conseil régional Centre-Val de Loire", "montant": "150 000", "statut": "acquis"},
        {"financeur": "État", "dispositif": "Fonds vert", "montant": "100000,50"},
    )
    reponse = client.post(url_creer(territoire_projets), saisie)

    projet = Projet.objects.get(titre="Centre de formation aux métiers de la maintenance industrielle")
    assert reponse.status_code == 302 and reponse.url == projet.get_absolute_url()
    assert projet.territoire == territoire_projets
    assert projet.porteur_siret == "73282932000074"  # spaces removed
    assert projet.commune.code == "28134"  # « Dreux » resolved through the référentiel
    assert projet.budget == Decimal("450000") and projet.investissement == Decimal("380000.50")
    assert projet.tco2e_evitees == Decimal("12.5") and projet.hectares is None
    assert projet.public is True and projet.version == 1 and projet.cree_par == chef_projet
    assert sorted(projet.themes.values_list("code", flat=True)) == ["competences-attractivite", "reindustrialisation"]
    assert sorted(projet.financements.values_list("montant", "statut")) == [
        (Decimal("100000.50"), StatutFinancement.SOLLICITE),
        (Decimal("150000.00"), StatutFinancement.ACQUIS),
    ]
    assert changements_du_plan == [(territoire_projets, chef_projet)]
    assert "La fiche-action « Centre de formation aux métiers de la maintenance industrielle » est créée." in (
        messages_de(reponse)
    )


def test_la_creation_est_journalisee_avec_ses_valeurs(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    client.post(url_creer(territoire_projets), saisie_nouvelle({"financeur": "Région", "montant": "1000"}))
    projet = Projet.objects.get()
    entree = Journal.objects.get(action="projet_cree")
    assert entree.acteur == chef_projet and entree.objet_id == str(projet.pk)
    assert entree.details["titre"] == [None, projet.titre]
    assert entree.details["budget"] == [None, "450000.00"]
    assert entree.details["commune"] == [None, "Dreux (28134)"]
    assert entree.details["themes"] == [None, ["Compétences et attractivité des métiers", "Réindustrialisation"]]
    ligne = projet.financements.get()
    assert entree.details[f"financement.{ligne.pk}"] == [
        None,
        {"financeur": "Région", "dispositif": "", "montant": "1000.00", "statut": "sollicite"},
    ]


def test_un_plan_au_dela_du_budget_est_enregistre_avec_un_avertissement(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(
        url_creer(territoire_projets),
        saisie_nouvelle({"financeur": "Région", "montant": "500 000", "statut": "acquis"}),
    )
    assert reponse.status_code == 302
    assert Projet.objects.count() == 1
    assert any("dépasse le budget de la fiche" in message for message in messages_de(reponse))


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("73282932000075", "La clé de contrôle de ce SIRET est fausse."),
        ("7328293200007", "Le SIRET doit compter 14 chiffres."),
        ("7328293200007²", "Le SIRET s’écrit avec les chiffres de 0 à 9 : « ² » n’en est pas un."),
        ("٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "Le SIRET s’écrit avec les chiffres de 0 à 9 : « ٠ ٢ ٣ ٤ ٧ ٨ ٩ » n’en est pas un."),
        (
            "７３２８２９３２０００００７４",
            "Le SIRET s’écrit avec les chiffres de 0 à 9 : « ０ ２ ３ ４ ７ ８ ９ » n’en est pas un.",
        ),
    ],
)
def test_un_siret_invalide_est_refuse(client, chef_projet, territoire_projets, saisie, message):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(porteur_siret=saisie))
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["porteur_siret"] == [message]
    assert not Projet.objects.exists()


def test_une_commune_hors_du_perimetre_est_refusee_en_la_nommant(
    client, chef_projet, territoire_projets, commune_hors_territoire
):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(commune="Chartres"))
    message = (
        "La commune Chartres (28085) n’est pas dans le périmètre du territoire Pays de Dreux : "
        "choisissez une commune du territoire."
    )
    assert reponse.context["form"].errors["commune"] == [message]
    assert message in reponse.content.decode()
    assert not Projet.objects.exists()


def test_une_commune_d_un_autre_territoire_est_refusee_par_son_code(
    client, chef_projet, territoire_projets, autre_territoire_projets
):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(commune="18279"))
    assert reponse.context["form"].errors["commune"] == [
        "La commune Vierzon (18279) n’est pas dans le périmètre du territoire Pays de Dreux : "
        "choisissez une commune du territoire."
    ]


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("99999", "Aucune commune ne porte le code INSEE 99999 dans le référentiel géographique."),
        (
            "Atlantide",
            "Aucune commune ne s’appelle « Atlantide » dans le référentiel géographique : vérifiez l’orthographe "
            "ou saisissez le code INSEE.",
        ),
        (
            "Vernouill",
            "Aucune commune ne s’appelle « Vernouill ». Communes approchantes : Vernouillet (28404). Saisissez le "
            "nom exact ou le code INSEE.",
        ),
    ],
)
def test_une_commune_inconnue_est_refusee(client, chef_projet, territoire_projets, saisie, message):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(commune=saisie))
    assert reponse.context["form"].errors["commune"] == [message]
    assert not Projet.objects.exists()


def test_une_commune_se_saisit_par_son_nom_sans_accents_par_son_code_ou_comme_la_liste_la_propose(
    client, chef_projet, territoire_projets
):
    client.force_login(chef_projet)
    for rang, saisie in enumerate(["saint lubin des joncherets", "28348", "Saint-Lubin-des-Joncherets (28348)"]):
        client.post(url_creer(territoire_projets), saisie_nouvelle(commune=saisie, titre=f"Fiche {rang}"))
    assert list(Projet.objects.values_list("commune_id", flat=True)) == ["28348"] * 3


def test_entre_deux_homonymes_la_commune_du_perimetre_est_retenue(client, chef_projet, territoire_projets):
    yvelines = DepartementFactory(code="78", nom="Yvelines", region=RegionFactory(code="11", nom="Île-de-France"))
    CommuneFactory(code="78643", nom="Vernouillet", departement=yvelines, population=9699)
    client.force_login(chef_projet)
    client.post(url_creer(territoire_projets), saisie_nouvelle(commune="Vernouillet"))
    assert Projet.objects.get().commune_id == "28404"


def test_le_code_d_une_commune_deleguee_mene_a_son_chef_lieu(client, chef_projet, territoire_projets):
    CommuneRattachee.objects.create(
        code="28999", type=CommuneRattachee.Type.DELEGUEE, nom="Ancienne commune", chef_lieu_id="28007"
    )
    client.force_login(chef_projet)
    client.post(url_creer(territoire_projets), saisie_nouvelle(commune="28999"))
    assert Projet.objects.get().commune_id == "28007"


def test_une_date_de_fin_avant_le_debut_est_refusee(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(
        url_creer(territoire_projets), saisie_nouvelle(date_debut="2026-06-01", date_fin="2026-05-31")
    )
    assert reponse.context["form"].errors["date_fin"] == ["La date de fin ne peut pas précéder la date de début."]
    assert not Projet.objects.exists()


def test_un_montant_negatif_dans_le_plan_de_financement_est_refuse(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle({"financeur": "Région", "montant": "-5 000"}))
    assert reponse.status_code == 200
    assert reponse.context["financements"].forms[0].errors["montant"] == ["Le montant ne peut pas être négatif."]
    assert "Plan de financement, ligne 1, montant (€)" in reponse.content.decode()
    assert not Projet.objects.exists() and not LigneFinancement.objects.exists()


def test_une_ligne_sans_financeur_est_refusee(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle({"financeur": "", "montant": "5000"}))
    assert reponse.context["financements"].forms[0].errors["financeur"] == ["Indiquez le financeur de cette ligne."]


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("budget", "-1", "Le budget ne peut pas être négatif."),
        ("budget", "deux cents", "Saisissez un nombre, par exemple 250 000 ou 12 500,50."),
        ("hectares", "-0,5", "La surface ne peut pas être négative."),
        ("emplois_crees", "-3", "Le nombre d’emplois créés ne peut pas être négatif."),
        ("referent_telephone", "appelez-moi", None),
    ],
)
def test_les_nombres_et_le_telephone_sont_verifies(client, chef_projet, territoire_projets, champ, valeur, message):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(**{champ: valeur}))
    assert champ in reponse.context["form"].errors
    if message:
        assert reponse.context["form"].errors[champ] == [message]
    assert not Projet.objects.exists()


def test_un_titre_manquant_est_refuse_et_la_saisie_est_conservee(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(titre=""))
    assert reponse.context["form"].errors["titre"] == ["Donnez un titre à la fiche-action."]
    contenu = reponse.content.decode()
    assert "<title>Erreur — " in contenu
    assert "Campus des métiers du Drouais" in contenu  # what was typed is shown again
    assert not Projet.objects.exists()


def test_sans_axe_la_fiche_est_refusee(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    reponse = client.post(url_creer(territoire_projets), saisie_nouvelle(axe=""))
    assert reponse.context["form"].errors["axe"] == ["Choisissez l’axe du programme auquel la fiche se rattache."]


# Who may create.


def test_l_equipe_nationale_cree_une_fiche_dans_n_importe_quel_territoire(client, equipe_nationale, territoire_projets):
    client.force_login(equipe_nationale)
    assert client.get(url_creer(territoire_projets)).status_code == 200
    assert client.post(url_creer(territoire_projets), saisie_nouvelle()).status_code == 302
    assert Projet.objects.get().cree_par == equipe_nationale


def test_le_binome_ne_peut_pas_creer_de_fiche(client, binome, territoire_projets):
    client.force_login(binome)
    assert client.get(url_creer(territoire_projets)).status_code == 403
    assert client.post(url_creer(territoire_projets), saisie_nouvelle()).status_code == 403
    assert not Projet.objects.exists()


def test_l_instructeur_de_la_region_ne_peut_pas_creer_de_fiche(client, instructeur_region, territoire_projets):
    client.force_login(instructeur_region)
    assert client.post(url_creer(territoire_projets), saisie_nouvelle()).status_code == 403


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_la_page_de_creation(
    client, autre_chef_projet, territoire_projets
):
    client.force_login(autre_chef_projet)
    assert client.get(url_creer(territoire_projets)).status_code == 404
    assert client.post(url_creer(territoire_projets), saisie_nouvelle()).status_code == 404


def test_un_visiteur_est_invite_a_se_connecter(client, territoire_projets):
    reponse = client.get(url_creer(territoire_projets))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))


# Modification.


def test_le_chef_de_projet_modifie_une_fiche_et_le_journal_garde_les_differences(
    client, chef_projet, projet_public, changements_du_plan
):
    ligne_region, ligne_etat = projet_public.financements.order_by("pk")
    client.force_login(chef_projet)
    saisie = saisie_existante(
        projet_public,
        titre="Plateforme de fabrication additive du Drouais",
        budget="300 000",
        themes=["innovation", "decarbonation"],
        commune="Anet",
        motif="Budget révisé après l’étude",
        **{"lignes-1-statut": "acquis", "lignes-0-DELETE": "on"},
    )
    ajouter_ligne(saisie, financeur="Bpifrance", montant="40000")
    reponse = client.post(url_modifier(projet_public), saisie)

    assert reponse.status_code == 302 and reponse.url == projet_public.get_absolute_url()
    projet = Projet.objects.get(pk=projet_public.pk)
    assert projet.titre == "Plateforme de fabrication additive du Drouais"
    assert projet.budget == Decimal("300000") and projet.commune_id == "28007" and projet.version == 2
    assert sorted(projet.themes.values_list("code", flat=True)) == ["decarbonation", "innovation"]
    assert list(projet.financements.values_list("financeur", "statut")) == [
        ("État", "acquis"),
        ("Bpifrance", "sollicite"),
    ]

    entree = Journal.objects.get(action="projet_modifie")
    assert entree.acteur == chef_projet and entree.motif == "Budget révisé après l’étude"
    nouvelle = projet.financements.get(financeur="Bpifrance")
    assert entree.details == {
        "titre": ["Plateforme mutualisée de fabrication additive", "Plateforme de fabrication additive du Drouais"],
        "budget": ["250000.00", "300000.00"],
        "commune": ["Dreux (28134)", "Anet (28007)"],
        "themes": [["Innovation", "Réindustrialisation"], ["Décarbonation", "Innovation"]],
        f"financement.{ligne_region.pk}": [
            {
                "financeur": "Conseil régional Centre-Val de Loire",
                "dispositif": "Aide à l’investissement",
                "montant": "80000.00",
                "statut": "acquis",
            },
            None,
        ],
        f"financement.{ligne_etat.pk}": [
            {"financeur": "État", "dispositif": "Fonds vert", "montant": "50000.00", "statut": "sollicite"},
            {"financeur": "État", "dispositif": "Fonds vert", "montant": "50000.00", "statut": "acquis"},
        ],
        f"financement.{nouvelle.pk}": [
            None,
            {"financeur": "Bpifrance", "dispositif": "", "montant": "40000.00", "statut": "sollicite"},
        ],
    }
    assert changements_du_plan == [(projet.territoire, chef_projet)]
    assert "Les modifications de la fiche-action sont enregistrées." in messages_de(reponse)


def test_un_formulaire_renvoye_tel_quel_ne_change_rien(client, chef_projet, projet_public, changements_du_plan):
    client.force_login(chef_projet)
    reponse = client.post(url_modifier(projet_public), saisie_existante(projet_public))
    assert reponse.status_code == 302
    assert Projet.objects.get(pk=projet_public.pk).version == 1
    assert not Journal.objects.filter(action="projet_modifie").exists()
    assert changements_du_plan == []
    assert "Aucune modification : la fiche-action est inchangée." in messages_de(reponse)


def test_une_version_perimee_est_refusee_et_la_saisie_est_conservee(
    client, chef_projet, equipe_nationale, projet_public
):
    saisie = saisie_existante(projet_public, titre="Mon titre à moi", budget="275 000")  # built on version 1
    actions.modifier_projet(
        projet=projet_public, par=equipe_nationale, donnees={"objectifs": "Quinze entreprises."}, version=1
    )

    client.force_login(chef_projet)
    reponse = client.post(url_modifier(projet_public), saisie)

    assert reponse.status_code == 200
    message = f"Cette fiche a été modifiée entre-temps par {equipe_nationale} ; rechargez la page."
    assert reponse.context["form"].non_field_errors() == [message]
    contenu = reponse.content.decode()
    assert message in contenu
    assert 'value="Mon titre à moi"' in contenu and 'value="275 000"' in contenu
    assert "<h1>Modifier la fiche-action « Plateforme mutualisée de fabrication additive »</h1>" in contenu
    projet = Projet.objects.get(pk=projet_public.pk)
    assert projet.titre == "Plateforme mutualisée de fabrication additive" and projet.version == 2


def test_une_ligne_d_une_autre_fiche_est_refusee(client, chef_projet, projet_public, projet_prive):
    autre = LigneFinancement.objects.create(projet=projet_prive, financeur="Région", montant=Decimal("10"))
    client.force_login(chef_projet)
    reponse = client.post(
        url_modifier(projet_public), saisie_existante(projet_public, **{"lignes-0-id": str(autre.pk)})
    )
    assert reponse.status_code == 200
    assert not reponse.context["financements"].is_valid()
    assert LigneFinancement.objects.get(pk=autre.pk).projet == projet_prive


def test_la_page_coche_les_liens_de_la_fiche_et_les_garde_a_l_enregistrement(client, chef_projet, projet_public):
    """Themes, compétences and leviers are read for the page in one query: each ticked box is the fiche's, and a
    save that leaves them changes none."""
    competence, levier = Competence.objects.get(code="90-11"), Levier.objects.order_by("libelle").first()
    projet_public.competences.set([competence])
    projet_public.leviers.set([levier])
    client.force_login(chef_projet)

    form = client.get(url_modifier(projet_public)).context["form"]
    cochees = {nom: {str(v) for v in form[nom].value()} for nom in ("themes", "competences", "leviers")}
    assert cochees == {
        "themes": set(projet_public.themes.values_list("code", flat=True)),
        "competences": {"90-11"},
        "leviers": {str(levier.pk)},
    }
    assert re.search(r'<input[^>]*value="90-11"[^>]*checked', str(form["competences"]))

    assert (
        client.post(url_modifier(projet_public), saisie_existante(projet_public, description="Autre")).status_code
        == 302
    )
    entree = Journal.objects.get(action="projet_modifie")
    assert set(entree.details) == {"description"}
    assert list(projet_public.leviers.all()) == [levier] and list(projet_public.competences.all()) == [competence]


def test_le_binome_lit_mais_ne_modifie_pas(client, binome, projet_prive):
    client.force_login(binome)
    assert client.get(projet_prive.get_absolute_url()).status_code == 200
    assert client.get(url_modifier(projet_prive)).status_code == 403
    assert client.post(url_modifier(projet_prive), saisie_existante(projet_prive, titre="Autre")).status_code == 403
    assert Projet.objects.get(pk=projet_prive.pk).titre == "Reconversion de la friche Philips"


def test_l_instructeur_de_la_region_lit_une_fiche_privee_mais_ne_la_modifie_pas(
    client, instructeur_region, projet_prive
):
    client.force_login(instructeur_region)
    reponse = client.get(projet_prive.get_absolute_url())
    assert reponse.status_code == 200
    page = lire(reponse)
    assert page.h1() == "Reconversion de la friche Philips"
    assert url_modifier(projet_prive) not in {lien.href for lien in page.liens}
    assert client.get(url_modifier(projet_prive)).status_code == 403


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_la_page_de_modification(
    client, autre_chef_projet, projet_public
):
    client.force_login(autre_chef_projet)
    assert client.get(url_modifier(projet_public)).status_code == 404  # even a published fiche
    assert client.post(url_modifier(projet_public), saisie_existante(projet_public)).status_code == 404


def test_l_equipe_nationale_modifie_partout(client, equipe_nationale, projet_prive):
    client.force_login(equipe_nationale)
    reponse = client.post(url_modifier(projet_prive), saisie_existante(projet_prive, phase_statut="en_retard"))
    assert reponse.status_code == 302
    assert Projet.objects.get(pk=projet_prive.pk).phase_statut == "en_retard"


def test_une_fiche_archivee_ne_se_modifie_plus(client, chef_projet, projet_prive):
    actions.archiver_projet(projet=projet_prive, par=chef_projet, motif="Doublon")
    client.force_login(chef_projet)
    assert client.get(url_modifier(projet_prive)).status_code == 404


# Archiving.


def test_le_chef_de_projet_archive_une_fiche_avec_un_motif(client, chef_projet, projet_public, changements_du_plan):
    client.force_login(chef_projet)
    url = reverse("projets:archiver", args=[projet_public.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"motif": "Le porteur a abandonné le projet."})

    assert reponse.status_code == 302
    assert reponse.url == reverse("projets:territoire", args=[projet_public.territoire.identifiant])
    projet = Projet.objects.get(pk=projet_public.pk)  # kept, not deleted
    assert projet.archive_le is not None and projet.version == 2
    assert projet.financements.count() == 2
    entree = Journal.objects.get(action="projet_archive")
    assert entree.motif == "Le porteur a abandonné le projet." and entree.acteur == chef_projet
    assert changements_du_plan == [(projet.territoire, chef_projet)]


def test_l_archivage_demande_un_motif(client, chef_projet, projet_public):
    client.force_login(chef_projet)
    reponse = client.post(reverse("projets:archiver", args=[projet_public.pk]), {"motif": "  "})
    assert reponse.status_code == 200
    assert reponse.context["form"].errors["motif"] == ["Indiquez pourquoi la fiche est archivée."]
    assert Projet.objects.get(pk=projet_public.pk).archive_le is None


def test_le_binome_ne_peut_pas_archiver(client, binome, projet_public):
    client.force_login(binome)
    reponse = client.post(reverse("projets:archiver", args=[projet_public.pk]), {"motif": "Doublon"})
    assert reponse.status_code == 403
    assert Projet.objects.get(pk=projet_public.pk).archive_le is None


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_l_archivage(client, autre_chef_projet, projet_public):
    client.force_login(autre_chef_projet)
    assert client.post(reverse("projets:archiver", args=[projet_public.pk]), {"motif": "x"}).status_code == 404
