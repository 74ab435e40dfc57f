"""``Idempotency-Key`` on writes: a retried submission or upload takes effect once.

The key is kept per account with a SHA-256 of the request (method, path, the body's fields and
each uploaded file's bytes) and the response. A retry with the same key and the same request gets
the stored response (``Idempotent-Replayed: true``) without acting again; the same key with a
different request is refused (422); a retry while the first is still running gets 409. A 5xx
answer is not kept, so the request can be retried. A record left running by a process that died
is taken over after ``STALE_AFTER``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.response import Response

from assessments.api.problems import CONTENT_TYPE, problem
from assessments.kernel import clock
from assessments.models import IdempotencyRecord

HEADER = "Idempotency-Key"
STALE_AFTER = timedelta(minutes=15)


def request_digest(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    data = request.data
    files = getattr(request, "FILES", None) or {}
    if hasattr(data, "lists"):
        fields = sorted((k, str(v)) for k, values in data.lists() for v in values
                        if k not in files)
    else:
        fields = data
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    for name in sorted(files):
        for upload in files.getlist(name):
            digest.update(f"\nfile {name} {upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def idempotent(handler):
    """Wrap a view's write handler (``post``, ``put``) with the ``Idempotency-Key`` rule."""

    @wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 255:
            return problem(400, "idempotency_key", _("Ключ идемпотентности длиннее 255 "
                                                     "символов."), request)
        digest = request_digest(request)
        now = clock.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, request_hash=digest, created_at=now)
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=request.user, key=key)
            if record.request_hash != digest:
                return problem(422, "idempotency_mismatch", _(
                    "Этот ключ идемпотентности уже использован для другого запроса."), request)
            if record.status is not None:
                return Response(record.response, status=record.status,
                                headers={"Idempotent-Replayed": "true"},
                                content_type=CONTENT_TYPE if record.status >= 400 else None)
            if now - record.created_at < STALE_AFTER:
                return problem(409, "idempotency_in_progress", _(
                    "Запрос с этим ключом идемпотентности ещё выполняется; повторите позже."),
                    request)
            IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=now)
        try:
            response = handler(view, request, *args, **kwargs)
        except Exception as exc:  # answered as the view would, then kept (or not) below
            response = view.handle_exception(exc)
        if response.status_code >= 500:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(
                status=response.status_code, response=json.loads(json.dumps(
                    response.data, default=str)))
        return response

    return wrapper
