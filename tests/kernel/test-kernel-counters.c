/* test-kernel-counters.c — the hand-made a(sttt) of GetCounters is the
 * one GVariantBuilder makes, byte for byte, at every framing size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-nft-counters.h"

static GArray *
make_hits (guint n)
{
  GArray *hits = g_array_new (FALSE, TRUE, sizeof (PalNftHit));

  for (guint i = 0; i < n; i++)
    {
      PalNftHit hit = { 0, };

      /* Ids of every length up to a UUID's, "default" among them. */
      if (i == 0)
        g_strlcpy (hit.id, "default", sizeof hit.id);
      else
        g_snprintf (hit.id, sizeof hit.id, "%.*s%u", (int) (i % 30), "0123456789abcdef0123456789abcdef", i);
      hit.key = i;
      hit.packets = i * 3;
      hit.bytes = G_GUINT64_CONSTANT (1) << (i % 64);
      hit.matched = i % 3 != 0;
      hit.msecs = i * 1000;
      g_array_append_val (hits, hit);
    }
  return hits;
}

static GVariant *
expected (GArray *hits)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sttt)"));
  for (guint i = 0; i < hits->len; i++)
    {
      PalNftHit *hit = &g_array_index (hits, PalNftHit, i);

      g_variant_builder_add (&builder, "(sttt)", hit->id, hit->packets, hit->bytes,
                             hit->matched ? hit->msecs : G_MAXUINT64);
    }
  return g_variant_builder_end (&builder);
}

static void
test_sizes (void)
{
  const guint sizes[] = { 0, 1, 2, 3, 4, 5, 50, 1000, 2000, 70000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GArray) hits = make_hits (sizes[s]);
      g_autoptr(GVariant) made = g_variant_ref_sink (pal_nft_counters_to_variant (hits));
      g_autoptr(GVariant) wanted = g_variant_ref_sink (expected (hits));

      g_assert_cmpuint (g_variant_get_size (made), ==, g_variant_get_size (wanted));
      g_assert_cmpmem (g_variant_get_data (made), g_variant_get_size (made),
                       g_variant_get_data (wanted), g_variant_get_size (wanted));
      g_assert_true (g_variant_is_normal_form (made));
      g_assert_true (g_variant_equal (made, wanted));
    }
}

/* Two elements of one id (never made by Palisade) are summed. */
static void
test_duplicates (void)
{
  g_autoptr(GArray) hits = make_hits (3);
  PalNftHit again = g_array_index (hits, PalNftHit, 1);
  g_autoptr(GVariant) made = NULL;
  const char *id;
  guint64 packets, bytes, msecs;

  again.packets = 100;
  again.msecs = 5;
  again.matched = TRUE;
  g_array_append_val (hits, again);
  made = g_variant_ref_sink (pal_nft_counters_to_variant (hits));
  g_assert_cmpuint (g_variant_n_children (made), ==, 3);
  g_variant_get_child (made, 1, "(&sttt)", &id, &packets, &bytes, &msecs);
  g_assert_cmpstr (id, ==, again.id);
  g_assert_cmpuint (packets, ==, 103);
  g_assert_cmpuint (msecs, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kernel/counters/sizes", test_sizes);
  g_test_add_func ("/kernel/counters/duplicates", test_duplicates);
  return g_test_run ();
}
