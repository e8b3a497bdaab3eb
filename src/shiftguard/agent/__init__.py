"""Where the agents work: harness hooks (shell-command classifier, session context, stop), MCP server."""
