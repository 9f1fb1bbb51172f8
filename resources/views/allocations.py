"""Allocation editing for PMO leads and team managers, with the effect shown before saving.

The pages validate and call `allocation_save` / `allocation_delete`, which decide who may
write; a page asks the predicates only to decide whether to show its form at all.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, UpdateView

from itsm_pmo.workflow import require

from .. import selectors, services
from ..forms import AllocationForm
from ..models import Allocation
from ..permissions import may_change_allocation, may_plan_someone
from ..preview import allocation_effect

NOT_A_PLANNER = "Only PMO leads and team managers plan people's time."


class _AllocationFormMixin(LoginRequiredMixin):
    http_method_names = ["get", "post"]  # a page's form; the API is the door for the rest
    model = Allocation
    form_class = AllocationForm
    template_name = "resources/allocation_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = selectors.people_plannable_by(self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            self.object = services.allocation_save(
                by=self.request.user,
                allocation=getattr(self, "object", None),
                fields=form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Saved: {self.object}. The capacity picture is being updated."
        )
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class AllocationCreateView(_AllocationFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        # The page's door: the form offers only the people one plans, so someone who plans
        # nobody is refused here (as the API's service refuses them), not with an empty form.
        if request.user.is_authenticated:
            require(may_plan_someone(request.user), NOT_A_PLANNER)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("person", "").isdigit():
            initial["person"] = int(self.request.GET["person"])
        initial.setdefault("start_date", date.today())
        return initial


def _allocation(pk: int) -> Allocation:
    return get_object_or_404(Allocation.objects.select_related("person__team", "project"), pk=pk)


class AllocationUpdateView(_AllocationFormMixin, UpdateView):
    def get_object(self, queryset=None):
        allocation = _allocation(self.kwargs["pk"])
        # The form is shown only to who may save it, and a POST from anyone else is refused
        # before its input is read (as the API refuses it); the service asks again.
        require(may_change_allocation(self.request.user, allocation), services.NOT_YOURS)
        return allocation

    def get_form_kwargs(self):
        # The allocation's own person and project stay valid choices while it is edited.
        kwargs = super().get_form_kwargs()
        kwargs["keep"] = self.object
        return kwargs


class AllocationDeleteView(LoginRequiredMixin, DeleteView):
    # No DELETE: Django's DeleteView would delete without the service (and answered 500 for
    # want of a success URL); the page's POST goes through `allocation_delete`.
    http_method_names = ["get", "post"]
    model = Allocation
    template_name = "resources/allocation_confirm_delete.html"

    def get_object(self, queryset=None):
        allocation = _allocation(self.kwargs["pk"])
        # The question is asked only of who may answer it, and an answer from anyone else is
        # refused before it is read; the service asks again.
        require(may_change_allocation(self.request.user, allocation), services.NOT_YOURS)
        return allocation

    def form_valid(self, form):
        person = self.object.person
        services.allocation_delete(by=self.request.user, allocation=self.object)
        messages.success(self.request, "Allocation removed. The capacity picture is being updated.")
        return HttpResponseRedirect(person.get_absolute_url())


@require_POST
def allocation_preview(request):
    """htmx: the load of the person week by week with the allocation as typed."""
    require(may_plan_someone(request.user), NOT_A_PLANNER)
    people = selectors.people_plannable_by(request.user)
    replacing = None
    if request.POST.get("allocation", "").isdigit():
        replacing = Allocation.objects.filter(
            pk=request.POST["allocation"], person__in=people
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
