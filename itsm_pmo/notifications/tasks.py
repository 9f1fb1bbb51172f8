"""The tasks that deliver notifications: write each recipient's row as they prefer it, then
e-mail those who asked, one retried task per e-mail."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..tasks import enqueue_after_commit
from .events import DEFAULTS, Delivery


def preferences(user_ids: list[int], event: str) -> dict[int, Delivery]:
    from ..models import NotificationPreference

    chosen = {
        p.user_id: Delivery(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user_id__in=user_ids, event=event)
    }
    return {uid: chosen.get(uid, DEFAULTS[event]) for uid in user_ids}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(
    event: str, user_ids: list[int], title: str, url: str, body: str, key: str = ""
) -> int:
    """One row per active recipient who wants the event anywhere; returns how many rows were
    written. Run again with the same `key` (a redelivery), it writes none twice and e-mails
    only what is still unsent."""
    from ..models import Notification

    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    emails = dict(users.values_list("pk", "email"))
    wanted = preferences(sorted(emails), event)
    rows = [
        Notification(
            recipient_id=uid,
            event=event,
            title=title,
            url=url,
            body=body,
            in_app=how.in_app,
            email_wanted=how.email and bool(emails[uid]),
            dedup_key=key,
        )
        for uid, how in wanted.items()
        if how.in_app or (how.email and emails[uid])
    ]
    with transaction.atomic():
        if key:
            before = Notification.objects.filter(dedup_key=key).count()
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            written = Notification.objects.filter(dedup_key=key).count() - before
            unsent = Notification.objects.filter(
                dedup_key=key, email_wanted=True, emailed_at__isnull=True
            ).values_list("pk", flat=True)
        else:  # a delivery queued before keys existed
            written = len(Notification.objects.bulk_create(rows))
            unsent = [row.pk for row in rows if row.email_wanted]
        for pk in unsent:
            enqueue_after_commit(send_notification_email, pk)
    return written


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> int:
    """E-mail one notification, once: a retry after a send that succeeded sends nothing."""
    from ..models import Notification

    row = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True, email_wanted=True)
        .first()
    )
    if row is None or not row.recipient.email or not row.recipient.is_active:
        return 0
    link = settings.PORTAL_URL + row.url if row.url.startswith("/") else row.url
    text = "\n\n".join(part for part in (row.body, link) if part)
    sent = send_mail(row.title, text, settings.DEFAULT_FROM_EMAIL, [row.recipient.email])
    Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
    return sent
