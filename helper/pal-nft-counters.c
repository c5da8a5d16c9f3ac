/* pal-nft-counters.c
 *
 * The GVariant serialization format (GLib's gvariant-serialiser.c, and
 * "GVariant serialisation" in the GLib docs): an array of variable-size
 * elements holds the elements, each aligned to its type's alignment,
 * followed by the little-endian end offset of every element; a tuple
 * (sttt) holds the NUL-terminated string, padding to 8, the three 64-bit
 * numbers in machine byte order, and at its end the little-endian end
 * offset of the string. Framing offsets are 1, 2, 4 or 8 bytes: the
 * smallest size that can address the whole container, offsets included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-nft-counters.h"

/* The size of a container of body bytes and n framing offsets. */
static gsize
offset_size_for (gsize body,
                 gsize n)
{
  if (n == 0)
    return 0;
  if (body + n <= G_MAXUINT8)
    return 1;
  if (body + 2 * n <= G_MAXUINT16)
    return 2;
  if (body + 4 * n <= G_MAXUINT32)
    return 4;
  return 8;
}

static void
append_offset (GByteArray *out,
               guint64     value,
               gsize       size)
{
  guint8 bytes[8];

  for (gsize i = 0; i < size; i++)
    bytes[i] = (guint8) (value >> (8 * i));
  g_byte_array_append (out, bytes, size);
}

static void
pad_to (GByteArray *out,
        gsize       alignment)
{
  static const guint8 zeros[8] = { 0 };
  gsize pad = (alignment - out->len % alignment) % alignment;

  g_byte_array_append (out, zeros, pad);
}

static void
append_entry (GByteArray      *out,
              const PalNftHit *hit)
{
  gsize start = out->len;
  gsize text_end;
  guint64 numbers[3] = { hit->packets, hit->bytes, hit->matched ? hit->msecs : G_MAXUINT64 };

  g_byte_array_append (out, (const guint8 *) hit->id, strlen (hit->id) + 1);
  text_end = out->len - start;
  pad_to (out, 8);
  g_byte_array_append (out, (const guint8 *) numbers, sizeof numbers);
  append_offset (out, text_end, offset_size_for (out->len - start, 1));
}

/* One entry per id: should two elements ever share one, sum them. */
static GArray *
merge_hits (GArray *hits)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *totals = g_array_sized_new (FALSE, FALSE, sizeof (PalNftHit), hits->len);

  for (guint i = 0; i < hits->len; i++)
    {
      PalNftHit *hit = &g_array_index (hits, PalNftHit, i);
      gpointer at;

      if (hit->id[0] == '\0')
        continue;
      if (g_hash_table_lookup_extended (index, hit->id, NULL, &at))
        {
          PalNftHit *total = &g_array_index (totals, PalNftHit, GPOINTER_TO_UINT (at));

          total->packets += hit->packets;
          total->bytes += hit->bytes;
          if (hit->matched && (!total->matched || hit->msecs < total->msecs))
            total->msecs = hit->msecs;
          total->matched |= hit->matched;
          continue;
        }
      /* The key points into hits, which outlives the index. */
      g_hash_table_insert (index, hit->id, GUINT_TO_POINTER (totals->len));
      g_array_append_val (totals, *hit);
    }
  return totals;
}

GVariant *
pal_nft_counters_to_variant (GArray *hits)
{
  g_autoptr(GArray) totals = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GByteArray *out;
  gsize offset_size;

  g_return_val_if_fail (hits != NULL, NULL);

  totals = merge_hits (hits);
  ends = g_array_sized_new (FALSE, FALSE, sizeof (guint64), totals->len);
  out = g_byte_array_sized_new (totals->len * 72 + 16);
  for (guint i = 0; i < totals->len; i++)
    {
      guint64 end;

      pad_to (out, 8);
      append_entry (out, &g_array_index (totals, PalNftHit, i));
      end = out->len;
      g_array_append_val (ends, end);
    }
  offset_size = offset_size_for (out->len, totals->len);
  for (guint i = 0; i < ends->len; i++)
    append_offset (out, g_array_index (ends, guint64, i), offset_size);

  /* The variant takes its own reference to the bytes. */
  bytes = g_byte_array_free_to_bytes (out);
  return g_variant_new_from_bytes (G_VARIANT_TYPE ("a(sttt)"), bytes, TRUE);
}
