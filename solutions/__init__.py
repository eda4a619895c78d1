"""Reference implementations, the same public API as the stubs in exercises/."""
