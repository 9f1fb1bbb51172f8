"""python -m bench.knowledge_search: time the knowledge base's search at enterprise size.

    python -m bench.knowledge_search [--lessons N] [--runs N] [--seed N]

PostgreSQL only, in a database of its own (it deletes every lesson there first). Builds N
synthetic lessons (20,000 by default: a decade of a large IT department's lessons), then times
what a reader waits for: one page of ranked search results with snippets (the search page and
`GET /api/knowledge/lessons/?q=`), and the five similar lessons for a proposal being typed
(the intake panel). Figures in docs/performance.md.
"""

import argparse
import os
import random
import statistics
import sys
import time

AIM_MS = 100  # a search page's query, and the intake panel's, on 2 cores

TOPICS = [
    "payments gateway",
    "core banking",
    "dns",
    "certificate",
    "load balancer",
    "database failover",
    "backup restore",
    "identity provider",
    "network firewall",
    "mobile app",
    "data warehouse",
    "message queue",
    "storage array",
    "vpn",
    "service desk",
    "monitoring",
    "patching",
    "kubernetes cluster",
    "cdn",
    "email",
]
WHAT = [
    "cutover slipped past the freeze",
    "vendor delivered late",
    "runbook was missing",
    "rollback took four hours",
    "capacity was not booked",
    "the on-call team was not trained",
    "testing skipped the batch jobs",
    "the change collided with another",
    "alerts went to a retired mailbox",
    "the licence expired during go-live",
]
NEXT = [
    "book the change window at approval",
    "ask vendors for lead times during assessment",
    "write the runbook before readiness review",
    "rehearse the rollback in staging",
    "put support effort in the intake",
    "train operations a month before go-live",
    "include batch jobs in the test plan",
    "check the change calendar for collisions",
    "route alerts through the service catalogue",
    "track licence renewals as risks",
]
QUERIES = [
    "dns cutover",
    "vendor late delivery",
    "rollback rehearsal",
    "certificate expired",
    "database failover runbook",
    "licence renewal",
    "batch jobs testing",
]
PROPOSAL = (
    "Migrate the payments gateway to the new kubernetes cluster before year end; "
    "cutover over a weekend with the vendor on site."
)


def build(n: int, seed: int) -> None:
    from django.contrib.auth import get_user_model

    from knowledge.choices import Impact, KnowledgeState, LessonCategory
    from knowledge.models import Lesson

    rng = random.Random(seed)
    author, _ = get_user_model().objects.get_or_create(username="bench-author")
    Lesson.objects.all().delete()
    categories, impacts = LessonCategory.values, Impact.values
    batch = []
    for i in range(n):
        topic, what, nxt = rng.choice(TOPICS), rng.choice(WHAT), rng.choice(NEXT)
        batch.append(
            Lesson(
                title=f"{topic.capitalize()}: {what} (#{i})",
                what_happened=f"During the {topic} work the {what}. " * rng.randint(2, 6),
                recommendation=f"Next time, {nxt} for {topic}.",
                category=rng.choice(categories),
                impact=rng.choice(impacts),
                author=author,
                state=KnowledgeState.PUBLISHED,
            )
        )
        if len(batch) == 2000:
            Lesson.objects.bulk_create(batch)  # the trigger fills each search vector
            batch = []
    Lesson.objects.bulk_create(batch)


def clock(label: str, action, runs: int) -> float:
    action()  # warm caches, as a running server's are
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    verdict = "met" if median <= AIM_MS else "MISSED"
    print(
        f"{label:<62} median {median:6.1f} ms  (min {min(times):.1f}, max {max(times):.1f})"
        f"  aim {AIM_MS} ms: {verdict}"
    )
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.knowledge_search")
    parser.add_argument("--lessons", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm_pmo.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("The search bench runs on PostgreSQL only (DATABASE_URL).", file=sys.stderr)
        return 2
    from knowledge import search
    from knowledge.models import Lesson
    from knowledge.similar import similar_lessons

    if Lesson.objects.exclude(author__username="bench-author").exists():
        print(
            f"The database {connection.settings_dict['NAME']!r} holds lessons the bench did "
            "not make; give it a database of its own.",
            file=sys.stderr,
        )
        return 2
    if Lesson.objects.count() != args.lessons:
        started = time.perf_counter()
        build(args.lessons, args.seed)
        print(f"Built {args.lessons:,} lessons in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_lesson")
    print(f"{Lesson.objects.count():,} published lessons, PostgreSQL, median of {args.runs}")

    def page_of(q):
        rows = list(search.ranked(Lesson.objects.all(), q, search.LESSONS)[:25])
        return [search.snippet(row, q, search.LESSONS) for row in rows]

    for q in QUERIES:
        clock(f"search page of 25 with snippets: {q!r}", lambda q=q: page_of(q), args.runs)
    clock(
        "similar lessons for a typed proposal",
        lambda: similar_lessons(text=PROPOSAL, category="scheduling"),
        args.runs,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
