#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Articles and Documents sections of the real caunoi, driven like a person through AT-SPI,
in Vietnamese and in English, over the sample data loaded by `caunoi-cli load-sample`: open
the sample article and read its body, find it by a search typed without tone marks, open a
document's detail with its attachment.

With CAUNOI_SCREENSHOTS_DIR set, it also saves articles-LANG.png and documents-LANG.png
there (the screen of Xvfb, cropped to the window)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cnatspi import Atspi, CaunoiApp, TestFailure, main  # noqa: E402

SEED_TITLE = 'Cầu nối giữa cấp ủy huyện và cơ sở'
SEED_BODY = 'Huyện ủy đã thành lập 5 đoàn công tác'
SEED_DATE = {'vi': 'Thứ Tư, 01/07/2015 23:20', 'en': 'Wednesday, July 1, 2015 23:20'}
SECTIONS = {'vi': ('Tin bài', 'Văn bản'), 'en': ('Articles', 'Documents')}
SEARCH = {'vi': ('Tìm kiếm tin bài', 'Tìm kiếm văn bản'),
          'en': ('Search articles', 'Search documents')}
OFFLINE = {'vi': 'Mở được khi ngoại tuyến', 'en': 'Available offline'}
OCOP_NUMBER = '4414/UBND-NL5'
OCOP_FILE = '4414-UBND-NL5.pdf'


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def text_of(node):
    try:
        text = node.get_text_iface()
        if text is not None:
            return text.get_text(0, text.get_character_count())
    except Exception:
        pass
    return ''


def name_of(node):
    """The name, or '' for a node that went away while the tree was walked."""
    try:
        return node.get_name() or ''
    except Exception:
        return ''


def role_of(node):
    try:
        return node.get_role()
    except Exception:
        return None


def all_names(app, root):
    return [name_of(n) for n in app.find_all(root)]


def press(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.PRESSRELEASE)


def activate(node):
    """What a person does with a row: click in its middle. (GTK 4.8 gives list rows no AT-SPI
    action and cannot focus them through AT-SPI; its window sits at the screen's corner under
    Xvfb, where no window manager moves it, so window and screen coordinates agree.)"""
    extents = node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    check(extents.width > 0 and extents.height > 0, f'“{name_of(node)}” is not on screen')
    x = extents.x + extents.width // 2
    y = extents.y + extents.height // 2
    Atspi.generate_mouse_event(x, y, 'b1c')


def open_by_click(app, find_target, find_result, what):
    """Clicks what FIND_TARGET finds until FIND_RESULT finds what it opens, as a person
    clicks again when nothing happened: on a busy machine the row may still be moving as
    the list settles after a search when the first click comes."""
    deadline = time.monotonic() + app.timeout
    while True:
        target = app.wait_for(find_target, what=f'what opens {what}')
        activate(target)
        end = min(deadline, time.monotonic() + 5)
        while time.monotonic() < end:
            result = find_result()
            if result:
                return result
            time.sleep(0.1)
        if time.monotonic() >= deadline:
            raise TestFailure(f'gave up waiting for {what}')


def load_sample(data_home):
    cli = os.path.join(os.environ['CAUNOI_BUILD_DIR'], 'src', 'cli', 'caunoi-cli')
    env = dict(os.environ, XDG_DATA_HOME=data_home)
    subprocess.run([cli, 'load-sample'], env=env, check=True, stdout=subprocess.DEVNULL)


def screenshot(name, window):
    directory = os.environ.get('CAUNOI_SCREENSHOTS_DIR')
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    Atspi.generate_mouse_event(1279, 799, 'abs')  # no pointer, no tooltip in the picture
    time.sleep(1.5)  # let the last frame settle
    extents = window.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    width = max(extents.width, 1100)
    height = max(extents.height, 720)
    subprocess.run(['import', '-window', 'root', '-crop', f'{width}x{height}+0+0', '+repage',
                    os.path.join(directory, name + '.png')], check=True, timeout=60)


def open_section(app, window, name):
    tab = app.wait_for(lambda: app.find(window, role=Atspi.Role.PAGE_TAB, name=name),
                       what=f'the “{name}” section tab')
    app.click(tab)
    app.wait_for(lambda: tab.get_state_set().contains(Atspi.StateType.SELECTED),
                 what=f'the “{name}” section to show')


def set_search(app, window, name, text):
    entry = app.wait_for(lambda: app.find(window, role=Atspi.Role.ENTRY, name=name),
                         what=f'the “{name}” search entry (untranslated?)')
    entry.get_editable_text_iface().set_text_contents(text)
    return entry


def reading_in(language):
    data_home = tempfile.mkdtemp(prefix='caunoi-reading-')
    try:
        load_sample(data_home)
        with CaunoiApp(language, env={'XDG_DATA_HOME': data_home}) as app:
            window = app.wait_for(lambda: next((w for w in app.windows()
                                                if w.get_name() == 'Cầu Nối'), None),
                                  what='a window named “Cầu Nối”')
            articles, documents = SECTIONS[language]
            search_articles, search_documents = SEARCH[language]

            # Find the article by a search typed without tone marks.
            open_section(app, window, articles)
            set_search(app, window, search_articles, 'cau noi')
            app.wait_for(lambda: next((n for n in app.find_all(window)
                                       if name_of(n).startswith(SEED_TITLE + '.')), None),
                         what='the sample article in the list after searching “cau noi”')

            # Open it and read its body.
            body = open_by_click(app,
                                 lambda: next((n for n in app.find_all(window)
                                               if name_of(n).startswith(SEED_TITLE + '.')), None),
                                 lambda: next((n for n in app.find_all(window)
                                               if role_of(n) == Atspi.Role.TEXT
                                               and SEED_BODY in text_of(n)), None),
                                 'the body of the article')
            check('Bùi Huy Cường' in text_of(body), 'the body of the article is cut short')
            names = all_names(app, window)
            check(SEED_TITLE in names, 'the reader does not show the title')
            check(any(SEED_DATE[language] in n for n in names),
                  f'the reader does not date the article “{SEED_DATE[language]}”')
            check(any(n == 'Mạnh Hà' or 'Mạnh Hà' in n for n in names),
                  'the reader does not name the author')
            set_search(app, window, search_articles, '')
            screenshot(f'articles-{language}', window)

            # A document's detail with its attachment, available offline.
            open_section(app, window, documents)
            app.wait_for(lambda: app.find(window, name=OCOP_NUMBER),
                         what=f'the document {OCOP_NUMBER} in the table')
            attachment = open_by_click(app, lambda: app.find(window, name=OCOP_NUMBER),
                                       lambda: app.find(window, name=OCOP_FILE),
                                       f'the attachment {OCOP_FILE}')
            check(any(OFFLINE[language] in n for n in all_names(app, attachment.get_parent())
                      + all_names(app, attachment)),
                  f'the attachment does not say “{OFFLINE[language]}”')
            screenshot(f'documents-{language}', window)
    finally:
        shutil.rmtree(data_home, ignore_errors=True)


def test_vietnamese():
    reading_in('vi')


def test_english():
    reading_in('en')


if __name__ == '__main__':
    tests = [('reading in Vietnamese', test_vietnamese), ('reading in English', test_english)]
    only = os.environ.get('CAUNOI_TEST_LANGUAGE')
    main([t for t in tests if only is None or t[0].endswith({'vi': 'Vietnamese', 'en': 'English'}[only])])
