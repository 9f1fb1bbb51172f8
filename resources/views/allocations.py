"""Allocation editing for PMO leads and team managers, with the effect shown before saving."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, UpdateView

from .. import selectors
from ..forms import AllocationForm
from ..models import Allocation
from ..permissions import can_plan_for, plannable_people
from ..preview import allocation_effect


class _AllocationFormMixin(LoginRequiredMixin):
    model = Allocation
    form_class = AllocationForm
    template_name = "resources/allocation_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = plannable_people(self.request.user)
        return kwargs

    def form_valid(self, form):
        if not can_plan_for(self.request.user, form.cleaned_data["person"].team):
            raise PermissionDenied("You do not plan this person's time.")
        response = super().form_valid(form)
        messages.success(
            self.request, f"Saved: {self.object}. The capacity picture is being updated."
        )
        return response

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class AllocationCreateView(_AllocationFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.has_perm("resources.add_allocation") or plannable_people(user).exists()
        ):
            raise PermissionDenied("Only PMO leads and team managers plan people's time.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("person", "").isdigit():
            initial["person"] = int(self.request.GET["person"])
        initial.setdefault("start_date", date.today())
        return initial


class AllocationUpdateView(_AllocationFormMixin, UpdateView):
    def get_object(self, queryset=None):
        allocation = get_object_or_404(
            Allocation.objects.select_related("person__team"), pk=self.kwargs["pk"]
        )
        if not can_plan_for(self.request.user, allocation.person.team):
            raise PermissionDenied("You do not plan this person's time.")
        return allocation


class AllocationDeleteView(LoginRequiredMixin, DeleteView):
    model = Allocation
    template_name = "resources/allocation_confirm_delete.html"

    def get_object(self, queryset=None):
        allocation = super().get_object(queryset)
        if not can_plan_for(self.request.user, allocation.person.team):
            raise PermissionDenied("You do not plan this person's time.")
        return allocation

    def get_success_url(self):
        messages.success(self.request, "Allocation removed. The capacity picture is being updated.")
        return self.object.person.get_absolute_url()


@require_POST
def allocation_preview(request):
    """htmx: the load of the person week by week with the allocation as typed."""
    people = plannable_people(request.user)
    if not people.exists():
        raise PermissionDenied
    replacing = None
    if request.POST.get("allocation", "").isdigit():
        replacing = Allocation.objects.filter(
            Q(pk=request.POST["allocation"]), person__in=people
        ).first()
    form = AllocationForm(request.POST, instance=Allocation(), people=people)
    snapshot = selectors.current_snapshot()
    effects = []
    if form.is_valid() and snapshot is not None:
        data = form.cleaned_data
        effects = allocation_effect(
            snapshot=snapshot,
            person=data["person"],
            kind=data["kind"],
            hours=float(data["hours_per_week"]),
            start=data["start_date"],
            end=data["end_date"],
            replacing=replacing,
        )
    return render(
        request,
        "resources/_allocation_preview.html",
        {
            "form": form,
            "effects": effects,
            "snapshot": snapshot,
            "over": sum(1 for e in effects if e.over),
        },
    )
