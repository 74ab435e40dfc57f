"""The annexes 1–15 of the methodology as PDF documents: context builders and renderers.

Pure rendering, fed by plain data (``inputs``: ``Body``, ``Signatory``, ``PenaltyFact``,
``DisagreementRow`` or dicts with the same keys; the scoring engine's result). The state machines
(conclusions, acts, appeals) call a builder for their annex and register a context provider for
their document kind; see ``registry`` for the provider registry and ``render_annex``.

=========  ==============================================  =====================================
kind       what                                            builder
=========  ==============================================  =====================================
annex1     reconciliation act (акт сверки)                 ``reconciliation_act_context``
annex2     service-quality criteria (reference)            ``annex2_context``
annex3     conclusion, services, central body              ``services_conclusion_context``
annex4     conclusion, services, local body                ``services_conclusion_context``
annex5     conclusion, automation criterion (Ministry)     ``automation_conclusion_context``
annex6     satisfaction bands (reference)                  ``annex6_context``
annex7     openness criteria (reference)                   ``annex7_context``
annex8     conclusion, openness (MIOD)                     ``openness_conclusion_context``
annex9     openness report (the body's)                    ``openness_report_context``
annex10    openness scores per language column             ``openness_scores_context``
annex11    complaints criteria (reference)                 ``annex11_context``
annex12    conclusion, complaints (Committee)              ``complaints_conclusion_context``
annex13    internal-control bands (reference)              ``annex13_context``
annex14    disagreement table                              ``disagreement_table_context``
annex15    block conclusion (Agency)                       ``block_conclusion_context``
=========  ==============================================  =====================================
"""

from .act import reconciliation_act_context
from .appeal import disagreement_table_context
from .conclusions import (
    automation_conclusion_context,
    block_conclusion_context,
    complaints_conclusion_context,
    direction_conclusion_context,
    openness_conclusion_context,
    services_conclusion_context,
)
from .inputs import Body, DisagreementRow, PenaltyFact, Signatory
from .openness import openness_report_context, openness_scores_context
from .reference import (
    annex2_context,
    annex6_context,
    annex7_context,
    annex11_context,
    annex13_context,
)
from .registry import (
    ANNEX_KINDS,
    annex_context_providers,
    context_for,
    provide_context,
    render_annex,
)

__all__ = [
    "ANNEX_KINDS",
    "Body",
    "DisagreementRow",
    "PenaltyFact",
    "Signatory",
    "annex2_context",
    "annex6_context",
    "annex7_context",
    "annex11_context",
    "annex13_context",
    "annex_context_providers",
    "automation_conclusion_context",
    "block_conclusion_context",
    "complaints_conclusion_context",
    "context_for",
    "direction_conclusion_context",
    "disagreement_table_context",
    "openness_conclusion_context",
    "openness_report_context",
    "openness_scores_context",
    "provide_context",
    "reconciliation_act_context",
    "render_annex",
    "services_conclusion_context",
]
