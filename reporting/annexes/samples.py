"""Sample inputs for the annexes: bodies, signatories and the contexts of a body's conclusions.

Used by the rendering benchmark (``benchmarks/render.py``), the tests and previews. The scores are
always the engine's: callers pass a case (``assessments.scoring.samples.random_case`` or the
worked example of SCORING_IO.md) and these helpers score it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assessments.scoring import score_case_dict

from .conclusions import (
    automation_conclusion_context,
    block_conclusion_context,
    complaints_conclusion_context,
    openness_conclusion_context,
    services_conclusion_context,
)
from .inputs import Body, PenaltyFact, Signatory

CENTRAL_BODY = Body(
    name_ru="Министерство цифрового развития, инноваций и аэрокосмической промышленности "
    "Республики Казахстан",
    name_kk="Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі "
    "министрлігі",
    kind="central",
)
LOCAL_BODY = Body(
    name_ru="Акимат Жамбылской области",
    name_kk="Жамбыл облысының әкімдігі",
    kind="local",
)

EVALUATORS = {
    "services": "Агентство Республики Казахстан по делам государственной службы",
    "automation": "Министерство цифрового развития, инноваций и аэрокосмической промышленности "
    "Республики Казахстан",
    "openness": "Министерство информации и общественного развития Республики Казахстан",
    "complaints": "Комитет по правовой статистике и специальным учетам Генеральной прокуратуры "
    "Республики Казахстан",
    "block": "Агентство Республики Казахстан по делам государственной службы",
}

AGENCY_SIGNATORIES = (
    Signatory("deputy_chair", "Әбдіқадыров Ғалым Нұрланұлы", "Заместитель Председателя",
              date(2026, 3, 18)),
    Signatory("unit_head", "Иванова Наталья Петровна",
              "Директор Департамента оценки качества государственных услуг", date(2026, 3, 18)),
)  # fmt: skip
MINISTRY_SIGNATORIES = (
    Signatory("body_head", "Мұсин Бағдат Батырбекұлы", "Министр"),
    Signatory("unit_head", "Сейітқали Өмірзақ Ұланұлы", "Директор Департамента цифровизации"),
)
MIOD_SIGNATORIES = (Signatory("evaluator_head", "Балаева Аида Ғалымқызы", "Министр"),)
COMMITTEE_SIGNATORIES = (Signatory("evaluator_head", "Ахметов Қайрат Серікұлы", "Председатель"),)


def sample_facts(unreliable: int, incomplete: int) -> list[PenaltyFact]:
    """Re-verification facts matching the counts of a case's ``penalties`` entry."""
    facts = [
        PenaltyFact(
            f"Сведения отчета не подтверждены документами (факт {i})",
            "unreliable",
            f"Раздел {i % 4 + 1} отчетной информации",
        )
        for i in range(1, unreliable + 1)
    ]
    facts += [
        PenaltyFact(
            f"Отсутствует таблица {i} установленной структуры отчета", "incomplete",
            f"Таблица {i}",
        )
        for i in range(1, incomplete + 1)
    ]  # fmt: skip
    return facts


def conclusion_contexts(
    body: Body, case: dict[str, Any], *, period: object = 2025, draft: bool = False
) -> dict[str, dict[str, Any]]:
    """The contexts of every conclusion of ``body`` for ``case`` (scored by the engine here):
    services (annex 3 or 4), automation (annex 5, central only), openness (8), complaints (12)
    and the block (15)."""
    result = score_case_dict(case)
    penalties = case.get("penalties") or {}

    def facts(direction: str) -> list[PenaltyFact]:
        p = penalties.get(direction) or {}
        return sample_facts(int(p.get("unreliable_facts", 0)), int(p.get("incomplete_facts", 0)))

    common = {"body": body, "period": period, "result": result, "draft": draft}
    out = {}
    services = services_conclusion_context(
        **common, evaluator=EVALUATORS["services"], facts=facts("services"),
        analysis={"K1": "Уровень удовлетворенности услугополучателей требует внимания."},
        recommendations="Обеспечить соблюдение сроков оказания государственных услуг.",
        signatories=AGENCY_SIGNATORIES,
    )  # fmt: skip
    out[f"annex{services['annex']}"] = services
    if body.kind == "central":
        out["annex5"] = automation_conclusion_context(
            **common, evaluator=EVALUATORS["automation"],
            analysis="Автоматизация государственных услуг продолжается.",
            signatories=MINISTRY_SIGNATORIES,
        )  # fmt: skip
    out["annex8"] = openness_conclusion_context(
        **common, evaluator=EVALUATORS["openness"], facts=facts("openness"),
        recommendations="Обеспечить своевременную публикацию наборов открытых данных.",
        signatories=MIOD_SIGNATORIES,
    )  # fmt: skip
    out["annex12"] = complaints_conclusion_context(
        **common, evaluator=EVALUATORS["complaints"], facts=facts("complaints"),
        recommendations="Усилить внутренний контроль за сроками рассмотрения обращений.",
        signatories=COMMITTEE_SIGNATORIES,
    )  # fmt: skip
    out["annex15"] = block_conclusion_context(
        **common, evaluator=EVALUATORS["block"], signatories=AGENCY_SIGNATORIES,
        recommendations="Принять меры по повышению эффективности взаимодействия с населением.",
    )  # fmt: skip
    return out
