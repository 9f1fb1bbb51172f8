"""The web benchmark's report, in Markdown (to paste into docs/performance.md)."""

import statistics
import subprocess

from .paths import FLOOR, MAX_HTML_BYTES, MAX_P95_MS, MIN_RATIO
from .stack import ROOT

# Engine targets (issue 13): full recompute at 1× within 5 s and 3× its bare read; the time
# grows no faster than 20/16 of the data.
ENGINE_SECONDS, ENGINE_RATIO, ENGINE_GROWTH = 5.0, 3.0, 20 / 16
EDIT_SECONDS = 1.0


def commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return (done.stdout.strip() or "unknown") + (" (with local changes)" if dirty.stdout else "")


def size(n: int | None) -> str:
    if n is None:
        return "—"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1000:
        return f"{n / 1000:.0f} kB"
    return f"{n} B"


def ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def ratio(value: float) -> str:
    return f"{value:.2g}" if value < 1 else f"{value:.2f}"


def misses(m) -> list[str]:
    """What keeps a path from its targets (empty: all met)."""
    path, found = m.path, []
    if m.load is None:
        return ["not measured"]
    if path.kind in MIN_RATIO and m.floor and m.load.rps < MIN_RATIO[path.kind] * m.floor:
        found.append(f"× floor < {MIN_RATIO[path.kind]:g}")
    if m.load.p95_ms > MAX_P95_MS:
        found.append(f"p95 > {MAX_P95_MS:g} ms")
    if m.load.failed or (m.status is not None and not 200 <= m.status < 300):
        found.append("non-2xx")
    if path.is_html and (m.bytes or 0) > MAX_HTML_BYTES:
        found.append(f"HTML > {MAX_HTML_BYTES // 1000} kB")
    return found


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(run) -> str:
    args = run.args
    floors = ", ".join(f"{f:.0f}" for f in run.floors)
    every = f"every {args.floor_every} paths, " if args.floor_every else ""
    out = [
        f"# Web benchmark, {run.started:%Y-%m-%d %H:%M} (commit {commit()})",
        "",
        f"gunicorn 4 sync workers on PostgreSQL (`{run.database}`), Redis and a Celery worker; "
        f"`wrk -t2 -c{args.concurrency} -d{args.duration:g}s` a path after {args.warmup:g} s "
        f"of warm-up; DEBUG off. {run.machine}, {run.load_after or '?'} after it. "
        + (
            "Signed-in reads kept per user (page cache on, as deployed): the load repeats one "
            "request, so it measures a kept answer; SQL is the count when rendered."
            if args.page_cache
            else "Page cache off (`--no-page-cache`): every request rendered."
        ),
        "",
        f"Data: {run.built}: " + ", ".join(f"{n:,} {what}" for what, n in run.counts.items()) + ".",
        "",
        "Objects: " + ", ".join(f"{k} {v}" for k, v in run.objects.items()) + ".",
        "",
        f"Floor `/api/me/` (session, user, roles): {floors} req/s (at the start, {every}"
        "at the end); a path's ratio is to the mean of the floor just before and just after "
        f"it. Targets: page ≥ {MIN_RATIO['page']:g}×, list/detail ≥ {MIN_RATIO['list-detail']:g}×, "
        f"API list ≥ {MIN_RATIO['api']:g}× the floor; p95 ≤ {MAX_P95_MS:g} ms; no non-2xx; "
        f"HTML ≤ {MAX_HTML_BYTES // 1000} kB.",
        "",
        "| path | role | kind | req/s | × floor | p50 ms | p95 ms | p99 ms | non-2xx | SQL "
        "| bytes | target |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    met = judged = 0
    for m in run.measured:
        path = m.path
        where = f"{path.name} `{m.url}`" if m.url else path.name
        if m.load is None:
            out.append(f"| {where} | {path.role} | {path.kind} | | | | | | | | | {m.note or '—'} |")
            continue
        load = m.load
        if path.kind == FLOOR:
            target = "(reference)"
        else:
            judged += 1
            found = misses(m)
            met += not found
            target = "met" if not found else "**missed**: " + ", ".join(found)
        if m.note:
            target += f" ({m.note})"
        out.append(
            f"| {where} | {path.role} | {path.kind} | {load.rps:.1f} "
            f"| {ratio(load.rps / m.floor) if m.floor and path.kind != FLOOR else '—'} "
            f"| {ms(load.p50_ms)} "
            f"| {ms(load.p95_ms)} | {ms(load.p99_ms)} | {load.failed} "
            f"| {m.queries if m.queries is not None else '—'} | {size(m.bytes)} | {target} |"
        )
    out += ["", f"{met} of {judged} paths meet every target."]
    out += edits_section(run)
    out += engine_section(run)
    return "\n".join(out) + "\n"


def edits_section(run) -> list[str]:
    if not run.edits and not run.edit_note:
        return []
    out = [
        "",
        "## From an allocation edit to its conflict",
        "",
        "An over-booking POSTed to `/api/resources/allocations/` as the PMO lead, then "
        "`/api/resources/conflicts/?subject_type=person&subject_id=…` polled every 50 ms until "
        "the conflict shows (the real worker recomputes); then the booking DELETEd and the "
        f"conflict polled until it is gone. {run.edit_note}.",
    ]
    if not run.edits:
        return out

    def s(value):
        return "—" if value is None else f"{value:.2f} s"

    out += [
        "",
        "| edit | saved | conflict shown | of which the recompute | gone after the delete |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, e in enumerate(run.edits, start=1):
        out.append(
            f"| {n} | {e['saved'] * 1000:.0f} ms | {s(e['shown'])} | {s(e['compute'])} "
            f"| {s(e['resolved'])} |"
        )
    shown = [e["shown"] for e in run.edits if e["shown"] is not None]
    if shown:
        median = statistics.median(shown)
        verdict = "met" if median <= EDIT_SECONDS else "**missed**"
        out += [
            "",
            f"Median edit to conflict: {median:.2f} s (target ≤ {EDIT_SECONDS:g} s: {verdict}).",
        ]
    return out


def engine_section(run) -> list[str]:
    if not run.engine and not run.engine_note:
        return []
    out = [
        "",
        "## The engine at 1×, 4× and 16×",
        "",
        "The capacity set of `bench/dataset.py` scaled whole (people, teams, projects, "
        f"allocations, demands; 1× = {run.args.engine_base:g} × the enterprise set), each in a "
        f"database of its own; median of {run.args.engine_runs} runs, steady full recomputes "
        "after VACUUM ANALYZE.",
    ]
    if run.engine:
        base = run.engine[0]
        out += [
            "",
            "| set | people | allocations | bare read | full recompute | first full "
            "| full / read | time vs 1× |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in run.engine:
            out.append(
                f"| {r['factor']:g}× | {r['people']:,} | {r['allocations']:,} "
                f"| {r['read_median']:.2f} s | {r['full_median']:.2f} s | {r['first_full']:.2f} s "
                f"| {r['full_median'] / r['read_median']:.2f}× "
                f"| {r['full_median'] / base['full_median']:.1f}× |"
            )
        verdicts = []
        if run.args.engine_base == 1 and base["factor"] == 1:
            full, r = base["full_median"], base["full_median"] / base["read_median"]
            verdicts.append(
                f"full recompute at 1× {full:.2f} s (≤ {ENGINE_SECONDS:g} s: "
                f"{verdict(full <= ENGINE_SECONDS)})"
            )
            verdicts.append(
                f"full / read {r:.2f}× (≤ {ENGINE_RATIO:g}×: {verdict(r <= ENGINE_RATIO)})"
            )
        last = run.engine[-1]
        if len(run.engine) > 1:
            data = last["allocations"] / base["allocations"]
            grew = last["full_median"] / base["full_median"]
            verdicts.append(
                f"{data:.0f}× the allocations took {grew:.1f}× the time "
                f"(≤ {ENGINE_GROWTH * data:.0f}×: {verdict(grew <= ENGINE_GROWTH * data)})"
            )
        out += ["", "; ".join(verdicts) + "."]
    if run.engine_note:
        out += ["", run.engine_note]
    return out
