#!/usr/bin/env python3
# Writes the seed corpora of tests/fuzz/corpus/ from what the tree already
# holds: the shipped templates, tests/data/{good,broken}, the value and
# parameter tables of tests/value. Run from anywhere; rerun when those change.
#
#   tests/fuzz/make-corpus.py [BUILD-DIR]
#
# With BUILD-DIR (a normal build), the variant corpus is written too, by
# BUILD-DIR/tests/fuzz/make-variant-seed (ninja builds it on demand).
import hashlib
import json
import os
import re
import subprocess
import sys

top = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
out = os.path.join(top, 'tests', 'fuzz', 'corpus')


def write(target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def documents():
    for folder in ('data/templates', 'tests/data/good', 'tests/data/broken'):
        for name in sorted(os.listdir(os.path.join(top, folder))):
            if name.endswith('.fwdoc'):
                with open(os.path.join(top, folder, name), 'rb') as f:
                    yield folder, name, f.read()


def enum_values(prefix):
    """Names of an enum of pal-enums.h in order: their numeric values."""
    with open(os.path.join(top, 'lib', 'pal-enums.h')) as f:
        text = f.read()
    return re.findall(r'^\s+' + prefix + r'_(\w+)\s*(?:=\s*\d+\s*)?,', text, re.M)


def c_string(literal):
    """Decodes a C string literal of UTF-8 source text into bytes."""
    body = literal[1:-1].encode()
    result = bytearray()
    i = 0
    simple = {ord('n'): 10, ord('t'): 9, ord('"'): 34, ord('\\'): 92, ord("'"): 39, ord('r'): 13, ord('a'): 7, ord('b'): 8, ord('f'): 12, ord('v'): 11, ord('e'): 27}
    while i < len(body):
        if body[i] != 92:
            result.append(body[i])
            i += 1
            continue
        c = body[i + 1]
        if c in simple:
            result.append(simple[c])
            i += 2
        elif c == ord('x'):
            m = re.match(rb'[0-9a-fA-F]+', body[i + 2:])
            result.append(int(m.group(), 16) & 0xff)
            i += 2 + len(m.group())
        else:
            m = re.match(rb'[0-7]{1,3}', body[i + 1:])
            result.append(int(m.group(), 8) & 0xff)
            i += 1 + len(m.group())
    return bytes(result)


def table_seeds(target, source, prefix):
    """One seed per { PREFIX_NAME, "text" entry: a byte for the enum, then the text."""
    names = enum_values(prefix)
    with open(os.path.join(top, source)) as f:
        text = f.read()
    pattern = r'\{\s*' + prefix + r'_(\w+),\s*("(?:[^"\\\n]|\\.)*")'
    seen = set()
    for name, literal in re.findall(pattern, text):
        if name not in names:
            continue
        data = bytes([names.index(name)]) + c_string(literal)
        if data in seen:
            continue
        seen.add(data)
        write(target, '%s-%s' % (name.lower().replace('_', '-'),
                                 hashlib.sha1(data).hexdigest()[:8]), data)


def disable_services(rules):
    found = False
    for rule in rules:
        if rule.get('property') == 'service':
            rule['enabled'] = False
            found = True
        found = disable_services(rule.get('children', [])) or found
    return found


def main():
    for folder, name, data in documents():
        write('fwdoc', name, data)
        if folder != 'tests/data/broken':
            write('compiler', name, data)
            # A service rule compiles only where its cgroup exists: a copy
            # with those rules off lets the rest compile on any machine.
            document = json.loads(data)
            if disable_services(document.get('rules', [])):
                write('compiler', name.replace('.fwdoc', '-no-service.fwdoc'),
                      (json.dumps(document, indent=2, ensure_ascii=False) + '\n').encode())
        # Clipboard text: the rules of each good document, and the broken
        # documents whole (an object where an array belongs is a seed too).
        try:
            rules = json.loads(data).get('rules')
        except (ValueError, AttributeError):
            rules = None
        if folder != 'tests/data/broken' and isinstance(rules, list):
            write('clipboard', name.replace('.fwdoc', '.json'),
                  (json.dumps(rules, indent=2, ensure_ascii=False) + '\n').encode())
            for i, rule in enumerate(rules[:3]):
                write('clipboard', name.replace('.fwdoc', '-%d.json' % i),
                      (json.dumps([rule], indent=2, ensure_ascii=False) + '\n').encode())
        elif folder == 'tests/data/broken' and name.startswith(('type-', 'bad-', 'unknown-')):
            write('clipboard', name, data)
    write('clipboard', 'empty.json', b'[]\n')

    table_seeds('value', 'tests/value/test-value.c', 'PAL_PROPERTY')
    table_seeds('parameter', 'tests/value/test-parameter.c', 'PAL_ACTION')

    if len(sys.argv) > 1:
        build = os.path.abspath(sys.argv[1])
        subprocess.run(['ninja', '-C', build, 'tests/fuzz/make-variant-seed'], check=True)
        tool = os.path.join(build, 'tests', 'fuzz', 'make-variant-seed')
        for folder, name, data in documents():
            if folder == 'tests/data/broken':
                continue
            seed = subprocess.run([tool], input=data, stdout=subprocess.PIPE, check=True).stdout
            write('variant', name.replace('.fwdoc', '.gvariant'), seed)


main()
