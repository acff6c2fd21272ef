#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real caunoi program, in Vietnamese and in English, seen through AT-SPI: the window is
named Cầu Nối, the section switcher's buttons carry the translated section names, clicking
one shows that section, and every button has a name a screen reader can say."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cnatspi import Atspi, CaunoiApp, TestFailure, main  # noqa: E402

SECTIONS = {
    'vi': ['Tin bài', 'Văn bản', 'Đoàn công tác'],
    'en': ['Articles', 'Documents', 'Delegations'],
}
PREFERENCES = {'vi': 'Tùy thích', 'en': 'Preferences'}
SERVER_ADDRESS = {'vi': 'Địa chỉ máy chủ', 'en': 'Server Address'}
SYNC = {'vi': ('Đồng bộ', 'Chưa kết nối với máy chủ'),
        'en': ('Sync', 'Not connected to a server')}
MENU = {'vi': 'Trình đơn chính', 'en': 'Main Menu'}

# What a person operates; each must have a name a screen reader can say.
OPERABLE_ROLES = {Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
                  Atspi.Role.RADIO_BUTTON, Atspi.Role.SPIN_BUTTON, Atspi.Role.ENTRY,
                  Atspi.Role.COMBO_BOX, Atspi.Role.MENU_ITEM, Atspi.Role.PAGE_TAB,
                  Atspi.Role.PASSWORD_TEXT, Atspi.Role.SLIDER}


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def is_selected(node):
    return node.get_state_set().contains(Atspi.StateType.SELECTED)


def section_tabs(app, window, names):
    """The window's section tabs by name: the wide and the narrow switcher of the header bar
    and the bottom bar each have one per section, and all follow the same stack. Switchers
    inside a section (with other names) are not the window's."""
    tabs = {}
    seen = []
    for tab_list in app.find_all(window, role=Atspi.Role.PAGE_TAB_LIST):
        children = [tab_list.get_child_at_index(i) for i in range(tab_list.get_child_count())]
        children = [c for c in children if c is not None and c.get_role() == Atspi.Role.PAGE_TAB]
        seen.append([c.get_name() for c in children])
        if sorted(c.get_name() for c in children) == sorted(names):
            for c in children:
                tabs.setdefault(c.get_name(), []).append(c)
    check(tabs, f'no switcher with the tabs {names}; switchers: {seen}')
    return tabs


def selected_sections(tabs):
    return sorted({name for name, nodes in tabs.items() for t in nodes if is_selected(t)})


def looks_unnamed(name):
    """Empty, or GTK's fallback of a type name ("GtkImage") or a raw mnemonic label."""
    name = (name or '').strip()
    return (not name or name.startswith(('Gtk', 'Adw', 'Cn'))
            and name.replace('_', '').isalnum() or name.startswith('_'))


def describe(node):
    """Role, name, description (the tooltip) and where it is, to find the widget."""
    path = []
    parent = node.get_parent()
    while parent is not None and parent.get_role() != Atspi.Role.FRAME:
        if parent.get_name() and parent.get_role() != Atspi.Role.PANEL:
            path.append(parent.get_name())
        parent = parent.get_parent()
    where = ' in ' + ' / '.join(reversed(path[:3])) if path else ''
    return (f'{node.get_role_name()} “{node.get_name()}” (tooltip “{node.get_description()}”)'
            + where)


def window_in(language):
    names = SECTIONS[language]
    with CaunoiApp(language) as app:
        window = app.wait_for(lambda: next((w for w in app.windows()
                                            if w.get_name() == 'Cầu Nối'), None),
                              what='a window named “Cầu Nối”')
        app.wait_for(lambda: app.find_all(window, role=Atspi.Role.PAGE_TAB),
                     what='the section switcher')

        # The first section shows on first start; each of the others is one click away, and
        # clicking one selects it in every switcher and only it.
        tabs = section_tabs(app, window, names)
        check(selected_sections(tabs) == [names[0]],
              f'“{names[0]}” is not the only section selected at start: '
              f'{selected_sections(tabs)}')
        for name in reversed(names):
            app.click(tabs[name][0])
            app.wait_for(lambda: selected_sections(tabs) == [name],
                         what=f'“{name}” to be the only section selected '
                              f'(selected: {selected_sections(tabs)})')

        # The header bar's icon-only buttons say what they are and what state sync is in.
        sync_name, sync_state = SYNC[language]
        sync = app.find(window, role=Atspi.Role.PUSH_BUTTON, name=sync_name)
        check(sync is not None, f'no “{sync_name}” button')
        check(sync.get_description() == sync_state,
              f'the sync button says “{sync.get_description()}”, not “{sync_state}”')
        check(app.find(window, role=Atspi.Role.PUSH_BUTTON, name=MENU[language]) is not None,
              f'no “{MENU[language]}” button')

        # Not connected: the sync button leads to where the server is set up.
        app.click(sync)

        def server_address_field():
            for frame in app.windows():
                if frame.get_name() != 'Cầu Nối':
                    found = [n for n in app.find_all(frame)
                             if (n.get_name() or '').replace('_', '') == SERVER_ADDRESS[language]]
                    if found:
                        return found
            return None

        field = app.wait_for(server_address_field,
                             what=f'a preferences window with a “{SERVER_ADDRESS[language]}” field')
        preferences = field[0]
        while preferences.get_role() != Atspi.Role.FRAME:
            preferences = preferences.get_parent()
        check(preferences.get_name() == PREFERENCES[language],
              f'the preferences window is called “{preferences.get_name()}”')
        # libadwaita's own search entry is there even with search disabled; it never shows.
        unnamed = [describe(n)
                   for n in app.find_all(preferences) if n.get_role() in OPERABLE_ROLES
                   and looks_unnamed(n.get_name()) and n.get_name() != 'GtkSearchEntry']
        check(not unnamed, 'preferences without a proper accessible name: ' + ', '.join(unnamed))


def test_every_control_named():
    """Nothing operable in the window (the header bar and all three sections, each made
    when first shown) without a name a screen reader can say."""
    names = SECTIONS['en']
    with CaunoiApp('en') as app:
        window = app.wait_for(lambda: next((w for w in app.windows()
                                            if w.get_name() == 'Cầu Nối'), None),
                              what='a window named “Cầu Nối”')
        app.wait_for(lambda: app.find_all(window, role=Atspi.Role.PAGE_TAB),
                     what='the section switcher')
        tabs = section_tabs(app, window, names)
        for name in names:
            app.click(tabs[name][0])
            app.wait_for(lambda: selected_sections(tabs) == [name],
                         what=f'“{name}” to be the only section selected')
            unnamed = [describe(n) for n in app.find_all(window)
                       if n.get_role() in OPERABLE_ROLES and looks_unnamed(n.get_name())]
            check(not unnamed, f'widgets without a proper accessible name with “{name}” '
                               'shown: ' + ', '.join(unnamed))


def test_vietnamese():
    window_in('vi')


def test_english():
    window_in('en')


if __name__ == '__main__':
    main([('window in Vietnamese', test_vietnamese), ('window in English', test_english),
          ('every control in the window has a name', test_every_control_named)])
