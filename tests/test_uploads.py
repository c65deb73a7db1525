"""Uploaded files (issue 13, finding 1): only documents and images the portal needs, told by
their content; served so that none of them can act as a page of the portal."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from editorial.models import EditorScope
from editorial.roles import PROVIDER_ACCOUNTS
from events.models import Event, EventAttachment
from providers.models import Provider
from tests.admin_forms import admin_url, form_data

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML = b"<!doctype html><script>fetch('/admin/').then(r => r.text()).then(alert)</script>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped(
    {
        "[Content_Types].xml": (
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "word/document.xml": "<w:document/>",
    }
)
ODS = zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": ""})
ANY_ZIP = zipped({"index.html": HTML})


@pytest.fixture
def provider_account(client, demo_data, settings, tmp_path):
    """The account of the organiser of a demo event, logged in to the German admin, with
    uploads going to a folder of this test."""
    settings.MEDIA_ROOT = tmp_path
    call_command("setup_roles", verbosity=0)
    event = Event.objects.filter(organizer__isnull=False).first()
    user = User.objects.create_user("anbieter", is_staff=True)
    user.groups.add(Group.objects.get(name=PROVIDER_ACCOUNTS))
    EditorScope.objects.create(user=user).providers.set(
        [Provider.objects.get(pk=event.organizer_id)]
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    return client, event


def upload(client, event, name, content):
    """Add an attachment with this file in the event's admin change form."""
    url = admin_url(Event, "change", event.pk)
    data = form_data(client.get(url))
    total = int(data["attachments-TOTAL_FORMS"])
    data.update(
        {
            "attachments-TOTAL_FORMS": str(total + 1),
            f"attachments-{total}-kind": "programme",
            f"attachments-{total}-title_de": "Programm",
            f"attachments-{total}-file": SimpleUploadedFile(name, content),
        }
    )
    return client.post(url, data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("programm.html", HTML),
        ("programm.pdf", HTML),
        ("logo.svg", SVG),
        ("logo.png", SVG),
        ("archiv.zip", ANY_ZIP),
        ("programm.docx", ANY_ZIP),
        ("programm.pdf", DOCX),
        ("programm.docx", PDF),
        ("bild.jpg", PNG),
    ],
)
def test_the_admin_refuses_pages_and_mislabelled_files_with_a_german_message(
    provider_account, name, content
):
    client, event = provider_account
    response = upload(client, event, name, content)
    assert response.status_code == 200
    assert not EventAttachment.objects.filter(event=event, file__endswith=name).exists()
    page = response.content.decode()
    assert "Dateien dieser Art können nicht hochgeladen werden" in page or (
        "Der Inhalt der Datei passt nicht zu ihrem Namen" in page
    )


def test_the_admin_refuses_a_file_above_the_size_limit(provider_account, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 100
    client, event = provider_account
    response = upload(client, event, "programm.pdf", PDF + b" " * 200)
    assert response.status_code == 200
    assert "Die Datei ist größer als 100" in response.content.decode()
    assert not EventAttachment.objects.filter(event=event).exclude(file="").exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "download"),
    [
        ("programm.pdf", PDF, "application/pdf", True),
        ("anmeldung.docx", DOCX, "application/vnd.openxmlformats", True),
        ("liste.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet", True),
        ("plakat.png", PNG, "image/png", False),
    ],
)
def test_an_accepted_file_is_served_with_headers_that_keep_it_from_running(
    provider_account, client, name, content, content_type, download
):
    staff, event = provider_account
    assert upload(staff, event, name, content).status_code == 302
    attachment = EventAttachment.objects.get(event=event, title_de="Programm")
    response = staff.get(attachment.href)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"].startswith(content_type)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.get("Content-Disposition", "").startswith("attachment") == download
    # The public event page links it.
    event.publication_status = "published"
    event.save()
    assert attachment.href in client.get(event.get_absolute_url()).content.decode()


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "events").mkdir(parents=True)
    (root / "events" / "alt.html").write_bytes(HTML)
    (root / "events" / "plan.pdf").write_bytes(PDF)
    (tmp_path / "secret.txt").write_text("not for the public")
    (root / "events" / "link.pdf").symlink_to(tmp_path / "secret.txt")
    settings.MEDIA_ROOT = root
    return root


def test_a_stored_page_is_served_as_a_download_never_as_html(client, media):
    response = client.get("/media/events/alt.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == HTML


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/events/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/events/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/media/..%5csecret.txt",
        "/media//etc/passwd",
        "/media/%2Fetc%2Fpasswd",
        "/media/events/link.pdf",
        "/media/events/",
        "/media/events/missing.pdf",
        "/media/events/plan.pdf%00.html",
    ],
)
def test_paths_outside_the_media_folder_answer_404(client, media, path):
    served = client.get("/media/events/plan.pdf")
    assert served.status_code == 200  # the folder's own files are served
    b"".join(served.streaming_content)  # read to the end, which closes the file
    response = client.get(path)
    # (A NUL is refused before, with 400: operations/nul_bytes.py.)
    assert response.status_code == (400 if "%00" in path else 404)
    assert b"not for the public" not in response.content
