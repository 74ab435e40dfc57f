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
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from assessments.kernel import upload_checks
from assessments.kernel.errors import DomainError
from assessments.kernel.upload_checks import DOCUMENT_LIMITS, IMPORT_LIMITS, Limits, Refused

__all__ = ["DOCUMENT_LIMITS", "IMPORT_LIMITS", "Limits", "Refused", "UploadRefused", "probe",
           "cheap_check", "spool", "refusal_record", "reason_text", "HOSTILE"]

# The probe's budget: address space (bytes) and wall time (seconds). Generous: a legitimate
# million-row workbook is checked well within them; a bomb hits them and is refused.
PROBE_MEMORY = 1024 * 1024 * 1024
PROBE_TIMEOUT = 300

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
}

# Reasons that mark a file built to hurt (or broken in a way that would): listed as hostile.
HOSTILE = frozenset({"archive_entries", "archive_size", "archive_ratio", "archive_encrypted",
                     "sheet_dimension", "sheet_reference", "shared_strings", "xml_doctype",
                     "pages", "timeout", "memory"})


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
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def probe(path: str, purpose: str, *, memory: int = PROBE_MEMORY,
          timeout: int = PROBE_TIMEOUT) -> dict:
    """Run :func:`upload_checks.probe` on the stored file in a fresh interpreter whose address
    space is capped at ``memory`` bytes and which is killed after ``timeout`` seconds; the
    result as a dict (``ok``, and ``code``/``params`` of a refusal). A probe that runs out of
    memory or time refuses the file; nothing of it reaches this process."""
    command = [sys.executable, "-E", "-s", "-P", upload_checks.__file__, purpose, path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout,
                              preexec_fn=_limit_memory(memory), check=False,
                              env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        return {"ok": False, "code": "timeout", "params": {"seconds": timeout}}
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace")
        if "MemoryError" in error or done.returncode < 0:
            return {"ok": False, "code": "memory", "params": {}}
        return {"ok": False, "code": "probe", "params": {"detail": error[-500:]}}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"ok": False, "code": "probe", "params": {}}


def refusal_record(*, purpose: str, actor, original_name: str, code: str,
                   params: dict | None = None, size: int = 0, sha256: str = "",
                   file_type: str = ""):
    """List a refused file for administrators (the file itself is not kept)."""
    from assessments.kernel import clock
    from assessments.models import RefusedUpload

    return RefusedUpload.objects.create(
        purpose=purpose, user=actor if getattr(actor, "pk", None) else None,
        refused_at=clock.now(), original_name=(original_name or "")[:255], size=size,
        sha256=sha256, file_type=file_type or "", code=code,
        params={k: v for k, v in (params or {}).items() if k != "detail"},
        hostile=code in HOSTILE,
    )
