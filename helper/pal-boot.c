/* pal-boot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pal-boot.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-triggered.h"

#define SYSTEMD_NAME      "org.freedesktop.systemd1"
#define SYSTEMD_PATH      "/org/freedesktop/systemd1"
#define SYSTEMD_INTERFACE "org.freedesktop.systemd1.Manager"
/* Enabling waits for systemd to write its symlinks, nothing more. */
#define SYSTEMD_TIMEOUT_MSEC 25000

struct _PalBoot
{
  GObject   parent_instance;

  char     *dir;
  char     *path;
  gboolean  use_systemd;
  /* One change at a time: the file and the unit must agree. */
  GMutex    lock;
};

G_DEFINE_FINAL_TYPE (PalBoot, pal_boot, G_TYPE_OBJECT)

static void
pal_boot_finalize (GObject *object)
{
  PalBoot *self = PAL_BOOT (object);

  g_free (self->dir);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pal_boot_parent_class)->finalize (object);
}

static void
pal_boot_class_init (PalBootClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_boot_finalize;
}

static void
pal_boot_init (PalBoot *self)
{
  g_mutex_init (&self->lock);
}

PalBoot *
pal_boot_new (const char *dir,
              gboolean    use_systemd)
{
  PalBoot *self;

  g_return_val_if_fail (dir == NULL || g_path_is_absolute (dir), NULL);

  self = g_object_new (PAL_TYPE_BOOT, NULL);
  self->dir = g_strdup (dir);
  self->path = dir != NULL ? g_build_filename (dir, PAL_BOOT_FILE_NAME, NULL) : NULL;
  self->use_systemd = use_systemd;
  return self;
}

const char *
pal_boot_get_path (PalBoot *self)
{
  g_return_val_if_fail (PAL_IS_BOOT (self), NULL);
  return self->path;
}

/* ------------------------------------------------------------ the document */

/* As a file would be read, then compiled: what boots must be able to load. */
static PalDocument *
check_document (const char  *text,
                GError     **error)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *compiled = NULL;
  gsize length = strlen (text);

  if (length > PAL_BOOT_MAX_SIZE)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "The document is larger than %d MiB", PAL_BOOT_MAX_SIZE / (1024 * 1024));
      return NULL;
    }
  document = pal_fwdoc_load_data (text, length, PAL_BOOT_FILE_NAME, NULL, &local_error);
  if (document != NULL)
    compiled = pal_firewall_export (document, &local_error);
  if (compiled == NULL)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                           local_error->message);
      return NULL;
    }
  return g_steal_pointer (&document);
}

/* Atomically: a crash leaves the old document or the new one, never half. */
static gboolean
write_document (PalBoot      *self,
                PalDocument  *document,
                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  if (g_mkdir_with_parents (self->dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "Cannot create %s: %s", self->dir, g_strerror (saved_errno));
      return FALSE;
    }
  data = pal_fwdoc_save_data (document, &length);
  if (!g_file_set_contents_full (self->path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, &local_error))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "Cannot write the boot document: %s", local_error->message);
      return FALSE;
    }
  /* The service's umask is 0077; palisadectl boot --status reads it. */
  g_chmod (self->path, 0644);
  return TRUE;
}

static gboolean
remove_document (PalBoot  *self,
                 GError  **error)
{
  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "Cannot remove %s: %s", self->path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------ the unit */

static gboolean
systemd_call (GDBusConnection     *system_bus,
              const char          *method,
              GVariant            *parameters,
              const GVariantType  *reply_type,
              GError             **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) local_error = NULL;

  reply = g_dbus_connection_call_sync (system_bus, SYSTEMD_NAME, SYSTEMD_PATH, SYSTEMD_INTERFACE,
                                       method, parameters, reply_type, G_DBUS_CALL_FLAGS_NONE,
                                       SYSTEMD_TIMEOUT_MSEC, NULL, &local_error);
  if (reply == NULL)
    {
      g_dbus_error_strip_remote_error (local_error);
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                   "systemd refused %s of %s: %s", method, PAL_BOOT_UNIT, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_unit_enabled (GDBusConnection  *system_bus,
                  gboolean          enabled,
                  GError          **error)
{
  const char *units[] = { PAL_BOOT_UNIT, NULL };
  gboolean done;

  if (enabled)
    done = systemd_call (system_bus, "EnableUnitFiles",
                         g_variant_new ("(^asbb)", units, FALSE, FALSE),
                         G_VARIANT_TYPE ("(ba(sss))"), error);
  else
    done = systemd_call (system_bus, "DisableUnitFiles",
                         g_variant_new ("(^asb)", units, FALSE),
                         G_VARIANT_TYPE ("(a(sss))"), error);
  /* systemd reads its changed symlinks only when reloaded. */
  return done && systemd_call (system_bus, "Reload", NULL, NULL, error);
}

/* Refuse before changing anything rather than leave a file nothing reads. */
static gboolean
check_systemd (GError **error)
{
  if (g_file_test ("/run/systemd/system", G_FILE_TEST_IS_DIR))
    return TRUE;
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_NOT_SUPPORTED,
                       "systemd is not running on this machine, so "
                       PAL_BOOT_UNIT " cannot apply a document at boot; nothing was changed");
  return FALSE;
}

/* ------------------------------------------------------------ public */

static gboolean
set_document_locked (PalBoot          *self,
                     GDBusConnection  *system_bus,
                     const char       *text,
                     GError          **error)
{
  g_autoptr(PalDocument) document = NULL;

  if (self->dir == NULL)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_NOT_SUPPORTED,
                           "This helper serves a test or sandbox bus and has no boot firewall "
                           "(PAL_HELPER_BOOT_DIR gives it a directory for tests)");
      return FALSE;
    }
  if (text[0] == '\0')
    {
      if (!remove_document (self, error))
        return FALSE;
      return !self->use_systemd || set_unit_enabled (system_bus, FALSE, error);
    }
  document = check_document (text, error);
  if (document == NULL)
    return FALSE;
  if (self->use_systemd && !check_systemd (error))
    return FALSE;
  /* The unit first: it does nothing without the file (ConditionPathExists),
   * and a failed write then leaves the previous boot document in force. */
  if (self->use_systemd && !set_unit_enabled (system_bus, TRUE, error))
    return FALSE;
  return write_document (self, document, error);
}

gboolean
pal_boot_set_document (PalBoot          *self,
                       GDBusConnection  *system_bus,
                       const char       *document,
                       GError          **error)
{
  gboolean done;

  g_return_val_if_fail (PAL_IS_BOOT (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (system_bus), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);

  g_mutex_lock (&self->lock);
  done = set_document_locked (self, system_bus, document, error);
  g_mutex_unlock (&self->lock);
  if (done)
    g_message ("Boot firewall %s", document[0] != '\0' ? "installed" : "removed");
  return done;
}

static gboolean
on_handle_set_boot_document (PalDBusFirewall1      *object,
                             GDBusMethodInvocation *invocation,
                             const char            *document,
                             gpointer               user_data)
{
  PalBoot *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pal_boot_set_document (self, g_dbus_method_invocation_get_connection (invocation),
                              document, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    pal_dbus_firewall1_complete_set_boot_document (object, invocation);
  return TRUE;
}

void
pal_boot_serve (PalBoot          *self,
                PalDBusFirewall1 *service)
{
  g_return_if_fail (PAL_IS_BOOT (self));
  g_return_if_fail (PAL_DBUS_IS_FIREWALL1 (service));

  g_signal_connect_object (service, "handle-set-boot-document",
                           G_CALLBACK (on_handle_set_boot_document), self, 0);
}

static gint64
restore_triggered (const char *state_directory)
{
  g_autoptr(PalTriggered) triggered = NULL;
  g_autoptr(GError) error = NULL;
  gint64 restored = -1;

  triggered = pal_triggered_new (&error);
  if (triggered != NULL)
    restored = pal_triggered_restore (triggered, state_directory, &error);
  if (restored < 0)
    g_printerr ("palisade-helper: the banned addresses saved in %s are not restored: %s\n",
                state_directory, error->message);
  return MAX (restored, 0);
}

gboolean
pal_boot_apply_file (const char  *path,
                     const char  *state_directory,
                     gint64      *restored,
                     GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(PalFirewall) firewall = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (state_directory != NULL, FALSE);
  g_return_val_if_fail (restored != NULL, FALSE);

  file = g_file_new_for_commandline_arg (path);
  document = pal_fwdoc_load_file (file, NULL, NULL, error);
  if (document == NULL)
    return FALSE;
  firewall = pal_firewall_new (error);
  if (firewall == NULL)
    return FALSE;
  if (!pal_firewall_apply (firewall, document, error))
    return FALSE;
  *restored = restore_triggered (state_directory);
  return TRUE;
}
