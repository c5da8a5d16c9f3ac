/* pal-json-locator.c
 *
 * Two small scanners over the same text. The first (Scan) checks everything
 * with an explicit stack, so its cost is linear and its stack bounded by
 * max_depth whatever the input, and builds the tree of values in blocks
 * (one allocation per 4,096 values, strings packed together), which is
 * what makes it several times faster than json-glib's parser and its
 * per-node allocations and per-object hash tables. The second (Walk) runs only over checked
 * text, recursing at most max_depth levels, and descends only into the
 * values on the way to a wanted path, skipping everything else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-json-locator.h"

/* The tree's storage: values and strings in blocks, freed together. */
typedef struct
{
  GPtrArray    *blocks;
  PalJsonValue *values;     /* free values left in the current block */
  guint         n_values;
  char         *chars;      /* free bytes left in the current string block */
  gsize         n_chars;
} Arena;

#define VALUES_PER_BLOCK 4096
#define CHARS_PER_BLOCK 65536

struct _PalJsonLocator
{
  const char   *text;
  gsize         length;
  guint         max_depth;
  Arena        *arena;
  PalJsonValue *root;
};

/* Objects with more members than this check names for duplicates in a
 * hash table; smaller ones (every rule) compare them one by one. */
#define MAX_LINEAR_NAMES 16

static Arena *
arena_new (void)
{
  Arena *arena = g_new0 (Arena, 1);

  arena->blocks = g_ptr_array_new_with_free_func (g_free);
  return arena;
}

static void
arena_free (Arena *arena)
{
  g_ptr_array_unref (arena->blocks);
  g_free (arena);
}

static PalJsonValue *
arena_value (Arena *arena)
{
  PalJsonValue *value;

  if (arena->n_values == 0)
    {
      arena->values = g_new (PalJsonValue, VALUES_PER_BLOCK);
      arena->n_values = VALUES_PER_BLOCK;
      g_ptr_array_add (arena->blocks, arena->values);
    }
  value = arena->values++;
  arena->n_values--;
  memset (value, 0, sizeof *value);
  return value;
}

static const char *
arena_string (Arena      *arena,
              const char *text,
              gsize       length)
{
  char *copy;

  if (length + 1 > CHARS_PER_BLOCK / 4)
    {
      /* A long string gets a block of its own, so blocks stay full. */
      copy = g_malloc (length + 1);
      g_ptr_array_add (arena->blocks, copy);
    }
  else
    {
      if (length + 1 > arena->n_chars)
        {
          arena->chars = g_malloc (CHARS_PER_BLOCK);
          arena->n_chars = CHARS_PER_BLOCK;
          g_ptr_array_add (arena->blocks, arena->chars);
        }
      copy = arena->chars;
      arena->chars += length + 1;
      arena->n_chars -= length + 1;
    }
  memcpy (copy, text, length);
  copy[length] = '\0';
  return copy;
}

/* Member names longer than this (in characters) are shortened in messages. */
#define MAX_QUOTED_NAME 60

/* ------------------------------------------------------------------ */
/* Positions                                                          */

/* Line and column (1-based, column in characters) of a byte offset. Only
 * called once per scan fault, so a plain walk from the start is fine. */
static void
offset_to_position (const char *text,
                    gsize       offset,
                    guint      *line,
                    guint      *column)
{
  guint l = 1, c = 1;

  for (gsize i = 0; i < offset; i++)
    {
      guchar b = text[i];

      if (b == '\n')
        {
          l++;
          c = 1;
        }
      else if ((b & 0xc0) != 0x80)
        c++;
    }
  *line = l;
  *column = c;
}

/* ------------------------------------------------------------------ */
/* Paths                                                              */

static gboolean
is_plain_name (const char *name)
{
  if (name[0] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

void
pal_json_path_append_member (GString    *path,
                             const char *name)
{
  g_return_if_fail (path != NULL && name != NULL);

  if (is_plain_name (name))
    {
      if (path->len > 0)
        g_string_append_c (path, '.');
      g_string_append (path, name);
      return;
    }

  g_string_append (path, "[\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (path, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (path, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (path, *p);
    }
  g_string_append (path, "\"]");
}

void
pal_json_path_append_index (GString *path,
                            guint    index)
{
  g_return_if_fail (path != NULL);
  g_string_append_printf (path, "[%u]", index);
}

char *
pal_json_path_member (const char *parent,
                      const char *name)
{
  GString *path = g_string_new (parent);

  pal_json_path_append_member (path, name);
  return g_string_free (path, FALSE);
}

char *
pal_json_path_index (const char *parent,
                     guint       index)
{
  GString *path = g_string_new (parent);

  pal_json_path_append_index (path, index);
  return g_string_free (path, FALSE);
}

/* Length of the first component of path (which starts at path[0]). */
static gsize
path_component_length (const char *path)
{
  const char *p = path;

  if (*p == '[')
    {
      if (p[1] == '"')
        {
          for (p += 2; *p != '\0' && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '"')
            p++;
        }
      while (*p != '\0' && *p != ']')
        p++;
      if (*p == ']')
        p++;
      return p - path;
    }

  if (*p == '.')
    p++;
  while (*p != '\0' && *p != '.' && *p != '[')
    p++;
  return p - path;
}

/* ------------------------------------------------------------------ */
/* The checking scan                                                  */

typedef enum
{
  ST_VALUE,
  ST_VALUE_OR_CLOSE,   /* just after '[' */
  ST_KEY,
  ST_KEY_OR_CLOSE,     /* just after '{' */
  ST_COLON,
  ST_COMMA_OR_CLOSE,
  ST_DONE,
} ScanState;

typedef struct
{
  const char  *text;
  gsize        length;
  gsize        pos;
  guint        max_depth;
  guint        depth;
  char        *kinds;     /* '{' or '[' per open container */
  gsize       *opened;    /* offset of its bracket */
  GHashTable **names;     /* member names of a large open object */
  GString     *name;      /* scratch for the member name being read */
  PalProblem  *problem;
  /* Building the tree (the checking scan only; the walk builds nothing). */
  Arena         *arena;
  PalJsonValue  *root;
  PalJsonValue **open;    /* the open container per depth */
  PalJsonValue **last;    /* its last member or element so far */
  const char    *member;  /* name of the member whose value comes next */
  GString       *decoded; /* scratch for string values */
} Scan;

static gboolean scan_fail (Scan             *s,
                           PalDocumentError  code,
                           gsize             offset,
                           const char       *format,
                           ...) G_GNUC_PRINTF (4, 5);

static gboolean
scan_fail (Scan             *s,
           PalDocumentError  code,
           gsize             offset,
           const char       *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  s->problem = pal_problem_new (code, NULL, NULL, message);
  offset_to_position (s->text, offset, &s->problem->line, &s->problem->column);
  return FALSE;
}

/* What is at offset, for "expected …, found X" messages: a whole word when
 * it is one (so `True` reads as "True", not "T"), else one character. */
static char *
describe_at (Scan  *s,
             gsize  offset)
{
  const char *p = s->text + offset;
  gsize n = 0;

  if (offset >= s->length)
    return g_strdup (_("the end of the text"));

  while (offset + n < s->length && n < 24 &&
         (g_ascii_isalnum (p[n]) || p[n] == '_' || p[n] == '.' || p[n] == '+'))
    n++;
  if (n > 0)
    return g_strdup_printf ("\"%.*s\"", (int) n, p);

  if ((guchar) *p < 0x20 || *p == 0x7f)
    return g_strdup_printf (_("the control character U+%04X"), (guchar) *p);

  n = g_utf8_next_char (p) - p;
  return g_strdup_printf ("\"%.*s\"", (int) n, p);
}

static void
skip_whitespace (Scan *s)
{
  while (s->pos < s->length)
    {
      char c = s->text[s->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        return;
      s->pos++;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits of a \u escape at s->pos (just after the 'u'). */
static gboolean
scan_hex4 (Scan    *s,
           gsize    escape,
           guint32 *code)
{
  *code = 0;
  for (guint i = 0; i < 4; i++)
    {
      int digit = s->pos < s->length ? hex_value (s->text[s->pos]) : -1;

      if (digit < 0)
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, escape,
                          _("\\u must be followed by four hexadecimal digits."));
      *code = *code * 16 + digit;
      s->pos++;
    }
  return TRUE;
}

/* A \u escape (s->pos on the backslash), with surrogate pairs. */
static gboolean
scan_unicode_escape (Scan    *s,
                     GString *decoded)
{
  gsize escape = s->pos;
  guint32 code, low;

  s->pos += 2;
  if (!scan_hex4 (s, escape, &code))
    return FALSE;

  if (code >= 0xdc00 && code <= 0xdfff)
    return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, escape,
                      _("\\u%04X is the second half of a surrogate pair without a first half."),
                      code);
  if (code >= 0xd800 && code <= 0xdbff)
    {
      if (s->pos + 1 >= s->length || s->text[s->pos] != '\\' || s->text[s->pos + 1] != 'u')
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, escape,
                          _("\\u%04X is the first half of a surrogate pair; "
                            "the second half must follow."), code);
      s->pos += 2;
      if (!scan_hex4 (s, escape, &low))
        return FALSE;
      if (low < 0xdc00 || low > 0xdfff)
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, escape,
                          _("\\u%04X is the first half of a surrogate pair; "
                            "the second half must follow."), code);
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
    }
  if (code == 0)
    return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, escape,
                      _("A string may not contain the character U+0000."));

  if (decoded != NULL)
    g_string_append_unichar (decoded, code);
  return TRUE;
}

/* One escape sequence; s->pos is on the backslash. */
static gboolean
scan_escape (Scan    *s,
             GString *decoded)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *found;
  char c = s->pos + 1 < s->length ? s->text[s->pos + 1] : '\0';

  if (c == 'u')
    return scan_unicode_escape (s, decoded);

  found = c != '\0' ? strchr (from, c) : NULL;
  if (found == NULL)
    {
      const char *next = s->text + s->pos + 1;
      int n = s->pos + 1 < s->length ? (int) (g_utf8_next_char (next) - next) : 0;

      if ((guchar) c < 0x20)
        n = 0;
      return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                        _("\"\\%.*s\" is not an escape sequence of JSON "
                          "(those are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)."), n, next);
    }
  if (decoded != NULL)
    g_string_append_c (decoded, to[found - from]);
  s->pos += 2;
  return TRUE;
}

/* A string; s->pos is on the opening quote. Decodes it into decoded when
 * that is not NULL (member names, for the duplicate check). */
static gboolean
scan_string (Scan    *s,
             GString *decoded)
{
  gsize start = s->pos++;

  for (;;)
    {
      gsize run = s->pos;
      guchar c = 0;

      /* Plain characters in one go: most strings have nothing else. */
      while (s->pos < s->length &&
             (c = s->text[s->pos]) != '"' && c != '\\' && c >= 0x20)
        s->pos++;
      if (decoded != NULL && s->pos > run)
        g_string_append_len (decoded, s->text + run, s->pos - run);
      if (s->pos >= s->length)
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start,
                          _("The text ends inside the string that starts here."));
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c == '\\')
        {
          if (!scan_escape (s, decoded))
            return FALSE;
          continue;
        }
      if (c == '\n')
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                          _("A string may not span lines; write a line break as \\n."));
      /* Only a control character is left. */
      return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                        _("A string may not contain the control character U+%04X; "
                          "write it as \\u%04X."), c, c);
    }
}

static gsize
skip_digits (Scan *s)
{
  gsize start = s->pos;

  while (s->pos < s->length && g_ascii_isdigit (s->text[s->pos]))
    s->pos++;
  return s->pos - start;
}

/* A JSON integer beyond 64 bits or a number beyond a double would have to
 * be changed to be kept; refuse them. The value goes into out (when not
 * NULL) as json-glib would type it: integer unless it has . e or E. */
static gboolean
check_number_range (Scan         *s,
                    gsize         start,
                    PalJsonValue *out)
{
  gsize length = s->pos - start;
  g_autofree char *text = NULL;
  gboolean is_integer;
  gint64 integer;
  double number;

  if (length > 400)
    return scan_fail (s, PAL_DOCUMENT_ERROR_LIMIT, start,
                      _("The number is %lu characters long; "
                        "numbers may have at most 400."), (unsigned long) length);

  text = g_strndup (s->text + start, length);
  is_integer = strpbrk (text, ".eE") == NULL;
  if (is_integer &&
      !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    return scan_fail (s, PAL_DOCUMENT_ERROR_LIMIT, start,
                      _("The number %s is out of range (whole numbers go from "
                        "-9223372036854775808 to 9223372036854775807)."), text);
  number = g_ascii_strtod (text, NULL);
  if (!is_integer && isinf (number))
    return scan_fail (s, PAL_DOCUMENT_ERROR_LIMIT, start,
                      _("The number %s is too large."), text);
  if (out != NULL && is_integer)
    {
      out->kind = PAL_JSON_INTEGER;
      out->v.integer = integer;
    }
  else if (out != NULL)
    {
      out->kind = PAL_JSON_DOUBLE;
      out->v.number = number;
    }
  return TRUE;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (Scan         *s,
             PalJsonValue *out)
{
  gsize start = s->pos;

  if (s->text[s->pos] == '-')
    s->pos++;
  if (s->pos < s->length && s->text[s->pos] == '0')
    {
      s->pos++;
      if (s->pos < s->length && g_ascii_isdigit (s->text[s->pos]))
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start,
                          _("A number may not start with 0 (write 7, not 07)."));
    }
  else if (skip_digits (s) == 0)
    return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start, _("\"-\" must be followed by a digit."));

  if (s->pos < s->length && s->text[s->pos] == '.')
    {
      s->pos++;
      if (skip_digits (s) == 0)
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start,
                          _("A decimal point must be followed by a digit."));
    }
  if (s->pos < s->length && (s->text[s->pos] == 'e' || s->text[s->pos] == 'E'))
    {
      s->pos++;
      if (s->pos < s->length && (s->text[s->pos] == '+' || s->text[s->pos] == '-'))
        s->pos++;
      if (skip_digits (s) == 0)
        return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start,
                          _("An exponent must have digits."));
    }
  return check_number_range (s, start, out);
}

/* true, false or null, into out when not NULL. */
static gboolean
scan_literal (Scan         *s,
              PalJsonValue *out)
{
  static const char *const words[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize n = strlen (words[i]);

      if (s->length - s->pos >= n && memcmp (s->text + s->pos, words[i], n) == 0)
        {
          s->pos += n;
          if (out != NULL)
            {
              out->kind = i < 2 ? PAL_JSON_BOOLEAN : PAL_JSON_NULL;
              out->v.boolean = i == 0;
            }
          return TRUE;
        }
    }
  return FALSE;
}

/* A new value in the tree, linked into the open container. */
static PalJsonValue *
scan_add (Scan        *s,
          PalJsonKind  kind)
{
  PalJsonValue *value = arena_value (s->arena);
  PalJsonValue *parent;
  guint top = s->depth - 1;

  value->kind = kind;
  if (s->depth == 0)
    {
      s->root = value;
      return value;
    }
  parent = s->open[top];
  if (s->last[top] != NULL)
    s->last[top]->next = value;
  else
    parent->v.first = value;
  s->last[top] = value;
  parent->length++;
  if (parent->kind == PAL_JSON_OBJECT)
    value->name = s->member;
  return value;
}

static gboolean
scan_open (Scan *s,
           char  kind)
{
  PalJsonValue *value;

  if (s->depth >= s->max_depth)
    return scan_fail (s, PAL_DOCUMENT_ERROR_LIMIT, s->pos,
                      _("The text nests objects and arrays deeper than %u levels."),
                      s->max_depth);
  value = scan_add (s, kind == '{' ? PAL_JSON_OBJECT : PAL_JSON_ARRAY);
  s->open[s->depth] = value;
  s->last[s->depth] = NULL;
  s->kinds[s->depth] = kind;
  s->opened[s->depth] = s->pos;
  s->names[s->depth] = NULL;
  s->depth++;
  s->pos++;
  return TRUE;
}

static ScanState
scan_close (Scan *s)
{
  s->depth--;
  g_clear_pointer (&s->names[s->depth], g_hash_table_unref);
  s->pos++;
  return s->depth == 0 ? ST_DONE : ST_COMMA_OR_CLOSE;
}

static void skip_value (Scan *s);

/* Where the member called name of the object opened at offset starts: the
 * text up to the current member is checked, so a plain skip finds it. */
static gsize
member_offset (Scan       *s,
               gsize       offset,
               const char *name)
{
  Scan walk = { .text = s->text, .length = s->length, .pos = offset + 1 };
  g_autoptr(GString) found = g_string_new (NULL);

  for (;;)
    {
      gsize start;

      skip_whitespace (&walk);
      start = walk.pos;
      g_string_truncate (found, 0);
      scan_string (&walk, found);
      if (g_str_equal (found->str, name))
        return start;
      skip_whitespace (&walk);
      walk.pos++;  /* ':' */
      skip_value (&walk);
      skip_whitespace (&walk);
      walk.pos++;  /* ',' */
    }
}

/* Whether the open object has a member called name already. Rules have a
 * few members, compared one by one; a large object gets a hash table. */
static gboolean
has_member (Scan       *s,
            const char *name)
{
  PalJsonValue *object = s->open[s->depth - 1];
  GHashTable **names = &s->names[s->depth - 1];

  if (*names == NULL && object->length < MAX_LINEAR_NAMES)
    {
      for (PalJsonValue *member = object->v.first; member != NULL; member = member->next)
        if (strcmp (member->name, name) == 0)
          return TRUE;
      return FALSE;
    }
  if (*names == NULL)
    {
      *names = g_hash_table_new (g_str_hash, g_str_equal);
      for (PalJsonValue *member = object->v.first; member != NULL; member = member->next)
        g_hash_table_add (*names, (gpointer) member->name);
    }
  return !g_hash_table_add (*names, (gpointer) name);
}

/* A member name: decoded, and checked against the object's other names,
 * because a reader could only keep one of two. */
static gboolean
scan_member_name (Scan *s)
{
  GString *name = s->name;
  gsize start = s->pos;

  g_string_truncate (name, 0);
  if (!scan_string (s, name))
    return FALSE;

  s->member = arena_string (s->arena, name->str, name->len);
  if (has_member (s, s->member))
    {
      /* g_utf8_substring() walks past the end of a shorter string. */
      g_autofree char *shown = g_utf8_substring (name->str, 0,
                                                 MIN (MAX_QUOTED_NAME, g_utf8_strlen (name->str, -1)));
      gsize first = member_offset (s, s->opened[s->depth - 1], name->str);
      guint line, column;

      offset_to_position (s->text, first, &line, &column);
      return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, start,
                        _("The member \"%s%s\" appears twice in this object (first at %u:%u)."),
                        shown, strlen (shown) < name->len ? "…" : "", line, column);
    }
  return TRUE;
}

/* Fails with "expected …, found …"; returns -1, the failed state. */
static int
scan_expected (Scan       *s,
               const char *expected)
{
  g_autofree char *found = describe_at (s, s->pos);

  if (s->pos < s->length && s->text[s->pos] == '\'')
    scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
               _("Expected %s, found \"'\" (JSON strings use double quotes)."), expected);
  else
    scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos, _("Expected %s, found %s."), expected, found);
  return -1;
}

/* The start of a value at s->pos; returns the state after it, or -1. */
static int
scan_value (Scan *s)
{
  char c = s->text[s->pos];

  if (c == '{')
    return scan_open (s, '{') ? ST_KEY_OR_CLOSE : -1;
  if (c == '[')
    return scan_open (s, '[') ? ST_VALUE_OR_CLOSE : -1;

  if (c == '"')
    {
      g_string_truncate (s->decoded, 0);
      if (!scan_string (s, s->decoded))
        return -1;
      scan_add (s, PAL_JSON_STRING)->v.string =
        arena_string (s->arena, s->decoded->str, s->decoded->len);
    }
  else if (c == '-' || g_ascii_isdigit (c))
    {
      if (!scan_number (s, scan_add (s, PAL_JSON_NULL)))
        return -1;
    }
  else if (!scan_literal (s, scan_add (s, PAL_JSON_NULL)))
    return scan_expected (s, _("a value"));
  return s->depth == 0 ? ST_DONE : ST_COMMA_OR_CLOSE;
}

static gboolean
scan_at_end (Scan      *s,
             ScanState  state)
{
  guint line, column;

  if (state == ST_DONE)
    return TRUE;
  if (s->depth == 0)
    return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                      _("The text is empty; expected a JSON document."));

  offset_to_position (s->text, s->opened[s->depth - 1], &line, &column);
  if (s->kinds[s->depth - 1] == '{')
    return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                      _("The text ends before the object opened at %u:%u is closed."),
                      line, column);
  return scan_fail (s, PAL_DOCUMENT_ERROR_SYNTAX, s->pos,
                    _("The text ends before the array opened at %u:%u is closed."),
                    line, column);
}

/* After a ',' or before a '}' / ']' inside the innermost container. */
static int
scan_comma_or_close (Scan *s)
{
  char kind = s->kinds[s->depth - 1];
  char c = s->text[s->pos];

  if (c == ',')
    {
      s->pos++;
      return kind == '{' ? ST_KEY : ST_VALUE;
    }
  if ((kind == '{' && c == '}') || (kind == '[' && c == ']'))
    return scan_close (s);

  return scan_expected (s, kind == '{' ? "\",\" or \"}\"" : "\",\" or \"]\"");
}

static int
scan_step (Scan      *s,
           ScanState  state)
{
  char c = s->text[s->pos];

  switch (state)
    {
    case ST_VALUE_OR_CLOSE:
      if (c == ']')
        return scan_close (s);
      return scan_value (s);
    case ST_VALUE:
      return scan_value (s);
    case ST_KEY_OR_CLOSE:
      if (c == '}')
        return scan_close (s);
      G_GNUC_FALLTHROUGH;
    case ST_KEY:
      if (c != '"')
        return scan_expected (s, _("a member name in double quotes"));
      return scan_member_name (s) ? ST_COLON : -1;
    case ST_COLON:
      if (c != ':')
        return scan_expected (s, _("\":\" after the member name"));
      s->pos++;
      return ST_VALUE;
    case ST_COMMA_OR_CLOSE:
      return scan_comma_or_close (s);
    case ST_DONE:
    default:
      return scan_expected (s, _("the end of the text"));
    }
}

static gboolean
scan_text (Scan *s)
{
  int state = ST_VALUE;

  for (;;)
    {
      skip_whitespace (s);
      if (s->pos >= s->length)
        return scan_at_end (s, state);
      state = scan_step (s, state);
      if (state < 0)
        return FALSE;
    }
}

static gboolean
check_encoding (Scan *s)
{
  const char *end;

  if (g_utf8_validate_len (s->text, s->length, &end))
    return TRUE;

  if (*end == '\0')
    return scan_fail (s, PAL_DOCUMENT_ERROR_ENCODING, end - s->text,
                      _("The text contains a NUL byte."));
  return scan_fail (s, PAL_DOCUMENT_ERROR_ENCODING, end - s->text,
                    _("The text is not UTF-8 (byte 0x%02X is not valid here)."), (guchar) *end);
}

PalJsonLocator *
pal_json_locator_new (const char  *text,
                      gsize        length,
                      guint        max_depth,
                      PalProblem **problem)
{
  Scan s = { 0 };
  PalJsonLocator *self;
  gboolean ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (max_depth > 0, NULL);
  g_return_val_if_fail (problem != NULL && *problem == NULL, NULL);

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  s.text = text;
  s.length = length;
  s.max_depth = max_depth;
  s.kinds = g_new (char, max_depth);
  s.opened = g_new (gsize, max_depth);
  s.names = g_new0 (GHashTable *, max_depth);
  s.name = g_string_new (NULL);
  s.arena = arena_new ();
  s.open = g_new (PalJsonValue *, max_depth);
  s.last = g_new (PalJsonValue *, max_depth);
  s.decoded = g_string_new (NULL);

  ok = check_encoding (&s) && scan_text (&s);

  while (s.depth > 0)
    g_clear_pointer (&s.names[--s.depth], g_hash_table_unref);
  g_free (s.kinds);
  g_free (s.opened);
  g_free (s.names);
  g_free (s.open);
  g_free (s.last);
  g_string_free (s.name, TRUE);
  g_string_free (s.decoded, TRUE);

  if (!ok)
    {
      arena_free (s.arena);
      *problem = s.problem;
      return NULL;
    }

  self = g_new0 (PalJsonLocator, 1);
  self->text = text;
  self->length = length;
  self->max_depth = max_depth;
  self->arena = s.arena;
  self->root = s.root;
  return self;
}

void
pal_json_locator_free (PalJsonLocator *self)
{
  if (self == NULL)
    return;
  arena_free (self->arena);
  g_free (self);
}

const PalJsonValue *
pal_json_locator_get_root (PalJsonLocator *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->root;
}

const PalJsonValue *
pal_json_value_get_member (const PalJsonValue *object,
                           const char         *name)
{
  g_return_val_if_fail (object != NULL && object->kind == PAL_JSON_OBJECT, NULL);

  for (const PalJsonValue *member = object->v.first; member != NULL; member = member->next)
    if (strcmp (member->name, name) == 0)
      return member;
  return NULL;
}

static JsonNode *
container_to_node (const PalJsonValue *value)
{
  JsonNode *node;

  if (value->kind == PAL_JSON_ARRAY)
    {
      JsonArray *array = json_array_sized_new (value->length);

      for (const PalJsonValue *element = value->v.first; element != NULL; element = element->next)
        json_array_add_element (array, pal_json_value_to_node (element));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }

  JsonObject *object = json_object_new ();

  for (const PalJsonValue *member = value->v.first; member != NULL; member = member->next)
    json_object_set_member (object, member->name, pal_json_value_to_node (member));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* Recursion is bounded: the tree is no deeper than the scan's max_depth. */
JsonNode *
pal_json_value_to_node (const PalJsonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  switch (value->kind)
    {
    case PAL_JSON_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), value->v.boolean);
    case PAL_JSON_INTEGER:
      return json_node_init_int (json_node_alloc (), value->v.integer);
    case PAL_JSON_DOUBLE:
      return json_node_init_double (json_node_alloc (), value->v.number);
    case PAL_JSON_STRING:
      return json_node_init_string (json_node_alloc (), value->v.string);
    case PAL_JSON_ARRAY:
    case PAL_JSON_OBJECT:
      return container_to_node (value);
    case PAL_JSON_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

const char *
pal_json_locator_get_text (PalJsonLocator *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

gsize
pal_json_locator_get_length (PalJsonLocator *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

/* ------------------------------------------------------------------ */
/* The locating walk (over checked text: its scans cannot fail)       */

typedef struct
{
  Scan        scan;
  GHashTable *wanted;   /* path → offset + 1 of its value once found, else NULL */
  GString    *name;     /* scratch for member names */
} Walk;

typedef struct
{
  gsize       offset;
  PalProblem *problem;
} Target;

/* Skips one value without looking inside, with a counter, not recursion. */
static void
skip_value (Scan *s)
{
  guint depth = 0;

  do
    {
      char c;

      skip_whitespace (s);
      c = s->text[s->pos];
      if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        depth--;
      if (c != '\0' && strchr ("{}[],:", c) != NULL)
        s->pos++;
      else if (c == '"')
        scan_string (s, NULL);
      else if (c == '-' || g_ascii_isdigit (c))
        scan_number (s, NULL);
      else
        scan_literal (s, NULL);
    }
  while (depth > 0);
}

static void walk_value (Walk    *w,
                        GString *path);

static void
walk_object (Walk    *w,
             GString *path)
{
  Scan *s = &w->scan;
  gsize len = path->len;

  s->pos++;
  skip_whitespace (s);
  if (s->text[s->pos] == '}')
    {
      s->pos++;
      return;
    }
  for (;;)
    {
      skip_whitespace (s);
      g_string_truncate (w->name, 0);
      scan_string (s, w->name);
      skip_whitespace (s);
      s->pos++;  /* ':' */
      pal_json_path_append_member (path, w->name->str);
      walk_value (w, path);
      g_string_truncate (path, len);
      skip_whitespace (s);
      if (s->text[s->pos++] == '}')
        return;
    }
}

static void
walk_array (Walk    *w,
            GString *path)
{
  Scan *s = &w->scan;
  gsize len = path->len;

  s->pos++;
  skip_whitespace (s);
  if (s->text[s->pos] == ']')
    {
      s->pos++;
      return;
    }
  for (guint i = 0;; i++)
    {
      pal_json_path_append_index (path, i);
      walk_value (w, path);
      g_string_truncate (path, len);
      skip_whitespace (s);
      if (s->text[s->pos++] == ']')
        return;
    }
}

/* Only values on the way to a wanted path are entered: every prefix of a
 * wanted path is wanted too, so anything else is skipped whole. */
static void
walk_value (Walk    *w,
            GString *path)
{
  Scan *s = &w->scan;
  gpointer found;

  skip_whitespace (s);
  if (!g_hash_table_lookup_extended (w->wanted, path->str, NULL, &found))
    {
      skip_value (s);
      return;
    }
  if (found == NULL)
    g_hash_table_insert (w->wanted, g_strdup (path->str), GSIZE_TO_POINTER (s->pos + 1));

  if (s->text[s->pos] == '{')
    walk_object (w, path);
  else if (s->text[s->pos] == '[')
    walk_array (w, path);
  else
    skip_value (s);
}

static gboolean
needs_location (const PalProblem *problem)
{
  return problem->path != NULL && problem->line == 0;
}

static void
want_with_prefixes (GHashTable *wanted,
                    const char *path)
{
  gsize end = 0;

  /* Not g_hash_table_add(), which would make each value its key. */
  g_hash_table_insert (wanted, g_strdup (""), NULL);
  while (path[end] != '\0')
    {
      end += path_component_length (path + end);
      g_hash_table_insert (wanted, g_strndup (path, end), NULL);
    }
}

/* Where the value at path starts, or its nearest existing ancestor. */
static gsize
found_offset (GHashTable *wanted,
              const char *path)
{
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize end = 0;

  while (path[end] != '\0')
    {
      end += path_component_length (path + end);
      g_array_append_val (ends, end);
    }
  for (guint i = ends->len; i > 0; i--)
    {
      g_autofree char *prefix = g_strndup (path, g_array_index (ends, gsize, i - 1));
      gpointer found = g_hash_table_lookup (wanted, prefix);

      if (found != NULL)
        return GPOINTER_TO_SIZE (found) - 1;
    }
  return GPOINTER_TO_SIZE (g_hash_table_lookup (wanted, "")) - 1;
}

static int
compare_targets (gconstpointer a,
                 gconstpointer b)
{
  const Target *ta = a, *tb = b;

  return ta->offset < tb->offset ? -1 : ta->offset > tb->offset;
}

/* Converts all offsets to lines and columns in one sweep over the text. */
static void
set_positions (PalJsonLocator *self,
               GArray         *targets)
{
  gsize pos = 0;
  guint line = 1, column = 1;

  g_array_sort (targets, compare_targets);
  for (guint i = 0; i < targets->len; i++)
    {
      Target *target = &g_array_index (targets, Target, i);

      for (; pos < target->offset; pos++)
        {
          guchar b = self->text[pos];

          if (b == '\n')
            {
              line++;
              column = 1;
            }
          else if ((b & 0xc0) != 0x80)
            column++;
        }
      target->problem->line = line;
      target->problem->column = column;
    }
}

void
pal_json_locator_locate (PalJsonLocator *self,
                         GPtrArray      *problems)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GString) name = NULL;
  g_autoptr(GArray) targets = NULL;
  Walk w = { 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (problems != NULL);

  wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < problems->len; i++)
    {
      PalProblem *problem = g_ptr_array_index (problems, i);

      if (needs_location (problem))
        want_with_prefixes (wanted, problem->path);
    }
  if (g_hash_table_size (wanted) == 0)
    return;

  path = g_string_new (NULL);
  name = g_string_new (NULL);
  w.scan.text = self->text;
  w.scan.length = self->length;
  w.wanted = wanted;
  w.name = name;
  walk_value (&w, path);

  targets = g_array_new (FALSE, FALSE, sizeof (Target));
  for (guint i = 0; i < problems->len; i++)
    {
      Target target = { 0, g_ptr_array_index (problems, i) };

      if (!needs_location (target.problem))
        continue;
      target.offset = found_offset (wanted, target.problem->path);
      g_array_append_val (targets, target);
    }
  set_positions (self, targets);
}
