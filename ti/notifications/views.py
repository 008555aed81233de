"""The « Notifications » page: the list, marking read, and the choice of e-mails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ti.comptes import permissions
from ti.notifications import actions
from ti.notifications.forms import FrequenceForm
from ti.notifications.models import Notification

PAR_PAGE = 30


@login_required
def liste(request):
    form = FrequenceForm(request.POST or None, initial={"frequence": actions.frequence(request.user)})
    if request.method == "POST" and form.is_valid():
        actions.choisir_frequence(par=request.user, frequence=form.cleaned_data["frequence"])
        messages.success(request, "Votre choix de courriels est enregistré.")
        return redirect("notifications:liste")
    page = Paginator(Notification.objects.visible_to(request.user), PAR_PAGE).get_page(request.GET.get("page"))
    contexte = {"page_obj": page, "form": form, "suit_les_envois": permissions.peut(request.user, "suivre_travaux")}
    return render(request, "notifications/liste.html", contexte)


@login_required
@require_POST
def marquer_lue(request, pk):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)  # someone else's: 404
    actions.marquer_lues(par=request.user, notifications=Notification.objects.filter(pk=notification.pk))
    messages.success(request, f"Notification « {notification.texte} » marquée comme lue.")
    return redirect("notifications:liste")


@login_required
@require_POST
def tout_marquer_lu(request):
    lues = actions.marquer_lues(par=request.user, notifications=Notification.objects.all())
    pluriel = "s" if lues > 1 else ""
    messages.success(request, f"{lues} notification{pluriel} marquée{pluriel} comme lue{pluriel}.")
    return redirect("notifications:liste")
