"""Celery tasks of change control: the emails, sent off the request path."""

from celery import shared_task

from .models import Approval, ChangeRequest


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_approvers(change_id: int) -> int:
    from .notifications import send_approval_request

    change = ChangeRequest.objects.select_related("requester", "implementer").get(pk=change_id)
    return send_approval_request(change)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_requester(change_id: int, approval_id: int) -> int:
    from .notifications import send_decision

    approval = Approval.objects.select_related("approver", "change__requester").get(
        pk=approval_id, change_id=change_id
    )
    return send_decision(approval.change, approval)
