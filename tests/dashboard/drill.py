"""Following a metric's drill-down as a signed-in user: how many rows the list behind it
counts, on the page (its paginator, the "1–25 of n" line) and in the API list that shares
its FilterSet."""

from urllib.parse import urlencode

from django.urls import reverse

from itsm_pmo.dashboard.metrics import Drill


def page_count(client, drill: Drill, *, without: tuple[str, ...] = ()) -> int:
    """The list page's count at the drill's URL, less the parameters named in `without` (a
    rate's denominator is its list without the numerator's extra filter)."""
    params = {k: v for k, v in drill.params.items() if k not in without}
    response = client.get(reverse(drill.url_name), params)
    assert response.status_code == 200, response.status_code
    return response.context["paginator"].count


def api_count(client, path: str, drill: Drill, *, without: tuple[str, ...] = ()) -> int:
    """The API list's `count` for the drill's parameters."""
    params = {k: v for k, v in drill.params.items() if k not in without}
    response = client.get(f"{path}?{urlencode(params)}")
    assert response.status_code == 200, response.content
    return response.json()["count"]
