"""The events conclusions announce, for whoever handles what follows them (the appeals app
connects its receivers in ``AppealsConfig.ready``); conclusions import none of them.

``correction_issue_check`` — "may this corrected version be issued?", asked by
``issue_blocker`` (and so by ``conclusion_issue`` and the page's actions) for a conclusion that
supersedes another. Sent with ``sender=Conclusion, correction=<Conclusion>``; a receiver returns
a translated refusal, or "" when it has nothing against. The first refusal wins. p.115: the
corrected conclusion goes to the body together with its objection's table signed by the chair.

``correction_issued`` — a corrected version was issued (the version it supersedes is superseded
and the recipients notified). Sent by ``conclusion_issue`` inside its transaction with
``sender=Conclusion, correction=<Conclusion>, actor=<User>``; a receiver's exception rolls the
issue back (receivers are called with ``send``, not ``send_robust``).
"""

from django.dispatch import Signal

correction_issue_check = Signal()
correction_issued = Signal()
