/* pal-sandbox-runner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "pal-sandbox.h"
#include "pal-sandbox-runner.h"

struct _PalSandboxRunner
{
  char  *directory;
  char  *address;
  GPid   bus_pid;
  int    lock_fd;
  guint  locked : 1;
};

static char *
sandbox_path (PalSandboxRunner *self,
              const char       *name)
{
  return g_build_filename (self->directory, name, NULL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

/* The directory holds the bus socket: it must be ours and private, even
 * when the runtime directory fell back to somewhere shared. */
static gboolean
make_directory (PalSandboxRunner  *self,
                GError           **error)
{
  struct stat st;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    return set_errno_error (error, errno, self->directory);
  if (lstat (self->directory, &st) != 0)
    return set_errno_error (error, errno, self->directory);
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s is not a directory of this user", self->directory);
      return FALSE;
    }
  if (chmod (self->directory, 0700) != 0)
    return set_errno_error (error, errno, self->directory);
  return TRUE;
}

static gboolean
take_lock (PalSandboxRunner  *self,
           GError           **error)
{
  g_autofree char *path = sandbox_path (self, "lock");

  self->lock_fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (self->lock_fd < 0)
    return set_errno_error (error, errno, path);
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK)
        return set_errno_error (error, errno, path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   "A sandbox is already running (its files are in %s)", self->directory);
      return FALSE;
    }
  self->locked = TRUE;
  return TRUE;
}

/* A session-type bus that only this user can connect to. */
static gboolean
write_bus_config (PalSandboxRunner  *self,
                  GError           **error)
{
  g_autofree char *config_path = sandbox_path (self, "bus.conf");
  g_autofree char *socket_path = sandbox_path (self, "bus-socket");
  g_autofree char *escaped = g_markup_escape_text (socket_path, -1);
  g_autofree char *config = NULL;

  g_unlink (socket_path);
  config = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                            "<!-- Written by palisade-helper in sandbox mode; removed when it stops. -->\n"
                            "<busconfig>\n"
                            "  <type>session</type>\n"
                            "  <listen>unix:path=%s</listen>\n"
                            "  <auth>EXTERNAL</auth>\n"
                            "  <policy context=\"default\">\n"
                            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                            "    <allow eavesdrop=\"true\"/>\n"
                            "    <allow own=\"*\"/>\n"
                            "  </policy>\n"
                            "</busconfig>\n", escaped);
  return g_file_set_contents_full (config_path, config, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0600, error);
}

/* The bus must not outlive the helper, even if the helper crashes. */
static void
bus_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static char *
read_line (int      fd,
           GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  char c;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, "Reading the sandbox bus's address");
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      g_string_append_c (line, c);
    }
  if (line->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "The sandbox's dbus-daemon did not start");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* No child watch: that would start a thread before the namespaces are made. */
static gboolean
start_bus (PalSandboxRunner  *self,
           GError           **error)
{
  g_autofree char *config_path = sandbox_path (self, "bus.conf");
  g_autofree char *config_arg = g_strconcat ("--config-file=", config_path, NULL);
  const char *argv[] = { "dbus-daemon", config_arg, "--nofork", "--nopidfile",
                         "--print-address=1", NULL };
  int out_fd = -1;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                 bus_child_setup, NULL, &self->bus_pid,
                                 NULL, &out_fd, NULL, error))
    return FALSE;
  self->address = read_line (out_fd, error);
  close (out_fd);
  return self->address != NULL;
}

static gboolean
write_proc_file (const char  *name,
                 const char  *contents,
                 GError     **error)
{
  g_autofree char *path = g_build_filename ("/proc/self", name, NULL);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gsize length = strlen (contents);
  gboolean ok;

  if (fd < 0)
    return set_errno_error (error, errno, path);
  ok = write (fd, contents, length) == (ssize_t) length;
  if (!ok)
    set_errno_error (error, errno, path);
  close (fd);
  return ok;
}

/* Keep our own uid and gid inside (mapped to themselves), so the bus, which
 * stays outside, sees the same user on both ends of its sockets. */
static gboolean
enter_namespaces (GError **error)
{
  g_autofree char *uid_map = g_strdup_printf ("%u %u 1\n", getuid (), getuid ());
  g_autofree char *gid_map = g_strdup_printf ("%u %u 1\n", getgid (), getgid ());

  if (unshare (CLONE_NEWUSER | CLONE_NEWNET) != 0)
    return set_errno_error (error, errno,
                            "Cannot create a user and network namespace for the sandbox");
  return write_proc_file ("uid_map", uid_map, error) &&
         write_proc_file ("setgroups", "deny", error) &&
         write_proc_file ("gid_map", gid_map, error);
}

static gboolean
bring_up_loopback (GError **error)
{
  struct ifreq request = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return set_errno_error (error, errno, "socket");
  g_strlcpy (request.ifr_name, "lo", sizeof request.ifr_name);
  ok = ioctl (fd, SIOCGIFFLAGS, &request) == 0;
  if (ok)
    {
      request.ifr_flags |= IFF_UP;
      ok = ioctl (fd, SIOCSIFFLAGS, &request) == 0;
    }
  if (!ok)
    set_errno_error (error, errno, "Cannot bring up the sandbox's loopback interface");
  close (fd);
  return ok;
}

PalSandboxRunner *
pal_sandbox_runner_start (GError **error)
{
  g_autoptr(PalSandboxRunner) self = g_new0 (PalSandboxRunner, 1);

  self->lock_fd = -1;
  self->directory = pal_sandbox_get_directory ();
  if (!make_directory (self, error) ||
      !take_lock (self, error) ||
      !write_bus_config (self, error) ||
      !start_bus (self, error) ||
      !enter_namespaces (error) ||
      !bring_up_loopback (error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
pal_sandbox_runner_get_address (PalSandboxRunner *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->address;
}

gboolean
pal_sandbox_runner_publish (PalSandboxRunner  *self,
                            GError           **error)
{
  g_autofree char *path = pal_sandbox_get_address_file ();
  g_autofree char *contents = g_strconcat (self->address, "\n", NULL);

  g_return_val_if_fail (self != NULL, FALSE);

  return g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
stop_bus (PalSandboxRunner *self)
{
  int status;

  if (self->bus_pid <= 0)
    return;
  kill (self->bus_pid, SIGTERM);
  while (waitpid (self->bus_pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (self->bus_pid);
  self->bus_pid = 0;
}

void
pal_sandbox_runner_free (PalSandboxRunner *self)
{
  const char *files[] = { "bus", "bus-socket", "bus.conf", "lock" };

  if (self == NULL)
    return;

  stop_bus (self);
  /* Only the lock holder may clean up: another sandbox may own the files. */
  if (self->locked)
    {
      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = sandbox_path (self, files[i]);
          g_unlink (path);
        }
      g_rmdir (self->directory);
    }
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->directory);
  g_free (self->address);
  g_free (self);
}
