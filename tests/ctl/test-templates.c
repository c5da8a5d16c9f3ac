/* test-templates.c — the shipped documents: byte-for-byte round trip
 * through the reader and writer, no problems, and the template list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-validator.h"

static char *
template_file_name (const char *id)
{
  g_autofree char *base = g_strconcat (id, ".fwdoc", NULL);

  return g_test_build_filename (G_TEST_DIST, "..", "data", "templates", base, NULL);
}

/* What ships in the resource is the file in data/templates/. */
static void
test_resource_matches_file (gconstpointer data)
{
  const char *id = data;
  g_autofree char *file_name = template_file_name (id);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (file_name, &contents, &length, &error));
  g_assert_no_error (error);
  bytes = pal_templates_get_data (id, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);
}

/* Reading and writing gives back the shipped text, byte for byte: the files
 * are in the writer's canonical form. */
static void
test_round_trip (gconstpointer data)
{
  const char *id = data;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize length;

  bytes = pal_templates_get_data (id, &error);
  g_assert_no_error (error);
  document = pal_templates_load (id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  saved = pal_fwdoc_save_data (document, &length);
  g_assert_cmpstr (saved, ==, g_bytes_get_data (bytes, NULL));
  g_assert_cmpmem (saved, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
assert_no_problems (GPtrArray  *problems,
                    const char *file_name)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      g_autofree char *text = pal_problem_to_string (g_ptr_array_index (problems, i), file_name);
      g_test_message ("%s", text);
    }
  g_assert_cmpuint (problems != NULL ? problems->len : 0, ==, 0);
}

/* Both the reader and the validator find nothing to say. */
static void
test_valid (gconstpointer data)
{
  const char *id = data;
  g_autofree char *file_name = template_file_name (id);
  g_autoptr(GFile) file = g_file_new_for_path (file_name);
  g_autoptr(GPtrArray) read_problems = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = pal_fwdoc_load_file (file, NULL, &read_problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  assert_no_problems (read_problems, file_name);
  problems = pal_validate_document (document);
  assert_no_problems (problems, file_name);
}

static void
test_default_document (void)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  /* As the issue asks: pass by default, switched off, no adaptive bans. */
  document = pal_templates_load ("default", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pal_document_get_default_verdict (document), ==, PAL_VERDICT_PASS);
  g_assert_false (pal_document_get_enabled (document));
  g_assert_false (pal_document_get_adaptive (document)->enabled);
  g_assert_cmpuint (g_list_model_get_n_items (pal_document_get_rules (document)), ==, 4);
}

static void
test_list (void)
{
  const PalTemplate *templates;
  guint n_templates;

  templates = pal_templates_get_all (&n_templates);
  g_assert_cmpuint (n_templates, ==, 4);
  g_assert_cmpstr (templates[0].id, ==, "default");
  for (guint i = 0; i < n_templates; i++)
    {
      g_assert_true (pal_templates_lookup (templates[i].id) == &templates[i]);
      g_assert_cmpstr (pal_template_get_title (&templates[i]), !=, "");
      g_assert_cmpstr (pal_template_get_description (&templates[i]), !=, "");
    }
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_null (pal_templates_lookup ("nonexistent"));
  document = pal_templates_load ("nonexistent", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (document);
  g_clear_error (&error);

  /* An id is never a path into the resource. */
  bytes = pal_templates_get_data ("../templates/default", &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (bytes);
}

/* The n-th ```json block after heading in docs/fwdoc.md. */
static char *
spec_example (const char *heading,
              guint       n)
{
  g_autofree char *file_name = g_test_build_filename (G_TEST_DIST, "..", "docs", "fwdoc.md", NULL);
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  const char *start;
  const char *end;

  g_assert_true (g_file_get_contents (file_name, &spec, NULL, &error));
  g_assert_no_error (error);
  start = strstr (spec, heading);
  g_assert_nonnull (start);
  for (guint i = 0; i <= n; i++)
    {
      start = strstr (start, "```json\n");
      g_assert_nonnull (start);
      start += strlen ("```json\n");
    }
  end = strstr (start, "```");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* The specification's complete example is a valid document in canonical
 * form, so the page cannot drift from the code. */
static void
test_spec_example (void)
{
  g_autofree char *text = spec_example ("## A complete example", 0);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GPtrArray) read_problems = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  document = pal_fwdoc_load_data (text, -1, "fwdoc.md", &read_problems, &error);
  g_assert_no_error (error);
  assert_no_problems (read_problems, "fwdoc.md");
  problems = pal_validate_document (document);
  assert_no_problems (problems, "fwdoc.md");
  saved = pal_fwdoc_save_data (document, NULL);
  g_assert_cmpstr (saved, ==, text);
}

static void
test_spec_clipboard (void)
{
  g_autofree char *text = spec_example ("## Clipboard", 0);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  rules = pal_fwdoc_rules_from_data (text, -1, &problems, &error);
  g_assert_no_error (error);
  assert_no_problems (problems, "fwdoc.md");
  g_assert_cmpuint (rules->len, ==, 1);
  saved = pal_fwdoc_rules_to_data (rules);
  g_assert_cmpstr (saved, ==, text);
}

int
main (int    argc,
      char **argv)
{
  const PalTemplate *templates;
  guint n_templates;

  g_test_init (&argc, &argv, NULL);

  templates = pal_templates_get_all (&n_templates);
  for (guint i = 0; i < n_templates; i++)
    {
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/templates/%s/resource-matches-file", templates[i].id);
      g_test_add_data_func (path, templates[i].id, test_resource_matches_file);
      g_free (path);
      path = g_strdup_printf ("/templates/%s/round-trip", templates[i].id);
      g_test_add_data_func (path, templates[i].id, test_round_trip);
      g_free (path);
      path = g_strdup_printf ("/templates/%s/valid", templates[i].id);
      g_test_add_data_func (path, templates[i].id, test_valid);
    }
  g_test_add_func ("/templates/default-document", test_default_document);
  g_test_add_func ("/templates/list", test_list);
  g_test_add_func ("/templates/unknown", test_unknown);
  g_test_add_func ("/spec/example", test_spec_example);
  g_test_add_func ("/spec/clipboard", test_spec_clipboard);

  return g_test_run ();
}
