"""The click layer: parse arguments, call a plain function, map errors to exit codes.

The hooks' plain forms, `check-msg FILE` and `prepare-commit-msg FILE [SOURCE
[SHA]]` (every commit) and `pre-push REMOTE URL` and `pre-receive` (every push), and
`check-commits [RANGE]` (CI, over long histories) and `agent hook EVENT` (before
every command a coding agent runs) are dispatched without importing
click at all: click alone costs about three bare interpreter starts. Anything else,
including `check-msg --help`, goes through click.
"""

from __future__ import annotations

import os
import sys

from shiftguard.errors import ExitCode, ShiftguardError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import click

FORMATS = ("text", "json", "github", "sarif")
CI_FORMATS = (*FORMATS, "gitlab")
COMPLETE_VAR = "_SHIFTGUARD_COMPLETE"  # click's own name for it, from the program name


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _is_plain(args, "check-msg", 1, 1):
        code = guarded(lambda: _fast_check_msg(args[1]))
        if argv is None:
            _exit_now(code)
        return code
    if _is_plain(args, "prepare-commit-msg", 1, 3):
        return guarded(lambda: _fast_prepare(*args[1:]))
    if _is_plain(args, "pre-push", 2, 2):
        return guarded(lambda: _fast_pre_push(args[1], args[2]), signals=True)
    if _is_plain(args, "check-commits", 0, 1):
        code = guarded(lambda: _fast_check_commits(args[1] if len(args) > 1 else None), signals=True)
        if argv is None:
            _exit_now(code)
        return code
    if args == ["lint-handoff", "--staged"]:  # the native pre-commit hook, on every commit
        return guarded(_fast_lint_staged)
    if args[:2] == ["agent", "hook"] and not {"-h", "--help"} & set(args):  # before every agent command
        code = _agent_hook_code(guarded(lambda: _fast_agent_hook(args[2:])))
        if argv is None:
            _exit_now(code)
        return code
    if _is_plain(args, "pre-receive", 0, 0):
        code = guarded(_fast_pre_receive, signals=True)
        if argv is None:
            _exit_now(code)
        return code
    if _is_plain(args, "post-receive", 0, 0):
        return guarded(_fast_post_receive, signals=True)
    return guarded(lambda: _click_main(args), signals=True)


def _exit_now(code: int) -> None:
    """Leave without interpreter teardown: on a hook run per commit or push it is pure cost."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


def _is_plain(args: list[str], command: str, least: int, most: int) -> bool:
    """COMMAND followed by LEAST to MOST positional arguments and no option."""
    operands = args[1:]
    return (
        bool(args)
        and args[0] == command
        and least <= len(operands) <= most
        and all(a == "-" or not a.startswith("-") for a in operands)
    )


def _fast_check_msg(path: str) -> int:
    from shiftguard.commands.check_msg import check_msg

    return check_msg(path, fmt="text", config_path=None)


def _fast_prepare(path: str, source: str | None = None, sha: str | None = None) -> int:
    from shiftguard.commands.prepare_commit_msg import prepare_commit_msg

    return prepare_commit_msg(path, source, sha, config_path=None)


def _fast_check_commits(rev_range: str | None) -> int:
    from shiftguard.commands.check_commits import check_commits

    return check_commits(rev_range, fmt="text", config_path=None)


def _fast_pre_push(remote: str, url: str) -> int:
    from shiftguard.commands.pre_push import pre_push

    return pre_push(remote, url, fmt="text", config_path=None)


def _fast_lint_staged() -> int:
    from shiftguard.commands.lint_handoff import lint_staged

    return lint_staged()


def _fast_agent_hook(args: list[str]) -> int:
    from shiftguard.agent.hook import run

    return run(args)


def _agent_hook_code(code: int) -> int:
    """Exit 2 means "block" to every harness: an error of the hook itself must never block."""
    return ExitCode.VIOLATIONS if code == ExitCode.USAGE else code


def _fast_pre_receive() -> int:
    from shiftguard.commands.pre_receive import pre_receive

    return pre_receive()


def _fast_post_receive() -> int:
    from shiftguard.commands.post_receive import post_receive

    return post_receive()


def guarded(action: Callable[[], int], *, signals: bool = False) -> int:
    """The one top-level handler: `Error: ...` on stderr and the class's exit code.

    With SIGNALS, SIGTERM, SIGHUP and SIGQUIT end the action as Ctrl-C does
    (interrupts.py): cleaned up, exit 130. The commit-msg hot path goes without.
    """
    try:
        if signals:
            return _with_signals(action)
        return int(action() or 0)
    except ShiftguardError as exc:
        _say(f"Error: {exc.message}", exc.hint)
        return int(exc.exit_code)
    except KeyboardInterrupt as exc:
        from shiftguard.interrupts import describe

        _say(f"Error: {describe(exc)}")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # never a traceback, whatever the input
        if os.environ.get("SHIFTGUARD_DEBUG"):
            raise
        report = _crash_report(exc)
        where = f"; report in {report}" if report else ""
        _say(f"Error: internal error: {type(exc).__name__}: {exc}{where}", "this is a bug of shiftguard: please report it")
        return int(ExitCode.INTERNAL)


def _crash_report(exc: BaseException) -> str | None:
    """Write version, command and traceback to a file of their own; its path, or None."""
    import time
    import traceback

    from shiftguard import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    path = os.path.join(base, "shiftguard", "crash", time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}.txt")
    lines = [
        f"shiftguard {__version__} on Python {sys.version.split()[0]} ({sys.platform})",
        "command: " + " ".join(map(repr, sys.argv)),
        "cwd: " + os.getcwd(),
        "",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ]
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", errors="replace") as fh:
            fh.write("\n".join(line.rstrip("\n") for line in lines) + "\n")
    except OSError:
        return None
    return path


def _with_signals(action: Callable[[], int]) -> int:
    from shiftguard.interrupts import terminating

    with terminating():
        return int(action() or 0)


def _say(line: str, hint: str | None = None) -> None:
    try:
        from shiftguard.terminal import line as inert

        sys.stderr.write(inert(line.replace("\n", " ")) + "\n")
        if hint:
            sys.stderr.write(inert(f"Hint: {hint}") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # a hung-up terminal (SIGHUP) must not change the exit code
        pass


def _silence_stdout() -> None:
    # Python would complain again while flushing stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _click_main(args: list[str]) -> int:
    """Parse ARGS and run the command, without click's own handling of Ctrl-C and errors.

    click's `main()` would turn every KeyboardInterrupt (and so every signal of
    interrupts.py) into a bare Abort and print usage errors on four lines; the
    one top-level handler does both: exit 130 naming the signal, one line.
    """
    import click

    command = group()
    if COMPLETE_VAR in os.environ:  # the shell asks for completions (see `shiftguard completion`)
        from shiftguard.commands.completion import complete

        return complete(command, args)
    try:
        with command.make_context("shiftguard", args) as ctx:
            return int(command.invoke(ctx) or 0)
    except click.exceptions.Exit as exc:  # --help, --version
        return int(exc.exit_code)
    except click.exceptions.Abort:  # a click prompt met Ctrl-C or Ctrl-D
        raise KeyboardInterrupt from None
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as exc:  # click >= 8.2: a bare group
        sys.stderr.write(exc.ctx.get_help() + "\n")
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        raise _usage_error(exc) from None


def _usage_error(exc: click.ClickException) -> ShiftguardError:
    """click's complaint as one line, with where to read the usage as the hint."""
    from shiftguard.errors import UsageError

    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "shiftguard"
    message = " ".join(exc.format_message().split())
    return UsageError(message[:1].lower() + message[1:], f"see `{path} --help`")


def _build() -> click.Group:
    import click

    from shiftguard import __version__

    fmt_option = click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
    )

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "-V", "--version", prog_name="shiftguard")
    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file to use.")
    @click.option("--debug", is_flag=True, help="Print the resolved config and where each value came from.")
    @click.pass_context
    def group(ctx: click.Context, config_path: str | None, debug: bool) -> None:
        """Git hooks and repository policy for shift-based teams."""
        ctx.obj = config_path
        if debug:
            from shiftguard.commands.debug import show_config

            show_config(config_path)

    @group.command("check-msg")
    @click.argument("path", metavar="FILE|-")
    @fmt_option
    @click.pass_obj
    def check_msg_cmd(config_path: str | None, path: str, fmt: str) -> int:
        """Check one commit message file (the commit-msg hook), or - for stdin."""
        from shiftguard.commands.check_msg import check_msg

        return check_msg(path, fmt=fmt, config_path=config_path)

    @group.command("check-commits")
    @click.argument("rev_range", required=False)
    @fmt_option
    @click.pass_obj
    def check_commits_cmd(config_path: str | None, rev_range: str | None, fmt: str) -> int:
        """Check the messages of REV_RANGE (default: commits not on the upstream)."""
        from shiftguard.commands.check_commits import check_commits

        return check_commits(rev_range, fmt=fmt, config_path=config_path)

    @group.command("lint-handoff")
    @click.argument("paths", nargs=-1)
    @fmt_option
    @click.option("--fix", is_flag=True, help="Repair safe mechanical issues (mojibake, heading case) in place.")
    @click.option("--verify-commits", is_flag=True, help="Check that listed commit SHAs exist.")
    @click.option("--staged", is_flag=True, help="Only the handoffs the next commit adds or changes, as staged.")
    @click.pass_obj
    def lint_handoff_cmd(
        config_path: str | None, paths: tuple[str, ...], fmt: str, fix: bool, verify_commits: bool, staged: bool
    ) -> int:
        """Lint handoff documents (default: every handoff in the handoff folder)."""
        from shiftguard.commands.lint_handoff import lint_handoff, lint_staged

        if staged:
            _staged_flags(paths, fix, verify_commits)
            return lint_staged(fmt=fmt, config_path=config_path)
        return lint_handoff(list(paths), fmt=fmt, fix=fix, verify_commits=verify_commits, config_path=config_path)

    @group.command("pre-push")
    @click.argument("remote")
    @click.argument("url")
    @fmt_option
    @click.pass_obj
    def pre_push_cmd(config_path: str | None, remote: str, url: str, fmt: str) -> int:
        """The pre-push gate: reads git's pre-push lines on stdin."""
        from shiftguard.commands.pre_push import pre_push

        return pre_push(remote, url, fmt=fmt, config_path=config_path)

    @group.command("prepare-commit-msg")
    @click.argument("path")
    @click.argument("source", required=False)
    @click.argument("sha", required=False)
    @click.pass_obj
    def prepare_commit_msg_cmd(config_path: str | None, path: str, source: str | None, sha: str | None) -> int:
        """Pre-fill the subject and readiness line (the prepare-commit-msg hook)."""
        from shiftguard.commands.prepare_commit_msg import prepare_commit_msg

        return prepare_commit_msg(path, source, sha, config_path=config_path)

    @group.group("tests")
    def tests_group() -> None:
        """Run the configured test suites against a tree, with the result cache."""

    @tests_group.command("run")
    @click.option("--rev", default="HEAD", show_default=True, help="Commit whose tree is tested.")
    @click.option("--suite", "suites", multiple=True, help="Only this suite (repeatable).")
    @click.option("--no-cache", is_flag=True, help="Run even when a passing result is cached.")
    @click.option("--publish", is_flag=False, flag_value="", default=None, metavar="[REMOTE]",
                  help="Run afresh, sign the verdicts and push them as git notes (default remote: config's).")
    @click.pass_obj
    def tests_run_cmd(config_path: str | None, rev: str, suites: tuple[str, ...], no_cache: bool,
                      publish: str | None) -> int:
        """Run the suites on REV's tree."""
        from shiftguard.commands.tests import tests_run

        return tests_run(rev, list(suites), no_cache=no_cache, config_path=config_path, publish=publish)

    @tests_group.command("status")
    @click.option("--rev", default="HEAD", show_default=True)
    @fmt_option
    @click.pass_obj
    def tests_status_cmd(config_path: str | None, rev: str, fmt: str) -> int:
        """Show cached results for REV's tree."""
        from shiftguard.commands.tests import tests_status

        return tests_status(rev, fmt=fmt, config_path=config_path)

    @group.group("rollback", invoke_without_command=True)
    @click.option("--to", "target", help="Commit to roll back to (default: last known green).")
    @click.option("--mode", type=click.Choice(["revert", "reset"]), default="revert", show_default=True)
    @click.option("--reason", help="Why (required; goes into the handoff).")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @click.option("--dry-run", is_flag=True, help="Only print the plan.")
    @click.pass_context
    def rollback_group(
        ctx: click.Context, target: str | None, mode: str, reason: str | None, yes: bool, dry_run: bool
    ) -> int | None:
        """Guarded emergency rollback (see also: undo, list)."""
        if ctx.invoked_subcommand is not None:
            return None
        from shiftguard.commands.rollback import rollback

        return rollback(target, mode=mode, reason=reason, yes=yes, dry_run=dry_run, config_path=ctx.obj)

    @rollback_group.command("undo")
    @click.option("--yes", is_flag=True)
    @click.option("--dry-run", is_flag=True)
    @click.option("--backup", help="Id (as `rollback list` shows it) or ref of the backup to restore (default: the latest).")
    @click.pass_obj
    def rollback_undo_cmd(config_path: str | None, yes: bool, dry_run: bool, backup: str | None) -> int:
        """Restore the branch from the latest backup ref."""
        from shiftguard.commands.rollback import rollback_undo

        return rollback_undo(yes=yes, dry_run=dry_run, config_path=config_path, backup=backup)

    @rollback_group.command("list")
    @fmt_option
    @click.option("--remote", "remote", is_flag=True, help="The rollbacks the remote's server hook recorded.")
    @click.pass_obj
    def rollback_list_cmd(config_path: str | None, fmt: str, remote: bool) -> int:
        """List backup refs (or, with --remote, the server's rollback audit log)."""
        from shiftguard.commands.rollback import rollback_list

        return rollback_list(fmt=fmt, config_path=config_path, remote=remote)

    @group.group("shift")
    def shift_group() -> None:
        """Shift lifecycle: start and end."""

    @shift_group.command("start")
    @click.argument("number", type=click.IntRange(min=1))
    @click.argument("agent_type", required=False)
    @click.option("--offline", is_flag=True, help="Claim the shift in this clone only, not on the remote.")
    @click.option("--take-over", "take_over", is_flag=True, help="Replace a stale or ended claim of the shift.")
    @click.pass_obj
    def shift_start_cmd(config_path: str | None, number: int, agent_type: str | None, offline: bool,
                        take_over: bool) -> int:
        """Claim the shift; show the previous handoff and score; create the draft handoff (TYPE: the plan's role)."""
        from shiftguard.commands.shift import shift_start

        return shift_start(number, agent_type, config_path=config_path, offline=offline, take_over=take_over)

    @shift_group.command("end")
    @click.argument("number", type=click.IntRange(min=1))
    @click.option("--score", type=click.IntRange(0, 100), help="Production readiness now (percent).")
    @click.option("--offline", is_flag=True, help="Mark the claim ended in this clone only.")
    @click.pass_obj
    def shift_end_cmd(config_path: str | None, number: int, score: int | None, offline: bool) -> int:
        """Run the suites, fill in the handoff, update the score, lint it as final; end the claim."""
        from shiftguard.commands.shift import shift_end

        return shift_end(number, score=score, config_path=config_path, offline=offline)

    @group.command("completion")
    @click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
    def completion_cmd(shell: str) -> int:
        """Print the shell completion script, e.g. `eval "$(shiftguard completion bash)"`."""
        from shiftguard.commands.completion import completion

        return completion(group, shell)

    @group.command("status")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option("--at", "at", metavar="TIME", help="Judge the plan at TIME instead of now.")
    @click.pass_obj
    def status_cmd(config_path: str | None, fmt: str, at: str | None) -> int:
        """Score, the plan, latest handoff, blockers, test results, git and health."""
        from shiftguard.commands.status import status

        return status(fmt=fmt, config_path=config_path, at=at)

    @group.group("plan", invoke_without_command=True)
    @click.option("--at", "at", metavar="TIME", help="Where the team stands at TIME (default: now).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.pass_context
    def plan_group(ctx: click.Context, at: str | None, fmt: str) -> int | None:
        """The plan and where the team stands: done, current, late, upcoming shifts."""
        if ctx.invoked_subcommand is not None:
            return None
        from shiftguard.commands.plan import plan_show

        return plan_show(at=at, fmt=fmt, config_path=ctx.obj)

    @plan_group.command("init")
    @click.option("--start", metavar="TIME", help="When shift 1 begins (default: the start of this hour, UTC).")
    @click.option("--force", is_flag=True, help="Replace an existing plan.")
    @click.option("--tasks", "tasks", metavar="FILE", help="The team's tasks per shift: CSV (shift,task) or YAML.")
    @click.option("--example", is_flag=True, help="Fill the tasks with the seed product's own (an example).")
    @click.pass_obj
    def plan_init_cmd(config_path: str | None, start: str | None, force: bool, tasks: str | None, example: bool) -> int:
        """Write the seed's 24-shift schedule shape, day goals and test cadence into the config."""
        from shiftguard.commands.plan import plan_init

        return plan_init(start, force=force, config_path=config_path, tasks=tasks, example=example)

    @group.command("report")
    @click.option("-o", "--output", metavar="FILE", help="Write the report to FILE (default: stdout).")
    @click.option("--format", "fmt", type=click.Choice(["html", "text", "json"]), default=None,
                  help="html, text or json (default: from -o FILE's extension, else text).")
    @click.option("--at", "at", metavar="TIME", help="Judge the plan at TIME instead of now.")
    @click.pass_obj
    def report_cmd(config_path: str | None, output: str | None, fmt: str | None, at: str | None) -> int:
        """The readiness story: score per shift against the goals, tests, blockers, commits, checklist."""
        from shiftguard.commands.report import report

        return report(output=output, fmt=fmt, at=at, config_path=config_path)

    server_option = click.option(
        "--server", is_flag=True, help="The server hooks and policy file of the bare repository people push to."
    )
    git_dir_option = click.option("--git-dir", help="With --server: the repository (default: the cwd).")

    @group.command("rules")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.pass_obj
    def rules_cmd(config_path: str | None, fmt: str) -> int:
        """List every rule: id, name, level in effect, options, description."""
        from shiftguard.commands.rules import rules

        return rules(fmt=fmt, config_path=config_path)

    @group.command("install")
    @click.option("--native", is_flag=True, help="Write git hook shims instead of using pre-commit.")
    @click.option("--force", is_flag=True, help="With --native: replace the hooks of pre-commit (kept as backups).")
    @click.option(
        "--baseline", metavar="[REV]", is_flag=False, flag_value="HEAD", default=None,
        help="Record commit.since = REV (default HEAD): it and older commits are never checked. Alone: no hook installed.",
    )
    @server_option
    @git_dir_option
    @click.pass_obj
    def install_cmd(
        config_path: str | None, native: bool, force: bool, baseline: str | None, server: bool, git_dir: str | None
    ) -> int:
        """Install the hooks (pre-commit config by default); --baseline records where the convention starts."""
        from shiftguard.commands.install import install

        _server_flags(native, server, git_dir)
        _force_flag(native, force)
        return install(
            native=native, config_path=config_path, server=server, git_dir=git_dir, force=force, baseline=baseline
        )

    @group.command("uninstall")
    @click.option("--native", is_flag=True)
    @server_option
    @git_dir_option
    @click.pass_obj
    def uninstall_cmd(config_path: str | None, native: bool, server: bool, git_dir: str | None) -> int:
        """Reverse `install`."""
        from shiftguard.commands.install import uninstall

        _server_flags(native, server, git_dir)
        return uninstall(native=native, config_path=config_path, server=server, git_dir=git_dir)

    @group.command("ci")
    @click.option("--base", help="Check the commits after REF (default: from the CI's variables, else the upstream).")
    @click.option(
        "--format", "fmt", type=click.Choice(CI_FORMATS), default="text", show_default=True, help="Output format."
    )
    @click.pass_obj
    def ci_cmd(config_path: str | None, base: str | None, fmt: str) -> int:
        """Check a CI job's range: its commits and the handoffs it changes."""
        from shiftguard.commands.ci import ci

        return ci(base, fmt=fmt, config_path=config_path)

    harness_option = click.option(
        "--harness", "harnesses", multiple=True, type=click.Choice(["claude", "codex", "copilot"]),
        help="The coding-agent harness (repeatable; default: claude, for uninstall: all).",
    )

    @group.group("agent")
    def agent_group() -> None:
        """Where the agents work: harness hooks and the shift-protocol notes."""

    @agent_group.command("install")
    @harness_option
    def agent_install_cmd(harnesses: tuple[str, ...]) -> int:
        """Write the harness's project hooks (merged with yours) and the shift protocol to AGENTS.md/CLAUDE.md."""
        from shiftguard.commands.agent import agent_install

        return agent_install(list(harnesses))

    @agent_group.command("uninstall")
    @harness_option
    def agent_uninstall_cmd(harnesses: tuple[str, ...]) -> int:
        """Remove exactly what `agent install` added."""
        from shiftguard.commands.agent import agent_uninstall

        return agent_uninstall(list(harnesses))

    @agent_group.command("hook")
    @click.argument("event", type=click.Choice(["session-start", "pre-shell", "stop"]))
    @click.option("--harness", default="claude", type=click.Choice(["claude", "codex", "copilot"]), show_default=True)
    def agent_hook_cmd(event: str, harness: str) -> int:
        """Speak the harness's hook protocol for EVENT: its JSON event on stdin, the decision on stdout."""
        from shiftguard.agent.hook import run

        return run([event, "--harness", harness])

    @group.command("mcp")
    def mcp_cmd() -> int:
        """A Model Context Protocol server over stdio (needs `pip install 'shiftguard[mcp]'`)."""
        from shiftguard.commands.agent import mcp_serve

        return mcp_serve()

    @group.command("pre-receive")
    def pre_receive_cmd() -> int:
        """The server's hook: reads git's `<old> <new> <ref>` lines on stdin."""
        from shiftguard.commands.pre_receive import pre_receive

        return pre_receive()

    @group.command("post-receive")
    def post_receive_cmd() -> int:
        """The server's second hook: records the rollbacks that landed in the audit log."""
        from shiftguard.commands.post_receive import post_receive

        return post_receive()

    return group


def _server_flags(native: bool, server: bool, git_dir: str | None) -> None:
    from shiftguard.errors import UsageError

    if native and server:
        raise UsageError("--native and --server do not go together", "--server is for the bare repository")
    if git_dir and not server:
        raise UsageError("--git-dir goes with --server", "see `shiftguard install --help`")


def _staged_flags(paths: tuple[str, ...], fix: bool, verify_commits: bool) -> None:
    from shiftguard.errors import UsageError

    if paths or fix or verify_commits:
        raise UsageError("--staged takes no PATHS, --fix or --verify-commits", "it lints the index, as the commit will hold it")


def _force_flag(native: bool, force: bool) -> None:
    from shiftguard.errors import UsageError

    if force and not native:
        raise UsageError("--force goes with --native", "it replaces pre-commit's hooks with shiftguard's shims")


_GROUP: list[click.Group] = []


def group() -> click.Group:
    """The click group, built on first use so that importing this module is cheap."""
    if not _GROUP:
        _GROUP.append(_build())
    return _GROUP[0]
