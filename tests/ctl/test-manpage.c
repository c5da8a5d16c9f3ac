/* test-manpage.c — fwdoc(5) renders without a single groff warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

static void
test_renders (void)
{
  g_autofree char *page = g_test_build_filename (G_TEST_DIST, "..", "docs", "fwdoc.5", NULL);
  /* As man(1) formats it for a terminal, with every warning on. */
  const char *argv[] = { "groff", "-man", "-Tutf8", "-ww", "-z", page, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_subprocess_get_successful (process));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manpage/renders", test_renders);

  return g_test_run ();
}
