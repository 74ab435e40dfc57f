"""Why a row or a batch was refused, stored as a code and its parameters and put into words only
when shown, in the reader's language (a batch is validated and applied by a worker whose
language is the default one; the page is read in Kazakh, Russian or English).

    reason_text(code, params) -> str      the message in the active language
    error_text(error) -> str              a stored row error ({"row", "column", "code",
                                          "params"}) in the active language

A code that is no longer known (or an error stored before codes, with its text in "reason")
is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from assessments.kernel.uploads import REASONS as UPLOAD_REASONS

REASONS = {
    # a file refused before it is parsed (assessments.kernel.uploads: bombs, bounds, sizes)
    **UPLOAD_REASONS,
    # rows (kinds.py)
    "date_format": _("дата должна быть в формате ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"),
    "date_period": _("дата вне отчётного периода (%(year)s год)"),
    "required": _("обязательное поле"),
    "count": _("нужно целое неотрицательное число"),
    "count_range": _("число больше допустимого (не больше %(hi)s)"),
    "number": _("нужно число"),
    "number_range": _("число должно быть от %(lo)s до %(hi)s"),
    "bin_format": _("БИН должен состоять из 12 цифр"),
    "bin_unknown": _("органа с БИН %(bin)s нет в реестре"),
    "service_unknown": _("услуги с кодом «%(code)s» нет в реестре"),
    "monitoring_columns": _("в строке меньше 8 столбцов"),
    "above_rendered": _("больше, чем оказано услуг (rendered)"),
    "response": _("допустимо: none, confirmed, disputed"),
    "before_start": _("раньше даты начала"),
    "confirmed_by": _("укажите документ уполномоченного органа"),
    "columns": _("в строке меньше столбцов, чем в шаблоне (%(n)s)"),
    "header": _("Заголовок не совпадает с шаблоном: ожидаются столбцы %(cols)s."),
    "no_rows": _("Файл без строк."),
    "nul_byte": _("недопустимый символ (нулевой байт) в ячейке"),
    # a batch's failure (pipeline.py)
    "unreadable": _("Файл не читается как CSV или XLSX."),
    "encoding": _("Файл CSV должен быть в кодировке UTF-8."),
    "internal": _("Внутренняя ошибка при обработке файла; ничего не применено. Сообщите "
                  "администратору."),
    "invalid": _("В файле есть ошибки (%(n)s строк): исправьте их и загрузите файл снова. "
                 "Применяются только файлы без ошибок."),
    "duplicate": _("Этот файл уже импортирован; повторно он не применяется."),
    "forbidden": _("Нет права применять этот вид данных; ничего не применено."),
    "restage": _("Проверенные строки файла не сохранились (сбой сервера); файл проверяется "
                 "заново."),
    "registry_changed": _("Орган или услуга из файла удалены из реестра после проверки; файл "
                          "проверяется заново."),
    "invalid_bytes": _("В файле недопустимые символы (нулевой байт) в %(n)s строк(ах): файл не "
                       "принят. Сохраните его заново как CSV (UTF-8) или XLSX и загрузите."),
    "worker_lost": _("Исполнитель фоновых задач пропадал %(attempts)s раз(а), пока обрабатывал "
                     "файл; ничего не применено, проверенные строки удалены. Загрузите файл "
                     "снова или попросите администратора повторить задание."),
    "job_cancelled": _("Задание обработки файла отменено администратором; ничего не применено."),
    "expired": _("Файл проверен, но не применён за %(days)s дн.: проверенные строки удалены, "
                 "импорт отменён. Загрузите файл снова."),
}


def reason_text(code: str, params: dict | None = None, default: str = "") -> str:
    message = REASONS.get(code)
    if message is None:
        return default or code
    text = str(message)
    return text % params if params else text


def error_text(error: dict) -> str:
    if "code" in error:
        return reason_text(error["code"], error.get("params"), error.get("reason", ""))
    return error.get("reason", "")
