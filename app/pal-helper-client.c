/* pal-helper-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-dbus-generated.h"
#include "pal-document-variant.h"
#include "pal-helper-client.h"
#include "pal-helper-error.h"
#include "pal-sandbox.h"

#define INTERFACE_NAME "io.github.palisade.Firewall1"

/* Calls that may wait for a password get no timeout; reads get a short one
 * so a hung helper shows up as an error, not as a frozen column. */
#define INTERACTIVE_TIMEOUT G_MAXINT
#define READ_TIMEOUT        (10 * 1000)

struct _PalHelperClient
{
  GObject           parent_instance;

  PalHelperBus      bus;
  GDBusConnection  *connection;
  PalDBusFirewall1 *proxy;
  char             *unavailable_reason;
  gboolean          ready;       /* connected and the state read */
  gboolean          enabled;
  guint             generation;
  gulong            changed_id;
  gulong            rolled_back_id;
  guint             confirm_timeout;   /* seconds; 0: Apply without confirmation */
};

G_DEFINE_FINAL_TYPE (PalHelperClient, pal_helper_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_ENABLED,
  PROP_GENERATION,
  N_PROPS
};

enum {
  CHANGED,
  ROLLED_BACK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The remote error's D-Bus name is for programs; people get the sentence. */
static void
strip_error (GError *error)
{
  if (error != NULL)
    g_dbus_error_strip_remote_error (error);
}

static void
set_unavailable (PalHelperClient *self,
                 const GError    *error)
{
  g_free (self->unavailable_reason);
  if (self->bus == PAL_HELPER_BUS_SANDBOX)
    self->unavailable_reason = g_strdup_printf (_("The sandbox helper is not reachable: %s"),
                                                error->message);
  else
    self->unavailable_reason = g_strdup_printf (_("The Palisade helper is not reachable: %s"),
                                                error->message);
  g_clear_object (&self->proxy);
  self->ready = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static void
update_state (PalHelperClient *self,
              GVariant        *all)
{
  gboolean enabled = self->enabled;
  guint generation = self->generation;

  g_variant_lookup (all, "Enabled", "b", &enabled);
  g_variant_lookup (all, "Generation", "u", &generation);
  if (enabled != self->enabled)
    {
      self->enabled = enabled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
    }
  if (generation != self->generation)
    {
      self->generation = generation;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATION]);
    }
}

/* Properties are read with an explicit call (the proxy loads none), so a
 * polkit refusal is an error we see, not silently stale state. */
static void
get_all (PalHelperClient     *self,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_dbus_proxy_call (G_DBUS_PROXY (self->proxy), "org.freedesktop.DBus.Properties.GetAll",
                     g_variant_new ("(s)", INTERFACE_NAME), G_DBUS_CALL_FLAGS_NONE,
                     READ_TIMEOUT, cancellable, callback, user_data);
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PalHelperClient) self = user_data;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, NULL);
  g_autoptr(GVariant) all = NULL;

  if (reply == NULL)
    return;
  g_variant_get (reply, "(@a{sv})", &all);
  update_state (self, all);
}

static void
helper_changed_cb (PalHelperClient *self,
                   guint            generation,
                   const char      *program)
{
  /* Our table changed (by us or by another program): the switch may have
   * moved too. */
  get_all (self, NULL, refresh_cb, g_object_ref (self));
  g_signal_emit (self, signals[CHANGED], 0, generation, program);
}

static void
helper_rolled_back_cb (PalHelperClient *self,
                       const char      *reason)
{
  get_all (self, NULL, refresh_cb, g_object_ref (self));
  g_signal_emit (self, signals[ROLLED_BACK], 0, reason);
}

/* --------------------------------------------------------------- connect */

static void
connect_state_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PalHelperClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  g_autoptr(GVariant) all = NULL;

  if (reply == NULL)
    {
      strip_error (error);
      set_unavailable (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_variant_get (reply, "(@a{sv})", &all);
  update_state (self, all);
  self->changed_id = g_signal_connect_swapped (self->proxy, "changed",
                                               G_CALLBACK (helper_changed_cb), self);
  self->rolled_back_id = g_signal_connect_swapped (self->proxy, "rolled-back",
                                                   G_CALLBACK (helper_rolled_back_cb), self);
  g_clear_pointer (&self->unavailable_reason, g_free);
  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
  g_task_return_boolean (task, TRUE);
}

static void
connect_proxy_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PalHelperClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  self->proxy = pal_dbus_firewall1_proxy_new_finish (result, &error);
  if (self->proxy == NULL)
    {
      strip_error (error);
      set_unavailable (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Also starts the helper when the bus activates it. */
  cancellable = g_task_get_cancellable (task);
  get_all (self, cancellable, connect_state_cb, g_steal_pointer (&task));
}

static void
got_connection (PalHelperClient *self,
                GTask           *task)
{
  pal_dbus_firewall1_proxy_new (self->connection,
                                G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                                PAL_BUS_NAME, PAL_OBJECT_PATH,
                                g_task_get_cancellable (task), connect_proxy_cb, task);
}

static void
connect_bus_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  PalHelperClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->connection = g_bus_get_finish (result, &error);
  if (self->connection == NULL)
    {
      set_unavailable (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  got_connection (self, task);
}

static void
sandbox_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GDBusConnection *connection = pal_sandbox_connect (cancellable, &error);

  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, connection, g_object_unref);
}

static void
connect_sandbox_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  PalHelperClient *self = PAL_HELPER_CLIENT (source);
  g_autoptr(GError) error = NULL;

  self->connection = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->connection == NULL)
    {
      set_unavailable (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  got_connection (self, task);
}

void
pal_helper_client_connect_async (PalHelperClient     *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  /* So the helper's errors come back in PAL_HELPER_ERROR with their codes. */
  (void) pal_helper_error_quark ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pal_helper_client_connect_async);
  if (self->bus == PAL_HELPER_BUS_SANDBOX)
    {
      /* pal_sandbox_connect() is blocking: keep it off the main loop. */
      g_autoptr(GTask) thread_task = g_task_new (self, cancellable, connect_sandbox_cb, task);

      g_task_run_in_thread (thread_task, sandbox_thread);
    }
  else
    g_bus_get (G_BUS_TYPE_SYSTEM, cancellable, connect_bus_cb, task);
}

gboolean
pal_helper_client_connect_finish (PalHelperClient  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ----------------------------------------------------------------- calls */

static gboolean
check_available (PalHelperClient *self,
                 GTask           *task)
{
  if (self->ready)
    return TRUE;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "%s",
                           self->unavailable_reason != NULL ? self->unavailable_reason
                                                            : _("Not connected to the Palisade helper"));
  return FALSE;
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (pal_dbus_firewall1_call_apply_finish (PAL_DBUS_FIREWALL1 (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    {
      strip_error (error);
      g_task_return_error (task, error);
    }
}

void
pal_helper_client_apply_async (PalHelperClient     *self,
                               PalDocument         *document,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GVariantDict options;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));
  g_return_if_fail (PAL_IS_DOCUMENT (document));

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_available (self, task))
    return;
  g_variant_dict_init (&options, NULL);
  if (self->confirm_timeout > 0)
    g_variant_dict_insert (&options, "confirm-timeout", "u", self->confirm_timeout);
  pal_dbus_firewall1_call_apply (self->proxy, pal_document_to_variant (document),
                                 g_variant_dict_end (&options),
                                 G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                 INTERACTIVE_TIMEOUT, cancellable, apply_cb, g_steal_pointer (&task));
}

gboolean
pal_helper_client_apply_finish (PalHelperClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
get_active_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) variant = NULL;
  GError *error = NULL;
  PalDocument *document;

  if (!pal_dbus_firewall1_call_get_active_finish (PAL_DBUS_FIREWALL1 (source), &variant, result, &error))
    {
      strip_error (error);
      g_task_return_error (task, error);
      return;
    }
  /* What comes over the bus is checked like any input. */
  document = pal_document_from_variant (variant, &error);
  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

void
pal_helper_client_get_active_async (PalHelperClient     *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_available (self, task))
    return;
  pal_dbus_firewall1_call_get_active (self->proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                      INTERACTIVE_TIMEOUT, cancellable, get_active_cb,
                                      g_steal_pointer (&task));
}

PalDocument *
pal_helper_client_get_active_finish (PalHelperClient  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_other_tables_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) variant = NULL;
  GError *error = NULL;

  if (!pal_dbus_firewall1_call_get_other_tables_finish (PAL_DBUS_FIREWALL1 (source), &variant, result, &error))
    {
      strip_error (error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, pal_other_table_list_from_variant (variant), g_object_unref);
}

void
pal_helper_client_get_other_tables_async (PalHelperClient     *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_available (self, task))
    return;
  pal_dbus_firewall1_call_get_other_tables (self->proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                            INTERACTIVE_TIMEOUT, cancellable, get_other_tables_cb,
                                            g_steal_pointer (&task));
}

GListModel *
pal_helper_client_get_other_tables_finish (PalHelperClient  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
get_counters_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GVariant *reply;
  GError *error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (reply != NULL)
    g_task_return_pointer (task, reply, (GDestroyNotify) g_variant_unref);
  else
    {
      strip_error (error);
      g_task_return_error (task, error);
    }
}

void
pal_helper_client_get_counters_async (PalHelperClient     *self,
                                      guint64              known,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  if (!check_available (self, task))
    return;
  /* Never interactive: a once-a-second refresh must not ask for passwords.
   * The reply stays one GVariant: its numbers are read in place. */
  g_dbus_proxy_call (G_DBUS_PROXY (self->proxy), "GetCounterValues", g_variant_new ("(t)", known),
                     G_DBUS_CALL_FLAGS_NONE, READ_TIMEOUT, cancellable, get_counters_cb,
                     g_steal_pointer (&task));
}

GVariant *
pal_helper_client_get_counters_finish (PalHelperClient  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_enabled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PalHelperClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!pal_dbus_firewall1_call_set_enabled_finish (PAL_DBUS_FIREWALL1 (source), result, &error))
    {
      strip_error (error);
      g_task_return_error (task, error);
      return;
    }
  self->enabled = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  g_task_return_boolean (task, TRUE);
}

void
pal_helper_client_set_enabled_async (PalHelperClient     *self,
                                     gboolean             enabled,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_task_data (task, GINT_TO_POINTER (!!enabled), NULL);
  if (!check_available (self, task))
    return;
  pal_dbus_firewall1_call_set_enabled (self->proxy, enabled,
                                       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                       INTERACTIVE_TIMEOUT, cancellable, set_enabled_cb,
                                       g_steal_pointer (&task));
}

gboolean
pal_helper_client_set_enabled_finish (PalHelperClient  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------- confirmation */

void
pal_helper_client_set_confirm_timeout (PalHelperClient *self,
                                       guint            seconds)
{
  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));
  self->confirm_timeout = seconds;
}

guint
pal_helper_client_get_confirm_timeout (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), 0);
  return self->confirm_timeout;
}

static void
decide_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_task_data (task) != NULL)
    ok = pal_dbus_firewall1_call_confirm_finish (PAL_DBUS_FIREWALL1 (source), result, &error);
  else
    ok = pal_dbus_firewall1_call_roll_back_finish (PAL_DBUS_FIREWALL1 (source), result, &error);
  if (!ok)
    {
      strip_error (error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
pal_helper_client_decide_async (PalHelperClient     *self,
                                gboolean             keep,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PAL_IS_HELPER_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_task_data (task, keep ? GINT_TO_POINTER (1) : NULL, NULL);
  if (!check_available (self, task))
    return;
  if (keep)
    pal_dbus_firewall1_call_confirm (self->proxy, G_DBUS_CALL_FLAGS_NONE, READ_TIMEOUT, cancellable,
                                     decide_cb, g_steal_pointer (&task));
  else
    pal_dbus_firewall1_call_roll_back (self->proxy, G_DBUS_CALL_FLAGS_NONE, READ_TIMEOUT, cancellable,
                                       decide_cb, g_steal_pointer (&task));
}

gboolean
pal_helper_client_decide_finish (PalHelperClient  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- state */

gboolean
pal_helper_client_get_available (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), FALSE);
  return self->ready;
}

gboolean
pal_helper_client_get_failed (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), FALSE);
  return !self->ready && self->unavailable_reason != NULL;
}

const char *
pal_helper_client_get_unavailable_reason (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), NULL);

  if (pal_helper_client_get_available (self))
    return NULL;
  return self->unavailable_reason != NULL ? self->unavailable_reason
                                          : _("Connecting to the Palisade helper…");
}

gboolean
pal_helper_client_get_enabled (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), FALSE);
  return self->enabled;
}

guint
pal_helper_client_get_generation (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), 0);
  return self->generation;
}

PalHelperBus
pal_helper_client_get_bus (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), PAL_HELPER_BUS_SYSTEM);
  return self->bus;
}

GDBusProxy *
pal_helper_client_get_proxy (PalHelperClient *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_CLIENT (self), NULL);
  return self->proxy != NULL ? G_DBUS_PROXY (self->proxy) : NULL;
}

static void
pal_helper_client_dispose (GObject *object)
{
  PalHelperClient *self = PAL_HELPER_CLIENT (object);

  if (self->proxy != NULL)
    g_clear_signal_handler (&self->changed_id, self->proxy);
  if (self->proxy != NULL)
    g_clear_signal_handler (&self->rolled_back_id, self->proxy);
  g_clear_object (&self->proxy);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (pal_helper_client_parent_class)->dispose (object);
}

static void
pal_helper_client_finalize (GObject *object)
{
  PalHelperClient *self = PAL_HELPER_CLIENT (object);

  g_free (self->unavailable_reason);

  G_OBJECT_CLASS (pal_helper_client_parent_class)->finalize (object);
}

static void
pal_helper_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PalHelperClient *self = PAL_HELPER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, pal_helper_client_get_available (self));
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_GENERATION:
      g_value_set_uint (value, self->generation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pal_helper_client_class_init (PalHelperClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pal_helper_client_dispose;
  object_class->finalize = pal_helper_client_finalize;
  object_class->get_property = pal_helper_client_get_property;

  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, FALSE, flags);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, flags);
  properties[PROP_GENERATION] = g_param_spec_uint ("generation", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The helper's Changed: our table changed, by us or another program. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* The helper's RolledBack: a change applied with confirmation was
   * undone (by anyone's client: the table is what it was before). */
  signals[ROLLED_BACK] =
    g_signal_new ("rolled-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pal_helper_client_init (PalHelperClient *self)
{
}

PalHelperClient *
pal_helper_client_new (PalHelperBus bus)
{
  PalHelperClient *self = g_object_new (PAL_TYPE_HELPER_CLIENT, NULL);

  self->bus = bus;
  return self;
}
