/* pal-triggered-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-triggered-item.h"
#include "pal-value.h"

struct _PalTriggeredItem
{
  GObject  parent_instance;

  char    *address;
  char    *reason;
  gint64   when;
  gint64   expires;   /* monotonic µs; G_MAXINT64 = never */
};

G_DEFINE_FINAL_TYPE (PalTriggeredItem, pal_triggered_item, G_TYPE_OBJECT)

static void
pal_triggered_item_finalize (GObject *object)
{
  PalTriggeredItem *self = PAL_TRIGGERED_ITEM (object);

  g_free (self->address);
  g_free (self->reason);

  G_OBJECT_CLASS (pal_triggered_item_parent_class)->finalize (object);
}

static void
pal_triggered_item_class_init (PalTriggeredItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_triggered_item_finalize;
}

static void
pal_triggered_item_init (PalTriggeredItem *self)
{
}

PalTriggeredItem *
pal_triggered_item_new (const char *address,
                        guint64     seconds_left,
                        const char *reason,
                        gint64      when)
{
  PalTriggeredItem *self = g_object_new (PAL_TYPE_TRIGGERED_ITEM, NULL);

  self->address = g_strdup (address);
  self->reason = g_strdup (reason);
  self->when = when;
  self->expires = seconds_left == G_MAXUINT64 || seconds_left > G_MAXINT32
                  ? G_MAXINT64
                  : g_get_monotonic_time () + (gint64) seconds_left * G_USEC_PER_SEC;
  return self;
}

const char *
pal_triggered_item_get_address (PalTriggeredItem *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_ITEM (self), NULL);
  return self->address;
}

const char *
pal_triggered_item_get_reason (PalTriggeredItem *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_ITEM (self), NULL);
  return self->reason;
}

gint64
pal_triggered_item_get_when (PalTriggeredItem *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_ITEM (self), 0);
  return self->when;
}

guint64
pal_triggered_item_get_seconds_left (PalTriggeredItem *self)
{
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (PAL_IS_TRIGGERED_ITEM (self), 0);

  if (self->expires == G_MAXINT64)
    return G_MAXUINT64;
  if (self->expires <= now)
    return 0;
  return (guint64) ((self->expires - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

char *
pal_triggered_item_format_left (PalTriggeredItem *self)
{
  guint64 left = pal_triggered_item_get_seconds_left (self);

  if (left == G_MAXUINT64)
    return g_strdup (_("forever"));
  if (left == 0)
    return g_strdup (_("expired"));
  return pal_duration_print (left);
}
