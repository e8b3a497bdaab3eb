"""Signatures of shared verdicts: git's own SSH signing, with a namespace of shiftguard's.

A verdict is signed with the key git signs commits with (`gpg.format ssh` and
`user.signingkey`: a private key file, a public key file whose private half
is in ssh-agent, or a `key::` literal), by `ssh-keygen -Y sign`, and checked
with `ssh-keygen -Y verify` against the allowed-signers file the config names
(`tests.trusted_signers`), for the principal the verdict names as its signer.
The namespace keeps a verdict signature from passing for a commit or an
e-mail signature made with the same key, and the reverse.

ssh-keygen runs in its own session: a passphrase it would ask for on the
terminal makes signing fail (the verdict is recorded unsigned, said once)
instead of stopping a hook.
"""

from __future__ import annotations

import os
import sys

from shiftguard import git

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

NAMESPACE = "shiftguard-verdict@shiftguard"
TIMEOUT = 20.0  # seconds: an agent that does not answer must not hold a push
_TOLD: set[str] = set()


def tell_once(text: str) -> None:
    """One line on stderr per distinct TEXT and process."""
    if text not in _TOLD:
        _TOLD.add(text)
        sys.stderr.write(f"shiftguard: {text}\n")
        sys.stderr.flush()


def _ssh_keygen(args: list[str], data: bytes, pass_fds: tuple[int, ...] = ()) -> tuple[int, bytes, bytes]:
    """(exit code, stdout, stderr) of `ssh-keygen ARGS` fed DATA; 127 when it is not installed."""
    import subprocess

    try:
        proc = subprocess.run(["ssh-keygen", *args], input=data, capture_output=True, timeout=TIMEOUT,
                              pass_fds=pass_fds, start_new_session=True, check=False)
    except FileNotFoundError:
        return 127, b"", b"ssh-keygen is not installed"
    except subprocess.TimeoutExpired:
        return 124, b"", b"ssh-keygen did not answer in time"
    return proc.returncode, proc.stdout, proc.stderr


def _first_line(err: bytes) -> str:
    lines = git.records(err.decode("utf-8", "replace").strip())
    return lines[0] if lines else "no message"


def signing_key(cwd: str | Path) -> str | None:
    """The key file git would sign with (`gpg.format ssh`), or None when git signs with no SSH key."""
    if (git.config_get("gpg.format", cwd) or "").strip().lower() != "ssh":
        return None
    key = (git.config_get("user.signingkey", cwd) or "").strip()
    if not key:
        return None
    if key.startswith("key::") or key.startswith("ssh-"):
        return _literal_key_file(key.removeprefix("key::"), cwd)
    return os.path.expanduser(key)


def _literal_key_file(public: str, cwd: str | Path) -> str:
    """A public key given literally, written where ssh-keygen can read it: inside the git dir."""
    from shiftguard.files import write_atomic

    folder = git.common_dir(cwd) / "shiftguard"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "signing-key.pub"
    write_atomic(path, (public.strip() + "\n").encode())
    return str(path)


def signer(cwd: str | Path) -> str:
    """Who signs: the committer e-mail, as git's allowed-signers files name principals."""
    ident = git.try_out("var", "GIT_COMMITTER_IDENT", cwd=cwd) or ""
    start, end = ident.find("<"), ident.find(">")
    return ident[start + 1 : end] if 0 <= start < end else ""


def sign(payload: bytes, cwd: str | Path) -> str | None:
    """The armored signature of PAYLOAD, or None (no SSH key configured, or signing failed: said once)."""
    key = signing_key(cwd)
    if key is None:
        return None
    code, out, err = _ssh_keygen(["-Y", "sign", "-n", NAMESPACE, "-f", key], payload)
    if code == 127:
        tell_once("ssh-keygen is not installed; test verdicts are recorded unsigned")
        return None
    if code:
        tell_once(f"could not sign the test verdict with {key} ({_first_line(err)}); recorded unsigned")
        return None
    return out.decode("ascii", "replace")


def verify(payload: bytes, signature: str, principal: str, allowed: str) -> str:
    """'' when SIGNATURE is PRINCIPAL's over PAYLOAD by a key ALLOWED lists; else why not."""
    if not principal:
        return "it names no signer"
    read_end, write_end = os.pipe()
    try:
        # The signature goes through a pipe: nothing is written to disk to check it.
        os.write(write_end, signature.encode("ascii", "replace")[: 1 << 15])
        os.close(write_end)
        write_end = -1
        args = ["-Y", "verify", "-f", allowed, "-I", principal, "-n", NAMESPACE, "-s", f"/dev/fd/{read_end}"]
        code, _, err = _ssh_keygen(args, payload, (read_end,))
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    if code == 127:
        return "ssh-keygen is not installed to check its signature"
    return "" if code == 0 else f"its signature does not verify for {principal} ({_first_line(err)})"
