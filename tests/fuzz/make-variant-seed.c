/* make-variant-seed.c — a .fwdoc on standard input, its D-Bus encoding
 * (the bytes of a serialised (a{sv}a(usussssss))) on standard output: the
 * seeds of the variant fuzz target (make-corpus.py runs it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pal-document-variant.h"
#include "pal-fwdoc.h"

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GVariant) variant = NULL;
  char buffer[4096];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, n);
  document = pal_fwdoc_load_data (text->str, text->len, "<stdin>", NULL, &error);
  if (document == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return EXIT_FAILURE;
    }
  variant = g_variant_ref_sink (pal_document_to_variant (document));
  fwrite (g_variant_get_data (variant), 1, g_variant_get_size (variant), stdout);
  return EXIT_SUCCESS;
}
