"""The engineering budget: the national team opens a year's budget and splits it into regional shares; the board
shows the gauge of each year and the year's consumption by région, territory, kind and firm (decision 0045)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from ti.comptes import permissions
from ti.core.navigation import fil_ariane
from ti.core.vues import refus_dans
from ti.ingenierie import selectors
from ti.ingenierie.actions_budget import fixer_budget, fixer_part_regionale
from ti.ingenierie.forms import BudgetForm, PartRegionaleForm


def contexte_du_tableau_national(request) -> dict:
    """What the board shows the national team: each year's gauge, the chosen year's shares and consumption."""
    budgets = list(selectors.budgets_et_engagements())
    for budget in budgets:
        budget.taux = round(100 * budget.engage / budget.montant_ht) if budget.montant_ht else 0
    annees = [budget.annee for budget in budgets]
    annee = request.GET.get("annee", "")
    annee = int(annee) if annee.isdigit() and int(annee) in annees else (annees[0] if annees else None)
    if annee is None:
        return {"budgets": []}
    budget = next(b for b in budgets if b.annee == annee)
    return {
        "budgets": budgets,
        "annee": annee,
        "parts": selectors.parts_regionales(budget),
        "consommations": [
            (libelle, selectors.consommation(annee, axe))
            for axe, (_, libelle) in selectors.AXES_DE_CONSOMMATION.items()
        ],
    }


@login_required
def budget(request):
    permissions.exiger(request.user, "piloter_mission")
    form_budget = BudgetForm(request.POST if "national-annee" in request.POST else None, prefix="national")
    form_part = PartRegionaleForm(request.POST if "part-region" in request.POST else None, prefix="part")
    for form, action in ((form_budget, fixer_budget), (form_part, fixer_part_regionale)):
        if form.is_bound and form.is_valid():
            with refus_dans(form):
                action(par=request.user, **form.cleaned_data)
                messages.success(request, "Budget enregistré.")
                return redirect("ingenierie:budget")
    return render(
        request,
        "ingenierie/budget.html",
        {
            "form_budget": form_budget,
            "form_part": form_part,
            **contexte_du_tableau_national(request),
            "fil_ariane": fil_ariane("Budget", ("Demandes et missions", reverse("ingenierie:tableau"))),
        },
        status=400 if request.method == "POST" else 200,
    )
