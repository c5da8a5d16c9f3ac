/* pal-counter-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-counter-table.h"

struct _PalCounterTable
{
  GObject           parent_instance;

  GHashTable       *counters;     /* char *id → PalCounter */
  guint             generation;
  PalCounterLayout *layout;       /* the ids of GetCounterValues */
  GPtrArray        *slots;        /* PalCounter *, per id of layout */
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
  g_clear_pointer (&self->layout, pal_counter_layout_free);
  g_clear_pointer (&self->slots, g_ptr_array_unref);

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
  self->layout = pal_counter_layout_new ();
  self->slots = g_ptr_array_new ();
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

/* The layout's ids changed: find or make each one's counter, and drop
 * the counters of rules no longer in the kernel. */
static void
relink (PalCounterTable *self,
        const guint64   *values)
{
  g_autoptr(GHashTable) counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = pal_counter_layout_get_size (self->layout);

  g_ptr_array_set_size (self->slots, n);
  for (guint i = 0; i < n; i++)
    {
      const char *id = pal_counter_layout_get_id (self->layout, i);
      gpointer key = NULL, counter = NULL;

      if (g_hash_table_steal_extended (self->counters, id, &key, &counter))
        g_hash_table_insert (counters, key, counter);
      else if ((counter = g_hash_table_lookup (counters, id)) == NULL)
        {
          /* A rule seen for the first time is not "changed": only movement is. */
          counter = g_new0 (PalCounter, 1);
          ((PalCounter *) counter)->packets = values[i * PAL_COUNTER_VALUES_PER_RULE];
          g_hash_table_insert (counters, g_strdup (id), counter);
        }
      g_ptr_array_index (self->slots, i) = counter;
    }
  g_hash_table_unref (self->counters);
  self->counters = g_steal_pointer (&counters);
}

guint64
pal_counter_table_get_layout (PalCounterTable *self)
{
  g_return_val_if_fail (PAL_IS_COUNTER_TABLE (self), 0);
  return pal_counter_layout_get_token (self->layout);
}

gboolean
pal_counter_table_update (PalCounterTable  *self,
                          GVariant         *reply,
                          gint64            now,
                          GError          **error)
{
  const guint64 *values = NULL;
  gboolean changed = FALSE;
  gssize n;

  g_return_val_if_fail (PAL_IS_COUNTER_TABLE (self), FALSE);
  g_return_val_if_fail (g_variant_is_of_type (reply, PAL_COUNTER_VALUES_VARIANT_TYPE), FALSE);

  n = pal_counter_layout_update (self->layout, reply, &values, &changed, error);
  if (n < 0)
    return FALSE;
  self->generation++;
  if (changed)
    relink (self, values);
  /* Updated in place, once a second: no allocation, no lookup by id, for
   * as long as the rules stay the same. */
  for (gssize i = 0; i < n; i++)
    {
      PalCounter *counter = g_ptr_array_index (self->slots, i);
      const guint64 *value = values + i * PAL_COUNTER_VALUES_PER_RULE;
      guint64 age_ms = value[2];

      if (counter->packets != value[0])
        counter->changed_in = self->generation;
      counter->packets = value[0];
      counter->bytes = value[1];
      counter->last_match = age_ms == PAL_COUNTER_NEVER
                            ? 0 : now - (gint64) MIN (age_ms, (guint64) now / 1000) * 1000;
    }
  g_signal_emit (self, signals[UPDATED], 0);
  return TRUE;
}

void
pal_counter_table_clear (PalCounterTable *self)
{
  g_return_if_fail (PAL_IS_COUNTER_TABLE (self));

  pal_counter_layout_reset (self->layout);
  g_ptr_array_set_size (self->slots, 0);
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
