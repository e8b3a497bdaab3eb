"""Installing the hooks: the pre-commit config path and the native shim path."""
