/* pal-window-startup.c — PalWindow: "Apply at login" and "Use at boot",
 * check items of the primary menu (the "startup" action group).
 *
 * Apply at login writes the same XDG autostart entry as "palisadectl
 * autostart" (pal-autostart.h): it opens the saved file at login. Use at
 * boot sends the document to the helper's SetBootDocument, as "palisadectl
 * boot" does: it becomes /etc/palisade/boot.fwdoc, applied before the
 * network comes up. Their states are read again whenever the window becomes
 * active, since either can change behind the window's back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pal-autostart.h"
#include "pal-dbus-generated.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-sandbox.h"
#include "pal-window-private.h"

#define BOOT_DIR  "/etc/palisade"
#define BOOT_FILE "boot.fwdoc"
/* Installing the boot document may wait for a password. */
#define BOOT_TIMEOUT_MSEC G_MAXINT
#define ACTIONS_KEY       "pal-window-startup-actions"

static GSimpleAction *
startup_action (PalWindow  *self,
                const char *name)
{
  GActionMap *group = g_object_get_data (G_OBJECT (self), ACTIONS_KEY);

  return G_SIMPLE_ACTION (g_action_map_lookup_action (group, name));
}

/* ------------------------------------------------------------ login */

static gboolean
opens_at_login (PalWindow *self)
{
  g_autofree char *document_path = NULL;
  g_autofree char *path = NULL;
  gboolean enabled = FALSE;

  if (self->file == NULL || (path = g_file_get_path (self->file)) == NULL)
    return FALSE;
  document_path = pal_autostart_get_document (&enabled, NULL);
  return enabled && g_strcmp0 (document_path, path) == 0;
}

static void
set_apply_at_login (PalWindow *self,
                    gboolean   on)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = self->file != NULL ? g_file_get_path (self->file) : NULL;

  if (on && path == NULL)
    {
      pal_window_set_status (self, TRUE, _("Save the document first: at login Palisade opens a saved file"));
      return;
    }
  if (on ? !pal_autostart_enable (path, &error) : !pal_autostart_disable (&error))
    {
      pal_window_set_status (self, TRUE, "%s", error->message);
      return;
    }
  if (!on)
    pal_window_set_status (self, FALSE, _("Palisade opens no document at login."));
  else if (!pal_document_get_enabled (self->document))
    pal_window_set_status (self, FALSE, _("At login, Palisade opens %s, but its master switch is saved "
                                          "off: opening it does not change the firewall."), path);
  else
    pal_window_set_status (self, FALSE, _("At login, Palisade opens %s."), path);
}

/* ------------------------------------------------------------ boot */

static char *
boot_path (PalWindow *self)
{
  const char *test_dir = g_getenv ("PAL_HELPER_BOOT_DIR");

  /* As palisadectl: a sandbox helper keeps it where its test said. */
  if (self->helper != NULL && pal_helper_client_get_bus (self->helper) == PAL_HELPER_BUS_SANDBOX &&
      test_dir != NULL && g_path_is_absolute (test_dir))
    return g_build_filename (test_dir, BOOT_FILE, NULL);
  return g_build_filename (BOOT_DIR, BOOT_FILE, NULL);
}

/* On when the boot document is this document as it is now. */
static gboolean
used_at_boot (PalWindow *self)
{
  g_autofree char *path = boot_path (self);
  g_autofree char *installed = NULL;
  g_autofree char *mine = NULL;
  gsize installed_length, mine_length;

  if (!g_file_get_contents (path, &installed, &installed_length, NULL))
    return FALSE;
  mine = pal_fwdoc_save_data (self->document, &mine_length);
  return installed_length == mine_length && memcmp (installed, mine, mine_length) == 0;
}

typedef struct
{
  PalHelperBus  bus;
  char         *text;       /* "" turns it off */
  gboolean      saved_on;   /* the document's master switch */
} BootCall;

static void
boot_call_free (BootCall *call)
{
  g_free (call->text);
  g_free (call);
}

/* In a thread: connecting to the sandbox and the password prompt block. */
static void
set_boot_document_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  BootCall *call = task_data;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(PalDBusFirewall1) proxy = NULL;
  GError *error = NULL;

  pal_helper_error_quark ();
  if (call->bus == PAL_HELPER_BUS_SANDBOX)
    connection = pal_sandbox_connect (cancellable, &error);
  else
    connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, cancellable, &error);
  if (connection != NULL)
    proxy = pal_dbus_firewall1_proxy_new_sync (connection,
                                               G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                               G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                               PAL_BUS_NAME, PAL_OBJECT_PATH, cancellable, &error);
  if (proxy == NULL ||
      !pal_dbus_firewall1_call_set_boot_document_sync (proxy, call->text,
                                                       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                       BOOT_TIMEOUT_MSEC, cancellable, &error))
    {
      g_dbus_error_strip_remote_error (error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
set_boot_document_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PalWindow *self = PAL_WINDOW (source);
  BootCall *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        pal_window_set_status (self, TRUE, _("Use at boot: %s"), error->message);
    }
  else if (call->text[0] == '\0')
    pal_window_set_status (self, FALSE, _("No firewall is applied at boot any more"));
  else if (!call->saved_on)
    pal_window_set_status (self, FALSE, _("This document is applied at boot from now on, but its master "
                                          "switch is off: at boot its rules load but filter nothing"));
  else
    pal_window_set_status (self, FALSE, _("This document is applied at boot from now on"));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _pal_window_startup_refresh (self);
}

static void
set_use_at_boot (PalWindow *self,
                 gboolean   on)
{
  g_autoptr(GTask) task = g_task_new (self, self->helper_cancellable, set_boot_document_cb, NULL);
  BootCall *call = g_new0 (BootCall, 1);

  call->bus = self->helper != NULL ? pal_helper_client_get_bus (self->helper) : PAL_HELPER_BUS_SYSTEM;
  call->text = on ? pal_fwdoc_save_data (self->document, NULL) : g_strdup ("");
  call->saved_on = pal_document_get_enabled (self->document);
  g_task_set_task_data (task, call, (GDestroyNotify) boot_call_free);
  g_task_run_in_thread (task, set_boot_document_thread);
}

/* ------------------------------------------------------------ actions */

/* The shown state may be old (changed by palisadectl, or another file
 * loaded since): toggle what is true now. */
static void
toggle (GSimpleAction *action,
        GVariant      *parameter,
        gpointer       user_data)
{
  PalWindow *self = user_data;
  g_autoptr(GVariant) state = NULL;
  gboolean on;

  _pal_window_startup_refresh (self);
  state = g_action_get_state (G_ACTION (action));
  on = !g_variant_get_boolean (state);
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "apply-at-login"))
    {
      set_apply_at_login (self, on);
      _pal_window_startup_refresh (self);
    }
  else
    set_use_at_boot (self, on);
}

void
_pal_window_startup_refresh (PalWindow *self)
{
  if (self->document == NULL)
    return;
  g_simple_action_set_state (startup_action (self, "apply-at-login"),
                             g_variant_new_boolean (opens_at_login (self)));
  g_simple_action_set_state (startup_action (self, "use-at-boot"),
                             g_variant_new_boolean (used_at_boot (self)));
}

static void
on_is_active (PalWindow  *self,
              GParamSpec *pspec,
              gpointer    user_data)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    _pal_window_startup_refresh (self);
}

void
_pal_window_startup_init (PalWindow *self)
{
  const GActionEntry entries[] = {
    { "apply-at-login", toggle, NULL, "false", NULL },
    { "use-at-boot", toggle, NULL, "false", NULL },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "startup", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (self), ACTIONS_KEY, g_object_ref (group), g_object_unref);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active), NULL);
}
