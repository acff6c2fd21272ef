# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive the real `caunoi` program through AT-SPI, as a screen reader or a person would.

Each CaunoiApp gets its own accessibility bus, its own session bus (so that GApplication's
uniqueness cannot hand the window to another test's instance), the build tree's schemas and
translations, a memory GSettings backend and temporary XDG directories. Run with
/usr/bin/python3 (it has `gi`) under a display (build-aux/test runs Xvfb).

    with CaunoiApp('vi') as app:
        window = app.wait_for(lambda: app.find(role=Atspi.Role.FRAME, name='Cầu Nối'))
        app.click(app.find(role=Atspi.Role.TOGGLE_BUTTON, name='Văn bản'))

Other UI tests may import this module (tests/app is on sys.path when the test runs from it).
"""

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import cnchild

LOCALES = {'vi': 'vi_VN.UTF-8', 'en': 'en_US.UTF-8'}
A11Y_CONF = '/usr/share/defaults/at-spi2/accessibility.conf'
REGISTRYD = '/usr/libexec/at-spi2-registryd'

_bus_process = None
_registry_process = None

# G_DEBUG=fatal-warnings is for the program under test, not for this driver: libatspi warns
# that GTK 4.8 has no AT-SPI cache, and that must not abort the test.
_CHILD_G_DEBUG = os.environ.pop('G_DEBUG', None)


def _start_a11y_bus():
    """A private accessibility bus and registry for this test process."""
    global _bus_process, _registry_process
    if _bus_process is not None:
        return
    _bus_process = subprocess.Popen(
        ['dbus-daemon', '--config-file=' + A11Y_CONF, '--nofork', '--print-address=1'],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        preexec_fn=cnchild.die_with_parent())
    address = _bus_process.stdout.readline().strip()
    if not address:
        raise RuntimeError('could not start an accessibility bus')
    os.environ['AT_SPI_BUS_ADDRESS'] = address
    _registry_process = subprocess.Popen([REGISTRYD], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         preexec_fn=cnchild.die_with_parent())
    atexit.register(_stop_a11y_bus)


def _stop_a11y_bus():
    global _bus_process, _registry_process
    for p in (_registry_process, _bus_process):
        if p is not None and p.poll() is None:
            p.terminate()
            p.wait(10)
    _bus_process = _registry_process = None


cnchild.exit_on_sigterm()
# A display of its own: the keys a test types must reach its window, not the one another
# test running beside it presented last on the shared display.
_display = cnchild.private_display()
atexit.register(cnchild.stop_display, _display)
_start_a11y_bus()

import gi  # noqa: E402  (AT_SPI_BUS_ADDRESS must be set before Atspi starts)

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

Atspi.init()


class TestFailure(AssertionError):
    pass


class CaunoiApp:
    """The caunoi program in LANGUAGE (vi or en), started on entering a `with` block."""

    def __init__(self, language, args=(), env=None, timeout=20):
        self.language = language
        self.args = list(args)
        self.extra_env = dict(env or {})
        self.timeout = timeout
        self.build_dir = os.environ['CAUNOI_BUILD_DIR']
        self.process = None
        self.bus = None
        self.home = None
        self.app = None

    def __enter__(self):
        self.home = tempfile.mkdtemp(prefix='caunoi-atspi-')
        locale = LOCALES[self.language]
        env = dict(os.environ)
        for key in ('LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE', 'GTK_A11Y', 'NO_AT_BRIDGE'):
            env.pop(key, None)
        env.update({
            'LANG': locale, 'LC_ALL': locale, 'LANGUAGE': self.language,
            'GSETTINGS_SCHEMA_DIR': os.path.join(self.build_dir, 'data'),
            'GSETTINGS_BACKEND': env.get('GSETTINGS_BACKEND', 'memory'),
            'CAUNOI_LOCALEDIR': os.path.join(self.build_dir, 'po'),
            'XDG_DATA_HOME': os.path.join(self.home, 'data'),
            'XDG_CONFIG_HOME': os.path.join(self.home, 'config'),
            'XDG_CACHE_HOME': os.path.join(self.home, 'cache'),
            'XDG_STATE_HOME': os.path.join(self.home, 'state'),
        })
        if _CHILD_G_DEBUG is not None:
            env['G_DEBUG'] = _CHILD_G_DEBUG
        env.update(self.extra_env)
        program = os.path.join(self.build_dir, 'src', 'app', 'caunoi')
        try:
            # A session bus of its own, in its own process group so that the services it
            # starts go down with it. Both it and the program die with this driver.
            self.bus = subprocess.Popen(
                ['dbus-daemon', '--session', '--nofork', '--print-address=1'],
                env=env, start_new_session=True, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                preexec_fn=cnchild.die_with_parent())
            address = self.bus.stdout.readline().strip()
            if not address:
                raise TestFailure('could not start a D-Bus session for caunoi')
            env['DBUS_SESSION_BUS_ADDRESS'] = address
            # Its output goes to stderr: stdout carries the TAP stream.
            self.process = subprocess.Popen([program] + self.args, env=env,
                                            stdin=subprocess.DEVNULL, stdout=sys.stderr,
                                            preexec_fn=cnchild.die_with_parent())
            self.app = self.wait_for(self._find_application,
                                     what='the caunoi application on AT-SPI')
        except BaseException:
            # The `with` block never starts, so __exit__ would not run: stop what started.
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.bus is not None and self.bus.poll() is None:
            os.killpg(self.bus.pid, signal.SIGTERM)
            self.bus.wait(10)
        if self.bus is not None:
            self.bus.stdout.close()
        self.process = self.bus = None
        if self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
        return False

    def _find_application(self):
        if self.process.poll() is not None:
            raise TestFailure(f'caunoi exited with status {self.process.returncode}')
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is None:
                continue
            try:
                if self._is_ours(child.get_process_id()) and child.get_child_count() > 0:
                    return child
            except gi.repository.GLib.Error:
                continue
        return None

    def _is_ours(self, pid):
        """Whether PID is the program this object started (or one of its children)."""
        while pid > 1:
            if pid == self.process.pid:
                return True
            try:
                with open(f'/proc/{pid}/stat') as f:
                    pid = int(f.read().rsplit(')', 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                return False
        return False

    def wait_for(self, predicate, what='the condition'):
        """Polls PREDICATE until it returns something true; fails after the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise TestFailure(f'gave up waiting for {what}')
            time.sleep(0.1)

    def find_all(self, root=None, role=None, name=None, showing=None):
        """Every accessible under ROOT (default: the application) with ROLE and NAME."""
        found = []
        stack = [root or self.app]
        while stack:
            node = stack.pop()
            try:
                count = node.get_child_count()
                if ((role is None or node.get_role() == role)
                        and (name is None or node.get_name() == name)
                        and (showing is None or self.is_showing(node) == showing)):
                    found.append(node)
            except gi.repository.GLib.Error:
                continue
            for i in reversed(range(count)):
                child = node.get_child_at_index(i)
                if child is not None:
                    stack.append(child)
        return found

    def windows(self):
        """The application's top-level windows (frames and dialogs)."""
        count = self.app.get_child_count()
        return [w for w in (self.app.get_child_at_index(i) for i in range(count)) if w]

    def find(self, root=None, role=None, name=None, showing=None):
        found = self.find_all(root, role, name, showing)
        return found[0] if found else None

    @staticmethod
    def is_showing(node):
        return node.get_state_set().contains(Atspi.StateType.SHOWING)

    @staticmethod
    def is_checked(node):
        states = node.get_state_set()
        return states.contains(Atspi.StateType.CHECKED) or states.contains(Atspi.StateType.PRESSED)

    @staticmethod
    def click(node):
        """Runs the node's first action (click, press, activate), as a screen reader does."""
        action = node.get_action_iface()
        if action is None or action.get_n_actions() == 0:
            raise TestFailure(f'{node.get_role_name()} “{node.get_name()}” has no action')
        if not action.do_action(0):
            raise TestFailure(f'could not {action.get_action_name(0)} “{node.get_name()}”')


def run(tests):
    """Runs (name, function) pairs, printing TAP; returns the exit status."""
    print(f'1..{len(tests)}', flush=True)
    failed = 0
    try:
        for number, (name, function) in enumerate(tests, 1):
            try:
                function()
                print(f'ok {number} {name}', flush=True)
            except Exception as e:  # report and go on with the next test
                failed += 1
                print(f'not ok {number} {name}', flush=True)
                for line in f'{type(e).__name__}: {e}'.splitlines():
                    print(f'# {line}', flush=True)
                # meson's error log shows a TAP test's stderr, not its diagnostics.
                print(f'not ok {number} {name}: {type(e).__name__}: {e}', file=sys.stderr, flush=True)
    finally:
        _stop_a11y_bus()
    return 1 if failed else 0


def main(tests):
    sys.exit(run(tests))
