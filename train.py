"""Train the default model on the bundled corpus: `python train.py` is `policytag train`.

Works from a source checkout with or without the package installed.
"""

import sys
from pathlib import Path

try:
    from policytag.cli import main
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from policytag.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
