"""The stages and states of a response: plain enums, defined in ``kks.workflow`` (below every app, so the access
policy can use them) and importable from here as before."""

from kks.workflow import ResponseStatus, Stage

__all__ = ["ResponseStatus", "Stage"]
