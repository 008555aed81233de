from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def mon_espace(request):
    return HttpResponse("À venir")
