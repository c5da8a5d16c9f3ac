/* fuzz-variant.c — the D-Bus document decoder, as the helper runs it.
 *
 * The bytes are a serialised (a{sv}a(usussssss)) as any caller on the bus
 * may send: not trusted, maybe not in normal form. Oracles: decoding
 * refuses with an error or gives a document; that document encodes to a
 * variant that decodes again and encodes to an equal variant; and when the
 * validator finds nothing wrong with it, its .fwdoc text loads without a
 * problem (the helper must not accept what a file cannot hold).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "pal-document-variant.h"
#include "pal-fwdoc.h"
#include "pal-validator.h"

static void
check_encoding (PalDocument *document)
{
  g_autoptr(GVariant) encoded = g_variant_ref_sink (pal_document_to_variant (document));
  g_autoptr(GVariant) encoded_again = NULL;
  g_autoptr(PalDocument) decoded = NULL;
  g_autoptr(GError) error = NULL;

  decoded = pal_document_from_variant (encoded, &error);
  if (decoded == NULL)
    {
      fprintf (stderr, "Oracle failed: an encoded document does not decode: %s\n",
               error->message);
      abort ();
    }
  encoded_again = g_variant_ref_sink (pal_document_to_variant (decoded));
  if (!g_variant_equal (encoded, encoded_again))
    {
      g_autofree char *first = g_variant_print (encoded, FALSE);
      g_autofree char *second = g_variant_print (encoded_again, FALSE);

      fuzz_assert_same_text ("encode (decode (encode (document)))", first, second);
    }
}

static void
check_file_holds (PalDocument *document)
{
  g_autoptr(GPtrArray) problems = pal_validate_document (document);
  g_autoptr(PalDocument) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (problems->len > 0)
    return;
  text = pal_fwdoc_save_data (document, NULL);
  loaded = pal_fwdoc_load_data (text, -1, "from-variant.fwdoc", NULL, &error);
  if (loaded == NULL)
    {
      fprintf (stderr, "Oracle failed: a valid decoded document does not load from "
               "its own file text:\n%s\n--- text ---\n%s\n", error->message, text);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  gpointer bytes = g_memdup2 (data, size);

  /* Not trusted: GVariant must check the framing itself, as for a message. */
  variant = g_variant_ref_sink (g_variant_new_from_data (PAL_DOCUMENT_VARIANT_TYPE,
                                                         bytes, size, FALSE, g_free, bytes));
  document = pal_document_from_variant (variant, &error);
  if (document == NULL)
    {
      g_assert (error != NULL);
      if (!g_utf8_validate (error->message, -1, NULL))
        {
          fprintf (stderr, "Oracle failed: the error is not UTF-8\n");
          abort ();
        }
      return 0;
    }
  check_encoding (document);
  check_file_holds (document);
  return 0;
}
