/* pal-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-autosave.h"
#include "pal-application.h"
#include "pal-preferences-window.h"
#include "pal-templates.h"
#include "pal-window-private.h"

struct _PalApplication
{
  AdwApplication   parent_instance;

  PalHelperClient *helper;
  gboolean         sandbox;
};

G_DEFINE_FINAL_TYPE (PalApplication, pal_application, ADW_TYPE_APPLICATION)

static PalWindow *
find_window_for (PalApplication *self,
                 GFile          *file)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PAL_IS_WINDOW (l->data) && pal_window_get_file (l->data) != NULL
        && g_file_equal (pal_window_get_file (l->data), file))
      return l->data;
  return NULL;
}

PalWindow *
pal_application_open_file (PalApplication *self,
                           GFile          *file,
                           PalWindow      *from)
{
  PalWindow *window;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PAL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* One window per document, as in IPNetSentryX. */
  window = find_window_for (self, file);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }

  window = from != NULL && pal_window_is_pristine (from) ? from : pal_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  if (pal_window_load_file (window, file, &error))
    {
      g_autofree char *uri = g_file_get_uri (file);

      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
      /* Saved with the firewall On: opening it sets the firewall, as a
       * document among the login items did in IPNetSentryX. */
      if (pal_document_get_enabled (pal_window_get_document (window)))
        _pal_window_helper_apply_on_open (window);
    }
  else
    _pal_window_show_error (window, _("Could Not Open the Document"), error);
  return window;
}

static PalWindow *
get_active_pal_window (PalApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  return PAL_IS_WINDOW (active) ? PAL_WINDOW (active) : NULL;
}

static void
open_uri_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PalApplication *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  pal_application_open_file (self, file, get_active_pal_window (self));
}

static void
new_from_template_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  PalApplication *self = user_data;
  PalWindow *from = get_active_pal_window (self);
  PalWindow *window;
  g_autoptr(GError) error = NULL;

  window = from != NULL && pal_window_is_pristine (from) ? from : pal_window_new (GTK_APPLICATION (self));
  if (!pal_window_load_template (window, g_variant_get_string (parameter, NULL), &error))
    _pal_window_show_error (window, _("Could Not Open the Template"), error);
  gtk_window_present (GTK_WINDOW (window));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (pal_window_new (GTK_APPLICATION (user_data))));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PalApplication *self = user_data;
  static const char *developers[] = { "The Palisade authors", NULL };

  adw_show_about_window (GTK_WINDOW (get_active_pal_window (self)),
                         "application-name", _("Palisade"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Palisade authors"),
                         "developers", developers,
                         "comments", _("A firewall whose settings are documents: edit the rules as an outline, "
                                       "Apply them to the kernel, and watch every rule count its packets."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/palisade/palisade",
                         NULL);
}

/* The manual is palisade(1); under GNOME, Help (yelp) shows man: URIs. */
#define MANUAL_URI "man:palisade(1)"

static void
manual_shown_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PalWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;
  g_prefix_error (&error, _("No program here shows manual pages (%s); “man palisade” in a terminal does: "),
                  MANUAL_URI);
  _pal_window_show_error (window, _("Could Not Open the Manual"), error);
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PalWindow *window = get_active_pal_window (user_data);

  if (window != NULL)
    gtk_show_uri_full (GTK_WINDOW (window), MANUAL_URI, GDK_CURRENT_TIME, NULL,
                       manual_shown_cb, g_object_ref (window));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  PalApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (pal_preferences_window_new (GTK_WINDOW (get_active_pal_window (self)))));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PalApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Each window asks about its own unsaved changes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "new-window", new_window_action },
  { "new-from-template", new_from_template_action, "s" },
  { "open-uri", open_uri_action, "s" },
  { "preferences", preferences_action },
  { "about", about_action },
  { "help", help_action },
  { "quit", quit_action },
};

static const struct
{
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.new-window", { NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.new-sibling", { "<Control>n", NULL } },
  { "win.new-child", { "<Control><Shift>n", NULL } },
  { "win.new-before", { "<Alt>n", NULL } },
  { "win.rename", { "F2", NULL } },
  { "win.toggle-enabled", { "<Control>e", NULL } },
  { "win.expand-all", { "<Control>asterisk", "<Control>KP_Multiply", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.close", { "<Control>w", NULL } },
  { "win.show-log", { "<Control>l", NULL } },
  { "win.show-tab::filters", { "<Alt>1", NULL } },
  { "win.show-tab::interfaces", { "<Alt>2", NULL } },
  { "win.show-tab::triggered", { "<Alt>3", NULL } },
  { "win.apply", { "<Control>Return", NULL } },
  { "win.show-active", { "<Control><Shift>r", NULL } },
};

PalHelperClient *
pal_application_get_helper (PalApplication *self)
{
  g_return_val_if_fail (PAL_IS_APPLICATION (self), NULL);
  return self->helper;
}

void
pal_application_set_sandbox (PalApplication *self,
                             gboolean        sandbox)
{
  g_return_if_fail (PAL_IS_APPLICATION (self));
  g_return_if_fail (self->helper == NULL);

  self->sandbox = !!sandbox;
}

static void
helper_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Windows follow the client's "available" property; this only logs. */
  if (!pal_helper_client_connect_finish (PAL_HELPER_CLIENT (source), result, &error))
    g_message ("%s", pal_helper_client_get_unavailable_reason (PAL_HELPER_CLIENT (source)));
}

static void
pal_application_startup (GApplication *application)
{
  PalApplication *self = PAL_APPLICATION (application);

  G_APPLICATION_CLASS (pal_application_parent_class)->startup (application);

  self->helper = pal_helper_client_new (self->sandbox ? PAL_HELPER_BUS_SANDBOX : PAL_HELPER_BUS_SYSTEM);
  pal_helper_client_connect_async (self->helper, NULL, helper_connected_cb, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
pal_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (pal_window_new (GTK_APPLICATION (application)));
      gtk_window_present (window);
      /* The first window: offer what a crashed run left unsaved. */
      pal_autosave_offer_restore (GTK_APPLICATION (application), window);
      return;
    }
  gtk_window_present (window);
}

static void
pal_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  PalApplication *self = PAL_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    pal_application_open_file (self, files[i], NULL);
}

static int
pal_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  PalApplication *self = PAL_APPLICATION (application);

  /* The sandbox is a different firewall: such an instance must not hand
   * its files to a running instance that talks to the real one. */
  if (g_variant_dict_contains (options, "sandbox"))
    {
      self->sandbox = TRUE;
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }
  return -1;
}

static void
pal_application_dispose (GObject *object)
{
  PalApplication *self = PAL_APPLICATION (object);

  g_clear_object (&self->helper);

  G_OBJECT_CLASS (pal_application_parent_class)->dispose (object);
}

static void
pal_application_class_init (PalApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pal_application_dispose;
  application_class->handle_local_options = pal_application_handle_local_options;
  application_class->startup = pal_application_startup;
  application_class->activate = pal_application_activate;
  application_class->open = pal_application_open;
}

static const GOptionEntry options[] = {
  { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Use the sandbox helper (palisade-helper --sandbox) instead of the system firewall"), NULL },
  { NULL }
};

static void
pal_application_init (PalApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

PalApplication *
pal_application_new (void)
{
  return g_object_new (PAL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/palisade/Palisade",
                       NULL);
}
