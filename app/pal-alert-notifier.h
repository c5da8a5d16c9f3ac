/* pal-alert-notifier.h — desktop notifications for the alert action.
 *
 * Entries of kind "alert" (NFLOG group 2) become a GNotification through
 * the application, at most one per rule every PAL_ALERT_NOTIFIER_INTERVAL
 * seconds: a flood must not bury the desktop in bubbles. The notification's
 * id names the rule, so windows watching the same log replace each other's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-log-item.h"

G_BEGIN_DECLS

#define PAL_ALERT_NOTIFIER_INTERVAL 10   /* seconds */

#define PAL_TYPE_ALERT_NOTIFIER (pal_alert_notifier_get_type ())
G_DECLARE_FINAL_TYPE (PalAlertNotifier, pal_alert_notifier, PAL, ALERT_NOTIFIER, GObject)

PalAlertNotifier *pal_alert_notifier_new (void);
/* Sends a notification for item through application when it is an alert
 * and its rule has not notified in the interval; TRUE when it sent one. */
gboolean          pal_alert_notifier_handle (PalAlertNotifier *self,
                                             GApplication     *application,
                                             PalLogItem       *item);
/* The last notification's title and body, for tests. */
const char       *pal_alert_notifier_get_last_body (PalAlertNotifier *self);

G_END_DECLS
