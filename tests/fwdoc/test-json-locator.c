/* test-json-locator.c — PalJsonLocator on its own: strict JSON, positions
 * in characters, paths with odd member names, and the fallback to the
 * nearest existing ancestor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-json-locator.h"

typedef struct
{
  GPtrArray *problems;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_problem_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->problems);
}

static PalProblem *
want (Fixture    *fixture,
      const char *path)
{
  PalProblem *problem = pal_problem_new (PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL, "x");

  g_ptr_array_add (fixture->problems, problem);
  return problem;
}

static void
assert_at (const PalProblem *problem,
           guint             line,
           guint             column)
{
  g_test_message ("%s → %u:%u", problem->path, problem->line, problem->column);
  g_assert_cmpuint (problem->line, ==, line);
  g_assert_cmpuint (problem->column, ==, column);
}

static PalJsonLocator *
locator_for (const char *text)
{
  PalProblem *problem = NULL;
  PalJsonLocator *locator = pal_json_locator_new (text, strlen (text), PAL_JSON_MAX_DEPTH,
                                                  &problem);

  g_assert_null (problem);
  g_assert_nonnull (locator);
  return locator;
}

static void
test_paths (Fixture       *fixture,
            gconstpointer  data)
{
  const char *text =
    "{\n"
    "  \"interfaces\": { \"eth0.100\": { \"filter\": 1 } },\n"
    "  \"a\\\"b\": [10, [20, 30]],\n"
    "  \"\\u0041\": \"escaped name\",\n"
    "  \"rules\": [ { \"children\": [ {}, { \"value\": \"x\" } ] } ]\n"
    "}";
  g_autoptr(PalJsonLocator) locator = locator_for (text);
  PalProblem *filter = want (fixture, "interfaces[\"eth0.100\"].filter");
  PalProblem *inner = want (fixture, "[\"a\\\"b\"][1][0]");
  PalProblem *escaped = want (fixture, "A");
  PalProblem *value = want (fixture, "rules[0].children[1].value");
  PalProblem *missing = want (fixture, "rules[0].children[0].property");
  PalProblem *far = want (fixture, "rules[7].children[0]");
  PalProblem *root = want (fixture, "");
  PalProblem *no_path = pal_problem_new (PAL_DOCUMENT_ERROR_LIMIT, NULL, NULL, "x");
  PalProblem *placed = want (fixture, "rules");

  g_ptr_array_add (fixture->problems, no_path);
  placed->line = 99;
  placed->column = 9;

  pal_json_locator_locate (locator, fixture->problems);
  assert_at (filter, 2, 43);
  assert_at (inner, 3, 17);
  assert_at (escaped, 4, 13);
  assert_at (value, 5, 45);
  /* A member that is not there: where its object starts. */
  assert_at (missing, 5, 30);
  /* An element past the end: its array. */
  assert_at (far, 5, 12);
  assert_at (root, 1, 1);
  /* Problems without a path, or already placed, are left alone. */
  assert_at (no_path, 0, 0);
  assert_at (placed, 99, 9);
}

/* Columns count characters, not bytes; \r is a character, \n ends a line. */
static void
test_columns (Fixture       *fixture,
              gconstpointer  data)
{
  const char *text = "\xef\xbb\xbf{\"größe\": \"日本\", \"x\": 1,\r\n \"y\": [\"😀\", true]}";
  g_autoptr(PalJsonLocator) locator = locator_for (text);
  PalProblem *x = want (fixture, "x");
  PalProblem *y = want (fixture, "y[1]");
  PalProblem *size = want (fixture, "[\"größe\"]");

  /* The byte order mark is not handed on. */
  g_assert_cmpint (pal_json_locator_get_text (locator)[0], ==, '{');
  g_assert_cmpuint (pal_json_locator_get_length (locator), ==, strlen (text) - 3);

  pal_json_locator_locate (locator, fixture->problems);
  assert_at (size, 1, 11);
  assert_at (x, 1, 22);
  assert_at (y, 2, 13);
}

typedef struct
{
  const char       *text;
  PalDocumentError  code;
  guint             line;
  guint             column;
  const char       *message;
} Bad;

static const Bad bad_texts[] = {
  { "", PAL_DOCUMENT_ERROR_SYNTAX, 1, 1, "The text is empty; expected a JSON document." },
  { "  \n ", PAL_DOCUMENT_ERROR_SYNTAX, 2, 2, "The text is empty; expected a JSON document." },
  { "{\"a\": True}", PAL_DOCUMENT_ERROR_SYNTAX, 1, 7, "Expected a value, found \"True\"." },
  { "{\"a\": 1 \"b\": 2}", PAL_DOCUMENT_ERROR_SYNTAX, 1, 9, "Expected \",\" or \"}\", found \"\"\"." },
  { "[1 2]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 4, "Expected \",\" or \"]\", found \"2\"." },
  { "{a: 1}", PAL_DOCUMENT_ERROR_SYNTAX, 1, 2, "Expected a member name in double quotes, found \"a\"." },
  { "{\"a\" 1}", PAL_DOCUMENT_ERROR_SYNTAX, 1, 6, "Expected \":\" after the member name, found \"1\"." },
  { "[1,]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 4, "Expected a value, found \"]\"." },
  { "[\n  [1,\n", PAL_DOCUMENT_ERROR_SYNTAX, 3, 1,
    "The text ends before the array opened at 2:3 is closed." },
  { "[-]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 2, "\"-\" must be followed by a digit." },
  { "[1.]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 2, "A decimal point must be followed by a digit." },
  { "[1e]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 2, "An exponent must have digits." },
  { "[9223372036854775808]", PAL_DOCUMENT_ERROR_LIMIT, 1, 2,
    "The number 9223372036854775808 is out of range (whole numbers go from "
    "-9223372036854775808 to 9223372036854775807)." },
  { "[-9223372036854775808, 1e308]", 0, 0, 0, NULL },
  { "[\"a\tb\"]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 4,
    "A string may not contain the control character U+0009; write it as \\u0009." },
  { "[\"\\u12\"]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 3, "\\u must be followed by four hexadecimal digits." },
  { "[\"\\udc00\"]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 3,
    "\\uDC00 is the second half of a surrogate pair without a first half." },
  { "[\"\\u0000\"]", PAL_DOCUMENT_ERROR_SYNTAX, 1, 3, "A string may not contain the character U+0000." },
  { "[\"\\ud83d\\ude00 \\u00e9 \\/ \\b\"]", 0, 0, 0, NULL },
  { "[\"é\", \"\xc3\"]", PAL_DOCUMENT_ERROR_ENCODING, 1, 8,
    "The text is not UTF-8 (byte 0xC3 is not valid here)." },
  { "{\"a\": 1, \"\\u0061\": 2}", PAL_DOCUMENT_ERROR_SYNTAX, 1, 10,
    "The member \"a\" appears twice in this object (first at 1:2)." },
  { "{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}", 0, 0, 0, NULL },
  { "nul", PAL_DOCUMENT_ERROR_SYNTAX, 1, 1, "Expected a value, found \"nul\"." },
  { "\"just a string\"", 0, 0, 0, NULL },
};

static void
test_bad_texts (Fixture       *fixture,
                gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      const Bad *bad = &bad_texts[i];
      g_autoptr(PalProblem) problem = NULL;
      g_autoptr(PalJsonLocator) locator = NULL;

      g_test_message ("%s", g_utf8_validate (bad->text, -1, NULL) ? bad->text : "(not UTF-8)");
      locator = pal_json_locator_new (bad->text, strlen (bad->text), PAL_JSON_MAX_DEPTH, &problem);
      if (bad->message == NULL)
        {
          g_assert_nonnull (locator);
          g_assert_null (problem);
          continue;
        }
      g_assert_null (locator);
      g_assert_nonnull (problem);
      g_assert_cmpstr (problem->message, ==, bad->message);
      g_assert_cmpint (problem->code, ==, bad->code);
      g_assert_null (problem->path);
      g_assert_cmpuint (problem->line, ==, bad->line);
      g_assert_cmpuint (problem->column, ==, bad->column);
    }
}

/* Embedded NUL: the length given, not strlen, is what is scanned. */
static void
test_nul_byte (Fixture       *fixture,
               gconstpointer  data)
{
  static const char text[] = "[\"a\0b\"]";
  g_autoptr(PalProblem) problem = NULL;
  g_autoptr(PalJsonLocator) locator = NULL;

  locator = pal_json_locator_new (text, sizeof text - 1, PAL_JSON_MAX_DEPTH, &problem);
  g_assert_null (locator);
  g_assert_cmpint (problem->code, ==, PAL_DOCUMENT_ERROR_ENCODING);
  g_assert_cmpstr (problem->message, ==, "The text contains a NUL byte.");
  g_assert_cmpuint (problem->column, ==, 4);
}

static void
test_path_building (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *member = pal_json_path_member ("rules[0]", "read-only");
  g_autofree char *index = pal_json_path_index ("", 3);
  g_autofree char *odd = pal_json_path_member ("interfaces", "a\"b\\c\n");

  pal_json_path_append_member (path, "rules");
  pal_json_path_append_index (path, 2);
  pal_json_path_append_member (path, "value");
  g_assert_cmpstr (path->str, ==, "rules[2].value");
  g_assert_cmpstr (member, ==, "rules[0].read-only");
  g_assert_cmpstr (index, ==, "[3]");
  g_assert_cmpstr (odd, ==, "interfaces[\"a\\\"b\\\\c\\u000a\"]");
}

/* The tree the scan builds: kinds, values as json-glib would type them,
 * decoded strings and names in text order, and a json-glib copy. */
static void
test_tree (Fixture       *fixture,
           gconstpointer  data)
{
  const char *text = "{\"s\": \"a\\u00e9\\n\\\"b\", \"i\": -12, \"d\": 1.5e2, \"t\": true, "
                     "\"f\": false, \"n\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"\"}}";
  g_autoptr(PalJsonLocator) locator = locator_for (text);
  const PalJsonValue *root = pal_json_locator_get_root (locator);
  const PalJsonValue *array = pal_json_value_get_member (root, "a");
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *json = NULL;
  const char *names[] = { "s", "i", "d", "t", "f", "n", "a", "o" };
  guint i = 0;

  g_assert_cmpint (root->kind, ==, PAL_JSON_OBJECT);
  g_assert_cmpuint (root->length, ==, 8);
  for (const PalJsonValue *member = root->v.first; member != NULL; member = member->next)
    g_assert_cmpstr (member->name, ==, names[i++]);
  g_assert_cmpstr (pal_json_value_get_member (root, "s")->v.string, ==, "a\xc3\xa9\n\"b");
  g_assert_cmpint (pal_json_value_get_member (root, "i")->kind, ==, PAL_JSON_INTEGER);
  g_assert_cmpint (pal_json_value_get_member (root, "i")->v.integer, ==, -12);
  g_assert_cmpint (pal_json_value_get_member (root, "d")->kind, ==, PAL_JSON_DOUBLE);
  g_assert_cmpfloat (pal_json_value_get_member (root, "d")->v.number, ==, 150.0);
  g_assert_true (pal_json_value_get_member (root, "t")->v.boolean);
  g_assert_cmpint (pal_json_value_get_member (root, "f")->kind, ==, PAL_JSON_BOOLEAN);
  g_assert_false (pal_json_value_get_member (root, "f")->v.boolean);
  g_assert_cmpint (pal_json_value_get_member (root, "n")->kind, ==, PAL_JSON_NULL);
  g_assert_null (pal_json_value_get_member (root, "missing"));
  g_assert_cmpuint (array->length, ==, 3);
  g_assert_null (array->v.first->name);
  g_assert_cmpint (array->v.first->next->kind, ==, PAL_JSON_ARRAY);
  g_assert_cmpuint (array->v.first->next->length, ==, 0);

  copy = pal_json_value_to_node (root);
  json = json_to_string (copy, FALSE);
  g_assert_cmpstr (json, ==, "{\"s\":\"a\xc3\xa9\\n\\\"b\",\"i\":-12,\"d\":150.0,\"t\":true,"
                             "\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"\"}}");
}

/* Duplicate names are found in small objects (compared one by one) and in
 * large ones (a hash table), with the place of the first. */
static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("{");
  PalProblem *problem = NULL;
  PalJsonLocator *locator;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (text, "\"m%u\": %u, ", i, i);
  g_string_append (text, "\"m17\": 0}");
  locator = pal_json_locator_new (text->str, text->len, PAL_JSON_MAX_DEPTH, &problem);
  g_assert_null (locator);
  g_assert_cmpstr (problem->message, ==, "The member \"m17\" appears twice in this object (first at 1:169).");
  pal_problem_free (problem);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/json-locator/paths", test_paths);
  ADD ("/json-locator/columns", test_columns);
  ADD ("/json-locator/bad-texts", test_bad_texts);
  ADD ("/json-locator/nul-byte", test_nul_byte);
  ADD ("/json-locator/path-building", test_path_building);
  ADD ("/json-locator/tree", test_tree);
  ADD ("/json-locator/duplicates", test_duplicates);

  return g_test_run ();
}
