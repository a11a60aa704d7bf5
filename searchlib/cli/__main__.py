"""``python -m searchlib.cli``: the ``search`` command."""
from searchlib.cli import main

main()
