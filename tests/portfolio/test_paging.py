"""The PMO lead's central screens at size: the board a page per column with "show more",
the ranking paged with global ranks, the portfolio fit computed once per snapshot."""

import re
from unittest import mock

import pytest

from portfolio.views.board import COLUMN_PAGE
from portfolio.views.ranking import RANKING_PAGE
from resources import selectors as capacity
from tests.portfolio.test_pages import make_portfolio
from tests.resources.test_fit import URL as FIT_URL
from tests.resources.test_fit import demand, portfolio, publish  # noqa: F401 (a fixture)
from tests.support.queries import queries_for

pytestmark = pytest.mark.django_db


def cards(html: str, stage: str) -> list[str]:
    """The codes of the cards of a column, in order."""
    column = html.split(f'data-testid="column-{stage}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-testid="card-([^"]+)"', column)


def test_board_column_shows_a_page_of_its_best_cards_and_how_many_it_holds(page_clients, criteria):
    # given 7 × 30 projects over every stage: 30 proposals
    make_portfolio(210, criteria)
    client = page_clients("pmo_lead")
    # when
    html = client.get("/portfolio/").content.decode()
    # then the proposed column shows a page of cards, says it holds 30 and offers more
    shown = cards(html, "proposed")
    assert len(shown) == COLUMN_PAGE
    section = html.split('id="section-proposed"', 1)[1].split("</section>", 1)[0]
    assert 'data-count title="30 projects in this column">30<' in section
    assert f"({COLUMN_PAGE} of 30 shown)" in section
    assert f"n_proposed={2 * COLUMN_PAGE}" in section
    # and ranks are over the whole board, best first
    ranks = [int(r) for r in re.findall(r"#(\d+)</span>", section)]
    assert ranks == sorted(ranks) and max(ranks) > COLUMN_PAGE


def test_board_show_more_adds_a_page_and_the_htmx_request_renders_only_its_column(
    page_clients, criteria
):
    # given
    make_portfolio(210, criteria)
    client = page_clients("pmo_lead")
    first = cards(client.get("/portfolio/").content.decode(), "proposed")
    # when "show more" is followed without JavaScript
    more = client.get(f"/portfolio/?n_proposed={2 * COLUMN_PAGE}").content.decode()
    # then the column shows two pages, the first one unchanged, the other columns one page
    assert cards(more, "proposed")[:COLUMN_PAGE] == first
    assert len(cards(more, "proposed")) == 30
    assert "Show more" not in more.split('id="section-proposed"', 1)[1].split("</section>")[0]
    assert len(cards(more, "assessed")) == COLUMN_PAGE
    # when htmx asks for the column
    part = client.get(
        f"/portfolio/?n_proposed={2 * COLUMN_PAGE}&column=proposed", HTTP_HX_REQUEST="true"
    ).content.decode()
    # then only that column comes back
    assert part.lstrip().startswith('<section class="board-column" id="section-proposed"')
    assert part.count("<section") == 1 and len(cards(part, "proposed")) == 30


def test_board_filter_counts_ignore_the_column_sizes(page_clients, criteria):
    # given
    make_portfolio(70, criteria)
    client = page_clients("pmo_lead")
    # when a column size is the only parameter, the board is not "filtered"
    html = client.get("/portfolio/?n_proposed=abc").content.decode()
    # then it shows a page (a wrong size means one page), and no "clear the filters"
    assert len(cards(html, "proposed")) == 10
    assert "No project matches these filters." not in html


def test_ranking_is_paged_with_global_ranks_and_a_count(page_clients, criteria):
    # given 60 live projects (70 over every stage, closed ones are not ranked)
    make_portfolio(70, criteria)
    client = page_clients("executive")
    # when
    first = client.get("/portfolio/ranking/").content.decode()
    second = client.get("/portfolio/ranking/?page=2").content.decode()
    # then a page of rows, the ranks of page 2 following those of page 1, the count of all
    assert first.count('data-testid="rank-row"') == RANKING_PAGE
    assert "60 projects ranked" in first and "60 projects ranked" in second
    ranks = re.findall(r'<td class="text-end tabular fw-semibold">(\d+)', second)
    assert ranks[0] == str(RANKING_PAGE + 1)
    assert f"{RANKING_PAGE + 1}–{2 * RANKING_PAGE} of 60" in second
    assert 'rel="next"' in first and "page=2" in first


def test_ranking_what_if_is_over_the_whole_portfolio_and_pages_keep_the_weights(
    page_clients, criteria
):
    # given
    make_portfolio(70, criteria)
    client = page_clients("pmo_lead")
    risk = criteria[1]
    # when the what-if makes risk weigh most, on page 2 in htmx
    part = client.get(f"/portfolio/ranking/?w{risk.pk}=10&page=2", HTTP_HX_REQUEST="true")
    html = part.content.decode()
    # then the rows carry how far they moved against the saved weights over all projects
    assert 'data-testid="what-if-badge"' in html
    assert "▲" in html or "▼" in html
    # and the pager keeps the weights
    assert f"w{risk.pk}=10&amp;page=1" in html or f"w{risk.pk}=10&amp;page=3" in html


def test_fit_supply_is_computed_once_per_snapshot(page_clients, portfolio):  # noqa: F811
    # given a published snapshot, read once
    client = page_clients("pmo_lead")
    publish()
    client.get(FIT_URL)
    # when the page is read again, the supply is not rebuilt (two queries fewer)
    with mock.patch.object(capacity, "snapshot_supply", wraps=capacity.snapshot_supply) as spy:
        html = client.get(FIT_URL).content.decode()
    assert spy.call_count == 0
    assert 'data-code="PRO-B" data-fits="no"' in html
    # when a new snapshot is published with more people, the next read rebuilds it
    from tests.factories import PersonSkillFactory

    PersonSkillFactory(skill=portfolio["pg"], level=3)
    publish()
    with mock.patch.object(capacity, "snapshot_supply", wraps=capacity.snapshot_supply) as spy:
        html = client.get(FIT_URL).content.decode()
    # then Beta fits now (80 h of PostgreSQL for 50 h asked)
    assert spy.call_count == 1
    assert 'data-code="PRO-B" data-fits="yes"' in html


def test_fit_follows_an_edit_of_the_ranking_without_a_new_snapshot(page_clients, portfolio):  # noqa: F811
    # given Alpha ranked above Beta and only one of them fitting
    client = page_clients("pmo_lead")
    publish()
    assert 'data-code="PRO-A" data-fits="yes"' in client.get(FIT_URL).content.decode()
    # when Beta's score is raised above Alpha's (no new snapshot)
    beta_score = portfolio["beta"].scores.get()
    beta_score.value = 5
    beta_score.save()
    alpha_score = portfolio["alpha"].scores.get()
    alpha_score.value = 1
    alpha_score.save()
    # then the page reads the new order: Beta takes the hours, Alpha does not fit
    html = client.get(FIT_URL).content.decode()
    assert 'data-code="PRO-B" data-fits="yes"' in html
    assert 'data-code="PRO-A" data-fits="no"' in html


def test_fit_cached_read_has_fewer_queries(page_clients, portfolio, settings):  # noqa: F811
    settings.PAGE_CACHE_SECONDS = 0  # the fit's own cache, under the kept page
    client = page_clients("pmo_lead")
    publish()
    cold = queries_for(lambda: client.get(FIT_URL))
    warm = queries_for(lambda: client.get(FIT_URL))
    assert warm == cold - 2


def test_owner_filter_takes_a_name_or_an_id_and_lists_no_options(page_clients):
    # given two owners
    from tests.factories import PersonFactory, ProjectFactory, TeamFactory

    rosa, tom = PersonFactory(name="Rosa Silva"), PersonFactory(name="Tom Berg")
    ProjectFactory(code="P-ROSA", owner=rosa, support_team=TeamFactory(name="Database team"))
    ProjectFactory(code="P-TOM", owner=tom)
    client = page_clients("pmo_lead")
    # when the list is filtered by a part of a name, by an id, by a team's name
    by_name = client.get("/portfolio/projects/?owner=silva").content.decode()
    by_id = client.get(f"/portfolio/projects/?owner={tom.pk}").content.decode()
    by_team = client.get("/portfolio/projects/?support_team=datab").content.decode()
    # then
    assert "P-ROSA" in by_name and "P-TOM" not in by_name
    assert "P-TOM" in by_id and "P-ROSA" not in by_id
    assert "P-ROSA" in by_team and "P-TOM" not in by_team
    # and the form suggests names as one types rather than listing every person
    assert 'list="owner-suggestions"' in by_name and "Tom Berg</option>" not in by_name


def test_suggestions_are_a_few_names_containing_what_was_typed(page_clients):
    # given
    from tests.factories import PersonFactory, ProjectFactory

    for i in range(20):
        ProjectFactory(owner=PersonFactory(name=f"Ana {i:02d}"))
    ProjectFactory(owner=PersonFactory(name="Bob"))
    PersonFactory(name="Ana owns nothing")
    client = page_clients("engineer")
    # when
    html = client.get("/portfolio/suggest/owner/?owner=ana").content.decode()
    # then owners only, at most fifteen, in name order
    assert html.count("<option") == 15 and 'value="Ana 00"' in html
    assert "Bob" not in html and "owns nothing" not in html
    assert client.get("/portfolio/suggest/nothing/").status_code == 404
    assert page_clients("anonymous").get("/portfolio/suggest/owner/").status_code in (302, 403)
