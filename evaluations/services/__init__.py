"""Business actions, one module per area: keyword-only ``<noun>_<verb>`` functions."""
