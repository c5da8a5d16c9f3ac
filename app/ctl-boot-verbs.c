/* ctl-boot-verbs.c — palisadectl boot: the firewall the machine applies at
 * boot ("Use at boot").
 *
 * "boot FILE" sends the document's text to the helper (SetBootDocument),
 * which validates it, installs it as /etc/palisade/boot.fwdoc and enables
 * palisade-boot.service; "--off" sends "" (file removed, unit disabled);
 * "--status" reads the installed file itself (it is world-readable) and asks
 * systemd, when there is one, whether the unit is enabled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ctl-common.h"
#include "ctl-target.h"
#include "ctl-verb.h"
#include "pal-document.h"
#include "pal-fwdoc.h"
#include "pal-problem.h"

#define BOOT_DIR  "/etc/palisade"
#define BOOT_FILE "boot.fwdoc"
#define BOOT_UNIT "palisade-boot.service"
/* Changing the boot firewall may wait for a password. */
#define INTERACTIVE_TIMEOUT_MSEC G_MAXINT

typedef struct
{
  PalCtlTarget  target;
  gboolean      off;
  gboolean      status;
} BootOptions;

static void
boot_options_clear (BootOptions *options)
{
  pal_ctl_target_clear (&options->target);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BootOptions, boot_options_clear)

/* A helper on a test or sandbox bus keeps its boot document where the
 * test said (PAL_HELPER_BOOT_DIR); the system's is in /etc/palisade. */
static char *
boot_path (BootOptions *options)
{
  const char *test_dir = g_getenv ("PAL_HELPER_BOOT_DIR");

  if ((options->target.sandbox || options->target.bus_address != NULL) &&
      test_dir != NULL && g_path_is_absolute (test_dir))
    return g_build_filename (test_dir, BOOT_FILE, NULL);
  return g_build_filename (BOOT_DIR, BOOT_FILE, NULL);
}

/* document: the text to install, or "" for --off. */
static gboolean
set_boot_document (BootOptions  *options,
                   const char   *document)
{
  g_autoptr(PalDBusFirewall1) proxy = pal_ctl_target_connect (&options->target, FALSE);
  g_autoptr(GError) error = NULL;

  if (proxy == NULL)
    return FALSE;
  if (!pal_dbus_firewall1_call_set_boot_document_sync (proxy, document,
                                                       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                                                       INTERACTIVE_TIMEOUT_MSEC, NULL, &error))
    {
      pal_ctl_target_print_error (error);
      return FALSE;
    }
  return TRUE;
}

/* The file is checked here first, so problems name the user's file.
 * saved_on: the document's master switch as saved. */
static char *
read_valid_document (const char *path,
                     gboolean   *saved_on)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display_name = g_file_get_parse_name (file);
  char *text = NULL;

  document = pal_fwdoc_load_file (file, NULL, &problems, &error);
  if (document == NULL && problems != NULL && problems->len > 0)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), display_name);
          g_autofree char *safe = pal_ctl_text_sanitize (line, 0);

          g_printerr ("%s\n", safe);
        }
      return NULL;
    }
  if (document == NULL || !g_file_load_contents (file, NULL, &text, NULL, NULL, &error))
    {
      g_autofree char *safe = pal_ctl_text_sanitize (error->message, 0);

      pal_ctl_error ("%s", safe);
      return NULL;
    }
  *saved_on = pal_document_get_enabled (document);
  return text;
}

/* "enabled", "disabled", … from systemd, or NULL when there is none. */
static char *
unit_file_state (void)
{
  g_autoptr(GDBusConnection) system_bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  char *state = NULL;

  if (!g_file_test ("/run/systemd/system", G_FILE_TEST_IS_DIR))
    return NULL;
  system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);
  if (system_bus != NULL)
    reply = g_dbus_connection_call_sync (system_bus, "org.freedesktop.systemd1",
                                         "/org/freedesktop/systemd1",
                                         "org.freedesktop.systemd1.Manager", "GetUnitFileState",
                                         g_variant_new ("(s)", BOOT_UNIT), G_VARIANT_TYPE ("(s)"),
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(s)", &state);
  return state;
}

static int
print_status (BootOptions *options)
{
  g_autofree char *path = boot_path (options);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = unit_file_state ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print (_("No firewall is applied at boot (%s does not exist)\n"), path);
      return PAL_CTL_EXIT_OK;
    }
  document = pal_fwdoc_load_file (file, NULL, NULL, &error);
  if (document == NULL)
    {
      g_autofree char *safe = pal_ctl_text_sanitize (error->message, 0);

      pal_ctl_error (_("%s is installed but cannot be read: %s"), path, safe);
      return PAL_CTL_EXIT_FAILURE;
    }
  g_print (_("At boot: %s\n"), path);
  if (state != NULL)
    g_print (_("%s: %s\n"), BOOT_UNIT, state);
  return PAL_CTL_EXIT_OK;
}

static int
run_boot (int    argc,
          char **argv)
{
  g_auto(BootOptions) options = { { 0 } };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *text = NULL;
  gboolean saved_on = TRUE;
  const GOptionEntry entries[] = {
    { "off", 0, 0, G_OPTION_ARG_NONE, &options.off,
      N_("Apply no firewall at boot any more: remove the boot document, disable the unit"), NULL },
    { "status", 0, 0, G_OPTION_ARG_NONE, &options.status,
      N_("Say whether a document is applied at boot"), NULL },
    PAL_CTL_TARGET_OPTIONS (options.target),
    { NULL }
  };

  context = pal_ctl_option_context_new (_("FILE | --off | --status"),
                                        _("Installs FILE as the firewall the machine applies at boot, "
                                          "before the network comes up (/etc/palisade/boot.fwdoc, "
                                          "palisade-boot.service). Needs the io.github.palisade.boot "
                                          "authorization."),
                                        entries);
  if (!pal_ctl_parse_options (context, &argc, &argv))
    return PAL_CTL_EXIT_USAGE;
  if ((options.off ? 1 : 0) + (options.status ? 1 : 0) + (argc > 1 ? 1 : 0) != 1 || argc > 2)
    return pal_ctl_usage_error (_("Give one document, or --off, or --status"));

  if (options.status)
    return print_status (&options);
  if (options.off)
    {
      if (!set_boot_document (&options, ""))
        return PAL_CTL_EXIT_FAILURE;
      g_print (_("No firewall is applied at boot any more\n"));
      return PAL_CTL_EXIT_OK;
    }
  text = read_valid_document (argv[1], &saved_on);
  if (text == NULL || !set_boot_document (&options, text))
    return PAL_CTL_EXIT_FAILURE;
  g_print (_("%s is applied at boot from now on\n"), argv[1]);
  /* A dormant table protects nothing: the point of a boot firewall. */
  if (!saved_on)
    g_print (_("Its master switch is saved off: at boot its rules load but filter nothing. "
               "Save it on to be protected from boot.\n"));
  return PAL_CTL_EXIT_OK;
}

const PalCtlVerb pal_ctl_boot_verbs[] = {
  { "boot", N_("FILE | --off | --status"), N_("Apply a document at boot, before the network is up"), run_boot },
  { NULL }
};
