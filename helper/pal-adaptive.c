/* pal-adaptive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <systemd/sd-journal.h>

#include "pal-adaptive.h"
#include "pal-value.h"

/* Bytes read from a log file at once. */
#define READ_CHUNK 65536
/* A line longer than this is not sshd's: dropped. */
#define MAX_LINE 8192
/* Connections remembered per address (their ports), so one attempt is
 * not counted twice. */
#define MAX_CONNECTIONS 16

typedef enum
{
  EVENT_NONE,
  EVENT_FAILED,       /* Failed <method> for … */
  EVENT_INVALID,      /* Invalid user … */
  EVENT_CLOSED,       /* Connection closed by authenticating user … [preauth] */
  EVENT_ACCEPTED,
} EventKind;

typedef struct
{
  guint    port;
  guint    counted;          /* failures counted for this connection */
  gboolean invalid_pending;  /* "Invalid user" counted; its "Failed" is the same attempt */
} Connection;

typedef struct
{
  GArray  *failures;         /* gint64 monotonic µs of each failure */
  GArray  *connections;      /* Connection, newest last */
  guint    bans;             /* bans so far */
} Offender;

struct _PalAdaptive
{
  GObject               parent_instance;

  PalTriggered         *triggered;
  PalAdaptiveSettings  *settings;
  GArray               *trusted;      /* PalAddressRange */
  GHashTable           *offenders;    /* canonical address → Offender */

  sd_journal           *journal;
  guint                 journal_source;

  char                 *path;
  GFileMonitor         *monitor;
  int                   fd;
  dev_t                 device;
  ino_t                 inode;
  off_t                 offset;
  GString              *partial;
};

G_DEFINE_FINAL_TYPE (PalAdaptive, pal_adaptive, G_TYPE_OBJECT)

enum {
  SIGNAL_BANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
offender_free (gpointer data)
{
  Offender *offender = data;

  g_array_unref (offender->failures);
  g_array_unref (offender->connections);
  g_free (offender);
}

static void
pal_adaptive_finalize (GObject *object)
{
  PalAdaptive *self = PAL_ADAPTIVE (object);

  pal_adaptive_stop (self);
  g_clear_object (&self->triggered);
  g_clear_pointer (&self->settings, pal_adaptive_settings_free);
  g_clear_pointer (&self->trusted, g_array_unref);
  g_clear_pointer (&self->offenders, g_hash_table_unref);
  g_string_free (self->partial, TRUE);

  G_OBJECT_CLASS (pal_adaptive_parent_class)->finalize (object);
}

static void
pal_adaptive_class_init (PalAdaptiveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_adaptive_finalize;

  /**
   * PalAdaptive::banned:
   * @address: the address banned
   * @reason: why, as the triggered table shows it
   */
  signals[SIGNAL_BANNED] =
    g_signal_new ("banned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
pal_adaptive_init (PalAdaptive *self)
{
  self->settings = pal_adaptive_settings_new ();
  self->trusted = g_array_new (FALSE, FALSE, sizeof (PalAddressRange));
  self->offenders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, offender_free);
  self->partial = g_string_new (NULL);
  self->fd = -1;
}

PalAdaptive *
pal_adaptive_new (PalTriggered *triggered)
{
  PalAdaptive *self;

  g_return_val_if_fail (PAL_IS_TRIGGERED (triggered), NULL);

  self = g_object_new (PAL_TYPE_ADAPTIVE, NULL);
  self->triggered = g_object_ref (triggered);
  return self;
}

void
pal_adaptive_configure (PalAdaptive               *self,
                        const PalAdaptiveSettings *settings,
                        const char * const        *trusted)
{
  g_return_if_fail (PAL_IS_ADAPTIVE (self));
  g_return_if_fail (settings != NULL);

  g_clear_pointer (&self->settings, pal_adaptive_settings_free);
  self->settings = pal_adaptive_settings_copy (settings);
  g_array_set_size (self->trusted, 0);
  for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++)
    {
      g_autoptr(PalValue) value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, trusted[i], NULL);

      if (value != NULL && value->addresses != NULL)
        g_array_append_vals (self->trusted, value->addresses->data, value->addresses->len);
    }
  if (!settings->enabled)
    g_hash_table_remove_all (self->offenders);
}

/* ------------------------------------------------------------ sshd's words */

static GRegex *
compile_once (GRegex     **regex,
              const char  *pattern)
{
  if (g_once_init_enter (regex))
    g_once_init_leave (regex, g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL));
  return *regex;
}

/* The patterns end at the end of the message and take the last " from
 * ADDR port N": a user name cannot slip an address in front of it. */
static EventKind
parse_sshd (const char  *message,
            char       **address,
            guint       *port)
{
  static GRegex *failed, *invalid, *closed, *accepted;
  const struct { GRegex **regex; const char *pattern; EventKind kind; } patterns[] = {
    { &failed, "^Failed \\S+ for .* from (\\S+) port (\\d+)( ssh2(:.*)?)?$", EVENT_FAILED },
    { &invalid, "^Invalid user .* from (\\S+) port (\\d+)$", EVENT_INVALID },
    { &closed, "^Connection (?:closed|reset) by (?:authenticating|invalid) user .* (\\S+) port (\\d+) \\[preauth\\]$",
      EVENT_CLOSED },
    { &accepted, "^Accepted \\S+ for .* from (\\S+) port (\\d+)( ssh2(:.*)?)?$", EVENT_ACCEPTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *port_text = NULL;
      g_autoptr(GInetAddress) inet = NULL;
      g_autofree char *text = NULL;

      if (!g_regex_match (compile_once (patterns[i].regex, patterns[i].pattern), message, 0, &match))
        continue;
      text = g_match_info_fetch (match, 1);
      port_text = g_match_info_fetch (match, 2);
      inet = g_inet_address_new_from_string (text);
      if (inet == NULL)
        return EVENT_NONE;   /* a host name (UseDNS): not ours to resolve */
      *address = g_inet_address_to_string (inet);
      *port = (guint) g_ascii_strtoull (port_text, NULL, 10);
      return patterns[i].kind;
    }
  return EVENT_NONE;
}

/* ------------------------------------------------------------ never banned */

static gboolean
in_ranges (GArray       *ranges,
           int           family,
           const guint8 *bytes)
{
  gsize length = family == AF_INET ? 4 : 16;

  for (guint i = 0; i < ranges->len; i++)
    {
      const PalAddressRange *range = &g_array_index (ranges, PalAddressRange, i);

      if (range->family == family && memcmp (bytes, range->first, length) >= 0
          && memcmp (bytes, range->last, length) <= 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_own_address (GInetAddress *inet)
{
  struct ifaddrs *list = NULL;
  gboolean own = FALSE;

  if (getifaddrs (&list) < 0)
    return FALSE;
  for (struct ifaddrs *item = list; item != NULL && !own; item = item->ifa_next)
    {
      g_autoptr(GSocketAddress) address = NULL;

      if (item->ifa_addr == NULL || (item->ifa_addr->sa_family != AF_INET && item->ifa_addr->sa_family != AF_INET6))
        continue;
      address = g_socket_address_new_from_native (item->ifa_addr,
                                                  item->ifa_addr->sa_family == AF_INET
                                                    ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6));
      own = address != NULL
            && g_inet_address_equal (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)), inet);
    }
  freeifaddrs (list);
  return own;
}

static gboolean
never_banned (PalAdaptive *self,
              const char  *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  int family;

  if (inet == NULL)
    return TRUE;
  family = g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6;
  if (g_inet_address_get_is_loopback (inet) || g_inet_address_get_is_any (inet))
    return TRUE;
  if (in_ranges (self->trusted, family, g_inet_address_to_bytes (inet)))
    return TRUE;
  return is_own_address (inet);
}

/* ------------------------------------------------------------ counting */

char *
pal_adaptive_reason (const char *service,
                     guint       failures,
                     guint       ban,
                     guint64     duration)
{
  g_autofree char *length = pal_duration_print (duration);
  const char *suffix = (ban % 100 >= 11 && ban % 100 <= 13) ? "th"
                       : ban % 10 == 1 ? "st" : ban % 10 == 2 ? "nd" : ban % 10 == 3 ? "rd" : "th";

  if (ban <= 1)
    return g_strdup_printf ("%s: %u failed logins", service, failures);
  return g_strdup_printf ("%s: %u failed logins (%u%s ban, %s)", service, failures, ban, suffix, length);
}

static Offender *
lookup_offender (PalAdaptive *self,
                 const char  *address)
{
  Offender *offender = g_hash_table_lookup (self->offenders, address);

  if (offender == NULL)
    {
      offender = g_new0 (Offender, 1);
      offender->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
      offender->connections = g_array_new (FALSE, FALSE, sizeof (Connection));
      g_hash_table_insert (self->offenders, g_strdup (address), offender);
    }
  return offender;
}

static Connection *
lookup_connection (Offender *offender,
                   guint     port)
{
  Connection fresh = { port, 0, FALSE };

  for (guint i = 0; i < offender->connections->len; i++)
    if (g_array_index (offender->connections, Connection, i).port == port)
      return &g_array_index (offender->connections, Connection, i);
  if (offender->connections->len >= MAX_CONNECTIONS)
    g_array_remove_index (offender->connections, 0);
  g_array_append_val (offender->connections, fresh);
  return &g_array_index (offender->connections, Connection, offender->connections->len - 1);
}

/* Whether this event is a new failed attempt. */
static gboolean
counts (Connection *connection,
        EventKind   kind)
{
  switch (kind)
    {
    case EVENT_INVALID:
      connection->invalid_pending = TRUE;
      return TRUE;
    case EVENT_FAILED:
      if (connection->invalid_pending)
        {
          connection->invalid_pending = FALSE;
          return FALSE;
        }
      return TRUE;
    case EVENT_CLOSED:
      return connection->counted == 0;
    case EVENT_NONE:
    case EVENT_ACCEPTED:
    default:
      return FALSE;
    }
}

static void
forget_old (Offender *offender,
            gint64    now,
            guint64   window)
{
  gint64 oldest = now - (gint64) MIN (window, (guint64) G_MAXINT64 / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  guint keep = 0;

  while (keep < offender->failures->len && g_array_index (offender->failures, gint64, keep) < oldest)
    keep++;
  g_array_remove_range (offender->failures, 0, keep);
}

static guint64
ban_duration (PalAdaptiveSettings *settings,
              guint                ban)
{
  guint64 duration = settings->duration;

  for (guint i = 1; i < ban && duration < settings->max_duration; i++)
    duration = duration > G_MAXUINT64 / 2 ? G_MAXUINT64 : duration * 2;
  return MIN (duration, MAX (settings->max_duration, settings->duration));
}

static gboolean
ban (PalAdaptive *self,
     const char  *service,
     const char  *address,
     Offender    *offender)
{
  const char *addresses[] = { address, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint failures = offender->failures->len;
  guint64 duration;

  g_array_set_size (offender->failures, 0);
  if (never_banned (self, address))
    {
      g_info ("%s: %u failed logins from %s, which is never banned (trusted, loopback or ours)",
              service, failures, address);
      return FALSE;
    }
  offender->bans++;
  duration = ban_duration (self->settings, offender->bans);
  reason = pal_adaptive_reason (service, failures, offender->bans, duration);
  if (pal_triggered_add (self->triggered, addresses, duration == PAL_DURATION_FOREVER ? G_MAXUINT64 : duration,
                         reason, 0, &error) < 0)
    {
      g_warning ("Banning %s (%s): %s", address, reason, error->message);
      return FALSE;
    }
  g_message ("Banned %s: %s", address, reason);
  g_signal_emit (self, signals[SIGNAL_BANNED], 0, address, reason);
  return TRUE;
}

gboolean
pal_adaptive_feed (PalAdaptive *self,
                   const char  *service,
                   const char  *message)
{
  g_autofree char *address = NULL;
  Offender *offender;
  Connection *connection;
  EventKind kind;
  guint port = 0;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (PAL_IS_ADAPTIVE (self), FALSE);

  if (!self->settings->enabled || message == NULL || !g_strv_contains ((const char * const *) self->settings->services, service))
    return FALSE;
  kind = parse_sshd (message, &address, &port);
  if (kind == EVENT_NONE)
    return FALSE;
  offender = lookup_offender (self, address);
  if (kind == EVENT_ACCEPTED)
    {
      /* A success resets the count, as the original did. */
      g_array_set_size (offender->failures, 0);
      return FALSE;
    }
  connection = lookup_connection (offender, port);
  if (!counts (connection, kind))
    return FALSE;
  connection->counted++;
  forget_old (offender, now, self->settings->window);
  g_array_append_val (offender->failures, now);
  if (offender->failures->len < MAX (self->settings->failures, 1))
    return FALSE;
  return ban (self, service, address, offender);
}

guint
pal_adaptive_get_failures (PalAdaptive *self,
                           const char  *address)
{
  Offender *offender;

  g_return_val_if_fail (PAL_IS_ADAPTIVE (self), 0);

  offender = g_hash_table_lookup (self->offenders, address);
  if (offender == NULL)
    return 0;
  forget_old (offender, g_get_monotonic_time (), self->settings->window);
  return offender->failures->len;
}

GHashTable *
pal_adaptive_dup_bans (PalAdaptive *self)
{
  GHashTable *bans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer address, value;

  g_return_val_if_fail (PAL_IS_ADAPTIVE (self), bans);

  g_hash_table_iter_init (&iter, self->offenders);
  while (g_hash_table_iter_next (&iter, &address, &value))
    if (((Offender *) value)->bans > 0)
      g_hash_table_insert (bans, g_strdup (address), GUINT_TO_POINTER (((Offender *) value)->bans));
  return bans;
}

void
pal_adaptive_set_bans (PalAdaptive *self,
                       const char  *address,
                       guint        bans)
{
  g_return_if_fail (PAL_IS_ADAPTIVE (self));
  g_return_if_fail (address != NULL);

  lookup_offender (self, address)->bans = bans;
}

/* ------------------------------------------------------------ log lines */

/* "… sshd[123]: message" or "… sshd: message" → service and message; a
 * bare message (sshd -E) belongs to the first service watched. */
static void
feed_line (PalAdaptive *self,
           const char  *line)
{
  char **services = self->settings->services;

  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    {
      g_autofree char *bracket = g_strconcat (" ", services[i], "[", NULL);
      g_autofree char *colon = g_strconcat (" ", services[i], ": ", NULL);
      const char *found = strstr (line, bracket);
      const char *message;

      if (found == NULL)
        found = strstr (line, colon);
      if (found == NULL)
        continue;
      message = strstr (found, ": ");
      if (message != NULL)
        pal_adaptive_feed (self, services[i], message + 2);
      return;
    }
  if (services != NULL && services[0] != NULL)
    pal_adaptive_feed (self, services[0], line);
}

static void
feed_bytes (PalAdaptive *self,
            const char  *data,
            gsize        length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] != '\n')
        {
          if (self->partial->len < MAX_LINE)
            g_string_append_c (self->partial, data[i]);
          continue;
        }
      if (self->partial->len < MAX_LINE && g_utf8_validate (self->partial->str, self->partial->len, NULL))
        feed_line (self, self->partial->str);
      g_string_truncate (self->partial, 0);
    }
}

static void
close_file (PalAdaptive *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_string_truncate (self->partial, 0);
}

/* Opens the file if it is not open or was replaced (rotation). */
static void
reopen_if_needed (PalAdaptive *self)
{
  struct stat now;

  if (stat (self->path, &now) < 0)
    {
      close_file (self);
      return;
    }
  if (self->fd >= 0 && now.st_dev == self->device && now.st_ino == self->inode)
    {
      if (now.st_size < self->offset)
        self->offset = 0;   /* truncated */
      return;
    }
  close_file (self);
  self->fd = open (self->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  self->device = now.st_dev;
  self->inode = now.st_ino;
  self->offset = 0;
}

static void
read_file (PalAdaptive *self)
{
  g_autofree char *buffer = g_malloc (READ_CHUNK);
  ssize_t length;

  reopen_if_needed (self);
  if (self->fd < 0)
    return;
  while ((length = pread (self->fd, buffer, READ_CHUNK, self->offset)) > 0)
    {
      self->offset += length;
      feed_bytes (self, buffer, length);
    }
}

static void
on_file_changed (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 gpointer           user_data)
{
  read_file (user_data);
}

gboolean
pal_adaptive_watch_file (PalAdaptive  *self,
                         const char   *path,
                         gboolean      from_start,
                         GError      **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (PAL_IS_ADAPTIVE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  pal_adaptive_stop (self);
  file = g_file_new_for_path (path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, error);
  if (self->monitor == NULL)
    return FALSE;
  g_signal_connect (self->monitor, "changed", G_CALLBACK (on_file_changed), self);
  self->path = g_strdup (path);
  reopen_if_needed (self);
  if (self->fd >= 0 && !from_start)
    {
      struct stat status;

      if (fstat (self->fd, &status) == 0)
        self->offset = status.st_size;
    }
  read_file (self);
  return TRUE;
}

/* ------------------------------------------------------------ journal */

static void
read_journal (PalAdaptive *self)
{
  while (sd_journal_next (self->journal) > 0)
    {
      const void *data = NULL;
      size_t length = 0;
      g_autofree char *service = NULL;
      g_autofree char *message = NULL;

      if (sd_journal_get_data (self->journal, "SYSLOG_IDENTIFIER", &data, &length) >= 0
          || sd_journal_get_data (self->journal, "_COMM", &data, &length) >= 0)
        {
          const char *equals = memchr (data, '=', length);

          if (equals != NULL)
            service = g_strndup (equals + 1, length - (equals + 1 - (const char *) data));
        }
      if (service == NULL || sd_journal_get_data (self->journal, "MESSAGE", &data, &length) < 0
          || length < strlen ("MESSAGE=") || length > MAX_LINE)
        continue;
      message = g_strndup ((const char *) data + strlen ("MESSAGE="), length - strlen ("MESSAGE="));
      if (g_utf8_validate (message, -1, NULL))
        pal_adaptive_feed (self, service, message);
    }
}

static gboolean
on_journal_ready (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  PalAdaptive *self = user_data;

  if (sd_journal_process (self->journal) >= 0)
    read_journal (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
add_matches (PalAdaptive  *self,
             GError      **error)
{
  char **services = self->settings->services;
  int result = 0;

  for (guint i = 0; services != NULL && services[i] != NULL && result >= 0; i++)
    {
      g_autofree char *comm = g_strconcat ("_COMM=", services[i], NULL);
      g_autofree char *identifier = g_strconcat ("SYSLOG_IDENTIFIER=", services[i], NULL);

      result = sd_journal_add_match (self->journal, comm, 0);
      if (result >= 0)
        result = sd_journal_add_disjunction (self->journal);
      if (result >= 0)
        result = sd_journal_add_match (self->journal, identifier, 0);
      if (result >= 0)
        result = sd_journal_add_disjunction (self->journal);
    }
  if (result < 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-result), "Matching the journal: %s",
                 g_strerror (-result));
  return result >= 0;
}

gboolean
pal_adaptive_watch_journal (PalAdaptive  *self,
                            const char   *directory,
                            GError      **error)
{
  int result, fd;

  g_return_val_if_fail (PAL_IS_ADAPTIVE (self), FALSE);

  pal_adaptive_stop (self);
  result = directory != NULL ? sd_journal_open_directory (&self->journal, directory, 0)
                             : sd_journal_open (&self->journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
  if (result < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-result), "Opening the journal: %s",
                   g_strerror (-result));
      return FALSE;
    }
  if (!add_matches (self, error))
    return FALSE;
  /* From now on: what happened before the helper started is not counted. */
  sd_journal_seek_tail (self->journal);
  sd_journal_previous (self->journal);
  fd = sd_journal_get_fd (self->journal);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-fd), "Following the journal: %s", g_strerror (-fd));
      return FALSE;
    }
  self->journal_source = g_unix_fd_add (fd, G_IO_IN, on_journal_ready, self);
  return TRUE;
}

void
pal_adaptive_stop (PalAdaptive *self)
{
  g_return_if_fail (PAL_IS_ADAPTIVE (self));

  g_clear_handle_id (&self->journal_source, g_source_remove);
  g_clear_pointer (&self->journal, sd_journal_close);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  close_file (self);
  g_clear_pointer (&self->path, g_free);
}
