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
  GHashTable *known;    /* address → when it was added (gint64 *); NULL before the first look */
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

/* Whether known said otherwise of entry: then it is news. */
static gboolean
is_news (GHashTable              *known,
         const PalTriggeredEntry *entry)
{
  const gint64 *when = g_hash_table_lookup (known, entry->address);

  return when == NULL || *when != entry->when;
}

static void
learn (GHashTable              *table,
       const PalTriggeredEntry *entry)
{
  g_hash_table_replace (table, g_strdup (entry->address), g_memdup2 (&entry->when, sizeof entry->when));
}

static void
tell_banned (const PalTriggeredEntry *entry,
             PalBanEventFunc          func,
             gpointer                 data)
{
  g_autofree char *text = banned_text (entry);

  func (PAL_LOG_KIND_BANNED, text, data);
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

      if (self->known != NULL && is_news (self->known, entry))
        tell_banned (entry, func, data);
      learn (now, entry);
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

void
pal_ban_events_added (PalBanEvents    *self,
                      GPtrArray       *added,
                      PalBanEventFunc  func,
                      gpointer         data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (added != NULL);

  /* After a look that may have listed the sets before this addition, not
   * in the middle of it: that look would take these for gone. */
  g_mutex_lock (&self->look_lock);
  g_mutex_lock (&self->lock);
  for (guint i = 0; self->known != NULL && i < added->len; i++)
    {
      const PalTriggeredEntry *entry = g_ptr_array_index (added, i);

      if (!is_news (self->known, entry))
        continue;   /* a look saw it already */
      tell_banned (entry, func, data);
      learn (self->known, entry);
    }
  g_mutex_unlock (&self->lock);
  g_mutex_unlock (&self->look_lock);
}
