"""sysdesign-kit exercise pack: the circuit breaker."""
