/* pal-link-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <linux/rtnetlink.h>

#include "pal-link-monitor.h"
#include "pal-rtnl.h"

/* When reading the list fails (it kept changing), try again this soon. */
#define RETRY_MSECS 250

struct _PalLinkMonitor
{
  GObject     parent_instance;

  PalRtnl    *requests;
  PalRtnl    *events;
  GListStore *links;
  GSource    *event_source;
  GSource    *retry_source;
};

G_DEFINE_FINAL_TYPE (PalLinkMonitor, pal_link_monitor, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
pal_link_monitor_dispose (GObject *object)
{
  PalLinkMonitor *self = PAL_LINK_MONITOR (object);

  if (self->event_source != NULL)
    g_source_destroy (self->event_source);
  g_clear_pointer (&self->event_source, g_source_unref);
  if (self->retry_source != NULL)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);

  G_OBJECT_CLASS (pal_link_monitor_parent_class)->dispose (object);
}

static void
pal_link_monitor_finalize (GObject *object)
{
  PalLinkMonitor *self = PAL_LINK_MONITOR (object);

  g_clear_pointer (&self->requests, pal_rtnl_free);
  g_clear_pointer (&self->events, pal_rtnl_free);
  g_clear_object (&self->links);

  G_OBJECT_CLASS (pal_link_monitor_parent_class)->finalize (object);
}

static void
pal_link_monitor_class_init (PalLinkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_link_monitor_dispose;
  object_class->finalize = pal_link_monitor_finalize;

  /**
   * PalLinkMonitor::changed:
   *
   * The list of interfaces, or something about one, changed; the model
   * and the snapshot already show it.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
pal_link_monitor_init (PalLinkMonitor *self)
{
  self->links = g_list_store_new (PAL_TYPE_LINK);
}

static gboolean
same_link_at (GListModel *model,
              guint       position,
              PalLink    *link)
{
  g_autoptr(PalLink) old = g_list_model_get_item (model, position);

  return pal_link_equal (old, link);
}

/* Replaces only the run between the unchanged head and tail, so a view
 * keeps its rows (and selection) for the interfaces that did not change.
 * Returns whether anything changed. */
static gboolean
update_links (PalLinkMonitor *self,
              GPtrArray      *links)
{
  GListModel *model = G_LIST_MODEL (self->links);
  guint old_n = g_list_model_get_n_items (model);
  guint head = 0;
  guint tail = 0;

  while (head < old_n && head < links->len && same_link_at (model, head, links->pdata[head]))
    head++;
  while (tail < old_n - head && tail < links->len - head
         && same_link_at (model, old_n - 1 - tail, links->pdata[links->len - 1 - tail]))
    tail++;
  if (head == old_n && head == links->len)
    return FALSE;
  g_list_store_splice (self->links, head, old_n - head - tail,
                       links->pdata + head, links->len - head - tail);
  return TRUE;
}

gboolean
pal_link_monitor_refresh (PalLinkMonitor  *self,
                          GError         **error)
{
  g_autoptr(GPtrArray) links = NULL;

  g_return_val_if_fail (PAL_IS_LINK_MONITOR (self), FALSE);

  links = pal_rtnl_dump_links (self->requests, error);
  if (links == NULL)
    return FALSE;
  if (update_links (self, links))
    g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static gboolean retry_cb (gpointer user_data);

static void
refresh_or_retry (PalLinkMonitor *self)
{
  g_autoptr(GError) error = NULL;

  if (pal_link_monitor_refresh (self, &error) || self->retry_source != NULL)
    return;
  g_debug ("Reading the interfaces again soon: %s", error->message);
  self->retry_source = g_timeout_source_new (RETRY_MSECS);
  g_source_set_callback (self->retry_source, retry_cb, self, NULL);
  g_source_set_static_name (self->retry_source, "PalLinkMonitor retry");
  g_source_attach (self->retry_source, g_main_context_get_thread_default ());
}

static gboolean
retry_cb (gpointer user_data)
{
  PalLinkMonitor *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  refresh_or_retry (self);
  return G_SOURCE_REMOVE;
}

static gboolean
events_cb (gint         fd,
           GIOCondition condition,
           gpointer     user_data)
{
  PalLinkMonitor *self = user_data;

  if (pal_rtnl_drain (self->events))
    refresh_or_retry (self);
  return G_SOURCE_CONTINUE;
}

PalLinkMonitor *
pal_link_monitor_new (GError **error)
{
  g_autoptr(PalLinkMonitor) self = g_object_new (PAL_TYPE_LINK_MONITOR, NULL);
  guint groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;

  /* Listening before the first dump, so no change falls in between. */
  self->events = pal_rtnl_new (groups, error);
  if (self->events == NULL)
    return NULL;
  self->requests = pal_rtnl_new (0, error);
  if (self->requests == NULL || !pal_link_monitor_refresh (self, error))
    return NULL;
  self->event_source = g_unix_fd_source_new (pal_rtnl_get_fd (self->events), G_IO_IN);
  g_source_set_callback (self->event_source, G_SOURCE_FUNC (events_cb), self, NULL);
  g_source_set_static_name (self->event_source, "PalLinkMonitor");
  g_source_attach (self->event_source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

GListModel *
pal_link_monitor_get_links (PalLinkMonitor *self)
{
  g_return_val_if_fail (PAL_IS_LINK_MONITOR (self), NULL);
  return G_LIST_MODEL (self->links);
}

PalLink *
pal_link_monitor_lookup (PalLinkMonitor *self,
                         const char     *name)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (PAL_IS_LINK_MONITOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  model = G_LIST_MODEL (self->links);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalLink) link = g_list_model_get_item (model, i);

      /* The store keeps its reference: returning a borrowed pointer is safe. */
      if (g_str_equal (pal_link_get_name (link), name))
        return link;
    }
  return NULL;
}

PalLink *
pal_link_monitor_lookup_index (PalLinkMonitor *self,
                               guint           index)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (PAL_IS_LINK_MONITOR (self), NULL);

  model = G_LIST_MODEL (self->links);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalLink) link = g_list_model_get_item (model, i);

      if (pal_link_get_index (link) == index)
        return link;
    }
  return NULL;
}

GVariant *
pal_link_monitor_get_snapshot (PalLinkMonitor *self)
{
  GVariantBuilder builder;
  GListModel *model;
  guint n;

  g_return_val_if_fail (PAL_IS_LINK_MONITOR (self), NULL);

  model = G_LIST_MODEL (self->links);
  n = g_list_model_get_n_items (model);
  g_variant_builder_init (&builder, G_VARIANT_TYPE (PAL_LINK_MONITOR_SNAPSHOT_TYPE_STRING));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalLink) link = g_list_model_get_item (model, i);

      g_variant_builder_add_value (&builder, pal_link_to_variant (link));
    }
  return g_variant_builder_end (&builder);
}
