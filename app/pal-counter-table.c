/* pal-counter-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-counter-table.h"

struct _PalCounterTable
{
  GObject     parent_instance;

  GHashTable *counters;     /* char *id → PalCounter */
  guint       generation;
};

G_DEFINE_FINAL_TYPE (PalCounterTable, pal_counter_table, G_TYPE_OBJECT)

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pal_counter_table_finalize (GObject *object)
{
  PalCounterTable *self = PAL_COUNTER_TABLE (object);

  g_clear_pointer (&self->counters, g_hash_table_unref);

  G_OBJECT_CLASS (pal_counter_table_parent_class)->finalize (object);
}

static void
pal_counter_table_class_init (PalCounterTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pal_counter_table_finalize;

  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pal_counter_table_init (PalCounterTable *self)
{
  self->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

PalCounterTable *
pal_counter_table_new (void)
{
  return g_object_new (PAL_TYPE_COUNTER_TABLE, NULL);
}

const PalCounter *
pal_counter_table_lookup (PalCounterTable *self,
                          const char      *rule_id)
{
  g_return_val_if_fail (PAL_IS_COUNTER_TABLE (self), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  return g_hash_table_lookup (self->counters, rule_id);
}

static gboolean
is_stale (gpointer key,
          gpointer value,
          gpointer user_data)
{
  const PalCounter *counter = value;

  return counter->seen_in != GPOINTER_TO_UINT (user_data);
}

void
pal_counter_table_update (PalCounterTable *self,
                          GVariant        *counters,
                          gint64           now)
{
  GVariantIter iter;
  const char *id;
  guint64 packets, bytes, age_ms;

  g_return_if_fail (PAL_IS_COUNTER_TABLE (self));
  g_return_if_fail (g_variant_is_of_type (counters, G_VARIANT_TYPE ("a(sttt)")));

  /* Updated in place, once a second: no allocation for a rule that was
   * there before, which is every rule but the newly applied ones. */
  self->generation++;
  g_variant_iter_init (&iter, counters);
  while (g_variant_iter_next (&iter, "(&sttt)", &id, &packets, &bytes, &age_ms))
    {
      PalCounter *counter = g_hash_table_lookup (self->counters, id);

      if (counter == NULL)
        {
          /* A rule seen for the first time is not "changed": only movement is. */
          counter = g_new0 (PalCounter, 1);
          counter->packets = packets;
          g_hash_table_insert (self->counters, g_strdup (id), counter);
        }
      if (counter->packets != packets)
        counter->changed_in = self->generation;
      counter->packets = packets;
      counter->bytes = bytes;
      counter->last_match = age_ms == PAL_COUNTER_NEVER
                            ? 0 : now - (gint64) MIN (age_ms, (guint64) now / 1000) * 1000;
      counter->seen_in = self->generation;
    }
  /* Rules no longer in the kernel have no counter. */
  g_hash_table_foreach_remove (self->counters, is_stale, GUINT_TO_POINTER (self->generation));
  g_signal_emit (self, signals[UPDATED], 0);
}

void
pal_counter_table_clear (PalCounterTable *self)
{
  g_return_if_fail (PAL_IS_COUNTER_TABLE (self));

  if (g_hash_table_size (self->counters) == 0)
    return;
  g_hash_table_remove_all (self->counters);
  self->generation++;
  g_signal_emit (self, signals[UPDATED], 0);
}

guint
pal_counter_table_get_generation (PalCounterTable *self)
{
  g_return_val_if_fail (PAL_IS_COUNTER_TABLE (self), 0);
  return self->generation;
}

guint
pal_counter_table_get_size (PalCounterTable *self)
{
  g_return_val_if_fail (PAL_IS_COUNTER_TABLE (self), 0);
  return g_hash_table_size (self->counters);
}

char *
pal_counter_format_packets (guint64 packets)
{
  /* %' groups digits the locale's way: 1,234,567. */
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, packets);
}

char *
pal_counter_format_bytes (guint64 bytes)
{
  return g_format_size (bytes);
}

char *
pal_counter_format_last (gint64 last_match,
                         gint64 now)
{
  gint64 seconds;

  if (last_match == 0)
    return g_strdup (_("never"));

  seconds = MAX (0, now - last_match) / G_USEC_PER_SEC;
  if (seconds < 60)
    return g_strdup_printf (_("%d s ago"), (int) seconds);
  if (seconds < 60 * 60)
    return g_strdup_printf (_("%d min ago"), (int) (seconds / 60));
  if (seconds < 24 * 60 * 60)
    return g_strdup_printf (_("%d h ago"), (int) (seconds / 3600));
  return g_strdup_printf (_("%d d ago"), (int) (seconds / 86400));
}
