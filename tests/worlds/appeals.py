"""The appeals world: the conclusions world (tests/worlds/conclusions.py: evaluating bodies, a
ministry and an akimat with scores, one person per role) plus the people of a special commission's
sitting on the akimat's objection and the Agency's coordinator.

    secretary          the Agency's special commission secretary
    member             a member of the Agency's special commission (took no part in assessing)
    working_body       the Commission's working body's representative
    akimat_staff       two more employees of the akimat (body submitters)
    coordinator        the Agency's coordinator

``build_appeal_world`` gives every signatory, the chair and the akimat's head a signing credential.
"""

from __future__ import annotations

from dataclasses import dataclass

from appeals import services as appeals
from assessments.models import Conclusion, Organisation, User
from tests.worlds.conclusion_steps import draft, issued
from tests.worlds.conclusions import PASSPHRASE, World, build_world, org, person


@dataclass
class AppealWorld:
    w: World
    secretary: User
    member: User
    working_body: User
    akimat_staff: list
    coordinator: User
    commission: object = None

    def __getattr__(self, name):
        return getattr(self.w, name)

    def sitting_people(self) -> list:
        """Seven members who pass the composition rule for the akimat's services objection."""
        return [self.chair, self.secretary, self.member, self.working_body, self.local_head,
                *self.akimat_staff]

    def issued(self, body=None, direction: str = "services") -> Conclusion:
        return issued(self.w, draft(self.w, body or self.akimat, direction))

    def form_commission(self):
        self.commission = appeals.commission_get_or_create(
            cycle=self.cycle, evaluator=self.agency, chair=self.chair, secretary=self.secretary,
            actor=self.coordinator)
        return self.commission


def build_appeal_world() -> AppealWorld:
    from reporting.signing.services import issue_demo_credential

    w = build_world()
    presidential = org("Администрация Президента", kind="other", central_type="",
                       is_evaluated=False,
                       evaluator_role=Organisation.EvaluatorRole.PRESIDENTIAL_ADMINISTRATION)
    world = AppealWorld(
        w=w,
        secretary=person("secretary", w.agency, "commission_secretary",
                         full_name="Секретарёва Айгерим"),
        member=person("member", w.agency, "commission_member"),
        working_body=person("working_body", presidential, "working_body_rep"),
        akimat_staff=[person(f"akimat_staff{i}", w.akimat, "body_submitter")
                      for i in (1, 2)],
        coordinator=person("coordinator", w.agency, "coordinator"),
    )
    w.credentials()
    for user in (w.chair, w.local_head):
        issue_demo_credential(user, PASSPHRASE)
    return world
