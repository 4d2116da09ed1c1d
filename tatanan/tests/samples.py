"""A small valid framework file whose line numbers the error tests rely on (see the numbers on the right)."""

SMALL_YAML = """\
code: uji-kecil
name: Kerangka uji kecil
year: 2025
opd_kinds:
  - code: dinkes
    name: Dinas Kesehatan
tatanan:
  - number: 1
    name: Pasar
indicators:
  - code: T1-01
    tatanan: 1
    number: 1
    name: Pasar sehat
    responsible_opd_kinds: [dinkes]
    scale:
      - value: 100
        description: Ada
      - value: 0
        description: Tidak ada
  - code: K-01
    kind: kelembagaan
    body_kind: forum
    number: 1
    name: SK Forum
    scale:
      - value: 100
        description: Ada SK
      - value: 0
        description: Tidak ada SK
"""
# line  1 code            11 - code: T1-01      21 - code: K-01
# line  4 opd_kinds       12   tatanan: 1       22   kind: kelembagaan
# line  7 tatanan         15   responsible...   23   body_kind: forum
# line  8 - number: 1     16   scale:           26   scale:
# line 10 indicators      19     - value: 0     29     - value: 0


def small_yaml(*replacements: tuple[str, str]) -> str:
    """SMALL_YAML with each ``(old, new)`` applied once; fails loudly if ``old`` is absent."""
    text = SMALL_YAML
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text
