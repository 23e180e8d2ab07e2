"""`python -m policytag` is the `policytag` command."""

import sys

from .cli import main

sys.exit(main())
