"""Each version gets the title it was approved with (the procedure's title today),
its content hash now covers the title, and the existing signatures are re-keyed:
an HMAC (qms.integrity) of the hash they signed, scheme 1 (hashed without the
title). A signature that no longer matched its version stays not matching."""

from django.db import migrations

from procedures.services._common import content_hash
from qms.integrity import keyed_hash


def forwards(apps, schema_editor):
    Version = apps.get_model("procedures", "ProcedureVersion")
    HistoricalVersion = apps.get_model("procedures", "HistoricalProcedureVersion")
    Signature = apps.get_model("procedures", "Signature")
    HistoricalSignature = apps.get_model("procedures", "HistoricalSignature")
    legacy = {}
    for version in Version.objects.select_related("procedure", "edition").iterator():
        legacy[version.pk] = content_hash(version, with_title=False)
        version.title = version.procedure.title
        Version.objects.filter(pk=version.pk).update(
            title=version.title, content_sha256=content_hash(version)
        )
        HistoricalVersion.objects.filter(id=version.pk).update(title=version.title)
    for signature in Signature.objects.iterator():
        stored = signature.content_sha256
        if stored == legacy.get(signature.version_id):
            stored = keyed_hash(
                1, signature.version_id, signature.signer_id, signature.meaning, stored
            )
        Signature.objects.filter(pk=signature.pk).update(content_sha256=stored, scheme=1)
        HistoricalSignature.objects.filter(id=signature.pk).update(
            content_sha256=stored, scheme=1
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0019_version_title_signature_scheme")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
