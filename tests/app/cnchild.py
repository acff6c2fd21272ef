# SPDX-License-Identifier: GPL-3.0-or-later
"""Processes a Python UI test starts die with it, as tests/cn-test-child.h does for the C tests.

A driver stopped by the test runner (SIGTERM when it times out, then SIGKILL) runs no
`finally` and no `atexit`: a caunoi, a caunoi-server or a D-Bus daemon it started would stay
behind. Two defences:

    subprocess.Popen([...], preexec_fn=cnchild.die_with_parent())
    cnchild.exit_on_sigterm()   # once, at the start of the driver

The kernel kills a child started with die_with_parent() when the *thread* that started it
ends: start children from the driver's main thread (the drivers have no other thread that
spawns).
"""

import ctypes
import os
import signal
import subprocess
import sys
import threading

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def die_with_parent():
    """A preexec_fn for subprocess.Popen: the child gets SIGKILL when this process dies. If
    this process died before the child asked for that, the child leaves at once."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError('children that die with the test must be started from its main thread')
    parent = os.getpid()

    def setup():
        if _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0 or os.getppid() != parent:
            os._exit(127)
    return setup


def _leave(signum, frame):
    sys.exit(128 + signum)


def exit_on_sigterm():
    """SIGTERM (the test runner's timeout) leaves through SystemExit, so that the driver's
    `finally` blocks and `atexit` functions stop what it started."""
    signal.signal(signal.SIGTERM, _leave)


def private_display(size='1280x800x24'):
    """An X server of the test's own, set as DISPLAY for what it starts. Keys a test sends
    (XTest, through AT-SPI) go to the window with the input focus on the display: on the
    display the test runner shares, that may be another test's window, presented a moment
    ago. Returns the Xvfb process; stop_display() ends it."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(['Xvfb', '-displayfd', str(write_end), '-screen', '0', size,
                                '-nolisten', 'tcp', '-noreset', '-ac'],
                               pass_fds=(write_end,), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=die_with_parent())
    os.close(write_end)
    number = b''
    with os.fdopen(read_end, 'rb') as ready:
        while not number.endswith(b'\n'):
            chunk = ready.read(1)
            if not chunk:
                raise RuntimeError('Xvfb did not start')
            number += chunk
    os.environ['DISPLAY'] = ':' + number.decode().strip()
    os.environ.pop('XAUTHORITY', None)  # -ac: no cookie to give
    return process


def stop_display(process):
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait(10)
