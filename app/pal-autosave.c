/* pal-autosave.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pal-autosave.h"
#include "pal-fwdoc.h"

#define GROUP "autosave"

struct _PalAutosave
{
  GObject    parent_instance;

  PalWindow *window;      /* not referenced: it owns us */
  char      *uuid;
  char      *path;        /* <uuid>.fwdoc */
  char      *sidecar;     /* <uuid>.ini */
  guint      quiet_source;
  gint64     pending_since;
};

G_DEFINE_FINAL_TYPE (PalAutosave, pal_autosave, G_TYPE_OBJECT)

char *
pal_autosave_get_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "palisade", "autosave", NULL);
}

static void
remove_files (PalAutosave *self)
{
  g_unlink (self->path);
  g_unlink (self->sidecar);
}

static gboolean
write_sidecar (PalAutosave  *self,
               GError      **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  GFile *original = pal_window_get_file (self->window);
  g_autofree char *uri = original != NULL ? g_file_get_uri (original) : g_strdup ("");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format_iso8601 (now);

  g_key_file_set_string (file, GROUP, "original", uri);
  g_key_file_set_string (file, GROUP, "time", time);
  g_key_file_set_int64 (file, GROUP, "pid", getpid ());
  return g_key_file_save_to_file (file, self->sidecar, error);
}

gboolean
pal_autosave_save_now (PalAutosave  *self,
                       GError      **error)
{
  g_autofree char *directory = pal_autosave_get_directory ();
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (PAL_IS_AUTOSAVE (self), FALSE);

  g_clear_handle_id (&self->quiet_source, g_source_remove);
  self->pending_since = 0;
  if (self->window == NULL || !pal_window_get_modified (self->window))
    {
      remove_files (self);
      return TRUE;
    }
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   _("Could not make %s: %s"), directory, g_strerror (errno));
      return FALSE;
    }
  data = pal_fwdoc_save_data (pal_window_get_document (self->window), &length);
  /* The document first: a sidecar never names a copy that is not there. */
  return g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)
         && write_sidecar (self, error);
}

static gboolean
on_quiet (gpointer user_data)
{
  PalAutosave *self = user_data;
  g_autoptr(GError) error = NULL;

  self->quiet_source = 0;
  if (!pal_autosave_save_now (self, &error))
    g_warning ("Autosave failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

void
pal_autosave_changed (PalAutosave *self)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (PAL_IS_AUTOSAVE (self));

  if (self->window == NULL || !pal_window_get_modified (self->window))
    {
      g_clear_handle_id (&self->quiet_source, g_source_remove);
      self->pending_since = 0;
      remove_files (self);
      return;
    }
  if (self->pending_since == 0)
    self->pending_since = now;
  /* Edits without a pause still get saved every PAL_AUTOSAVE_MAX_SECONDS. */
  if (now - self->pending_since >= PAL_AUTOSAVE_MAX_SECONDS * G_USEC_PER_SEC)
    {
      on_quiet (self);
      return;
    }
  g_clear_handle_id (&self->quiet_source, g_source_remove);
  self->quiet_source = g_timeout_add_seconds (PAL_AUTOSAVE_QUIET_SECONDS, on_quiet, self);
}

const char *
pal_autosave_get_path (PalAutosave *self)
{
  g_return_val_if_fail (PAL_IS_AUTOSAVE (self), NULL);
  return self->path;
}

static void
set_uuid (PalAutosave *self,
          const char  *uuid)
{
  g_autofree char *directory = pal_autosave_get_directory ();
  g_autofree char *document = g_strconcat (uuid, ".fwdoc", NULL);
  g_autofree char *sidecar = g_strconcat (uuid, ".ini", NULL);

  g_free (self->uuid);
  g_free (self->path);
  g_free (self->sidecar);
  self->uuid = g_strdup (uuid);
  self->path = g_build_filename (directory, document, NULL);
  self->sidecar = g_build_filename (directory, sidecar, NULL);
}

void
pal_autosave_discard (PalAutosave *self)
{
  g_return_if_fail (PAL_IS_AUTOSAVE (self));

  g_clear_handle_id (&self->quiet_source, g_source_remove);
  self->pending_since = 0;
  remove_files (self);
}

/* Only an answered close (pal_autosave_discard) removes the copy: a window
 * destroyed with unsaved changes leaves it to be offered next time. */
static void
pal_autosave_dispose (GObject *object)
{
  PalAutosave *self = PAL_AUTOSAVE (object);

  g_clear_handle_id (&self->quiet_source, g_source_remove);
  self->window = NULL;

  G_OBJECT_CLASS (pal_autosave_parent_class)->dispose (object);
}

static void
pal_autosave_finalize (GObject *object)
{
  PalAutosave *self = PAL_AUTOSAVE (object);

  g_free (self->uuid);
  g_free (self->path);
  g_free (self->sidecar);

  G_OBJECT_CLASS (pal_autosave_parent_class)->finalize (object);
}

static void
pal_autosave_class_init (PalAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_autosave_dispose;
  object_class->finalize = pal_autosave_finalize;
}

static void
pal_autosave_init (PalAutosave *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  set_uuid (self, uuid);
}

PalAutosave *
pal_autosave_for_window (PalWindow *window)
{
  PalAutosave *self;

  g_return_val_if_fail (PAL_IS_WINDOW (window), NULL);

  self = g_object_get_data (G_OBJECT (window), "pal-autosave");
  if (self != NULL)
    return self;
  self = g_object_new (PAL_TYPE_AUTOSAVE, NULL);
  self->window = window;
  g_object_set_data_full (G_OBJECT (window), "pal-autosave", self, g_object_unref);
  return self;
}

/* ------------------------------------------------------------ restoring */

static gboolean
process_alive (gint64 pid)
{
  return pid > 0 && pid <= G_MAXINT && (kill ((pid_t) pid, 0) == 0 || errno == EPERM);
}

GPtrArray *
pal_autosave_find_orphans (void)
{
  g_autofree char *directory = pal_autosave_get_directory ();
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  GPtrArray *orphans = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sidecar = NULL;
      g_autofree char *base = NULL;
      g_autoptr(GKeyFile) file = g_key_file_new ();

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      sidecar = g_build_filename (directory, name, NULL);
      base = g_strndup (sidecar, strlen (sidecar) - strlen (".ini"));
      if (!g_key_file_load_from_file (file, sidecar, 0, NULL)
          || process_alive (g_key_file_get_int64 (file, GROUP, "pid", NULL)))
        continue;
      g_ptr_array_add (orphans, g_strconcat (base, ".fwdoc", NULL));
    }
  return orphans;
}

/* The original file named by the sidecar of path, or NULL. */
static GFile *
original_of (const char *path)
{
  g_autofree char *base = g_strndup (path, strlen (path) - strlen (".fwdoc"));
  g_autofree char *sidecar = g_strconcat (base, ".ini", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *uri = NULL;

  if (!g_key_file_load_from_file (file, sidecar, 0, NULL))
    return NULL;
  uri = g_key_file_get_string (file, GROUP, "original", NULL);
  return uri != NULL && *uri != '\0' ? g_file_new_for_uri (uri) : NULL;
}

static void
restore_one (GtkApplication *application,
             const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) original = original_of (path);
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *base = NULL;
  PalWindow *window;
  PalAutosave *self;

  document = pal_fwdoc_load_file (file, NULL, NULL, &error);
  if (document == NULL)
    {
      g_warning ("Could not restore %s: %s", path, error->message);
      return;
    }
  window = pal_window_new (application);
  pal_window_set_document (window, document, original);
  /* The restored changes are in no file yet: closing must ask, and the
   * copy stays until they are saved or discarded. */
  pal_window_mark_restored (window);
  self = pal_autosave_for_window (window);
  base = g_path_get_basename (path);
  uuid = g_strndup (base, strlen (base) - strlen (".fwdoc"));
  set_uuid (self, uuid);
  /* Rewritten with this process's pid: not an orphan while we run. */
  if (!pal_autosave_save_now (self, &error))
    g_warning ("Could not keep the restored copy %s: %s", path, error->message);
  pal_window_set_status (window, FALSE, "%s",
                         _("Restored from the copy kept after Palisade stopped unexpectedly: save it to keep it"));
  gtk_window_present (GTK_WINDOW (window));
}

static void
discard_one (const char *path)
{
  g_autofree char *base = g_strndup (path, strlen (path) - strlen (".fwdoc"));
  g_autofree char *sidecar = g_strconcat (base, ".ini", NULL);

  g_unlink (path);
  g_unlink (sidecar);
}

static void
on_restore_response (AdwMessageDialog *dialog,
                     const char       *response,
                     GPtrArray        *orphans)
{
  GtkApplication *application = gtk_window_get_application (gtk_window_get_transient_for (GTK_WINDOW (dialog)));

  for (guint i = 0; i < orphans->len; i++)
    {
      const char *path = g_ptr_array_index (orphans, i);

      if (g_strcmp0 (response, "restore") == 0 && application != NULL)
        restore_one (application, path);
      else if (g_strcmp0 (response, "discard") == 0)
        discard_one (path);
    }
}

static char *
describe_orphans (GPtrArray *orphans)
{
  g_autoptr(GString) text = g_string_new (_("Palisade stopped while these documents had unsaved changes:"));

  for (guint i = 0; i < orphans->len; i++)
    {
      g_autoptr(GFile) original = original_of (g_ptr_array_index (orphans, i));
      g_autofree char *name = original != NULL ? g_file_get_basename (original) : g_strdup (_("Untitled document"));

      g_string_append_printf (text, "\n• %s", name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
pal_autosave_offer_restore (GtkApplication *application,
                            GtkWindow      *parent)
{
  g_autoptr(GPtrArray) orphans = pal_autosave_find_orphans ();
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (GTK_IS_WINDOW (parent));

  if (orphans->len == 0)
    return;
  body = describe_orphans (orphans);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Restore Unsaved Documents?"), body));
  adw_message_dialog_add_responses (dialog, "discard", _("_Discard"), "later", _("_Not Now"),
                                    "restore", _("_Restore"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "later");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_restore_response),
                         g_ptr_array_ref (orphans), (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
