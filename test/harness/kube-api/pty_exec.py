"""Runs a command on a pseudo-terminal for exec with tty=true: stdin/stdout relay the terminal, fd 3 takes
resize messages (one JSON object per line, {"Width": cols, "Height": rows}) as the exec resize channel sends them.
Exits with the command's exit code."""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios

pid, master = pty.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    except OSError as err:
        sys.stderr.write(f"exec: {sys.argv[1]}: {err.strerror}\n")
        os._exit(127)

inputs = [0, master, 3]
pending = b""
while True:
    try:
        ready, _, _ = select.select(inputs, [], [])
    except InterruptedError:
        continue
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if not data:
            break
        os.write(1, data)
    # Resizes first: a resize sent before keystrokes must be in effect when the command they type runs.
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            inputs.remove(3)
            continue
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            try:
                # Go decodes JSON field names case-insensitively: kubectl sends Width/Height, client-node width/height.
                size = {k.lower(): v for k, v in json.loads(line).items()}
                fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", int(size["height"]), int(size["width"]), 0, 0))
            except (ValueError, KeyError, OSError):
                pass
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)
            os.write(master, b"\x04")

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
