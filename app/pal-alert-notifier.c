/* pal-alert-notifier.c — desktop notifications for the alert action.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-alert-notifier.h"

struct _PalAlertNotifier
{
  GObject     parent_instance;

  GHashTable *last_sent;   /* rule key → monotonic time (gint64 *) */
  char       *last_body;
};

G_DEFINE_FINAL_TYPE (PalAlertNotifier, pal_alert_notifier, G_TYPE_OBJECT)

static void
pal_alert_notifier_finalize (GObject *object)
{
  PalAlertNotifier *self = PAL_ALERT_NOTIFIER (object);

  g_hash_table_unref (self->last_sent);
  g_free (self->last_body);
  G_OBJECT_CLASS (pal_alert_notifier_parent_class)->finalize (object);
}

static void
pal_alert_notifier_class_init (PalAlertNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_alert_notifier_finalize;
}

static void
pal_alert_notifier_init (PalAlertNotifier *self)
{
  self->last_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

PalAlertNotifier *
pal_alert_notifier_new (void)
{
  return g_object_new (PAL_TYPE_ALERT_NOTIFIER, NULL);
}

/* A rule the helper could not name is told apart by its parameter. */
static char *
rule_key (PalLogItem *item)
{
  const char *id = pal_log_item_get_rule_id (item);

  return *id != '\0' ? g_strdup (id) : g_strconcat ("text:", pal_log_item_get_text (item), NULL);
}

static gboolean
rate_allows (PalAlertNotifier *self,
             const char       *key)
{
  gint64 now = g_get_monotonic_time ();
  gint64 *last = g_hash_table_lookup (self->last_sent, key);

  if (last != NULL && now - *last < PAL_ALERT_NOTIFIER_INTERVAL * G_USEC_PER_SEC)
    return FALSE;
  g_hash_table_insert (self->last_sent, g_strdup (key), g_memdup2 (&now, sizeof now));
  return TRUE;
}

gboolean
pal_alert_notifier_handle (PalAlertNotifier *self,
                           GApplication     *application,
                           PalLogItem       *item)
{
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GNotification) notification = NULL;

  g_return_val_if_fail (PAL_IS_ALERT_NOTIFIER (self), FALSE);
  g_return_val_if_fail (PAL_IS_LOG_ITEM (item), FALSE);

  if (!g_str_equal (pal_log_item_get_kind (item), "alert"))
    return FALSE;
  key = rule_key (item);
  if (!rate_allows (self, key))
    return FALSE;

  g_free (self->last_body);
  /* Translators: an alert notification: the alert rule's text, then the
   * packet's source and destination addresses */
  self->last_body = g_strdup_printf (_("Palisade alert: %s — %s → %s"),
                                     pal_log_item_get_text (item),
                                     pal_log_item_get_source (item),
                                     pal_log_item_get_destination (item));
  /* Without a session bus nothing could show it (GLib's backends would
   * complain): the alert stays in the log drawer. */
  if (application == NULL || g_application_get_dbus_connection (application) == NULL)
    return TRUE;
  notification = g_notification_new (self->last_body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  id = g_strconcat ("alert-", key, NULL);
  g_application_send_notification (application, id, notification);
  return TRUE;
}

const char *
pal_alert_notifier_get_last_body (PalAlertNotifier *self)
{
  g_return_val_if_fail (PAL_IS_ALERT_NOTIFIER (self), NULL);
  return self->last_body;
}
