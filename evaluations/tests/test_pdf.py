"""The WeasyPrint wrapper: no network, no files outside the allowed roots, thumbnails and appendices."""

import base64
import http.server
import io
import threading

import pytest
from django.conf import settings
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from evaluations import pdf
from evaluations.tests.report_data import pdf_bytes, png_bytes


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        type(self).hits.append(self.path)
        body = png_bytes((4, 4))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        return None


@pytest.fixture
def http_server():
    _CountingHandler.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _CountingHandler.hits
    server.shutdown()
    server.server_close()


def _embedded_files(data: bytes) -> list[bytes]:
    """Contents of every file attachment annotation in a PDF."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                found.append(annot["/FS"].get_object()["/EF"]["/F"].get_object().get_data())
    return found


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_an_http_image_is_not_fetched(http_server):
    base, hits = http_server
    html = f'<p>Halo</p><img src="{base}/logo.png"><link rel="stylesheet" href="{base}/x.css">'
    HTML(string=html).write_pdf()  # control: WeasyPrint on its own does fetch it
    assert hits, "the control render should have reached the server"
    hits.clear()

    fetcher = pdf.SafeURLFetcher(roots=pdf.static_roots())
    data = pdf.render_pdf(html, base_url=settings.BASE_DIR / "static", fetcher=fetcher)

    assert hits == []
    assert f"{base}/logo.png" in fetcher.refused
    assert data.startswith(b"%PDF")


def test_a_file_outside_the_allowed_roots_is_not_embedded(tmp_path):
    secret = "root:x:0:0:root:/root:/bin/bash"
    html = '<p>Halo</p><a rel="attachment" href="file:///etc/passwd">x</a><img src="../../../../etc/passwd">'
    assert any(
        secret.encode()[:10] in f for f in _embedded_files(HTML(string=html, base_url=str(tmp_path) + "/").write_pdf())
    )

    fetcher = pdf.SafeURLFetcher(roots=pdf.static_roots())
    data = pdf.render_pdf(html, base_url=settings.BASE_DIR / "static", fetcher=fetcher)

    assert _embedded_files(data) == []
    assert b"root:x:0" not in data
    assert "file:///etc/passwd" in fetcher.refused


def test_static_files_whitelisted_files_and_data_uris_are_allowed(tmp_path):
    image = tmp_path / "foto.png"
    image.write_bytes(png_bytes((40, 40)))
    other = tmp_path / "lain.png"
    other.write_bytes(png_bytes((40, 40)))
    data_uri = "data:image/png;base64," + base64.b64encode(png_bytes((10, 10))).decode()
    html = (
        f'<link rel="stylesheet" href="css/kks.css"><img src="{image.as_uri()}">'
        f'<img src="{data_uri}"><img src="{other.as_uri()}">'
    )
    fetcher = pdf.SafeURLFetcher(roots=pdf.static_roots(), files=[image])

    data = pdf.render_pdf(html, base_url=settings.BASE_DIR / "static", fetcher=fetcher)

    assert fetcher.refused == [other.as_uri()]
    images = [img for page in PdfReader(io.BytesIO(data)).pages for img in page.images]
    assert len(images) == 2


def test_page_footer_counts_pages():
    html = (
        "<style>@page { @bottom-center { content: 'Halaman ' counter(page) ' dari ' counter(pages);"
        " font-family: 'DejaVu Sans' } }</style><p>satu</p><p style='break-before: page'>dua</p>"
    )
    text = _text(pdf.render_pdf(html))
    assert "Halaman 1 dari 2" in text
    assert "Halaman 2 dari 2" in text


def test_thumbnail_is_a_small_jpeg_data_uri():
    uri = pdf.image_data_uri(io.BytesIO(png_bytes((1600, 800))))

    assert uri.startswith("data:image/jpeg;base64,")
    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as img:
        assert img.size == (pdf.THUMBNAIL_PX, pdf.THUMBNAIL_PX // 2)


def test_thumbnail_follows_the_exif_orientation():
    from PIL import Image

    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone held upright: rotate 90 degrees
    Image.new("RGB", (1200, 600), "red").save(photo, "JPEG", exif=exif)
    photo.seek(0)

    uri = pdf.image_data_uri(photo)

    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as img:
        assert img.size == (pdf.THUMBNAIL_PX // 2, pdf.THUMBNAIL_PX)


def test_thumbnail_of_a_non_image_is_none():
    assert pdf.image_data_uri(io.BytesIO(b"not an image")) is None


def test_append_pdfs_adds_readable_files_and_skips_broken_ones():
    main = pdf.render_pdf("<p>Dokumen utama</p>")
    encrypted = io.BytesIO()
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("Rahasia")))
    writer.encrypt("sandi")
    writer.write(encrypted)

    merged = pdf.append_pdfs(
        main,
        [
            ("a.pdf", io.BytesIO(pdf_bytes("Lampiran A"))),
            ("rusak.pdf", io.BytesIO(b"%PDF-1.4 rusak")),
            ("kunci.pdf", io.BytesIO(encrypted.getvalue())),
        ],
        outline_title="Lampiran",
    )

    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 2
    assert "Lampiran A" in reader.pages[1].extract_text()
    assert [o.title for o in reader.outline if not isinstance(o, list)][-1] == "Lampiran"


def test_inspect_pdf_reports_pages_or_unreadable():
    assert pdf.inspect_pdf(io.BytesIO(pdf_bytes())).pages == 1
    assert not pdf.inspect_pdf(io.BytesIO(b"garbage")).ok
