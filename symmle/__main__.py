"""python -m symmle"""

from symmle.cli import main

raise SystemExit(main())
