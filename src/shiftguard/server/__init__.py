"""Server-side enforcement: the pre-receive hook of a bare repository (SPEC §6b)."""
