"""The signature-slot registry: several resolvers may answer for one role, each for its own
subjects; a user is admitted when any of them admits him, and removing one leaves the others."""

from types import SimpleNamespace

from reporting.signing import roles


def _slot(subject):
    return SimpleNamespace(user_id=None, role="test_shared_role",
                           signed_document=SimpleNamespace(subject=subject))


def test_several_resolvers_share_a_role_and_each_answers_for_its_own_subjects():
    user = SimpleNamespace(pk=1, is_authenticated=True)
    for_acts = roles.register_signatory_role("test_shared_role")(
        lambda u, document, slot: document.subject == "act")
    roles.register_signatory_role("test_shared_role")(
        lambda u, document, slot: document.subject == "table")
    roles.register_signatory_role("test_shared_role")(for_acts)  # twice: still one entry
    assert len(roles._RESOLVERS["test_shared_role"]) == 2
    try:
        assert roles.is_registered("test_shared_role")
        assert roles.may_sign_slot(user, _slot("act"))
        assert roles.may_sign_slot(user, _slot("table"))
        assert not roles.may_sign_slot(user, _slot("conclusion"))
        roles.unregister_signatory_role("test_shared_role", for_acts)
        assert not roles.may_sign_slot(user, _slot("act"))
        assert roles.may_sign_slot(user, _slot("table"))
    finally:
        roles.unregister_signatory_role("test_shared_role")
    assert not roles.is_registered("test_shared_role")
    assert not roles.may_sign_slot(user, _slot("table"))
