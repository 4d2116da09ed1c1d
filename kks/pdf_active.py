"""Active content in PDF files: find it (upload check) and strip it (dossier appendix).

"Active" is whatever a PDF reader may run or fetch instead of just showing pages:
JavaScript, launch actions, form submit/import actions, actions that open other
files, embedded files and attachments, XFA forms and rich media.

Both directions work on parsed objects (pypdf decodes obfuscated names such as
``/J#61vaScript`` and unpacks compressed object streams) and visit every object
of the file, wherever it is referenced from (catalog ``/OpenAction``, page or
annotation ``/AA``, link ``/A``, ``/Next`` chains, outlines, form fields).
``scan_raw`` adds a byte-level look at the objects outside streams, for objects a
lenient reader might find that the cross-reference table does not list.

Pure pypdf, no Django: used by ``kks.uploads`` and ``evaluations.pdf``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

# What was found, in English keys; callers translate them for users.
JAVASCRIPT = "javascript"
LAUNCH = "launch"
FORM_ACTION = "form_action"
REMOTE_ACTION = "remote_action"
EMBEDDED_FILE = "embedded_file"
XFA = "xfa"
RICH_MEDIA = "rich_media"

ACTION_KINDS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": FORM_ACTION,
    "/ImportData": FORM_ACTION,
    "/GoToR": REMOTE_ACTION,
    "/GoToE": REMOTE_ACTION,
    "/RichMediaExecute": RICH_MEDIA,
}
# Keys whose mere presence is active content, and what they mean.
KEY_KINDS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,  # the document-level scripts in the /Names tree
    "/EmbeddedFiles": EMBEDDED_FILE,
    "/EF": EMBEDDED_FILE,
    "/XFA": XFA,
    "/RichMediaContent": RICH_MEDIA,
}
TYPE_KINDS = {"/EmbeddedFile": EMBEDDED_FILE}
ANNOTATION_KINDS = {
    "/FileAttachment": EMBEDDED_FILE,
    "/RichMedia": RICH_MEDIA,
    "/Screen": RICH_MEDIA,
    "/Movie": RICH_MEDIA,
    "/Sound": RICH_MEDIA,
}
# Byte-level names (after #xx decoding) that mean the same things.
RAW_NAME_KINDS = {
    "JavaScript": JAVASCRIPT,
    "JS": JAVASCRIPT,
    "Launch": LAUNCH,
    "SubmitForm": FORM_ACTION,
    "ImportData": FORM_ACTION,
    "GoToE": REMOTE_ACTION,
    "EmbeddedFile": EMBEDDED_FILE,
    "EmbeddedFiles": EMBEDDED_FILE,
    "XFA": XFA,
    "RichMedia": RICH_MEDIA,
}
# Names without which no active content can exist in a file: when none of them appears anywhere in
# the bytes (streams included, #xx decoded) and no object stream hides objects from the bytes, the
# file needs no parsing. "ObjStm" marks compressed object streams.
PARSE_TRIGGERS = frozenset(
    {*RAW_NAME_KINDS, *(k.lstrip("/") for k in (*ACTION_KINDS, *KEY_KINDS, *ANNOTATION_KINDS)), "URI", "ObjStm"}
)
# Parsing costs ~0.5 ms per object; beyond this many a file is refused rather than inspected for minutes.
MAX_OBJECTS = 20_000
_RAW_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+\-]|#[0-9A-Fa-f]{2})+)")
_RAW_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
LOCAL_URI_PREFIXES = ("file:", "\\\\", "smb:")
SCRIPT_URI_PREFIXES = ("javascript:", "vbscript:")


class PdfUnreadable(Exception):
    """pypdf could not parse the file (or its cross-reference table)."""


class PdfTooComplex(Exception):
    """More objects than ``MAX_OBJECTS``: too many to inspect in a request."""


def _resolve(value):
    """The object a reference points to; None for a reference that cannot be followed (broken or hostile)."""
    if not isinstance(value, IndirectObject):
        return value
    try:
        return value.get_object()
    except Exception:  # pypdf raises many kinds on broken references; a dangling one carries nothing
        return None


def _name(value) -> str | None:
    value = _resolve(value)
    return str(value) if isinstance(value, NameObject) else None


def _uri_starts_with(value, prefixes: tuple[str, ...]) -> bool:
    value = _resolve(value)
    if value is None or isinstance(value, (DictionaryObject, ArrayObject)):
        return False
    return "".join(str(value).split()).lower().startswith(prefixes)


def dictionary_kinds(obj: DictionaryObject) -> set[str]:
    """The kinds of active content one dictionary (an object, not its children) carries."""
    found = {kind for key, kind in KEY_KINDS.items() if key in obj}
    action = _name(obj.get("/S"))
    if action in ACTION_KINDS:
        found.add(ACTION_KINDS[action])
    if action == "/URI" and _uri_starts_with(obj.get("/URI"), LOCAL_URI_PREFIXES):
        found.add(REMOTE_ACTION)
    if action == "/URI" and _uri_starts_with(obj.get("/URI"), SCRIPT_URI_PREFIXES):
        found.add(JAVASCRIPT)
    kind = TYPE_KINDS.get(_name(obj.get("/Type")) or "")
    if kind:
        found.add(kind)
    subtype = _name(obj.get("/Subtype"))
    if subtype in ANNOTATION_KINDS and ("/Rect" in obj or _name(obj.get("/Type")) == "/Annot"):
        found.add(ANNOTATION_KINDS[subtype])
    return found


def _directs(obj: PdfObject) -> Iterator[DictionaryObject]:
    """Every dictionary inside ``obj`` without following indirect references (they are visited on their own)."""
    stack = [obj]
    while stack:
        current = stack.pop()
        if isinstance(current, DictionaryObject):
            yield current
            stack.extend(v for v in current.values() if not isinstance(v, IndirectObject))
        elif isinstance(current, ArrayObject):
            stack.extend(v for v in current if not isinstance(v, IndirectObject))


def _object_ids(reader: PdfReader) -> set[tuple[int, int]]:
    ids: set[tuple[int, int]] = set()
    for generation, table in reader.xref.items():
        ids.update((number, generation) for number in table)
    ids.update((number, 0) for number in reader.xref_objStm)
    return ids


def _reader_objects(reader: PdfReader) -> Iterator[PdfObject]:
    """Every indirect object the file's cross-reference data lists (object streams included), then the trailer."""
    for number, generation in sorted(_object_ids(reader)):
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if obj is not None:
            yield obj
    yield reader.trailer


def find_active_content(reader: PdfReader) -> set[str]:
    """Kinds of active content anywhere in a parsed PDF (empty set: none)."""
    found: set[str] = set()
    for obj in _reader_objects(reader):
        for dictionary in _directs(obj):
            found |= dictionary_kinds(dictionary)
    return found


def _names(data: bytes) -> set[str]:
    """Every PDF name in ``data``, #xx escapes decoded."""
    found = set()
    for match in _RAW_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(raw.decode("latin-1"))
    return found


def scan_raw(data: bytes) -> set[str]:
    """Kinds of active content named in the bytes outside streams (names #xx-decoded)."""
    return {RAW_NAME_KINDS[name] for name in _names(_RAW_STREAM.sub(b" ", data)) if name in RAW_NAME_KINDS}


def inspect_bytes(data: bytes, reader: PdfReader) -> set[str]:
    """What ``find_active_content`` and ``scan_raw`` find together.

    Parsing every object is skipped only when no name that active content needs appears anywhere
    in the file and no compressed object stream could hide one. Raises ``PdfTooComplex`` beyond
    ``MAX_OBJECTS`` objects and ``PdfUnreadable`` when pypdf's parser recurses too deep.
    """
    found = scan_raw(data)
    if not (_names(data) & PARSE_TRIGGERS):
        return found
    if len(_object_ids(reader)) > MAX_OBJECTS:
        raise PdfTooComplex
    try:
        return found | find_active_content(reader)
    except RecursionError as error:  # a hostile nesting inside pypdf's own parser
        raise PdfUnreadable from error


# --- stripping -----------------------------------------------------------------------------------


def _is_active_annotation(annotation) -> bool:
    return isinstance(annotation, DictionaryObject) and _name(annotation.get("/Subtype")) in ANNOTATION_KINDS


def _neutralise(obj: DictionaryObject) -> int:
    """Remove active content from one dictionary in place; return how many things were removed."""
    removed = 0
    for key in (*KEY_KINDS, "/AA", "/OpenAction"):
        if key in obj:
            del obj[key]
            removed += 1
    annots = _resolve(obj.get("/Annots"))
    if isinstance(annots, ArrayObject):
        kept = [
            a for a in annots if _name(_resolve(a).get("/Subtype") if _resolve(a) else None) not in ANNOTATION_KINDS
        ]
        if len(kept) != len(annots):
            removed += len(annots) - len(kept)
            annots[:] = kept
    if dictionary_kinds(obj):
        # An action, attachment or media object: nothing in it is safe to keep.
        obj.clear()
        if isinstance(obj, StreamObject):
            obj.set_data(b"")
        removed += 1
    return removed


def _writer_objects(writer: PdfWriter) -> Iterable[PdfObject]:
    yield from (obj for obj in writer._objects if obj is not None)
    yield writer._root_object


def strip_active_content(writer: PdfWriter) -> int:
    """Remove every kind of active content from everything ``writer`` will write; return the count removed.

    Catalog ``/OpenAction`` and every ``/AA`` go entirely (a dossier needs neither); actions of a
    dangerous kind are emptied wherever they are referenced from; ``/Names`` loses ``/JavaScript``
    and ``/EmbeddedFiles``; forms lose ``/XFA``; attachment and media annotations leave their pages.
    """
    removed = 0
    for obj in list(_writer_objects(writer)):
        for dictionary in list(_directs(obj)):
            try:
                removed += _neutralise(dictionary)
            except Exception:  # a malformed dictionary that cannot be inspected is not kept either
                dictionary.clear()
                removed += 1
    return removed
