"""Lessons learned from the set's own projects, changes, incidents and handovers (and a few from
nowhere in particular), tagged, most published, some marked applied in real contexts; and the
knowledge articles operations keep: runbooks, how-tos and known errors from the problems.

The search vectors are PostgreSQL's to fill: a trigger (knowledge migration 0002) keeps them on
every insert, bulk ones included."""

from datetime import timedelta

from changes.choices import ChangeState, Outcome
from handover.choices import HandoverState, IncidentState
from knowledge.choices import (
    CATEGORY_FOR_SOURCE,
    ArticleKind,
    Impact,
    KnowledgeState,
    LessonCategory,
)
from knowledge.models import (
    Article,
    ArticleTransition,
    Lesson,
    LessonApplication,
    LessonTransition,
    Tag,
)
from portfolio.choices import Stage

from . import words
from .base import World, between, insert, link, office_moment, pick

K = KnowledgeState
STATES = ((K.PUBLISHED, 78), (K.DRAFT, 15), (K.ARCHIVED, 7))


def build(world: World) -> dict[str, int]:
    counts = _lessons(world)
    counts.update(_articles(world))
    return counts


def _tags(names: list[str]) -> dict[str, int]:
    have = dict(Tag.objects.values_list("name", "pk"))
    insert(Tag, [Tag(name=n) for n in names if n not in have])
    return dict(Tag.objects.values_list("name", "pk"))


def _lessons(world: World) -> dict[str, int]:
    rng, now, today = world.rng, world.now, world.today
    wanted = max(0, world.size.lessons - Lesson.objects.count())
    if wanted == 0:
        return {"lessons": 0}
    tag_ids = _tags(list(words.TAGS))
    service_of = {s.pk: s for s in world.services}
    publishers = (world.by_role.get("pmo_lead") or []) + (world.by_role.get("itsm_manager") or [])
    everyone = [u for role in world.by_role for u in world.crowd(role)]
    ended = [
        p for p in world.projects if p.stage in (Stage.CLOSED, Stage.HANDOVER, Stage.IN_FLIGHT)
    ]
    changes = [
        c
        for c in world.changes
        if c.state in (ChangeState.CLOSED, ChangeState.CANCELLED, ChangeState.REVIEW)
    ]
    troubled = [c for c in changes if c.outcome and c.outcome != Outcome.SUCCESSFUL]
    incidents = [
        i
        for i in world.incidents
        if i.state in (IncidentState.RESOLVED, IncidentState.CLOSED) and i.priority <= 3
    ]
    serious = [i for i in incidents if i.priority <= 2]
    handovers = [
        h
        for h in world.handovers
        if h.state in (HandoverState.CLOSED, HandoverState.EARLY_LIFE_SUPPORT)
    ]
    contexts = (
        [f"project:{p.pk}" for p in world.projects if p.stage in (Stage.APPROVED, Stage.IN_FLIGHT)]
        + [
            f"change:{c.pk}"
            for c in world.changes
            if c.state in (ChangeState.ASSESS, ChangeState.AUTHORIZE)
        ]
        + [f"handover:{h.pk}" for h in world.handovers if h.state != HandoverState.CLOSED]
    )
    engineer = world.users["engineer"]
    lessons, tag_pairs, moves, marks, sources = [], [], [], [], []
    for _ in range(wanted):
        kind = pick(
            rng,
            (
                ("project", 35 if ended else 0),
                ("change", 20 if changes else 0),
                ("incident", 25 if incidents else 0),
                ("handover", 10 if handovers else 0),
                ("", 10),
            ),
        )
        source, service, author, when = None, None, None, None
        if kind == "project":
            source = rng.choice(ended)
            ids = world.project_services.get(source.pk) or []
            service = service_of.get(ids[0]) if ids else None
            author = world.user_for(source.owner)
            when = office_moment(rng, min(source.end_date or today, today))
        elif kind == "change":
            source = rng.choice(troubled if troubled and rng.random() < 0.6 else changes)
            service = service_of.get(source.service_id_)
            author = source.requester
            when = source.updated_at + timedelta(days=rng.uniform(0.5, 10))
        elif kind == "incident":
            source = rng.choice(serious if serious and rng.random() < 0.6 else incidents)
            service = source.service
            author = world.user_for(source.assignee) or source.reporter
            when = (source.resolved_at or now) + timedelta(days=rng.uniform(0.5, 10))
        elif kind == "handover":
            source = rng.choice(handovers)
            service = source.service
            author = rng.choice(publishers) if publishers else None
            when = source.updated_at + timedelta(days=rng.uniform(1, 20))
        else:
            service = rng.choice(world.services)
            when = now - timedelta(days=rng.uniform(1, 700))
        if author is None or rng.random() < 0.1:
            author = rng.choice(everyone)
        if rng.random() < 0.01:
            author = engineer
        written = min(when, now - timedelta(hours=rng.uniform(1, 200)))
        category = (
            CATEGORY_FOR_SOURCE[kind]
            if kind and rng.random() < 0.6
            else rng.choice(LessonCategory.values)
        )
        title, what, rec = words.LESSONS[category]
        project = source if kind == "project" else getattr(source, "project", None)
        team = world.team(service.owning_team_id).name if service else "the team"
        item = world.items_of_service.get(service.pk) if service else None
        names = {
            "service": service.name if service else "the service",
            "project": f"{project.code} {project.name}" if project else "the project",
            "team": team,
            "ci": rng.choice(item).name if item else "the platform",
        }
        state = pick(rng, STATES)
        published = None
        if state != K.DRAFT:
            published = min(written + timedelta(days=rng.uniform(0.5, 10)), now)
        lesson = Lesson(
            title=title.format(**names)[:200],
            what_happened=what.format(**names)
            + "\n\n"
            + rng.choice(
                ("It cost the team a week.", "Customers noticed.", "Nobody noticed in time.")
            ),
            recommendation=rec.format(**names),
            category=category,
            impact=pick(rng, ((Impact.LOW, 25), (Impact.MEDIUM, 50), (Impact.HIGH, 25))),
            state=state,
            author=author,
            service=service,
            published_at=published,
            created_at=written,
            updated_at=published or written,
        )
        if kind:
            setattr(lesson, kind, source)
        lesson._history_user = author
        lessons.append(lesson)
        sources.append((lesson, state, written, published))
    insert(Lesson, lessons, with_history=True)

    for lesson, state, _written, published in sources:
        tag_pairs += [(lesson.pk, tag_ids[t]) for t in rng.sample(words.TAGS, k=rng.randint(1, 4))]
        if published is None:
            continue
        publisher = rng.choice(publishers) if publishers else lesson.author
        moves.append(
            LessonTransition(
                lesson=lesson,
                from_state=K.DRAFT,
                to_state=K.PUBLISHED,
                by=publisher,
                at=published,
            )
        )
        if state == K.ARCHIVED:
            moment = between(rng, published, now, 1)[0]
            moves.append(
                LessonTransition(
                    lesson=lesson,
                    from_state=K.PUBLISHED,
                    to_state=K.ARCHIVED,
                    by=publisher,
                    at=moment,
                    comment="Superseded by a newer lesson.",
                )
            )
        if state == K.PUBLISHED and contexts and rng.random() < 0.35:
            seen = set()
            for moment in between(rng, published, now, rng.randint(1, 6)):
                mark = (rng.choice(everyone), rng.choice(contexts))
                if (mark[0].pk, mark[1]) in seen:
                    continue
                seen.add((mark[0].pk, mark[1]))
                marks.append(
                    LessonApplication(lesson=lesson, by=mark[0], context=mark[1], applied_at=moment)
                )
            lesson.applied_count = len(seen)
    link(Lesson.tags.through, tag_pairs, "lesson_id", "tag_id")
    insert(LessonTransition, moves)
    insert(LessonApplication, marks)
    applied = [lesson for lesson in lessons if lesson.applied_count]
    Lesson.objects.bulk_update(applied, ["applied_count"], batch_size=1000)
    return {
        "lessons": len(lessons),
        "lesson_tags": len(tag_pairs),
        "lesson_transitions": len(moves),
        "lesson_applications": len(marks),
    }


def _articles(world: World) -> dict[str, int]:
    rng, now, today = world.rng, world.now, world.today
    wanted = max(0, world.size.articles - Article.objects.count())
    if wanted == 0:
        return {"articles": 0}
    known = [p for p in world.problems if p.workaround]  # known errors (Problem.known_error)
    first_incident = {}
    for incident in world.incidents:
        if incident.problem_id and incident.problem_id not in first_incident:
            first_incident[incident.problem_id] = incident
    managers = world.by_role.get("itsm_manager") or [world.users["itsm_manager"]]
    service_of = {s.pk: s for s in world.services}
    articles, moves, states = [], [], []
    for _ in range(wanted):
        kind = pick(
            rng,
            (
                (ArticleKind.RUNBOOK, 40),
                (ArticleKind.HOW_TO, 40),
                (ArticleKind.KNOWN_ERROR, 20 if known else 0),
            ),
        )
        incident = None
        if kind == ArticleKind.KNOWN_ERROR:
            problem = rng.choice(known)
            incident = first_incident.get(problem.pk)
            service = (
                service_of.get(incident.service_id) if incident else rng.choice(world.services)
            )
            cause = problem.root_cause.rstrip(".").lower() or "under investigation"
        else:
            service, cause = rng.choice(world.services), ""
        items = world.items_of_service.get(service.pk) or []
        title = rng.choice(words.ARTICLE_TITLES[kind]).format(
            service=service.name,
            ci=rng.choice(items).name if items else service.name,
            cause=cause,
        )
        team = world.members.get(service.owning_team_id, [])
        owners = [world.user_of[p.pk] for p in team if p.pk in world.user_of] or managers
        state = pick(rng, ((K.PUBLISHED, 85), (K.DRAFT, 10), (K.ARCHIVED, 5)))
        written = now - timedelta(days=rng.uniform(2, 700))
        published = (
            None if state == K.DRAFT else min(written + timedelta(days=rng.uniform(0.2, 5)), now)
        )
        body = (
            f"## {title}\n\nApplies to {service.name}.\n\n"
            "1. Check the service dashboard and the open incidents.\n"
            "2. Follow the steps below in order; stop and escalate if a step fails.\n"
            "3. Record what you did in the incident's work log.\n\n"
            + (f"**Workaround:** {problem.workaround}\n" if kind == ArticleKind.KNOWN_ERROR else "")
        )
        article = Article(
            title=title[:200],
            body=body,
            kind=kind,
            service=service,
            owner=rng.choice(owners),
            next_review=today + timedelta(days=rng.randint(-60, 365)),
            state=state,
            incident=incident,
            published_at=published,
            created_at=written,
            updated_at=published or written,
        )
        article._history_user = article.owner
        articles.append(article)
        states.append((article, state, published))
    insert(Article, articles, with_history=True)
    for article, state, published in states:
        if published is None:
            continue
        by = rng.choice(managers)
        moves.append(
            ArticleTransition(
                article=article, from_state=K.DRAFT, to_state=K.PUBLISHED, by=by, at=published
            )
        )
        if state == K.ARCHIVED:
            moves.append(
                ArticleTransition(
                    article=article,
                    from_state=K.PUBLISHED,
                    to_state=K.ARCHIVED,
                    by=by,
                    at=between(rng, published, now, 1)[0],
                    comment="The service was replaced.",
                )
            )
    insert(ArticleTransition, moves)
    return {"articles": len(articles), "article_transitions": len(moves)}
