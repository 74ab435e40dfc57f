"""Uploads that cannot hurt the server (issue 16): the Django side of
:mod:`assessments.kernel.upload_checks`.

    spool(upload, max_bytes) -> Spooled             the upload on disk, its real size and SHA-256;
                                                   refused as too large before anything is kept
    cheap_check(path, limits) -> type               size, type by content, an archive's directory
    probe(path, purpose) -> dict                   the full check of a stored file (all text for
                                                   the stamps, every sheet's references) in a
                                                   subprocess under a memory cap and a timeout
    UploadRefused                                  a DomainError with the reason in words
    refusal_record(...)                            the refused file listed for administrators

Every reader of an uploaded spreadsheet or document — today's and any later one — sits behind
these: a file is read by a parser only after it passed them.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from assessments.kernel import upload_checks
from assessments.kernel.errors import DomainError
from assessments.kernel.upload_checks import DOCUMENT_LIMITS, IMPORT_LIMITS, Limits, Refused

__all__ = ["DOCUMENT_LIMITS", "IMPORT_LIMITS", "Limits", "Refused", "UploadRefused", "probe",
           "cheap_check", "spool", "refusal_record", "reason_text", "refusal_text",
           "check_failure_text", "refusals_for", "HOSTILE"]

# The probe's budget: address space (bytes) and wall time (seconds). Generous: a legitimate
# million-row workbook is checked well within them; a bomb hits them and is refused.
PROBE_MEMORY = 1024 * 1024 * 1024
PROBE_TIMEOUT = 300
MB_ = 1024 * 1024

REASONS = {
    "size": gettext_lazy("Файл больше допустимого размера (%(mb)s МБ)."),
    "empty": gettext_lazy("Файл пуст."),
    "archive_entries": gettext_lazy(
        "В архиве слишком много файлов (%(n)s, допустимо не больше %(limit)s)."),
    "archive_size": gettext_lazy(
        "Распакованное содержимое файла больше допустимого (%(mb)s МБ): похоже на архив-бомбу."),
    "archive_ratio": gettext_lazy(
        "Файл сжат слишком сильно (в %(ratio)s раз, допустимо до %(limit)s): похоже на "
        "архив-бомбу."),
    "archive_encrypted": gettext_lazy("Файл зашифрован паролем: такие файлы не принимаются."),
    "archive_broken": gettext_lazy("Файл повреждён: архив не читается."),
    "sheet_dimension": gettext_lazy(
        "Лист таблицы выходит за допустимые размеры (ячейка %(ref)s; допустимо до "
        "%(columns)s столбцов и %(rows)s строк)."),
    "sheet_reference": gettext_lazy("В листе таблицы неверная ссылка на ячейку «%(ref)s»."),
    "shared_strings": gettext_lazy(
        "В таблице слишком много строковых значений (больше %(limit)s)."),
    "xml_doctype": gettext_lazy(
        "В файле есть объявление DOCTYPE (сущности XML): такие файлы не принимаются."),
    "xml": gettext_lazy("Файл повреждён: XML внутри него не читается."),
    "pages": gettext_lazy("В PDF больше %(limit)s страниц."),
    "unreadable": gettext_lazy("Файл повреждён или не читается."),
    "timeout": gettext_lazy(
        "Проверка файла заняла больше %(seconds)s с и остановлена: файл не принят."),
    "memory": gettext_lazy(
        "Проверке файла не хватило отведённой памяти: файл не принят (похоже на архив-бомбу)."),
    "probe": gettext_lazy("Файл не удалось проверить; он не принят. Сообщите администратору."),
    "killed": gettext_lazy(
        "Процесс проверки файла был остановлен (нехватка памяти на сервере или вмешательство "
        "администратора): файл не принят."),
    # refusals decided outside the archive and XML checks (the same words as where they arise)
    "stamp": gettext_lazy("В тексте документа есть пометка «%(stamp)s»: такие документы не "
                          "принимаются (п.16)."),
    "stamp_seen": gettext_lazy(
        "Руководитель органа отметил на изображении ограничительную пометку: документ не "
        "принят (п.16)."),
    "classified": gettext_lazy(
        "Документы с грифом «Секретно» или пометкой «Для служебного пользования» не "
        "принимаются и не запрашиваются (п.16)."),
    "classification": gettext_lazy("Укажите гриф (пометку) документа."),
    "type": gettext_lazy("Недопустимый тип файла (по содержимому)."),
}

# Why a check could not be completed (its job failed for good): the file is left *failed*,
# never accepted; the uploader removes it and uploads it again.
CHECK_FAILURES = {
    "lease_lapsed_final": gettext_lazy(
        "Проверка файла не завершена: исполнитель задания пропадал %(attempts)s раз(а). "
        "Файл не принят; удалите его и загрузите снова."),
    "error": gettext_lazy(
        "Проверка файла не завершена из-за ошибки на сервере. Файл не принят; удалите его и "
        "загрузите снова."),
    "cancelled": gettext_lazy(
        "Проверка файла отменена (%(who)s). Файл не принят; удалите его и загрузите снова."),
}

# Reasons that mark a file built to hurt (or broken in a way that would): listed as hostile.
HOSTILE = frozenset({"archive_entries", "archive_size", "archive_ratio", "archive_encrypted",
                     "sheet_dimension", "sheet_reference", "shared_strings", "xml_doctype",
                     "pages", "timeout", "memory", "killed"})


def check_failure_text(reason: dict | None) -> str:
    """The words of a failed check's reason (``{"code", "params"}``), in the reader's language."""
    reason = reason or {}
    message = CHECK_FAILURES.get(reason.get("code", "")) or CHECK_FAILURES["error"]
    try:
        return str(message) % (reason.get("params") or {}) if "%(" in str(message) \
            else str(message)
    except (KeyError, TypeError, ValueError):
        return str(CHECK_FAILURES["error"])


def refusal_text(code: str, params: dict | None = None) -> str:
    """Why a file was refused, in words (the pages' and the admin list's); a code without words
    here (another check's) is shown as it is."""
    if code not in REASONS:
        return f"{code} {(params or {}).get('stamp', '')}".strip()
    return reason_text(code, params)


def probe_memory() -> int:
    from django.conf import settings

    return int(getattr(settings, "UPLOAD_PROBE_MEMORY_MB", PROBE_MEMORY // MB_)) * MB_


def probe_timeout() -> int:
    from django.conf import settings

    return int(getattr(settings, "UPLOAD_PROBE_TIMEOUT_SECONDS", PROBE_TIMEOUT))


def reason_text(code: str, params: dict | None = None) -> str:
    message = REASONS.get(code)
    if message is None:
        return str(REASONS["unreadable"])
    try:
        return str(message) % (params or {}) if "%(" in str(message) else str(message)
    except (KeyError, TypeError, ValueError):
        return str(message).split("(")[0].strip()


class UploadRefused(DomainError):
    """A file refused by the checks; ``reason`` is the code, ``params`` its parameters."""

    def __init__(self, code: str, params: dict | None = None) -> None:
        super().__init__(reason_text(code, params), code=code)
        self.reason = code
        self.params = dict(params or {})

    @classmethod
    def of(cls, refusal: Refused) -> UploadRefused:
        return cls(refusal.code, refusal.params)


@dataclass
class Spooled:
    path: str
    size: int
    sha256: str
    head: bytes

    def read(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()

    def discard(self) -> None:
        if os.path.exists(self.path):
            os.unlink(self.path)


def declared_size(upload) -> int | None:
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) else None


def spool(upload, max_bytes: int) -> Spooled:
    """Write the upload to a temporary file, hashing it on the way. A file over ``max_bytes``
    is refused as too large — by its real size, before anything is kept, never cut."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
        upload = None
    else:
        data = None
        size = declared_size(upload)
        if size is not None and size > max_bytes:
            raise UploadRefused("size", {"mb": max_bytes // upload_checks.MB})
        if hasattr(upload, "seek"):
            upload.seek(0)
    digest = hashlib.sha256()
    total = 0
    head = b""
    handle, path = tempfile.mkstemp(prefix="upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            if data is not None:
                chunks = iter([data])
            elif hasattr(upload, "chunks"):
                chunks = upload.chunks()
            else:
                chunks = iter(lambda: upload.read(1 << 20), b"")
            for chunk in chunks:
                total += len(chunk)
                if total > max_bytes:
                    raise UploadRefused("size", {"mb": max_bytes // upload_checks.MB})
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if total == 0:
            raise UploadRefused("empty")
    except BaseException:
        os.unlink(path)
        raise
    return Spooled(path, total, digest.hexdigest(), head)


def cheap_check(path: str, limits: Limits) -> str | None:
    """What is safe in a web request: the real size, the type by content and an archive's
    central directory (entries, sizes, ratio). No member is inflated."""
    try:
        return upload_checks.check_file(path, limits)
    except Refused as refusal:
        raise UploadRefused.of(refusal) from None


def _limit_memory(limit: int):
    def apply() -> None:  # in the child after fork: nothing imported here
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def probe(path: str, purpose: str, *, memory: int | None = None,
          timeout: int | None = None) -> dict:
    """Run :func:`upload_checks.probe` on the stored file in a fresh interpreter whose address
    space is capped at ``memory`` bytes and which is killed after ``timeout`` seconds; the
    result as a dict (``ok``, and ``code``/``params`` of a refusal). A probe that runs out of
    memory or time refuses the file; nothing of it reaches this process. The budget defaults
    to the settings ``UPLOAD_PROBE_MEMORY_MB`` and ``UPLOAD_PROBE_TIMEOUT_SECONDS`` (1,024 MB,
    300 s)."""
    memory = probe_memory() if memory is None else memory
    timeout = probe_timeout() if timeout is None else timeout
    command = [sys.executable, "-E", "-s", "-P", upload_checks.__file__, purpose, path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout,
                              preexec_fn=_limit_memory(memory), check=False,
                              env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        return {"ok": False, "code": "timeout", "params": {"seconds": timeout}}
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace")
        if "MemoryError" in error:
            return {"ok": False, "code": "memory", "params": {}}
        if done.returncode == -signal.SIGKILL:  # the OOM killer, or an operator
            return {"ok": False, "code": "killed", "params": {}}
        if done.returncode < 0:  # an allocation failing under the cap can abort the process
            return {"ok": False, "code": "memory", "params": {}}
        return {"ok": False, "code": "probe", "params": {"detail": error[-500:]}}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"ok": False, "code": "probe", "params": {}}


def refusal_record(*, purpose: str, actor, original_name: str, code: str,
                   params: dict | None = None, size: int = 0, sha256: str = "",
                   file_type: str = "", subject=None):
    """List a refused file for administrators (the file itself is not kept); ``subject`` — the
    report, re-verification or objection it was uploaded to — lets that page show the uploader
    why it was refused."""
    from django.contrib.contenttypes.models import ContentType

    from assessments.kernel import clock
    from assessments.models import RefusedUpload

    return RefusedUpload.objects.create(
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        purpose=purpose, user=actor if getattr(actor, "pk", None) else None,
        refused_at=clock.now(), original_name=(original_name or "")[:255], size=size,
        sha256=sha256, file_type=file_type or "", code=code,
        params={k: v for k, v in (params or {}).items() if k != "detail"},
        hostile=code in HOSTILE,
    )


def refusals_for(subject, user, *, days: int = 30):
    """The files ``user`` uploaded to ``subject`` that were refused in the last ``days`` (the
    page shows them with the reason; the files themselves are gone)."""
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType

    from assessments.kernel import clock
    from assessments.models import RefusedUpload

    if not getattr(user, "pk", None):
        return RefusedUpload.objects.none()
    return RefusedUpload.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
        user_id=user.pk, refused_at__gte=clock.now() - timedelta(days=days),
    ).order_by("-refused_at")
