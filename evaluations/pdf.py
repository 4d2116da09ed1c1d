"""PDF toolbox: the only module that imports WeasyPrint.

``render_pdf`` turns HTML into PDF bytes with a URL fetcher that never touches
the network and reads files only from the static folders and from a
per-render whitelist of storage files. ``image_data_uri`` makes thumbnails
that are embedded as ``data:`` URIs, and ``append_pdfs`` merges evidence PDFs
after a rendered document with pypdf, stripping their active content.
"""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kks.pdf_active import strip_active_content

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step at INFO; keep worker logs readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

THUMBNAIL_PX = 320
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def static_roots() -> list[Path]:
    """Folders a rendered document may read from: STATICFILES_DIRS and STATIC_ROOT."""
    roots = [Path(d if isinstance(d, str | Path) else d[1]) for d in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


class SafeURLFetcher(URLFetcher):
    """Fetch ``data:`` URIs and files under the allowed roots; refuse everything else.

    Refused URLs are recorded in ``refused`` (and logged) so callers and tests
    can see what a document tried to load.
    """

    def __init__(self, *, roots: Iterable[Path], files: Iterable[Path] = ()):
        super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]
        self.files = {Path(f).resolve() for f in files}
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF rendering refused to fetch %s", url)
        raise ValueError(f"refused URL: {url}")

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_file():
            return None
        if path in self.files or any(path.is_relative_to(root) for root in self.roots):
            return path
        return None


def render_pdf(
    html: str,
    *,
    base_url: str | Path | None = None,
    allowed_files: Iterable[Path] = (),
    fetcher: SafeURLFetcher | None = None,
) -> bytes:
    """Render ``html`` to PDF bytes; relative URLs resolve against ``base_url`` (default: the static folder)."""
    roots = static_roots()
    if base_url is None:
        base_url = roots[0] if roots else settings.BASE_DIR
    if fetcher is None:
        fetcher = SafeURLFetcher(roots=roots, files=allowed_files)
    base = str(base_url) if str(base_url).startswith("file:") else Path(base_url).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf()


def image_data_uri(fileobj, *, max_px: int = THUMBNAIL_PX) -> str | None:
    """A JPEG thumbnail of an image file as a ``data:`` URI, or None when it cannot be read."""
    try:
        with Image.open(fileobj) as img:
            img.draft("RGB", (max_px, max_px))  # fast JPEG downscale while decoding
            img.thumbnail((max_px, max_px))  # in place: keeps the EXIF data for the next step
            img = ImageOps.exif_transpose(img)  # on the small image: cheap
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                background = Image.new("RGB", img.size, "white")
                background.paste(img, mask=img.getchannel("A"))
                img = background
            elif img.mode != "RGB":
                img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, "JPEG", quality=72, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        logger.warning("cannot make a thumbnail", exc_info=True)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


@dataclass(frozen=True)
class PdfInfo:
    pages: int | None  # None: unreadable or encrypted, will not be appended

    @property
    def ok(self) -> bool:
        return self.pages is not None


def _reader(fileobj) -> PdfReader | None:
    try:
        reader = PdfReader(fileobj)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        len(reader.pages)  # forces parsing of the page tree
        return reader
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        logger.warning("cannot read an evidence PDF", exc_info=True)
        return None


def inspect_pdf(fileobj) -> PdfInfo:
    """Whether a PDF can be appended, and its page count."""
    reader = _reader(fileobj)
    return PdfInfo(pages=len(reader.pages) if reader else None)


def append_pdfs(document: bytes, parts: Iterable[tuple[str, object]], *, outline_title: str) -> bytes:
    """``document`` followed by every readable PDF in ``parts`` ((label, file object) pairs), with bookmarks.

    Active content (JavaScript, launch/form/remote actions, attachments, XFA, ``/AA``, ``/OpenAction``)
    is stripped from the whole result: evidence stored before uploads were checked for it may carry
    some, and the official dossier must never run anything when opened.
    """
    writer = PdfWriter(clone_from=io.BytesIO(document))
    parent = None
    for label, fileobj in parts:
        reader = _reader(fileobj)
        if reader is None:
            continue
        first_page = len(writer.pages)
        try:
            writer.append(reader, import_outline=False)
        except (PyPdfError, OSError, ValueError, KeyError, TypeError):
            logger.warning("cannot append an evidence PDF", exc_info=True)
            continue
        if parent is None:
            parent = writer.add_outline_item(title=outline_title, page_number=first_page)
        writer.add_outline_item(title=label, page_number=first_page, parent=parent)
    removed = strip_active_content(writer)
    if removed:
        logger.warning("removed %d pieces of active content from appended evidence PDFs", removed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
