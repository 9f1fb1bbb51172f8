"""A Redis cache that a Redis outage cannot turn into a server error.

The cache holds only what can be computed again (sessions are cached in front of the
database, work derived from a snapshot is cached per snapshot), so when Redis does not
answer a read is a miss and a write is skipped: pages stay up, only slower, and the
failure is logged.
"""

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are skipped while Redis is down."""

    def _quietly(self, what: str, call, fallback: Any) -> Any:
        try:
            return call()
        except DOWN as exc:
            log.warning("cache %s skipped: Redis did not answer (%s)", what, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._quietly(
            "get", lambda: super(TolerantRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._quietly(
            "get_many", lambda: super(TolerantRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._quietly(
            "has_key", lambda: super(TolerantRedisCache, self).has_key(key, version), False
        )

    def set(self, key, value, timeout=None, version=None, **kwargs):
        return self._quietly(
            "set", lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None
        )

    def add(self, key, value, timeout=None, version=None, **kwargs):
        return self._quietly(
            "add", lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), False
        )

    def set_many(self, data, timeout=None, version=None, **kwargs):
        return self._quietly(
            "set_many",
            lambda: super(TolerantRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def touch(self, key, timeout=None, version=None, **kwargs):
        return self._quietly(
            "touch", lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False
        )

    def incr(self, key, delta=1, version=None):
        return self._quietly(
            "incr", lambda: super(TolerantRedisCache, self).incr(key, delta, version), None
        )

    def delete(self, key, version=None):
        return self._quietly(
            "delete", lambda: super(TolerantRedisCache, self).delete(key, version), False
        )

    def delete_many(self, keys, version=None):
        return self._quietly(
            "delete_many", lambda: super(TolerantRedisCache, self).delete_many(keys, version), None
        )
