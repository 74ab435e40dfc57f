"""Pages of the appeal procedure (chapter 7), under ``/appeals/``, one module per procedure:

* ``filing`` — the body: "Обжалование" (its conclusions with their windows), the objection form
  (annex 14's rows), the "no objections" notice, the refusal after the window, documents added to
  a row;
* ``objection`` — everyone concerned: the objection's page (rows, documents, state, due date,
  history, the actions ``objection_actions`` offers), the annex 14 PDF;
* ``commission`` — the special commission: its page per evaluating body and cycle, convening a
  sitting (the composition rule's refusals shown next to the names), attendance, votes and
  rulings per row, the chair's signature and the body's acknowledgement;
* ``handover`` — the Agency's coordinator: objections by state with due dates, hand-overs,
  result checks.

Thin views, as the conclusions' pages: the object through ``access`` (404 for outsiders), one
service call, a ``DomainError`` shown next to the form (status 400, what was typed kept).
"""
