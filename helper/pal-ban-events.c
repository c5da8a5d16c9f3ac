/* pal-ban-events.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-ban-events.h"
#include "pal-value.h"

struct _PalBanEvents
{
  GMutex      lock;
  GMutex      look_lock; /* a look: its list and its comparison */
  GHashTable *known;    /* address → when it was added, as text; NULL before the first look */
};

PalBanEvents *
pal_ban_events_new (void)
{
  PalBanEvents *self = g_new0 (PalBanEvents, 1);

  g_mutex_init (&self->lock);
  g_mutex_init (&self->look_lock);
  return self;
}

void
pal_ban_events_free (PalBanEvents *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->look_lock);
  g_free (self);
}

static char *
banned_text (const PalTriggeredEntry *entry)
{
  g_autofree char *length = NULL;
  g_autofree char *duration = NULL;

  if (entry->timeout == G_MAXUINT64)
    length = g_strdup ("until removed");
  else
    {
      duration = pal_duration_print (entry->timeout);
      length = g_strdup_printf ("for %s", duration);
    }
  if (entry->reason == NULL || *entry->reason == '\0')
    return g_strdup_printf ("Banned %s %s (by a Trigger rule)", entry->address, length);
  return g_strdup_printf ("Banned %s %s: %s", entry->address, length, entry->reason);
}

void
pal_ban_events_update (PalBanEvents    *self,
                       GPtrArray       *entries,
                       gboolean         expired,
                       PalBanEventFunc  func,
                       gpointer         data)
{
  g_autoptr(GHashTable) now = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer address;

  g_return_if_fail (self != NULL);
  g_return_if_fail (entries != NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < entries->len; i++)
    {
      const PalTriggeredEntry *entry = g_ptr_array_index (entries, i);
      char *when = g_strdup_printf ("%" G_GINT64_FORMAT, entry->when);

      if (self->known != NULL && g_strcmp0 (g_hash_table_lookup (self->known, entry->address), when) != 0)
        {
          g_autofree char *text = banned_text (entry);

          func (PAL_LOG_KIND_BANNED, text, data);
        }
      g_hash_table_replace (now, g_strdup (entry->address), when);
    }
  g_hash_table_iter_init (&iter, self->known != NULL ? self->known : now);
  while (self->known != NULL && g_hash_table_iter_next (&iter, &address, NULL))
    if (!g_hash_table_contains (now, address))
      {
        g_autofree char *text = g_strdup_printf (expired ? "Unbanned %s: its ban ran out" : "Unbanned %s",
                                                 (const char *) address);

        func (PAL_LOG_KIND_UNBANNED, text, data);
      }
  g_clear_pointer (&self->known, g_hash_table_unref);
  self->known = g_steal_pointer (&now);
  g_mutex_unlock (&self->lock);
}

gboolean
pal_ban_events_look (PalBanEvents    *self,
                     PalTriggered    *triggered,
                     gboolean         expired,
                     PalBanEventFunc  func,
                     gpointer         data)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (PAL_IS_TRIGGERED (triggered), FALSE);

  /* Listing and comparing in one turn, or an older list could come last. */
  g_mutex_lock (&self->look_lock);
  entries = pal_triggered_list (triggered, NULL);
  if (entries != NULL)
    pal_ban_events_update (self, entries, expired, func, data);
  g_mutex_unlock (&self->look_lock);
  return entries != NULL;
}
