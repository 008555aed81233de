"""The values the long lists show, prepared in Python: the very text the template filters wrote before."""

from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat, truncatewords
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ti.projets import affichage

montants = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)


@given(montants)
def test_un_montant_s_ecrit_comme_floatformat_2g(valeur):
    assert affichage.montant(valeur) == floatformat(valeur, "2g")


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False))
def test_un_montant_arrondi_s_ecrit_comme_floatformat_0g(valeur):
    assert affichage.montant(valeur, 0) == floatformat(valeur, "0g")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_un_nombre_s_ecrit_comme_intcomma(valeur):
    assert affichage.nombre(valeur) == intcomma(valeur)


@given(st.text(alphabet=st.sampled_from("ab é\n\t"), max_size=300))
def test_le_resume_coupe_comme_truncatewords(description):
    assert affichage.resume(description) == truncatewords(description, 40)


def test_l_adresse_d_une_fiche_est_celle_de_sa_page():
    prefixe = affichage.prefixe_des_fiches()
    assert affichage.adresse(prefixe, 1234) == reverse("projets:detail", args=[1234])
