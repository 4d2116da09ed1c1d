"""Small valid sample files built in code, for demo data, the benchmark and tests.

No test-only imports here: ``seed_demo`` and ``bench`` use it at run time.
"""

import io


def _pdf_text(line: str) -> bytes:
    return line.encode("latin-1", "replace").replace(b"\\", b"/").replace(b"(", b"[").replace(b")", b"]")


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF showing ``lines`` (Helvetica), with a correct cross-reference table."""
    lines = lines or ("Bukti dukung",)
    text_ops = b" 0 -24 Td ".join(b"(" + _pdf_text(line) + b") Tj" for line in lines)
    stream = b"BT /F1 12 Tf 72 720 Td " + text_ops + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
