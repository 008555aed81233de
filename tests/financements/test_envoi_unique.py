"""A creation form sent twice creates once (ti/core/envois.py): the dossier, a credit transfer, a message."""

from decimal import Decimal

from django.urls import reverse

from ti.core.envois import DEJA_ENVOYE
from ti.financements.models import Dossier, Enveloppe, Message, Statut, TransfertCredits

from ..factories import DossierFactory, EnveloppeFactory
from ..projets.test_envoi_unique import jeton_de
from ..projets.test_fiches_formulaire import messages_de
from .test_depot_eligibilite import donnees as eligibilite


def deux_fois(client, url, donnees):
    donnees = {**donnees, "jeton_envoi": jeton_de(client.get(url))}
    return client.post(url, donnees), client.post(url, donnees)


def test_le_dossier_envoye_deux_fois_est_cree_une_fois(client, porteur, dispositif, territoire_fv, enveloppe_cvl):
    client.force_login(porteur)

    premier, second = deux_fois(client, reverse("financements:eligibilite", args=[dispositif.code]), eligibilite())

    dossier = Dossier.objects.get()
    assert premier["Location"] == second["Location"] == reverse("financements:modifier", args=[dossier.reference])
    assert DEJA_ENVOYE in messages_de(second)


def test_le_transfert_envoye_deux_fois_n_est_fait_qu_une_fois(client, dispositif, cvl, bretagne, equipe_nationale):
    depuis = EnveloppeFactory(dispositif=dispositif, region=cvl, montant=Decimal("5600000"))
    vers = EnveloppeFactory(dispositif=dispositif, region=bretagne, montant=Decimal("3000000"))
    client.force_login(equipe_nationale)
    donnees = {"depuis": depuis.pk, "vers": vers.pk, "montant": "600 000,00", "motif": "Sous-consommation"}

    deux_fois(client, reverse("financements:transferer", args=[dispositif.code]), donnees)

    assert TransfertCredits.objects.count() == 1
    assert Enveloppe.objects.get(pk=vers.pk).montant == Decimal("3600000")


def test_le_message_envoye_deux_fois(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)
    client.force_login(porteur)
    donnees = {"texte": "Bonjour", "jeton_envoi": jeton_de(client.get(dossier.get_absolute_url()))}

    for _ in range(2):
        client.post(reverse("financements:message", args=[dossier.reference]), donnees)

    assert Message.objects.filter(dossier=dossier).count() == 1


def test_le_formulaire_des_pieces_porte_un_jeton(client, porteur, enveloppe_cvl, territoire_fv, montargis):
    dossier = DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur, statut=Statut.BROUILLON
    )
    client.force_login(porteur)

    page = client.get(reverse("financements:modifier", args=[dossier.reference]))

    assert page.status_code == 200
    assert jeton_de(page)
