"""Your implementations, one module per concept (see README.md).

The kit copies an exercise's stub here (``<slug>.py``) the first time you run ``sysdesign`` or
``pytest`` on it; from then on the file is yours and the kit never overwrites it
(``sysdesign reset SLUG`` restores the stub and keeps your version as a backup)."""
