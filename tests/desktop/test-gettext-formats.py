#!/usr/bin/env python3
# test-gettext-formats.py SRCDIR — no translatable C string (_(), N_(),
# C_(), NC_(), Q_(), g_d*gettext …) holds a format macro such as
# G_GUINT64_FORMAT, G_GSIZE_FORMAT or PRIu64: xgettext cannot expand it,
# so translators would see a string cut at the macro. Format the number
# into a separate string first, or use a plain conversion (%u, %lu, %llu)
# with a cast. Prints FILE:LINE for each one found; exit 1 if any.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import pathlib
import re
import sys

CALL = re.compile(r'(?<![A-Za-z0-9_])(N?_|C_|NC_|Q_|g_dc?n?gettext|g_dpgettext2?|'
                  r'n?gettext|dn?gettext)\s*\(')
MACRO = re.compile(r'\b(G_G[A-Z0-9]*_(FORMAT|MODIFIER)|G_GSIZE_FORMAT|PRI[diouxX][A-Z0-9_]*)\b')


def strip_comments(text):
    """Comments become spaces (newlines kept), strings stay as they are."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def call_arguments(text, start):
    """The text between the call's parenthesis and its match."""
    depth, i, n = 1, start, len(text)
    while i < n and depth > 0:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
        i += 1
    return text[start:i - 1]


def main(srcdir):
    found = 0
    root = pathlib.Path(srcdir)
    for folder in ('app', 'lib', 'helper'):
        for path in sorted((root / folder).rglob('*.[ch]')):
            text = strip_comments(path.read_text(encoding='utf-8'))
            for call in CALL.finditer(text):
                arguments = call_arguments(text, call.end())
                macro = MACRO.search(arguments)
                if macro:
                    line = text.count('\n', 0, call.start()) + 1
                    print(f'{path.relative_to(root)}:{line}: {macro.group(0)} inside '
                          f'{call.group(1)}(): translators cannot see it; format the number '
                          f'separately or cast it for a plain %u/%lu/%llu')
                    found += 1
    if found:
        print(f'{found} translatable strings hold a format macro', file=sys.stderr)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '.'))
