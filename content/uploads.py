"""Which files staff may upload, decided by what the file is, not by what it is called.

An uploaded file is later opened from the portal's own origin by other staff. A file that a
browser renders as a page (HTML, SVG with script, XML) would run its script there with the
reader's session, so only the document and image types the portal needs are accepted:
PDF, office documents (OOXML, OpenDocument, the old binary doc/xls/ppt) and JPEG, PNG and
WebP images. The content decides (magic numbers; for the zip-based office formats the
zip's own declaration of what it holds), and the file name's extension must agree with
it, so that neither a renamed page nor a mislabelled document gets through.

``validate_upload`` is a model field validator: the admin, imports and any form use it.
``content_type_for`` gives the type a stored file is served with (operations/media.py).
"""

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension -> the type served with it. Nothing here is rendered as a page by a browser.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
ALLOWED_NAMES = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, JPEG, PNG, WebP"

# What each OOXML package declares as its main part in [Content_Types].xml.
OOXML_MAIN_PARTS = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_OFFICE = {"doc", "xls", "ppt"}


def extension_of(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def content_type_for(name):
    """The type a stored file is served with; unknown ones as bare bytes."""
    return CONTENT_TYPES.get(extension_of(name), "application/octet-stream")


def zipped_office_type(upload):
    """The office format a zip file declares itself to be (docx, …, odp), or None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # OpenDocument: a "mimetype" entry naming the format.
                declared = archive.read("mimetype").strip()
                for extension in ("odt", "ods", "odp"):
                    if declared == CONTENT_TYPES[extension].encode():
                        return extension
                return None
            if "[Content_Types].xml" in names:
                declared = archive.read("[Content_Types].xml")
                for extension, main_part in OOXML_MAIN_PARTS.items():
                    if main_part in declared:
                        return extension
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detected_type(upload):
    """What the file's content says it is, as one of CONTENT_TYPES' extensions (jpeg as
    jpg), or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return zipped_office_type(upload)
    if head.startswith(OLE2_SIGNATURE):
        # The old binary office formats share one container, and which of the three it
        # holds cannot be told reliably from its first bytes. The container is never
        # rendered by a browser, so the extension decides among them.
        return "ole2"
    kind = filetype.guess(head)
    if kind is None:
        return None
    return kind.extension if kind.extension in {"pdf", "jpg", "png", "webp"} else None


def validate_upload(upload):
    """Refuse a file that is not one of the allowed types by its content, whose extension
    does not match its content, or that is larger than PORTAL_UPLOAD_MAX_BYTES."""
    if getattr(upload, "_committed", False):
        # Already stored (the entry is saved again without a new file): it was checked
        # when it came, and reading it again could fail on a file since moved away.
        return
    limit = settings.PORTAL_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="file_too_large",
            params={"limit": filesizeformat(limit)},
        )
    extension = extension_of(upload.name)
    if extension not in CONTENT_TYPES:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed are: %(types)s."),
            code="file_type",
            params={"types": ALLOWED_NAMES},
        )
    detected = detected_type(upload)
    expected = "jpg" if extension == "jpeg" else extension
    if detected == "ole2" and extension in LEGACY_OFFICE:
        return
    if detected != expected:
        raise ValidationError(
            _(
                "The content of the file does not match its name “%(name)s”. Allowed are: "
                "%(types)s, each with its usual file extension."
            ),
            code="file_content",
            params={"name": PurePath(upload.name).name[:100], "types": ALLOWED_NAMES},
        )
