/* fuzz-main.c — runs a fuzz target over files, without libFuzzer.
 *
 *   fuzz-value CORPUS-DIR REGRESSIONS-DIR FILE…
 *
 * Every file named, and every file in each directory named (not those whose
 * name starts with '.'), goes once through LLVMFuzzerTestOneInput(), in a
 * buffer of exactly its size so AddressSanitizer sees a read one byte past
 * the end. A directory that does not exist is skipped (a target with no
 * crash found yet has no regressions), but at least one file must run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static gboolean
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return FALSE;
    }
  /* A NULL pointer for no bytes, as libFuzzer may pass, would hide nothing
   * and g_malloc (0) returns NULL anyway. */
  exact = g_malloc (length);
  if (length > 0)
    memcpy (exact, contents, length);
  printf ("%s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  fflush (stdout);
  LLVMFuzzerTestOneInput (exact, length);
  return TRUE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted, so a run is reproducible and its log readable. */
static gboolean
run_directory (const char *path,
               guint      *n_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      printf ("%s: skipped (%s)\n", path, error->message);
      return TRUE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);

  for (guint i = 0; i < names->len; i++)
    {
      if (!run_file (names->pdata[i]))
        return FALSE;
      (*n_run)++;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint n_run = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      gboolean ok;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR) || !g_file_test (argv[i], G_FILE_TEST_EXISTS))
        ok = run_directory (argv[i], &n_run);
      else
        {
          ok = run_file (argv[i]);
          n_run++;
        }
      if (!ok)
        return EXIT_FAILURE;
    }
  if (n_run == 0)
    {
      fprintf (stderr, "No input ran: give files or directories of inputs.\n");
      return EXIT_FAILURE;
    }
  printf ("%u inputs ran without a fault.\n", n_run);
  return EXIT_SUCCESS;
}
