/* test-fwdoc-save.c — saving is atomic: the previous version is kept as
 * FILE~, a symbolic link stays a link, and a write that fails (a full
 * disk, made real with a 64 KiB tmpfs in a private mount namespace) leaves
 * the old file byte for byte and nothing else behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pal-fwdoc.h"

typedef struct
{
  char *dir;
} Fixture;

/* The full-disk child works in its parent's directory (named in the
 * environment), so that the parent removes it whatever the child does. */
#define CHILD_DIR "PAL_TEST_SAVE_DIR"

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess () && g_getenv (CHILD_DIR) != NULL)
    {
      fixture->dir = g_strdup (g_getenv (CHILD_DIR));
      return;
    }
  fixture->dir = g_dir_make_tmp ("fwdoc-save-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!g_test_subprocess ())
    remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A document of n rules whose text grows with n. */
static PalDocument *
make_document (guint       n,
               const char *name)
{
  PalDocument *document = pal_document_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_DESTINATION_PORT, PAL_ACTION_PASS);
      g_autofree char *value = g_strdup_printf ("%u", 1000 + i);

      pal_rule_set_name (rule, name);
      pal_rule_set_value (rule, value);
      pal_document_append_rule (document, rule);
    }
  return document;
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The names in dir, sorted and joined by spaces. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static gboolean
save (PalDocument *document,
      const char  *dir,
      const char  *name,
      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return pal_fwdoc_save_file (document, file, NULL, error);
}

static void
test_new_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PalDocument) document = make_document (3, "Web");
  g_autofree char *expected = pal_fwdoc_save_data (document, NULL);
  g_autofree char *written = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (save (document, fixture->dir, "new.fwdoc", &error));
  g_assert_no_error (error);
  written = read_file (fixture->dir, "new.fwdoc");
  g_assert_cmpstr (written, ==, expected);
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "new.fwdoc");
}

static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PalDocument) first = make_document (1, "First");
  g_autoptr(PalDocument) second = make_document (2, "Second");
  g_autofree char *first_text = pal_fwdoc_save_data (first, NULL);
  g_autofree char *second_text = pal_fwdoc_save_data (second, NULL);
  g_autofree char *current = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (save (first, fixture->dir, "doc.fwdoc", &error));
  g_assert_true (save (second, fixture->dir, "doc.fwdoc", &error));
  g_assert_no_error (error);

  current = read_file (fixture->dir, "doc.fwdoc");
  backup = read_file (fixture->dir, "doc.fwdoc~");
  g_assert_cmpstr (current, ==, second_text);
  g_assert_cmpstr (backup, ==, first_text);
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "doc.fwdoc doc.fwdoc~");
}

/* GIO would write a link's target in place; we replace the target. */
static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PalDocument) first = make_document (1, "First");
  g_autoptr(PalDocument) second = make_document (2, "Second");
  g_autofree char *second_text = pal_fwdoc_save_data (second, NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.fwdoc", NULL);
  g_autofree char *target = NULL;
  g_autofree char *through_link = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (save (first, fixture->dir, "real.fwdoc", &error));
  g_assert_cmpint (symlink ("real.fwdoc", link), ==, 0);
  g_assert_true (save (second, fixture->dir, "link.fwdoc", &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  target = g_file_read_link (link, &error);
  g_assert_cmpstr (target, ==, "real.fwdoc");
  through_link = read_file (fixture->dir, "link.fwdoc");
  g_assert_cmpstr (through_link, ==, second_text);
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "link.fwdoc real.fwdoc real.fwdoc~");
}

/* In a child: a private mount namespace with a 64 KiB tmpfs. */
static void
test_full_disk_child (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PalDocument) small = make_document (2, "Small");
  g_autoptr(PalDocument) other = make_document (3, "Other");
  g_autofree char *long_name = g_strnfill (200, 'x');
  g_autoptr(PalDocument) big = make_document (1000, long_name);
  g_autofree char *small_text = pal_fwdoc_save_data (small, NULL);
  g_autofree char *other_text = pal_fwdoc_save_data (other, NULL);
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  gsize big_length;

  g_free (pal_fwdoc_save_data (big, &big_length));
  g_assert_cmpuint (big_length, >, 64 * 1024);

  g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
  g_assert_cmpint (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
  g_assert_cmpint (mount ("tmpfs", fixture->dir, "tmpfs", 0, "size=64k"), ==, 0);

  g_assert_true (save (small, fixture->dir, "doc.fwdoc", &error));
  g_assert_no_error (error);

  /* Too big for the disk: an error, and the old file as it was. */
  g_assert_false (save (big, fixture->dir, "doc.fwdoc", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  text = read_file (fixture->dir, "doc.fwdoc");
  /* Not cmpstr: a failure would print 200 KiB. */
  g_assert_true (g_str_equal (text, small_text));
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "doc.fwdoc");

  /* A new file that does not fit is not left half written. */
  g_assert_false (save (big, fixture->dir, "new.fwdoc", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  g_clear_pointer (&names, g_free);
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "doc.fwdoc");

  /* And the disk still takes a document that fits. */
  g_assert_true (save (other, fixture->dir, "doc.fwdoc", &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = read_file (fixture->dir, "doc.fwdoc");
  g_assert_true (g_str_equal (text, other_text));
  g_clear_pointer (&text, g_free);
  text = read_file (fixture->dir, "doc.fwdoc~");
  g_assert_true (g_str_equal (text, small_text));

  g_assert_cmpint (umount (fixture->dir), ==, 0);
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  if (geteuid () != 0)
    {
      g_test_skip ("Needs root, to mount a small tmpfs in a private mount namespace.");
      return;
    }
  /* In a child, so the namespace and the mount end with it. */
  g_setenv (CHILD_DIR, fixture->dir, TRUE);
  g_test_trap_subprocess ("/fwdoc/save/full-disk/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv (CHILD_DIR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/fwdoc/save/new-file", test_new_file);
  ADD ("/fwdoc/save/backup", test_backup);
  ADD ("/fwdoc/save/symlink", test_symlink);
  ADD ("/fwdoc/save/full-disk", test_full_disk);
  ADD ("/fwdoc/save/full-disk/subprocess", test_full_disk_child);

  return g_test_run ();
}
