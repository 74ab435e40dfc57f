"""Objections are filed by a completed signature (issue 14): a table drawn up awaits its head's
signature (``awaiting_signature``), may be replaced (``withdrawn``) or lapse with the window
(``lapsed``); one objection per conclusion that is awaiting or filed. Objections filed before
this migration were signed on filing: their ``created_at`` is their ``filed_at``."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


def created_is_filed(apps, schema_editor):
    Objection = apps.get_model("appeals", "Objection")
    Objection.objects.filter(created_at__isnull=True).update(created_at=models.F("filed_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0003_objection_direction_automation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='objection',
            name='closed_reason',
            field=models.TextField(blank=True, verbose_name='Почему не направлены'),
        ),
        migrations.AddField(
            model_name='objection',
            name='created_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='Составлены'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='conclusion',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='assessments.conclusion', verbose_name='Обжалуемое заключение'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='decision_due',
            field=models.DateField(blank=True, null=True, verbose_name='Срок решения комиссии'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='filed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='Поступили'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='filed_on',
            field=models.DateField(blank=True, null=True, verbose_name='Дата поступления'),
        ),
        migrations.AlterField(
            model_name='objection',
            name='state',
            field=django_fsm.FSMField(choices=[('awaiting_signature', 'Составлены, ожидают подписи руководителя органа'), ('withdrawn', 'Не направлены: заменены другой таблицей разногласий'), ('lapsed', 'Не направлены: срок для возражений истёк без подписи'), ('filed', 'Возражения поступили'), ('under_consideration', 'На рассмотрении специальной комиссии'), ('decided', 'Решение принято'), ('signed_by_chair', 'Подписано председателем комиссии'), ('acknowledged', 'Орган ознакомлен с итогами')], default='awaiting_signature', max_length=30, protected=True, verbose_name='Состояние'),
        ),
        migrations.AddConstraint(
            model_name='objection',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ('withdrawn', 'lapsed')), _negated=True), fields=('conclusion',), name='objection_one_per_conclusion'),
        ),
        migrations.RunPython(created_is_filed, migrations.RunPython.noop),
    ]
