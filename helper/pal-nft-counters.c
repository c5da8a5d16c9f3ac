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

/* numbers: packets, bytes, msecs (G_MAXUINT64: never matched). */
static void
append_entry (GByteArray    *out,
              const char    *id,
              const guint64 *numbers)
{
  gsize start = out->len;
  gsize text_end;

  g_byte_array_append (out, (const guint8 *) id, strlen (id) + 1);
  text_end = out->len - start;
  pad_to (out, 8);
  g_byte_array_append (out, (const guint8 *) numbers, 3 * sizeof (guint64));
  append_offset (out, text_end, offset_size_for (out->len - start, 1));
}

/* ------------------------------------------------------------ GetCounterValues */

typedef struct
{
  guint32 key;
  guint   slot;          /* index in ids; G_MAXUINT: not reported (no id) */
  char    id[40];
} Position;

struct _PalNftCounters
{
  guint64    layout;     /* the token of ids; 0: no hits */
  guint64    next;       /* the token of the next layout */
  GArray    *positions;  /* Position, per hit in the order of the dump they came from */
  GPtrArray *ids;        /* char *, once each, in key order */
};

PalNftCounters *
pal_nft_counters_new (void)
{
  PalNftCounters *self = g_new0 (PalNftCounters, 1);

  /* Random, so a client's token from before a restart of the helper is
   * not taken for the current one. */
  self->next = ((guint64) g_random_int () << 32) | g_random_int ();
  self->positions = g_array_new (FALSE, FALSE, sizeof (Position));
  self->ids = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
pal_nft_counters_free (PalNftCounters *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->positions);
  g_ptr_array_unref (self->ids);
  g_free (self);
}

/* Whether the hits are those of the last dump, key for key, in the same
 * order: the usual case, checked in a few microseconds per thousand. */
static gboolean
same_positions (PalNftCounters *self,
                GArray         *hits)
{
  if (hits->len != self->positions->len)
    return FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      const PalNftHit *hit = &g_array_index (hits, PalNftHit, i);
      const Position *position = &g_array_index (self->positions, Position, i);

      if (hit->key != position->key || strcmp (hit->id, position->id) != 0)
        return FALSE;
    }
  return TRUE;
}

static int
compare_by_key (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const PalNftHit *hits = user_data;
  const PalNftHit *x = &hits[*(const guint *) a], *y = &hits[*(const guint *) b];

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return strcmp (x->id, y->id);
}

static gboolean
same_ids (GPtrArray *a,
          GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

/* The ids in key order, each once, and where each hit adds up. */
static void
relayout (PalNftCounters *self,
          GArray         *hits)
{
  g_autoptr(GHashTable) slots = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *order = g_new (guint, MAX (hits->len, 1));

  g_array_set_size (self->positions, hits->len);
  for (guint i = 0; i < hits->len; i++)
    order[i] = i;
  g_qsort_with_data (order, hits->len, sizeof (guint), compare_by_key, hits->data);
  for (guint i = 0; i < hits->len; i++)
    {
      const PalNftHit *hit = &g_array_index (hits, PalNftHit, order[i]);
      Position *position = &g_array_index (self->positions, Position, order[i]);
      gpointer slot;

      position->key = hit->key;
      memcpy (position->id, hit->id, sizeof position->id);
      position->slot = G_MAXUINT;
      if (hit->id[0] == '\0')
        continue;
      if (!g_hash_table_lookup_extended (slots, hit->id, NULL, &slot))
        {
          slot = GUINT_TO_POINTER (ids->len);
          g_ptr_array_add (ids, g_strdup (hit->id));
          g_hash_table_insert (slots, g_ptr_array_index (ids, ids->len - 1), slot);
        }
      position->slot = GPOINTER_TO_UINT (slot);
    }
  /* The dump's order alone changed (the kernel's hash table grew): the
   * clients' ids are still right. */
  if (ids->len == 0)
    self->layout = 0;
  else if (self->layout == 0 || !same_ids (ids, self->ids))
    {
      /* 0 means "no hits": never a token. */
      if (self->next == 0)
        self->next++;
      self->layout = self->next++;
    }
  g_ptr_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);
}

/* The layout for these hits (kept when they are the last dump's), and
 * three numbers per id, summed over its hits: packets, bytes, and the
 * msecs of the latest match or G_MAXUINT64. */
static guint64 *
sum_values (PalNftCounters *self,
            GArray         *hits)
{
  guint n;
  guint64 *values;

  if (!same_positions (self, hits))
    relayout (self, hits);
  n = self->ids->len;
  values = g_new (guint64, 3 * (gsize) MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      values[3 * i] = 0;
      values[3 * i + 1] = 0;
      values[3 * i + 2] = G_MAXUINT64;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      const PalNftHit *hit = &g_array_index (hits, PalNftHit, i);
      guint slot = g_array_index (self->positions, Position, i).slot;
      guint64 *value;

      if (slot == G_MAXUINT)
        continue;
      value = values + 3 * (gsize) slot;
      value[0] += hit->packets;
      value[1] += hit->bytes;
      if (hit->matched)
        value[2] = MIN (value[2], hit->msecs);
    }
  return values;
}

GVariant *
pal_nft_counters_read (PalNftCounters *self,
                       GArray         *hits,
                       guint64         known)
{
  guint n;
  guint64 *values;
  g_autoptr(GBytes) bytes = NULL;
  GVariant *ids;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (hits != NULL, NULL);

  values = sum_values (self, hits);
  n = self->ids->len;
  bytes = g_bytes_new_take (values, 3 * (gsize) n * sizeof (guint64));
  if (known == self->layout && known != 0)
    ids = g_variant_new_strv (NULL, 0);
  else
    ids = g_variant_new_strv ((const char * const *) self->ids->pdata, n);
  return g_variant_new ("(t@as@at)", self->layout, ids,
                        g_variant_new_from_bytes (G_VARIANT_TYPE ("at"), bytes, TRUE));
}

/* GetCounters' a(sttt): an entry per id, in the order of the dump (where
 * each id first comes), with its hits summed. The layout says which hits
 * share an id: no hash of 100,000 ids on every call. */
GVariant *
pal_nft_counters_read_all (PalNftCounters *self,
                           GArray         *hits)
{
  g_autofree guint64 *values = NULL;
  g_autofree guint8 *written = NULL;
  g_autoptr(GArray) ends = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GByteArray *out;
  gsize offset_size;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (hits != NULL, NULL);

  values = sum_values (self, hits);
  written = g_new0 (guint8, MAX (self->ids->len, 1));
  ends = g_array_sized_new (FALSE, FALSE, sizeof (guint64), self->ids->len);
  out = g_byte_array_sized_new (self->ids->len * 72 + 16);
  for (guint i = 0; i < hits->len; i++)
    {
      guint slot = g_array_index (self->positions, Position, i).slot;
      guint64 end;

      if (slot == G_MAXUINT || written[slot])
        continue;
      written[slot] = TRUE;
      pad_to (out, 8);
      append_entry (out, g_ptr_array_index (self->ids, slot), values + 3 * (gsize) slot);
      end = out->len;
      g_array_append_val (ends, end);
    }
  offset_size = offset_size_for (out->len, ends->len);
  for (guint i = 0; i < ends->len; i++)
    append_offset (out, g_array_index (ends, guint64, i), offset_size);

  /* The variant takes its own reference to the bytes. */
  bytes = g_byte_array_free_to_bytes (out);
  return g_variant_new_from_bytes (G_VARIANT_TYPE ("a(sttt)"), bytes, TRUE);
}

GVariant *
pal_nft_counters_to_variant (GArray *hits)
{
  g_autoptr(PalNftCounters) counters = NULL;

  g_return_val_if_fail (hits != NULL, NULL);

  counters = pal_nft_counters_new ();
  return pal_nft_counters_read_all (counters, hits);
}
