from django.db import migrations, models
from django.db.models import F


def number_submitted_reports(apps, schema_editor):
    """A report submitted before versions were kept: its version is the number of its
    submissions (the first one and one after each return)."""
    Report = apps.get_model("assessments", "Report")
    Report.objects.filter(first_submitted_on__isnull=False).update(
        version=F("returned_times") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0009_import_batch_fsm"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="version",
            field=models.PositiveIntegerField(default=0, verbose_name="Версия (номер представления)"),
        ),
        migrations.RunPython(number_submitted_reports, migrations.RunPython.noop),
    ]
