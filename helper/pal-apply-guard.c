/* pal-apply-guard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-apply-guard.h"
#include "pal-helper-error.h"

typedef enum
{
  STATE_IDLE,
  STATE_PREPARED,      /* an Apply with confirmation is running */
  STATE_PENDING,       /* applied, waiting for Confirm() */
  STATE_ROLLING_BACK,
} State;

struct _PalApplyGuard
{
  GObject           parent_instance;

  PalDBusFirewall1 *object;     /* not referenced: it owns us */
  PalFirewall      *firewall;
  GMainContext     *main_context;

  GMutex            lock;
  State             state;
  guint             serial;     /* which arm() the clock and watch belong to */
  PalFirewallSnapshot *snapshot; /* the table before the Apply */
  GDBusConnection  *connection;
  char             *sender;
  guint             timeout;
  GSource          *clock;
  guint             watch_id;
};

G_DEFINE_FINAL_TYPE (PalApplyGuard, pal_apply_guard, G_TYPE_OBJECT)

enum {
  SIGNAL_ROLLED_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------ restoring */

typedef struct
{
  PalFirewallSnapshot *snapshot;
  char                *reason;
} Rollback;

static void
rollback_free (gpointer data)
{
  Rollback *rollback = data;

  pal_firewall_snapshot_free (rollback->snapshot);
  g_free (rollback->reason);
  g_free (rollback);
}

/* Restores the snapshot; returns the sentence RolledBack carries. */
static char *
restore (PalApplyGuard *self,
         Rollback      *rollback)
{
  g_autoptr(GError) error = NULL;

  if (pal_firewall_restore (self->firewall, rollback->snapshot, &error))
    {
      g_message ("Rolled back a change: %s", rollback->reason);
      return g_strdup (rollback->reason);
    }
  g_warning ("Rolling back a change (%s) failed: %s", rollback->reason, error->message);
  return g_strdup_printf ("%s, and restoring the previous rules failed: %s", rollback->reason, error->message);
}

static void
rollback_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_task_return_pointer (task, restore (source_object, task_data), g_free);
}

/* In the main context: idle again, and RolledBack. */
static void
announce (PalApplyGuard *self,
          const char    *reason)
{
  g_autofree char *valid = g_utf8_make_valid (reason != NULL ? reason : "", -1);

  g_mutex_lock (&self->lock);
  self->state = STATE_IDLE;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[SIGNAL_ROLLED_BACK], 0, valid);
  if (self->object != NULL)
    pal_dbus_firewall1_emit_rolled_back (self->object, valid);
}

static void
on_rolled_back (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree char *reason = g_task_propagate_pointer (G_TASK (result), NULL);

  announce (PAL_APPLY_GUARD (source), reason);
}

/* ------------------------------------------------------------ arming */

/* Call with the lock held: stops the clock and the watch of this arm. */
static void
disarm_locked (PalApplyGuard *self)
{
  self->serial++;
  if (self->clock != NULL)
    {
      g_source_destroy (self->clock);
      g_clear_pointer (&self->clock, g_source_unref);
    }
  if (self->watch_id != 0)
    {
      g_bus_unwatch_name (self->watch_id);
      self->watch_id = 0;
    }
  g_clear_object (&self->connection);
  g_clear_pointer (&self->sender, g_free);
}

/* Call with the lock held, in state PENDING: from now on the change is
 * rolled back (takes reason). */
static Rollback *
take_rollback_locked (PalApplyGuard *self,
                      char          *reason)
{
  Rollback *rollback = g_new0 (Rollback, 1);

  rollback->snapshot = g_steal_pointer (&self->snapshot);
  rollback->reason = reason;
  self->state = STATE_ROLLING_BACK;
  disarm_locked (self);
  return rollback;
}

/* In the main context: the clock ran out or the client left. */
static void
start_rollback (PalApplyGuard *self,
                guint          serial,
                char          *reason)
{
  g_autoptr(GTask) task = NULL;
  Rollback *rollback;

  g_mutex_lock (&self->lock);
  if (self->state != STATE_PENDING || self->serial != serial)
    {
      g_mutex_unlock (&self->lock);
      g_free (reason);
      return;
    }
  rollback = take_rollback_locked (self, reason);
  g_mutex_unlock (&self->lock);

  task = g_task_new (self, NULL, on_rolled_back, NULL);
  g_task_set_source_tag (task, start_rollback);
  g_task_set_task_data (task, rollback, rollback_free);
  g_task_run_in_thread (task, rollback_thread);
}

static gboolean
on_clock (gpointer user_data)
{
  PalApplyGuard *self = user_data;
  guint serial, timeout;

  g_mutex_lock (&self->lock);
  serial = self->serial;
  timeout = self->timeout;
  g_mutex_unlock (&self->lock);
  start_rollback (self, serial, g_strdup_printf ("not confirmed within %u s", timeout));
  return G_SOURCE_REMOVE;
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  PalApplyGuard *self = user_data;
  guint serial;

  g_mutex_lock (&self->lock);
  serial = (self->sender != NULL && g_str_equal (self->sender, name)) ? self->serial : G_MAXUINT;
  g_mutex_unlock (&self->lock);
  start_rollback (self, serial, g_strdup ("the client that applied disconnected"));
}

/* In the main context, so the watch reports there. If the client already
 * left, the watch says so at once. */
static gboolean
start_watch (gpointer user_data)
{
  PalApplyGuard *self = user_data;

  g_mutex_lock (&self->lock);
  if (self->state == STATE_PENDING && self->watch_id == 0 && self->sender != NULL)
    self->watch_id = g_bus_watch_name_on_connection (self->connection, self->sender,
                                                     G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                     NULL, on_name_vanished, self, NULL);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------ API */

gboolean
pal_apply_guard_parse_timeout (GVariant  *value,
                               guint     *seconds,
                               GError   **error)
{
  g_return_val_if_fail (seconds != NULL, FALSE);

  *seconds = 0;
  if (value == NULL)
    return TRUE;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "Apply option \"confirm-timeout\" must be seconds (type u), not type %.16s",
                   g_variant_get_type_string (value));
      return FALSE;
    }
  *seconds = g_variant_get_uint32 (value);
  if (*seconds > PAL_APPLY_GUARD_MAX_TIMEOUT)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "Apply option \"confirm-timeout\" is %u s; at most %u s (an hour) is allowed",
                   *seconds, PAL_APPLY_GUARD_MAX_TIMEOUT);
      return FALSE;
    }
  return TRUE;
}

gboolean
pal_apply_guard_prepare (PalApplyGuard  *self,
                         guint           timeout,
                         GError        **error)
{
  PalFirewallSnapshot *snapshot;

  g_return_val_if_fail (PAL_IS_APPLY_GUARD (self), FALSE);

  g_mutex_lock (&self->lock);
  if (self->state != STATE_IDLE)
    {
      State state = self->state;

      g_mutex_unlock (&self->lock);
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                           state == STATE_ROLLING_BACK
                           ? "An unconfirmed change is being rolled back; try again when it is done"
                           : "A change of the firewall waits for its confirmation; "
                             "confirm it or let it roll back first");
      return FALSE;
    }
  if (timeout > 0)
    self->state = STATE_PREPARED;
  g_mutex_unlock (&self->lock);
  if (timeout == 0)
    return TRUE;

  /* The table cannot change meanwhile except by others (Conflict). */
  snapshot = pal_firewall_snapshot (self->firewall, error);
  if (snapshot == NULL)
    {
      g_mutex_lock (&self->lock);
      self->state = STATE_IDLE;
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  pal_firewall_snapshot_free (self->snapshot);
  self->snapshot = snapshot;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
pal_apply_guard_finish (PalApplyGuard   *self,
                        gboolean         applied,
                        GDBusConnection *connection,
                        const char      *sender,
                        guint            timeout)
{
  g_return_if_fail (PAL_IS_APPLY_GUARD (self));

  g_mutex_lock (&self->lock);
  if (self->state != STATE_PREPARED || timeout == 0)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  if (!applied || connection == NULL || sender == NULL)
    {
      g_clear_pointer (&self->snapshot, pal_firewall_snapshot_free);
      self->state = STATE_IDLE;
      g_mutex_unlock (&self->lock);
      return;
    }
  disarm_locked (self);
  self->state = STATE_PENDING;
  self->connection = g_object_ref (connection);
  self->sender = g_strdup (sender);
  self->timeout = timeout;
  self->clock = g_timeout_source_new_seconds (timeout);
  g_source_set_callback (self->clock, on_clock, self, NULL);
  g_source_set_static_name (self->clock, "PalApplyGuard clock");
  g_source_attach (self->clock, self->main_context);
  g_mutex_unlock (&self->lock);

  g_main_context_invoke (self->main_context, start_watch, self);
}

gboolean
pal_apply_guard_get_busy (PalApplyGuard *self)
{
  gboolean busy;

  g_return_val_if_fail (PAL_IS_APPLY_GUARD (self), FALSE);

  g_mutex_lock (&self->lock);
  busy = self->state != STATE_IDLE;
  g_mutex_unlock (&self->lock);
  return busy;
}

void
pal_apply_guard_shutdown (PalApplyGuard *self)
{
  Rollback *rollback;
  g_autofree char *reason = NULL;

  g_return_if_fail (PAL_IS_APPLY_GUARD (self));

  /* An Apply with confirmation still running arms the guard when it
   * ends; a rollback already running announces itself here. */
  g_mutex_lock (&self->lock);
  while (self->state == STATE_PREPARED || self->state == STATE_ROLLING_BACK)
    {
      g_mutex_unlock (&self->lock);
      if (!g_main_context_iteration (self->main_context, FALSE))
        g_usleep (10 * 1000);
      g_mutex_lock (&self->lock);
    }
  if (self->state != STATE_PENDING)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  rollback = take_rollback_locked (self, g_strdup ("the helper was stopped before the change was confirmed"));
  g_mutex_unlock (&self->lock);

  reason = restore (self, rollback);
  rollback_free (rollback);
  announce (self, reason);
}

/* ------------------------------------------------------------ Confirm */

/* Call with the lock held: the caller may confirm or refuse the change
 * that waits. */
static gboolean
check_caller_locked (PalApplyGuard          *self,
                     GDBusMethodInvocation  *invocation,
                     GError                **error)
{
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (invocation);

  if (self->state != STATE_PENDING)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "No change waits for a confirmation: none was asked for, "
                           "it was confirmed already, or it was rolled back");
      return FALSE;
    }
  if (sender == NULL || connection != self->connection || g_strcmp0 (sender, self->sender) != 0)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_ACCESS_DENIED,
                           "The change that waits for a confirmation was made by another client; "
                           "only that client can confirm or refuse it");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  PalApplyGuard *self;
  guint          serial;
} RollBackRequest;

static gpointer
roll_back_request_new (PalApplyGuard *self,
                       guint          serial)
{
  RollBackRequest *request = g_new0 (RollBackRequest, 1);

  request->self = g_object_ref (self);
  request->serial = serial;
  return request;
}

static void
roll_back_request_free (gpointer data)
{
  RollBackRequest *request = data;

  g_object_unref (request->self);
  g_free (request);
}

static gboolean
roll_back_now (gpointer data)
{
  RollBackRequest *request = data;

  start_rollback (request->self, request->serial, g_strdup ("refused by the client that applied"));
  return G_SOURCE_REMOVE;
}

static gboolean
confirm (PalApplyGuard          *self,
         GDBusMethodInvocation  *invocation,
         GError                **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = check_caller_locked (self, invocation, error);
  if (ok)
    {
      disarm_locked (self);
      g_clear_pointer (&self->snapshot, pal_firewall_snapshot_free);
      self->state = STATE_IDLE;
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/* In a worker thread: the caller refuses its own change. */
static gboolean
on_handle_roll_back (PalDBusFirewall1      *object,
                     GDBusMethodInvocation *invocation,
                     PalApplyGuard         *self)
{
  g_autoptr(GError) error = NULL;
  guint serial = G_MAXUINT;

  g_mutex_lock (&self->lock);
  if (check_caller_locked (self, invocation, &error))
    serial = self->serial;
  g_mutex_unlock (&self->lock);
  if (error != NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return TRUE;
    }
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, roll_back_now,
                              roll_back_request_new (self, serial), roll_back_request_free);
  pal_dbus_firewall1_complete_roll_back (object, invocation);
  return TRUE;
}

/* In a worker thread, after the authorizer allowed it (as apply). */
static gboolean
on_handle_confirm (PalDBusFirewall1      *object,
                   GDBusMethodInvocation *invocation,
                   PalApplyGuard         *self)
{
  g_autoptr(GError) error = NULL;

  if (confirm (self, invocation, &error))
    {
      g_info ("%s confirmed its change", g_dbus_method_invocation_get_sender (invocation));
      pal_dbus_firewall1_complete_confirm (object, invocation);
    }
  else
    g_dbus_method_invocation_return_gerror (invocation, error);
  return TRUE;
}

/* ------------------------------------------------------------ object */

static void
pal_apply_guard_dispose (GObject *object)
{
  PalApplyGuard *self = PAL_APPLY_GUARD (object);

  if (self->object != NULL)
    g_signal_handlers_disconnect_by_data (self->object, self);
  self->object = NULL;
  g_mutex_lock (&self->lock);
  disarm_locked (self);
  g_clear_pointer (&self->snapshot, pal_firewall_snapshot_free);
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->firewall);

  G_OBJECT_CLASS (pal_apply_guard_parent_class)->dispose (object);
}

static void
pal_apply_guard_finalize (GObject *object)
{
  PalApplyGuard *self = PAL_APPLY_GUARD (object);

  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pal_apply_guard_parent_class)->finalize (object);
}

static void
pal_apply_guard_class_init (PalApplyGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_apply_guard_dispose;
  object_class->finalize = pal_apply_guard_finalize;

  /**
   * PalApplyGuard::rolled-back:
   * @reason: the sentence RolledBack carries
   *
   * Emitted in the main context after a rollback (before RolledBack).
   */
  signals[SIGNAL_ROLLED_BACK] =
    g_signal_new ("rolled-back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pal_apply_guard_init (PalApplyGuard *self)
{
  g_mutex_init (&self->lock);
  self->main_context = g_main_context_ref_thread_default ();
}

PalApplyGuard *
pal_apply_guard_new (PalDBusFirewall1 *object,
                     PalFirewall      *firewall)
{
  PalApplyGuard *self;

  g_return_val_if_fail (PAL_DBUS_IS_FIREWALL1 (object), NULL);
  g_return_val_if_fail (PAL_IS_FIREWALL (firewall), NULL);

  self = g_object_new (PAL_TYPE_APPLY_GUARD, NULL);
  self->object = object;
  self->firewall = g_object_ref (firewall);
  g_signal_connect (object, "handle-confirm", G_CALLBACK (on_handle_confirm), self);
  g_signal_connect (object, "handle-roll-back", G_CALLBACK (on_handle_roll_back), self);
  return self;
}
