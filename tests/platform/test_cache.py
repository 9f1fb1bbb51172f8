"""The Redis cache: a real round trip, and an outage that reads as a miss, never an error."""

import os

import pytest

from itsm_pmo.cache import TolerantRedisCache

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _cache(location: str) -> TolerantRedisCache:
    return TolerantRedisCache(location, {"KEY_PREFIX": "test-cache", "OPTIONS": OPTIONS})


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="no Redis configured")
def test_cache_round_trip_on_the_real_redis():
    # given the machine's Redis, on a database of its own
    cache = _cache(os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/3")
    # when a value is written, then it is read back, and deleted it is gone
    cache.set("answer", {"weeks": [1, 2]}, 30)
    assert cache.get("answer") == {"weeks": [1, 2]}
    cache.delete("answer")
    assert cache.get("answer", "missing") == "missing"


def test_cache_outage_is_a_miss_and_a_skipped_write():
    # given a cache whose Redis does not answer (nothing listens on port 1)
    cache = _cache("redis://127.0.0.1:1/0")
    # when it is written and read, then nothing raises: reads miss, writes are skipped
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
