"""bench/paths.py: every path of the load benchmark resolves on a small data set and answers
2xx for its role, so a test can compare query counts at two sizes with the same list."""

import pytest
from django.test import Client

from bench import paths
from itsm_pmo.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_every_path_resolves_and_answers_2xx_for_its_role_on_the_demo_data():
    # given the demo organisation (scale 1)
    users = seed_demo(scale=1, password="demo").users
    # when
    objects = paths.pick_objects()
    # then every detail page has its object, and every path answers
    assert None not in objects.as_dict().values(), objects
    clients: dict[str, Client] = {}
    for path, url in paths.resolved(objects):
        assert url is not None, path.name
        if path.role not in clients:
            clients[path.role] = Client()
            clients[path.role].force_login(users[path.role])
        response = clients[path.role].get(url)
        assert response.status_code == 200, (path.name, url, response.status_code)


def test_the_list_has_one_name_a_path_a_known_role_and_kind_and_the_floor_first():
    names = [p.name for p in paths.PATHS]
    assert len(names) == len(set(names))
    assert paths.PATHS[0].kind == paths.FLOOR
    assert {p.role for p in paths.PATHS} == set(paths.ROLES)
    assert {p.kind for p in paths.PATHS[1:]} == set(paths.MIN_RATIO)


def test_select_keeps_the_floor_and_matches_any_of_several_words():
    chosen = paths.select("ranking, API con")
    assert [p.name for p in chosen] == ["floor /api/me/", "ranking", "API conflicts"]
    assert paths.select(None) == paths.PATHS
