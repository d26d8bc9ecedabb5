"""What goes in and out of a ledger in bulk, each taking a :class:`~ledger.Ledger`:
importing a tracker (``importing``, read by ``tracker``), owners' update sheets
(``updates``), and backup and restore (``backup``)."""

from __future__ import annotations
