"""The ``ragw`` command line: parse, call the ledger, render. Nothing else."""
