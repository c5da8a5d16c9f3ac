/* pal-helper-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-apply-guard.h"
#include "pal-document-variant.h"
#include "pal-helper-error.h"
#include "pal-helper-net.h"
#include "pal-helper-service.h"
#include "pal-other-tables.h"
#include "pal-helper-triggered.h"
#include "pal-problem.h"
#include "pal-validator.h"
#include "pal-value.h"

#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

/* An InvalidDocument message lists the problems; a hostile document must
 * not make it megabytes long. */
#define MAX_REPORTED_PROBLEMS 50

struct _PalHelperService
{
  PalDBusFirewall1Skeleton  parent_instance;

  PalFirewall              *firewall;
  PalAuthorizer            *authorizer;
  GMainContext             *main_context;
  /* Interfaces, the log and the bridge (its own methods and signals). */
  PalHelperNet             *net;
  /* Triggered and trusted addresses (their own methods and signal). */
  PalHelperTriggered       *triggered;
  /* Apply with confirmation: Confirm() and the rollback. */
  PalApplyGuard            *guard;

  /* Held while PalFirewall is in use: it serves one caller at a time. */
  GMutex                    kernel_lock;
  /* Held for a whole Apply, so a second one is refused (Busy) rather than
   * queued behind the first. */
  GMutex                    apply_lock;

  /* The bridge's ports before a change that waits for its confirmation,
   * for its rollback; NULL when there is none. */
  GMutex                    bridge_lock;
  GStrv                     bridge_before;

  GMutex                    activity_lock;
  guint                     n_calls;
  gint64                    last_activity;
};

static void pal_helper_service_firewall1_init (PalDBusFirewall1Iface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PalHelperService, pal_helper_service, PAL_DBUS_TYPE_FIREWALL1_SKELETON,
                               G_IMPLEMENT_INTERFACE (PAL_DBUS_TYPE_FIREWALL1,
                                                      pal_helper_service_firewall1_init))

/* ------------------------------------------------------------ activity */

static void
touch (PalHelperService *self,
       int               delta)
{
  g_mutex_lock (&self->activity_lock);
  self->n_calls += delta;
  self->last_activity = g_get_monotonic_time ();
  g_mutex_unlock (&self->activity_lock);
}

void
pal_helper_service_shutdown (PalHelperService *self)
{
  g_return_if_fail (PAL_IS_HELPER_SERVICE (self));

  if (self->guard != NULL)
    pal_apply_guard_shutdown (self->guard);
}

gboolean
pal_helper_service_get_busy (PalHelperService *self)
{
  gboolean busy;

  g_return_val_if_fail (PAL_IS_HELPER_SERVICE (self), FALSE);

  g_mutex_lock (&self->activity_lock);
  busy = self->n_calls > 0;
  g_mutex_unlock (&self->activity_lock);
  /* A program following the log would lose it if we exited. */
  /* A change waiting for its confirmation must be rolled back by us. */
  if (self->guard != NULL && pal_apply_guard_get_busy (self->guard))
    return TRUE;
  /* The adaptive firewall must keep reading failed logins. */
  if (self->triggered != NULL && pal_helper_triggered_get_busy (self->triggered))
    return TRUE;
  return busy || (self->net != NULL && pal_helper_net_get_busy (self->net));
}

gint64
pal_helper_service_get_last_activity (PalHelperService *self)
{
  gint64 last;

  g_return_val_if_fail (PAL_IS_HELPER_SERVICE (self), 0);

  g_mutex_lock (&self->activity_lock);
  last = self->last_activity;
  g_mutex_unlock (&self->activity_lock);
  return last;
}

/* ------------------------------------------------------------ helpers */

/* Callers see only our own error names: anything else (a GIOError from the
 * kernel side, a document error) becomes the closest helper error, its
 * sentence kept. */
static void
return_error (GDBusMethodInvocation *invocation,
              GError                *error)
{
  int code = PAL_HELPER_ERROR_FAILED;

  if (error == NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, PAL_HELPER_ERROR, code,
                                                     "Internal error: the kernel side failed without a reason");
      return;
    }
  if (error->domain == PAL_HELPER_ERROR)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  if (error->domain == PAL_DOCUMENT_ERROR || error->domain == PAL_VALUE_ERROR)
    code = PAL_HELPER_ERROR_INVALID_DOCUMENT;
  g_dbus_method_invocation_return_error_literal (invocation, PAL_HELPER_ERROR, code, error->message);
}

/* Called with kernel_lock held, after every use of the firewall, so the
 * properties never lag behind what a caller just did. */
static void
refresh_properties_locked (PalHelperService *self)
{
  PalDBusFirewall1 *object = PAL_DBUS_FIREWALL1 (self);

  pal_dbus_firewall1_set_enabled (object, pal_firewall_get_enabled (self->firewall));
  pal_dbus_firewall1_set_generation (object, pal_firewall_get_generation (self->firewall));
}

static gboolean
refresh_properties_if_idle (gpointer user_data)
{
  PalHelperService *self = user_data;

  /* If a call holds the lock, it refreshes them itself when it is done. */
  if (g_mutex_trylock (&self->kernel_lock))
    {
      refresh_properties_locked (self);
      g_mutex_unlock (&self->kernel_lock);
    }
  return G_SOURCE_REMOVE;
}

/* May run in any thread, even inside pal_firewall_apply() with the lock held. */
static void
on_firewall_changed (PalFirewall      *firewall,
                     guint             generation,
                     const char       *program,
                     PalHelperService *self)
{
  g_autofree char *valid_program = g_utf8_make_valid (program != NULL ? program : "", -1);

  pal_dbus_firewall1_emit_changed (PAL_DBUS_FIREWALL1 (self), generation, valid_program);
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, refresh_properties_if_idle,
                              g_object_ref (self), g_object_unref);
}

/* What the keys of the log prefixes name, from the table as it is now:
 * after an Apply, a rollback, and at the start (a table applied before).
 * Handed over with the lock held, so maps reach the reader in the order
 * the table changed. */
static void
refresh_log_rules (PalHelperService *self)
{
  g_autoptr(GHashTable) rules = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->kernel_lock);
  rules = pal_firewall_map_log_rules (self->firewall, &error);
  if (rules != NULL)
    pal_helper_net_set_log_rules (self->net, rules);
  g_mutex_unlock (&self->kernel_lock);
  if (rules == NULL)
    g_debug ("Log entries cannot name their rules: %s", error->message);
}

static void
refresh_log_rules_in_thread (GTask        *task,
                             gpointer      source,
                             gpointer      data,
                             GCancellable *cancellable)
{
  refresh_log_rules (source);
}

/* The same off the main context: it may have to read the whole table
 * (a helper just started, a table restored), which takes seconds for
 * 100,000 rules. */
static void
refresh_log_rules_later (PalHelperService *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_run_in_thread (task, refresh_log_rules_in_thread);
}

/* Banned and unbanned addresses, from any thread, into the log. */
static void
on_triggered_events (PalHelperTriggered  *triggered,
                     int                  kind,
                     const char * const  *texts,
                     PalHelperService    *self)
{
  pal_helper_net_add_events (self->net, kind, texts);
}

/* The rollback after an unconfirmed Apply undoes a change of the table:
 * refresh what the properties say, and what the log's keys name. */
static void
on_rolled_back (PalApplyGuard    *guard,
                const char       *reason,
                PalHelperService *self)
{
  g_auto(GStrv) ports = NULL;
  g_autoptr(GError) error = NULL;

  refresh_properties_if_idle (self);
  refresh_log_rules_later (self);
  g_mutex_lock (&self->bridge_lock);
  ports = g_steal_pointer (&self->bridge_before);
  g_mutex_unlock (&self->bridge_lock);
  if (ports != NULL && !pal_helper_net_restore_bridge (self->net, (const char * const *) ports, &error))
    pal_helper_net_add_failure (self->net, "Restoring the bridge in the rollback", error);
}

static gboolean
check_apply_options (GVariant  *options,
                     guint     *confirm_timeout,
                     GError   **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  *confirm_timeout = 0;
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr(GVariant) owned = value;

      if (g_str_equal (key, "confirm-timeout"))
        {
          if (!pal_apply_guard_parse_timeout (value, confirm_timeout, error))
            return FALSE;
          continue;
        }
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "Apply option \"%.64s\" is not one this helper knows", key);
      return FALSE;
    }
  return TRUE;
}

static void
set_problems_error (GPtrArray  *problems,
                    GError    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < problems->len && i < MAX_REPORTED_PROBLEMS; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), NULL);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  if (problems->len > MAX_REPORTED_PROBLEMS)
    g_string_append_printf (text, "\n… and %u more problems", problems->len - MAX_REPORTED_PROBLEMS);
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT, text->str);
}

/* Everything about the document is checked before the kernel is touched:
 * by the firewall, which checks again only the rules that changed since
 * the last apply (a full check of 10,000 rules, every value parsed, cost
 * more than the whole apply of one changed rule after it). */
static PalDocument *
decode_document (PalHelperService  *self,
                 GVariant          *variant,
                 GError           **error)
{
  g_autoptr(PalDocument) document = pal_document_from_variant (variant, error);
  g_autoptr(GPtrArray) problems = NULL;

  if (document == NULL)
    return NULL;
  problems = pal_firewall_validate (self->firewall, document);
  if (problems->len > 0)
    {
      set_problems_error (problems, error);
      return NULL;
    }
  return g_steal_pointer (&document);
}

/* ------------------------------------------------------------ methods */

static gboolean
apply_document (PalHelperService       *self,
                PalDocument            *document,
                GDBusMethodInvocation  *invocation,
                guint                   confirm_timeout,
                GError                **error)
{
  gboolean applied;

  if (!g_mutex_trylock (&self->apply_lock))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                           "Another document is being applied; try again when it is done");
      return FALSE;
    }
  /* Interfaces that cannot be bridged refuse the Apply before anything changes. */
  if (!pal_helper_net_check_bridge (self->net, document, error))
    {
      g_mutex_unlock (&self->apply_lock);
      return FALSE;
    }
  if (!pal_apply_guard_prepare (self->guard, confirm_timeout, error))
    {
      g_mutex_unlock (&self->apply_lock);
      return FALSE;
    }
  /* A rollback restores the bridge as well as the table. No other change
   * can wait for its confirmation now (prepare said so). */
  if (confirm_timeout > 0)
    {
      g_autoptr(GError) bridge_error = NULL;
      GStrv ports = pal_helper_net_dup_bridge_ports (self->net, &bridge_error);

      if (ports == NULL)
        g_warning ("A rollback will not restore the bridge: %s", bridge_error->message);
      g_mutex_lock (&self->bridge_lock);
      g_strfreev (self->bridge_before);
      self->bridge_before = ports;
      g_mutex_unlock (&self->bridge_lock);
    }
  g_mutex_lock (&self->kernel_lock);
  applied = pal_firewall_apply (self->firewall, document, error);
  refresh_properties_locked (self);
  g_mutex_unlock (&self->kernel_lock);
  pal_apply_guard_finish (self->guard, applied, g_dbus_method_invocation_get_connection (invocation),
                          g_dbus_method_invocation_get_sender (invocation), confirm_timeout);
  if (applied && !pal_helper_net_apply_bridge (self->net, document, error))
    applied = FALSE;   /* the rules are in: the message says so */
  g_mutex_unlock (&self->apply_lock);
  return applied;
}

static gboolean
pal_helper_service_handle_apply (PalDBusFirewall1      *object,
                                 GDBusMethodInvocation *invocation,
                                 GVariant              *arg_document,
                                 GVariant              *arg_options)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  guint confirm_timeout = 0;

  if (check_apply_options (arg_options, &confirm_timeout, &error))
    document = decode_document (self, arg_document, &error);
  if (document == NULL || !apply_document (self, document, invocation, confirm_timeout, &error))
    {
      g_debug ("Apply from %s refused: %s", g_dbus_method_invocation_get_sender (invocation),
               error != NULL ? error->message : "?");
      pal_helper_net_add_failure (self->net, "Apply", error);
      return_error (invocation, error);
      return TRUE;
    }
  g_info ("%s applied a document of %u rules", g_dbus_method_invocation_get_sender (invocation),
          pal_document_count_rules (document));
  pal_helper_triggered_applied (self->triggered, document);
  refresh_log_rules (self);
  pal_helper_net_applied (self->net, document);
  pal_dbus_firewall1_complete_apply (object, invocation);
  return TRUE;
}

static gboolean
pal_helper_service_handle_get_active (PalDBusFirewall1      *object,
                                      GDBusMethodInvocation *invocation)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->kernel_lock);
  document = pal_firewall_get_active (self->firewall, &error);
  refresh_properties_locked (self);
  g_mutex_unlock (&self->kernel_lock);

  if (document == NULL)
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_get_active (object, invocation, pal_document_to_variant (document));
  return TRUE;
}

static gboolean
pal_helper_service_handle_get_counters (PalDBusFirewall1      *object,
                                        GDBusMethodInvocation *invocation)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);
  g_autoptr(GVariant) counters = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->kernel_lock);
  counters = pal_firewall_get_counters (self->firewall, &error);
  if (counters != NULL)
    g_variant_ref_sink (counters);
  g_mutex_unlock (&self->kernel_lock);

  if (counters == NULL)
    return_error (invocation, error);
  else if (!g_variant_is_of_type (counters, PAL_COUNTERS_VARIANT_TYPE))
    g_dbus_method_invocation_return_error (invocation, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                                           "Internal error: counters of type %s",
                                           g_variant_get_type_string (counters));
  else
    pal_dbus_firewall1_complete_get_counters (object, invocation, counters);
  return TRUE;
}

static gboolean
pal_helper_service_handle_get_counter_values (PalDBusFirewall1      *object,
                                              GDBusMethodInvocation *invocation,
                                              guint64                arg_known)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->kernel_lock);
  reply = pal_firewall_get_counter_values (self->firewall, arg_known, &error);
  if (reply != NULL)
    g_variant_ref_sink (reply);
  g_mutex_unlock (&self->kernel_lock);

  if (reply == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, reply);
  return TRUE;
}

static gboolean
pal_helper_service_handle_set_enabled (PalDBusFirewall1      *object,
                                       GDBusMethodInvocation *invocation,
                                       gboolean               arg_on)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);
  g_autoptr(GError) error = NULL;
  gboolean done;

  g_mutex_lock (&self->kernel_lock);
  done = pal_firewall_set_enabled (self->firewall, arg_on, &error);
  refresh_properties_locked (self);
  g_mutex_unlock (&self->kernel_lock);

  if (done)
    pal_helper_net_add_event (self->net, arg_on ? PAL_LOG_KIND_ENABLED : PAL_LOG_KIND_DISABLED,
                              arg_on ? "The firewall was switched on" : "The firewall was switched off");
  else
    pal_helper_net_add_failure (self->net, arg_on ? "Switching the firewall on"
                                                  : "Switching the firewall off", error);
  if (!done)
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_set_enabled (object, invocation);
  return TRUE;
}

static void
pal_helper_service_firewall1_init (PalDBusFirewall1Iface *iface)
{
  iface->handle_apply = pal_helper_service_handle_apply;
  iface->handle_get_active = pal_helper_service_handle_get_active;
  iface->handle_get_counters = pal_helper_service_handle_get_counters;
  iface->handle_get_counter_values = pal_helper_service_handle_get_counter_values;
  iface->handle_set_enabled = pal_helper_service_handle_set_enabled;
}

/* ------------------------------------------------------------ properties */

/* With no get_property in our vtable, GDBus sends Properties.Get and
 * GetAll to method_call, through the skeleton's thread and g-authorize-method
 * like the methods: reading the firewall's state needs monitor too. */
static void
handle_properties_call (GDBusInterfaceSkeleton *skeleton,
                        GDBusInterfaceVTable   *parent_vtable,
                        GDBusMethodInvocation  *invocation)
{
  const char *method_name = g_dbus_method_invocation_get_method_name (invocation);
  const GDBusPropertyInfo *property = g_dbus_method_invocation_get_property_info (invocation);
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (method_name, "GetAll"))
    {
      /* Already a full reference (transfer full, not floating): a
       * ref_sink here leaked one per GetAll (LeakSanitizer, dbus helper). */
      value = g_variant_take_ref (g_dbus_interface_skeleton_get_properties (skeleton));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", value));
      return;
    }
  if (!g_str_equal (method_name, "Get") || property == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_PROPERTY_READ_ONLY,
                                             "Every property of %s is read-only", PAL_BUS_NAME);
      return;
    }
  value = parent_vtable->get_property (g_dbus_method_invocation_get_connection (invocation),
                                       g_dbus_method_invocation_get_sender (invocation),
                                       g_dbus_method_invocation_get_object_path (invocation),
                                       g_dbus_interface_skeleton_get_info (skeleton)->name,
                                       property->name, &error, skeleton);
  if (value == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
}

static GDBusInterfaceVTable *
get_parent_vtable (GDBusInterfaceSkeleton *skeleton)
{
  return G_DBUS_INTERFACE_SKELETON_CLASS (pal_helper_service_parent_class)->get_vtable (skeleton);
}

/* Runs in the worker thread, after g_authorize_method allowed the call. */
static void
pal_helper_service_method_call (GDBusConnection       *connection,
                                const char            *sender,
                                const char            *object_path,
                                const char            *interface_name,
                                const char            *method_name,
                                GVariant              *parameters,
                                GDBusMethodInvocation *invocation,
                                gpointer               user_data)
{
  PalHelperService *self = PAL_HELPER_SERVICE (user_data);
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self);
  GDBusInterfaceVTable *parent_vtable = get_parent_vtable (skeleton);

  if (g_str_equal (interface_name, PROPERTIES_INTERFACE))
    handle_properties_call (skeleton, parent_vtable, invocation);
  else
    parent_vtable->method_call (connection, sender, object_path, interface_name, method_name,
                                parameters, invocation, user_data);
  touch (self, -1);
}

static GDBusInterfaceVTable *
pal_helper_service_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  static GDBusInterfaceVTable vtable = {
    .method_call = pal_helper_service_method_call,
  };

  return &vtable;
}

/* Runs in the worker thread, before any handler. */
static gboolean
pal_helper_service_g_authorize_method (GDBusInterfaceSkeleton *skeleton,
                                       GDBusMethodInvocation  *invocation)
{
  PalHelperService *self = PAL_HELPER_SERVICE (skeleton);
  g_autoptr(GError) error = NULL;

  touch (self, +1);
  if (pal_authorizer_check (self->authorizer, invocation, &error))
    return TRUE;

  g_info ("Denied %s.%s to %s: %s", g_dbus_method_invocation_get_interface_name (invocation),
          g_dbus_method_invocation_get_method_name (invocation),
          g_dbus_method_invocation_get_sender (invocation), error->message);
  /* Returning FALSE hands the invocation to us: finish it. */
  g_dbus_method_invocation_return_gerror (invocation, error);
  touch (self, -1);
  return FALSE;
}

/* ------------------------------------------------------------ object */

static void
pal_helper_service_dispose (GObject *object)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);

  if (self->firewall != NULL)
    g_signal_handlers_disconnect_by_data (self->firewall, self);
  g_clear_object (&self->triggered);
  g_clear_object (&self->firewall);
  g_clear_object (&self->authorizer);
  g_clear_object (&self->net);
  if (self->guard != NULL)
    g_signal_handlers_disconnect_by_data (self->guard, self);
  g_clear_object (&self->guard);

  G_OBJECT_CLASS (pal_helper_service_parent_class)->dispose (object);
}

static void
pal_helper_service_finalize (GObject *object)
{
  PalHelperService *self = PAL_HELPER_SERVICE (object);

  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->kernel_lock);
  g_mutex_clear (&self->apply_lock);
  g_mutex_clear (&self->activity_lock);
  g_mutex_clear (&self->bridge_lock);
  g_strfreev (self->bridge_before);

  G_OBJECT_CLASS (pal_helper_service_parent_class)->finalize (object);
}

static void
pal_helper_service_class_init (PalHelperServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);

  object_class->dispose = pal_helper_service_dispose;
  object_class->finalize = pal_helper_service_finalize;
  skeleton_class->get_vtable = pal_helper_service_get_vtable;
  skeleton_class->g_authorize_method = pal_helper_service_g_authorize_method;
}

static void
pal_helper_service_init (PalHelperService *self)
{
  g_mutex_init (&self->kernel_lock);
  g_mutex_init (&self->apply_lock);
  g_mutex_init (&self->activity_lock);
  g_mutex_init (&self->bridge_lock);
  self->main_context = g_main_context_ref_thread_default ();
  self->last_activity = g_get_monotonic_time ();

  g_dbus_interface_skeleton_set_flags (G_DBUS_INTERFACE_SKELETON (self),
                                       G_DBUS_INTERFACE_SKELETON_FLAGS_HANDLE_METHOD_INVOCATIONS_IN_THREAD);
}

PalHelperService *
pal_helper_service_new (PalFirewall   *firewall,
                        PalAuthorizer *authorizer)
{
  PalHelperService *self;

  g_return_val_if_fail (firewall != NULL, NULL);
  g_return_val_if_fail (PAL_IS_AUTHORIZER (authorizer), NULL);

  self = g_object_new (PAL_TYPE_HELPER_SERVICE, NULL);
  self->firewall = g_object_ref (firewall);
  self->authorizer = g_object_ref (authorizer);
  g_signal_connect (firewall, "changed", G_CALLBACK (on_firewall_changed), self);

  pal_dbus_firewall1_set_version (PAL_DBUS_FIREWALL1 (self), PACKAGE_VERSION);
  self->net = pal_helper_net_new (PAL_DBUS_FIREWALL1 (self));
  self->triggered = pal_helper_triggered_new (PAL_DBUS_FIREWALL1 (self), self->firewall,
                                              &self->kernel_lock, &self->apply_lock);
  g_signal_connect (self->triggered, "events", G_CALLBACK (on_triggered_events), self);
  self->guard = pal_apply_guard_new (PAL_DBUS_FIREWALL1 (self), firewall);
  g_signal_connect (self->guard, "rolled-back", G_CALLBACK (on_rolled_back), self);
  pal_other_tables_attach (G_OBJECT (self));
  g_mutex_lock (&self->kernel_lock);
  refresh_properties_locked (self);
  g_mutex_unlock (&self->kernel_lock);
  refresh_log_rules_later (self);
  return self;
}
