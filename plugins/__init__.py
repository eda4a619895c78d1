"""Plugins of sysdesign-kit: the pytest plugin, the built-in exercise pack, the built-in
implementation providers and the report writers. Each uses the hooks in sysdesign.hookspecs."""
