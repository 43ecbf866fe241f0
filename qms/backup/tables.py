"""What a backup holds, read from the app registry (never a hard-coded list of models):
every concrete model of every installed app, auto-created many-to-many tables
included, except the apps in EXCLUDED_APPS (sessions and django-axes' attempt logs:
short-lived, and a restored lockout would lock people out for a past attempt).

Each table is written as Django JSON Lines, one row a line, by `Serializer`: every
row keeps its primary key, so that every reference inside the archive stays what it
was, except content types and permissions, which another installation numbers in its
own order. Those are written and referred to by their natural keys
(("procedures", "procedure"), ("view_procedure", "procedures", "procedure")) and
`NaturalKeys` turns the natural keys back into the ids of the installation restored to.
"""

import datetime
import hashlib
import hmac

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ..integrity import keyed_hash, signature_key

FORMAT = "qms-backup"
VERSION = 1
MANIFEST = "manifest.json"
HMAC_MEMBER = "manifest.hmac"
DATA_FOLDER = "data/"
FILES_FOLDER = "files/"
# Rows that would be wrong in another installation, or are not records at all.
EXCLUDED_APPS = frozenset({"sessions", "axes"})
# Referred to by natural key; restored first, so that the other rows can refer to them.
NATURAL = (ContentType, Permission)
CHUNK = 2000


def key_check() -> str:
    """A keyed hash of a fixed text: tells whether two installations sign with the
    same key (restoring with another key would make every signature look forged),
    without putting the key itself in the archive."""
    return keyed_hash("qms-backup-key-check")


def manifest_hmac(content: bytes) -> str:
    """Authenticates the manifest, and through the hashes it lists every member."""
    return hmac.new(signature_key(), b"qms-backup-manifest|" + content, hashlib.sha256).hexdigest()


def backed_up_models() -> list[type[models.Model]]:
    """Content types, permissions, then every other table in registry order."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped or opts.app_label in EXCLUDED_APPS:
            continue
        if model not in NATURAL:
            found.append(model)
    return [*NATURAL, *found]


def member_name(model) -> str:
    return f"{DATA_FOLDER}{model._meta.label_lower}.jsonl"


def file_fields(model) -> list[str]:
    """The columns of `model` that hold a storage name: its FileFields, and on a
    django-simple-history table the columns of the tracked model's FileFields (which
    the history may keep as plain text)."""
    names = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    tracked = getattr(model, "instance_type", None)
    if tracked is not None:
        own = {f.attname for f in model._meta.concrete_fields}
        names += [f.attname for f in tracked._meta.concrete_fields
                  if isinstance(f, models.FileField) and f.attname in own and f.attname not in names]
    return names


def recorded_sha256_field(model) -> str | None:
    """The column that records the SHA-256 of the row's file (qms.models.StoredFile,
    the issued audit reports), when the model has one file column and that column."""
    own = {f.attname for f in model._meta.concrete_fields}
    return "sha256" if len(file_fields(model)) == 1 and "sha256" in own else None


def holds_records(model) -> bool:
    """Whether rows of this table mean the installation is in use: a person, a
    history row, or anything that names a person (who did, signed, owns, was
    granted). What migrations create on their own (content types, permissions,
    roles, the clause catalogues) names nobody."""
    user_model = get_user_model()
    if model is user_model or hasattr(model, "instance_type"):
        return True
    return any(f.many_to_one or f.one_to_one for f in model._meta.concrete_fields
               if f.is_relation and f.related_model is user_model)


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to the millisecond, and a
    restored history row or signature time must be the very value stored."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    """Django's JSON Lines serializer, with natural keys for content types and
    permissions only (every other reference stays an id: restoring keeps ids),
    without many-to-many lists (their tables are written as tables of their own),
    and times to the microsecond."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = FullPrecisionEncoder

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._natural_keys = {}

    def natural_key_of(self, model, pk):
        key = (model, pk)
        if key not in self._natural_keys:
            if model is ContentType:
                value = ContentType.objects.get_for_id(pk).natural_key()
            else:
                value = model._base_manager.select_related("content_type").get(pk=pk).natural_key()
            self._natural_keys[key] = value
        return self._natural_keys[key]

    def handle_fk_field(self, obj, field):
        remote = field.remote_field.model
        if remote in NATURAL:
            pk = getattr(obj, field.attname)
            self._current[field.name] = None if pk is None else self.natural_key_of(remote, pk)
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj, field):
        """Left out: the auto-created table of each many-to-many is a table of the backup."""


class NaturalKeys:
    """Natural keys of content types and permissions → their ids in this database,
    looked up once each."""

    def __init__(self, using: str):
        self.using = using
        self.cache = {}
        self.fields = {}

    def natural_fields(self, model) -> list[tuple[str, type]]:
        if model not in self.fields:
            self.fields[model] = [(f.name, f.related_model) for f in model._meta.concrete_fields
                                  if f.is_relation and f.related_model in NATURAL]
        return self.fields[model]

    def resolve(self, model, row: dict) -> dict:
        """The row (a parsed line) with its natural-key references made ids."""
        for name, remote in self.natural_fields(model):
            value = row["fields"].get(name)
            if isinstance(value, list):
                row["fields"][name] = self.pk_of(remote, tuple(value))
        return row

    def pk_of(self, model, natural_key: tuple):
        key = (model, natural_key)
        if key not in self.cache:
            manager = model._default_manager.db_manager(self.using)
            self.cache[key] = manager.get_by_natural_key(*natural_key).pk
        return self.cache[key]
