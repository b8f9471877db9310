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


def set_size(fd, line):
    try:
        # Go decodes JSON field names case-insensitively: kubectl sends Width/Height, client-node width/height.
        size = {k.lower(): v for k, v in json.loads(line).items()}
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", int(size["height"]), int(size["width"]), 0, 0))
    except (ValueError, KeyError, OSError):
        pass


def apply_sizes(fd, pending):
    """Applies every complete line of `pending`; returns what is left of it."""
    while b"\n" in pending:
        line, pending = pending.split(b"\n", 1)
        set_size(fd, line)
    return pending


# A client sends its terminal's size as the stream opens: wait for it (a second at most) and give it to the command's
# terminal before the command starts, so that a command asking at once (`stty size`) gets it, whichever comes first.
pending = b""
resizes_open = True
while b"\n" not in pending and select.select([3], [], [], 1.0)[0]:
    data = os.read(3, 4096)
    if not data:
        resizes_open = False
        break
    pending += data
first, newline, rest = pending.partition(b"\n")
if newline:
    pending = rest

pid, master = pty.fork()
if pid == 0:
    if newline:
        set_size(0, first)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    except OSError as err:
        sys.stderr.write(f"exec: {sys.argv[1]}: {err.strerror}\n")
        os._exit(127)

pending = apply_sizes(master, pending)

inputs = [0, master, 3] if resizes_open else [0, master]
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
        pending = apply_sizes(master, pending + data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            inputs.remove(0)
            os.write(master, b"\x04")

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
