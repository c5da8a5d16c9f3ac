/* main.c — palisade-helper, the D-Bus system service that owns the
 * firewall.
 *
 * Started by D-Bus activation through systemd (palisade-helper.service), it
 * owns io.github.palisade.Firewall1 on the system bus, answers calls that
 * polkit authorizes, and exits after a minute without callers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <gio/gio.h>

#include "pal-authorizer.h"
#include "pal-boot.h"
#include "pal-firewall.h"
#include "pal-helper-service.h"
#include "pal-helper-triggered.h"
#include "pal-sandbox-runner.h"

#define IDLE_EXIT_SECONDS  60
#define IDLE_CHECK_SECONDS 5

typedef struct
{
  gboolean          session_bus;
  char             *bus_address;
  gboolean          no_idle_exit;
  gboolean          sandbox;
  gboolean          replace;
  gboolean          verbose;
  char             *apply_at_boot;

  GMainLoop        *loop;
  GDBusConnection  *connection;
  PalHelperService *service;
  PalSandboxRunner *sandbox_runner;
  PalBoot          *boot;
  guint             owner_id;
  gboolean          name_acquired;
  int               status;
} Helper;

static void
helper_clear (Helper *helper)
{
  if (helper->owner_id != 0)
    g_bus_unown_name (helper->owner_id);
  if (helper->service != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (helper->service));
  if (helper->connection != NULL)
    g_dbus_connection_flush_sync (helper->connection, NULL, NULL);
  g_clear_object (&helper->service);
  g_clear_object (&helper->boot);
  g_clear_pointer (&helper->apply_at_boot, g_free);
  g_clear_object (&helper->connection);
  g_clear_pointer (&helper->sandbox_runner, pal_sandbox_runner_free);
  g_clear_pointer (&helper->loop, g_main_loop_unref);
  g_clear_pointer (&helper->bus_address, g_free);
}

static void
quit (Helper *helper,
      int     status)
{
  if (helper->status == 0)
    helper->status = status;
  g_main_loop_quit (helper->loop);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Helper *helper = user_data;
  g_autoptr(GError) error = NULL;

  helper->name_acquired = TRUE;
  g_debug ("Owning %s", name);
  if (helper->sandbox_runner == NULL)
    return;

  if (!pal_sandbox_runner_publish (helper->sandbox_runner, &error))
    {
      g_printerr ("palisade-helper: %s\n", error->message);
      quit (helper, 1);
      return;
    }
  g_print ("The sandbox is running: a firewall of its own, in a network namespace with only\n"
           "a loopback interface; the machine's firewall is not touched.\n"
           "  palisadectl status --sandbox\n"
           "  palisadectl apply --sandbox FILE.fwdoc\n"
           "Its bus: %s\n"
           "Press Ctrl+C to stop it.\n", pal_sandbox_runner_get_address (helper->sandbox_runner));
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  Helper *helper = user_data;

  if (helper->name_acquired)
    g_message ("Another palisade-helper took over %s; exiting", name);
  else
    g_printerr ("palisade-helper: cannot own %s on the bus (is another helper running? "
                "--replace takes over)\n", name);
  quit (helper, helper->name_acquired ? 0 : 1);
}

/* Quiet for a minute and nothing running: give the name back first, so a
 * caller arriving now activates a fresh helper instead of talking to us. */
static gboolean
check_idle (gpointer user_data)
{
  Helper *helper = user_data;
  gint64 idle = g_get_monotonic_time () - pal_helper_service_get_last_activity (helper->service);

  if (pal_helper_service_get_busy (helper->service) || idle < IDLE_EXIT_SECONDS * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_debug ("No calls for %d seconds; exiting", IDLE_EXIT_SECONDS);
  g_bus_unown_name (helper->owner_id);
  helper->owner_id = 0;
  quit (helper, 0);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  quit (user_data, 0);
  return G_SOURCE_CONTINUE;
}

static void
on_connection_closed (GDBusConnection *connection,
                      gboolean         remote_peer_vanished,
                      GError          *error,
                      gpointer         user_data)
{
  g_message ("Lost the connection to the bus; exiting");
  quit (user_data, 1);
}

static GDBusConnection *
connect_bus (Helper  *helper,
             GError **error)
{
  if (helper->bus_address != NULL)
    return g_dbus_connection_new_for_address_sync (helper->bus_address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, error);
  return g_bus_get_sync (helper->session_bus ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM, NULL, error);
}

static gboolean
parse_options (Helper   *helper,
               int      *argc,
               char   ***argv,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "session-bus", 0, 0, G_OPTION_ARG_NONE, &helper->session_bus,
      "Serve on the session bus; only callers of the same user are allowed (no polkit)", NULL },
    { "bus-address", 0, 0, G_OPTION_ARG_STRING, &helper->bus_address,
      "Serve on the bus at ADDRESS, which polkitd must serve as its system bus (tests)", "ADDRESS" },
    { "no-idle-exit", 0, 0, G_OPTION_ARG_NONE, &helper->no_idle_exit,
      "Keep running when nobody has called for a minute", NULL },
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, &helper->sandbox,
      "Run a private helper in new user and network namespaces, on a bus of its own "
      "(see below); no root needed, the machine's firewall is not touched", NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &helper->replace,
      "Take the bus name over from a running helper", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &helper->verbose,
      "Log every call and decision", NULL },
    { "apply-at-boot", 0, 0, G_OPTION_ARG_FILENAME, &helper->apply_at_boot,
      "Apply the document FILE to the kernel and exit, without the bus "
      "(palisade-boot.service)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context,
    "The privileged part of Palisade: applies firewall documents to nftables, reads back\n"
    "the active rules and counters, and answers on D-Bus as " PAL_BUS_NAME ".\n"
    "Every call is authorized by polkit (io.github.palisade.monitor, .apply).");
  g_option_context_set_description (context,
    "Sandbox: “palisade-helper --sandbox”, run as any user, starts a dbus-daemon of\n"
    "that user and this helper in a fresh user + network namespace that has only a\n"
    "loopback interface. Documents applied there filter only that namespace. Polkit\n"
    "is bypassed in this mode only: the helper has no privilege beyond the user's,\n"
    "and accepts calls only from the same user. The bus address is written to\n"
    "$XDG_RUNTIME_DIR/palisade-sandbox/bus, where “palisadectl VERB --sandbox” and\n"
    "the Palisade application find it. Ctrl+C stops the sandbox and removes its files.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if ((helper->session_bus ? 1 : 0) + (helper->bus_address != NULL ? 1 : 0) + (helper->sandbox ? 1 : 0) > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--session-bus, --bus-address and --sandbox exclude each other");
      return FALSE;
    }
  if (helper->apply_at_boot != NULL &&
      (helper->session_bus || helper->bus_address != NULL || helper->sandbox || helper->replace))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--apply-at-boot uses no bus: it excludes the bus options");
      return FALSE;
    }
  if (helper->bus_address != NULL && !g_dbus_is_address (helper->bus_address))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "“%s” is not a D-Bus address", helper->bus_address);
      return FALSE;
    }
  return TRUE;
}

/* Everything that must happen while the process has one thread, or before
 * libraries read the environment. */
static gboolean
prepare_process (Helper  *helper,
                 GError **error)
{
  if (helper->verbose)
    g_log_set_debug_enabled (TRUE);

  if (helper->sandbox)
    {
      helper->sandbox_runner = pal_sandbox_runner_start (error);
      if (helper->sandbox_runner == NULL)
        return FALSE;
      helper->bus_address = g_strdup (pal_sandbox_runner_get_address (helper->sandbox_runner));
      helper->no_idle_exit = TRUE;
      /* The sandbox's bans are the sandbox's own: as root they would
       * otherwise go to /var/lib/palisade, which the real helper restores
       * into the machine's firewall. */
      if (g_getenv ("PALISADE_STATE_DIRECTORY") == NULL)
        {
          g_autofree char *state = g_build_filename (g_get_user_runtime_dir (), "palisade-sandbox-state", NULL);

          g_setenv ("PALISADE_STATE_DIRECTORY", state, TRUE);
        }
    }
  else if (helper->bus_address != NULL)
    {
      /* polkit's client library talks to the system bus: make that the bus
       * our callers are on, or their names would mean nothing to polkitd. */
      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", helper->bus_address, TRUE);
    }
  return TRUE;
}

/* On the system bus the boot document is /etc/palisade/boot.fwdoc and its
 * unit is enabled through systemd. On a test or sandbox bus, only the file
 * is written, in $PAL_HELPER_BOOT_DIR, and without it there is no boot
 * firewall: a test must never reach the machine's systemd or /etc. */
static PalBoot *
new_boot (Helper *helper)
{
  const char *test_dir = g_getenv ("PAL_HELPER_BOOT_DIR");
  gboolean system_mode = !helper->session_bus && helper->bus_address == NULL && !helper->sandbox;

  if (system_mode)
    return pal_boot_new (PAL_BOOT_DIR, TRUE);
  if (test_dir == NULL || !g_path_is_absolute (test_dir))
    return pal_boot_new (NULL, FALSE);
  return pal_boot_new (test_dir, FALSE);
}

/* palisade-boot.service: the kernel side alone, no bus, no polkit. */
static int
apply_at_boot (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_directory = pal_helper_triggered_state_directory ();
  gint64 restored = 0;

  if (!pal_boot_apply_file (path, state_directory, &restored, &error))
    {
      g_printerr ("palisade-helper: %s\n", error->message);
      return 1;
    }
  g_print ("Applied %s; banned addresses restored from %s: %lld\n", path, state_directory,
           (long long) restored);
  return 0;
}

static gboolean
start_service (Helper  *helper,
               GError **error)
{
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(PalAuthorizer) authorizer = NULL;
  PalAuthorizerMode mode = (helper->sandbox || helper->session_bus) ? PAL_AUTHORIZER_SAME_USER
                                                                   : PAL_AUTHORIZER_POLKIT;
  GBusNameOwnerFlags flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT;

  firewall = pal_firewall_new (error);
  if (firewall == NULL)
    return FALSE;
  authorizer = pal_authorizer_new (mode, error);
  if (authorizer == NULL)
    return FALSE;
  helper->connection = connect_bus (helper, error);
  if (helper->connection == NULL)
    return FALSE;
  g_dbus_connection_set_exit_on_close (helper->connection, FALSE);
  g_signal_connect (helper->connection, "closed", G_CALLBACK (on_connection_closed), helper);

  helper->service = pal_helper_service_new (firewall, authorizer);
  helper->boot = new_boot (helper);
  pal_boot_serve (helper->boot, PAL_DBUS_FIREWALL1 (helper->service));
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (helper->service),
                                         helper->connection, PAL_OBJECT_PATH, error))
    return FALSE;

  if (helper->replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  helper->owner_id = g_bus_own_name_on_connection (helper->connection, PAL_BUS_NAME, flags,
                                                   on_name_acquired, on_name_lost, helper, NULL);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  Helper helper = { 0 };
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");

  if (!parse_options (&helper, &argc, &argv, &error) ||
      !prepare_process (&helper, &error))
    {
      g_printerr ("palisade-helper: %s\n", error->message);
      helper_clear (&helper);
      return 1;
    }

  if (helper.apply_at_boot != NULL)
    {
      int status = apply_at_boot (helper.apply_at_boot);

      helper_clear (&helper);
      return status;
    }

  helper.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, &helper);
  g_unix_signal_add (SIGTERM, on_signal, &helper);

  if (!start_service (&helper, &error))
    {
      g_printerr ("palisade-helper: %s\n", error->message);
      helper_clear (&helper);
      return 1;
    }
  if (!helper.no_idle_exit)
    g_timeout_add_seconds (IDLE_CHECK_SECONDS, check_idle, &helper);

  g_main_loop_run (helper.loop);

  /* Stopped (SIGTERM, SIGINT, the bus gone) with a change unconfirmed:
   * nobody can confirm it any more, so the previous table comes back. */
  if (helper.service != NULL)
    pal_helper_service_shutdown (helper.service);
  helper_clear (&helper);
  return helper.status;
}
