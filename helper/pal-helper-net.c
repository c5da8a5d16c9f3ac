/* pal-helper-net.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-bridge.h"
#include "pal-helper-error.h"
#include "pal-helper-net.h"
#include "pal-link-monitor.h"
#include "pal-nflog-reader.h"
#include "pal-value.h"

#define FIREWALL1_INTERFACE "io.github.palisade.Firewall1"

struct _PalHelperNet
{
  GObject           parent_instance;

  PalDBusFirewall1 *object;      /* not a reference: it owns us */
  GMainContext     *context;

  /* Main context only. */
  PalLinkMonitor   *links;
  GError           *links_error;
  PalNflogReader   *log;
  GError           *log_error;
  GHashTable       *watchers;    /* unique bus name → name watch id */

  /* Any thread. */
  PalBridge        *bridge;      /* stateless: each call reads the kernel */
  gint              n_watchers;  /* atomic */
};

G_DEFINE_FINAL_TYPE (PalHelperNet, pal_helper_net, G_TYPE_OBJECT)

static void
pal_helper_net_dispose (GObject *object)
{
  PalHelperNet *self = PAL_HELPER_NET (object);

  if (self->object != NULL)
    g_signal_handlers_disconnect_by_data (self->object, self);
  self->object = NULL;
  if (self->links != NULL)
    g_signal_handlers_disconnect_by_data (self->links, self);
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->links);
  g_clear_object (&self->log);
  g_clear_pointer (&self->watchers, g_hash_table_unref);

  G_OBJECT_CLASS (pal_helper_net_parent_class)->dispose (object);
}

static void
pal_helper_net_finalize (GObject *object)
{
  PalHelperNet *self = PAL_HELPER_NET (object);

  g_clear_error (&self->links_error);
  g_clear_error (&self->log_error);
  g_clear_object (&self->bridge);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pal_helper_net_parent_class)->finalize (object);
}

static void
pal_helper_net_class_init (PalHelperNetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_helper_net_dispose;
  object_class->finalize = pal_helper_net_finalize;
}

static void
unwatch (gpointer data)
{
  g_bus_unwatch_name (GPOINTER_TO_UINT (data));
}

static void
pal_helper_net_init (PalHelperNet *self)
{
  self->watchers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unwatch);
  self->bridge = pal_bridge_new (NULL);
}

/* ------------------------------------------------------------ calls */

/* A method call GDBus gave a worker thread, finished in the main context. */
typedef void (*CallFunc) (PalHelperNet          *self,
                          GDBusMethodInvocation *invocation);

typedef struct
{
  PalHelperNet          *self;
  GDBusMethodInvocation *invocation;   /* owned until completed */
  CallFunc               func;
} Call;

static gboolean
call_in_main (gpointer data)
{
  Call *call = data;

  if (call->self->object == NULL)
    g_dbus_method_invocation_return_error_literal (call->invocation, PAL_HELPER_ERROR,
                                                   PAL_HELPER_ERROR_FAILED,
                                                   "palisade-helper is shutting down");
  else
    call->func (call->self, call->invocation);
  return G_SOURCE_REMOVE;
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_object_unref (call->self);
  g_free (call);
}

static gboolean
defer (PalHelperNet          *self,
       GDBusMethodInvocation *invocation,
       CallFunc               func)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->invocation = invocation;
  call->func = func;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, call_in_main, call, call_free);
  return TRUE;   /* handled: it is completed later */
}

static void
get_interfaces (PalHelperNet          *self,
                GDBusMethodInvocation *invocation)
{
  if (self->links == NULL)
    g_dbus_method_invocation_return_gerror (invocation, self->links_error);
  else
    pal_dbus_firewall1_complete_get_interfaces (self->object, invocation,
                                                pal_link_monitor_get_snapshot (self->links));
}

static void
get_log (PalHelperNet          *self,
         GDBusMethodInvocation *invocation)
{
  if (self->log == NULL)
    g_dbus_method_invocation_return_gerror (invocation, self->log_error);
  else
    pal_dbus_firewall1_complete_get_log (self->object, invocation,
                                         pal_nflog_reader_get_entries (self->log));
}

static void
forget_watcher (PalHelperNet *self,
                const char   *name)
{
  if (g_hash_table_remove (self->watchers, name))
    g_atomic_int_set (&self->n_watchers, g_hash_table_size (self->watchers));
}

static void
watcher_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  PalHelperNet *self = user_data;

  g_debug ("%s left the bus: no more log entries to it", name);
  forget_watcher (self, name);
}

static void
watch_log (PalHelperNet          *self,
           GDBusMethodInvocation *invocation)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  guint id;

  if (self->log == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, self->log_error);
      return;
    }
  if (sender == NULL || g_hash_table_contains (self->watchers, sender))
    {
      pal_dbus_firewall1_complete_watch_log (self->object, invocation);
      return;
    }
  if (g_hash_table_size (self->watchers) >= PAL_HELPER_NET_MAX_WATCHERS)
    {
      g_dbus_method_invocation_return_error (invocation, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                                             "%d programs already watch the log; try again later",
                                             PAL_HELPER_NET_MAX_WATCHERS);
      return;
    }
  /* In the main context, so vanishing is told here too. */
  id = g_bus_watch_name_on_connection (g_dbus_method_invocation_get_connection (invocation),
                                       sender, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                       NULL, watcher_vanished, self, NULL);
  g_hash_table_insert (self->watchers, g_strdup (sender), GUINT_TO_POINTER (id));
  g_atomic_int_set (&self->n_watchers, g_hash_table_size (self->watchers));
  pal_dbus_firewall1_complete_watch_log (self->object, invocation);
}

static void
unwatch_log (PalHelperNet          *self,
             GDBusMethodInvocation *invocation)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  if (sender != NULL)
    forget_watcher (self, sender);
  pal_dbus_firewall1_complete_unwatch_log (self->object, invocation);
}

static gboolean
on_handle_get_interfaces (PalDBusFirewall1      *object,
                          GDBusMethodInvocation *invocation,
                          PalHelperNet          *self)
{
  return defer (self, invocation, get_interfaces);
}

static gboolean
on_handle_get_log (PalDBusFirewall1      *object,
                   GDBusMethodInvocation *invocation,
                   PalHelperNet          *self)
{
  return defer (self, invocation, get_log);
}

static gboolean
on_handle_watch_log (PalDBusFirewall1      *object,
                     GDBusMethodInvocation *invocation,
                     PalHelperNet          *self)
{
  return defer (self, invocation, watch_log);
}

static gboolean
on_handle_unwatch_log (PalDBusFirewall1      *object,
                       GDBusMethodInvocation *invocation,
                       PalHelperNet          *self)
{
  return defer (self, invocation, unwatch_log);
}

/* ------------------------------------------------------------ signals */

static void
on_links_changed (PalLinkMonitor *links,
                  PalHelperNet   *self)
{
  pal_dbus_firewall1_emit_interfaces_changed (self->object, pal_link_monitor_get_snapshot (links));
}

/* Unicast: each watcher gets its own copy, nobody else any. */
static void
on_log_entries (PalNflogReader *log,
                GVariant       *batch,
                PalHelperNet   *self)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->object);
  GDBusConnection *connection = g_dbus_interface_skeleton_get_connection (skeleton);
  const char *path = g_dbus_interface_skeleton_get_object_path (skeleton);
  GHashTableIter iter;
  const char *name;

  if (connection == NULL || path == NULL)
    return;
  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      g_autoptr(GError) error = NULL;

      if (!g_dbus_connection_emit_signal (connection, name, path, FIREWALL1_INTERFACE, "LogEntries",
                                          g_variant_new ("(@a" PAL_LOG_ENTRY_TYPE_STRING ")", batch),
                                          &error))
        g_debug ("Log entries to %s: %s", name, error->message);
    }
}

/* ------------------------------------------------------------ object */

static void
open_kernel_sides (PalHelperNet *self)
{
  self->links = pal_link_monitor_new (&self->links_error);
  if (self->links != NULL)
    g_signal_connect (self->links, "changed", G_CALLBACK (on_links_changed), self);
  else
    g_message ("Interfaces cannot be listed: %s", self->links_error->message);

  self->log = pal_nflog_reader_new (&self->log_error);
  if (self->log != NULL)
    g_signal_connect (self->log, "entries", G_CALLBACK (on_log_entries), self);
  else
    g_message ("Packet logs cannot be read: %s", self->log_error->message);
}

PalHelperNet *
pal_helper_net_new (PalDBusFirewall1 *object)
{
  PalHelperNet *self;

  g_return_val_if_fail (PAL_DBUS_IS_FIREWALL1 (object), NULL);

  self = g_object_new (PAL_TYPE_HELPER_NET, NULL);
  self->object = object;
  self->context = g_main_context_ref_thread_default ();
  open_kernel_sides (self);
  g_signal_connect (object, "handle-get-interfaces", G_CALLBACK (on_handle_get_interfaces), self);
  g_signal_connect (object, "handle-get-log", G_CALLBACK (on_handle_get_log), self);
  g_signal_connect (object, "handle-watch-log", G_CALLBACK (on_handle_watch_log), self);
  g_signal_connect (object, "handle-unwatch-log", G_CALLBACK (on_handle_unwatch_log), self);
  return self;
}

/* ------------------------------------------------------------ any thread */

typedef struct
{
  PalHelperNet *self;
  PalLogKind    kind;
  GStrv         texts;
  GHashTable   *rules;
} Task;

static void
task_free (gpointer data)
{
  Task *task = data;

  g_object_unref (task->self);
  g_strfreev (task->texts);
  g_clear_pointer (&task->rules, g_hash_table_unref);
  g_free (task);
}

static gboolean
add_event_in_main (gpointer data)
{
  Task *task = data;

  for (guint i = 0; task->texts[i] != NULL; i++)
    {
      if (task->self->log != NULL)
        pal_nflog_reader_add_event (task->self->log, task->kind, task->texts[i]);
      else
        pal_log_event_to_journal (task->kind, task->texts[i]);
    }
  return G_SOURCE_REMOVE;
}

/* texts: taken. */
static void
add_events_later (PalHelperNet *self,
                  PalLogKind    kind,
                  GStrv         texts)
{
  Task *task = g_new0 (Task, 1);

  task->self = g_object_ref (self);
  task->kind = kind;
  task->texts = texts;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, add_event_in_main, task, task_free);
}

void
pal_helper_net_add_event (PalHelperNet *self,
                          PalLogKind    kind,
                          const char   *format,
                          ...)
{
  GStrv texts = g_new0 (char *, 2);
  va_list args;

  g_return_if_fail (PAL_IS_HELPER_NET (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  texts[0] = g_strdup_vprintf (format, args);
  va_end (args);
  add_events_later (self, kind, texts);
}

void
pal_helper_net_add_events (PalHelperNet       *self,
                           PalLogKind          kind,
                           const char * const *texts)
{
  g_return_if_fail (PAL_IS_HELPER_NET (self));
  g_return_if_fail (texts != NULL);

  add_events_later (self, kind, g_strdupv ((char **) texts));
}

static gboolean
set_rules_in_main (gpointer data)
{
  Task *task = data;

  if (task->self->log != NULL)
    pal_nflog_reader_set_rules (task->self->log, task->rules);
  return G_SOURCE_REMOVE;
}

void
pal_helper_net_set_log_rules (PalHelperNet *self,
                              GHashTable   *rules)
{
  Task *task;

  g_return_if_fail (PAL_IS_HELPER_NET (self));
  g_return_if_fail (rules != NULL);

  /* The reader lives in the main context. */
  task = g_new0 (Task, 1);
  task->self = g_object_ref (self);
  task->rules = g_hash_table_ref (rules);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, set_rules_in_main, task, task_free);
}

gboolean
pal_helper_net_check_bridge (PalHelperNet  *self,
                             PalDocument   *document,
                             GError       **error)
{
  g_auto(GStrv) ports = NULL;

  g_return_val_if_fail (PAL_IS_HELPER_NET (self), FALSE);
  g_return_val_if_fail (PAL_IS_DOCUMENT (document), FALSE);

  ports = pal_bridge_ports_from_document (document);
  return pal_bridge_check (self->bridge, (const char * const *) ports, error);
}

gboolean
pal_helper_net_apply_bridge (PalHelperNet  *self,
                             PalDocument   *document,
                             GError       **error)
{
  g_auto(GStrv) ports = NULL;
  g_auto(GStrv) missing = NULL;

  g_return_val_if_fail (PAL_IS_HELPER_NET (self), FALSE);
  g_return_val_if_fail (PAL_IS_DOCUMENT (document), FALSE);

  ports = pal_bridge_ports_from_document (document);
  if (!pal_bridge_apply (self->bridge, (const char * const *) ports, &missing, error))
    {
      g_prefix_error (error, "The rules were applied, but the bridge %s was not: ",
                      pal_bridge_get_name (self->bridge));
      return FALSE;
    }
  for (guint i = 0; missing[i] != NULL; i++)
    pal_helper_net_add_event (self, PAL_LOG_KIND_ERROR,
                              "%s is not here now: it was left out of the bridge %s",
                              missing[i], pal_bridge_get_name (self->bridge));
  return TRUE;
}

GStrv
pal_helper_net_dup_bridge_ports (PalHelperNet  *self,
                                 GError       **error)
{
  g_return_val_if_fail (PAL_IS_HELPER_NET (self), NULL);
  return pal_bridge_dup_ports (self->bridge, error);
}

gboolean
pal_helper_net_restore_bridge (PalHelperNet        *self,
                               const char * const  *ports,
                               GError             **error)
{
  g_auto(GStrv) missing = NULL;

  g_return_val_if_fail (PAL_IS_HELPER_NET (self), FALSE);

  if (!pal_bridge_apply (self->bridge, ports, &missing, error))
    return FALSE;
  for (guint i = 0; missing[i] != NULL; i++)
    pal_helper_net_add_event (self, PAL_LOG_KIND_ERROR,
                              "%s is not here now: it was left out of the bridge %s restored",
                              missing[i], pal_bridge_get_name (self->bridge));
  return TRUE;
}

void
pal_helper_net_applied (PalHelperNet *self,
                        PalDocument  *document)
{
  guint n_rules;

  g_return_if_fail (PAL_IS_HELPER_NET (self));
  g_return_if_fail (PAL_IS_DOCUMENT (document));

  n_rules = pal_document_count_rules (document);
  pal_helper_net_add_event (self, PAL_LOG_KIND_APPLIED,
                            n_rules == 1 ? "Applied a document of %u rule"
                                         : "Applied a document of %u rules", n_rules);
}

void
pal_helper_net_add_failure (PalHelperNet *self,
                            const char   *what,
                            const GError *error)
{
  g_return_if_fail (PAL_IS_HELPER_NET (self));
  g_return_if_fail (what != NULL);

  if (error == NULL)
    return;
  if (g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT))
    pal_helper_net_add_event (self, PAL_LOG_KIND_CONFLICT, "%s: %s", what, error->message);
  else if (!g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT)
           && !g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS)
           && !g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED)
           && !g_error_matches (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY)
           && error->domain != PAL_DOCUMENT_ERROR && error->domain != PAL_VALUE_ERROR)
    pal_helper_net_add_event (self, PAL_LOG_KIND_ERROR, "%s: %s", what, error->message);
}

gboolean
pal_helper_net_get_busy (PalHelperNet *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_NET (self), FALSE);
  return g_atomic_int_get (&self->n_watchers) > 0;
}
