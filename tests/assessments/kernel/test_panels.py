"""Page panels: apps contribute HTML to a page's slot without the page importing them."""

from types import SimpleNamespace

from django.template import Context, Template

from assessments.kernel import panels


def test_panels_of_a_slot_render_in_order_once_each_and_other_slots_stay_empty():
    first = panels.panel("test_slot")(lambda request, obj: f"<p>one {obj}</p>")
    panels.panel("test_slot")(first)  # registered twice: shown once
    second = panels.panel("test_slot")(lambda request, obj: "")
    third = panels.panel("test_slot")(lambda request, obj: f"<p>three {request.user}</p>")
    try:
        request = SimpleNamespace(user="ana")
        assert panels.render_panels("test_slot", request, 7) == "<p>one 7</p><p>three ana</p>"
        assert panels.render_panels("no_such_slot", request, 7) == ""
        html = Template('{% load assessments_tags %}{% page_panels "test_slot" obj %}').render(
            Context({"request": request, "obj": 8}))
        assert html == "<p>one 8</p><p>three ana</p>"  # not escaped again
    finally:
        for fn in (first, second, third):
            panels._PANELS["test_slot"].remove(fn)


def test_the_appeal_panel_is_registered_for_the_conclusion_page():
    from appeals.panels import appeal_panel

    assert appeal_panel in panels.panels_for("conclusion_detail")
