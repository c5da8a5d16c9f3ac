/* kernel-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel-test-util.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-templates.h"
#include "pal-value.h"

/* Parent side */

static char *peer_name;

static const char *
isolation_problem (void)
{
  static char reason[256];
  pid_t pid;
  int status;

  if (geteuid () == 0)
    return NULL;
  /* Not root: a user namespace will do, if the system allows one. */
  pid = fork ();
  if (pid == 0)
    _exit (unshare (CLONE_NEWUSER | CLONE_NEWNET) == 0 ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_snprintf (reason, sizeof reason,
                  "needs root or an unprivileged user namespace (unshare -rn) to get a network namespace");
      return reason;
    }
  return NULL;
}

const char *
kernel_peer_name (void)
{
  return peer_name;
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error))
    g_error ("writing %s: %s", path, error->message);
}

static void
enter_namespace (void)
{
  gboolean privileged = geteuid () == 0;

  if (privileged)
    g_assert_cmpint (unshare (CLONE_NEWNET), ==, 0);
  else
    {
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1\n", getuid ());
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1\n", getgid ());

      g_assert_cmpint (unshare (CLONE_NEWUSER | CLONE_NEWNET), ==, 0);
      write_file ("/proc/self/setgroups", "deny");
      write_file ("/proc/self/uid_map", uid_map);
      write_file ("/proc/self/gid_map", gid_map);
    }
  kernel_link_up ("lo");
  /* Ping sockets for every group there is here, in this namespace only
   * (a user namespace maps only group 0). */
  write_file ("/proc/sys/net/ipv4/ping_group_range", privileged ? "0 2147483647" : "0 0");
}

static const char *const cgroup_mounts[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup", NULL };

static char *
cgroup_base_for (int        pid,
                 const char *mount)
{
  return g_strdup_printf ("%s/pal-test-%d", mount, pid);
}

/* Leaves first: a cgroup directory goes only when it has no children. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
    }
  rmdir (path);
}

char *
kernel_cgroups_make (const char * const *units)
{
  for (guint i = 0; cgroup_mounts[i] != NULL; i++)
    {
      g_autofree char *controllers = g_build_filename (cgroup_mounts[i], "cgroup.controllers", NULL);
      g_autofree char *base = cgroup_base_for ((int) getppid (), cgroup_mounts[i]);

      if (!g_file_test (controllers, G_FILE_TEST_EXISTS))
        continue;
      for (guint j = 0; units[j] != NULL; j++)
        {
          g_autofree char *path = g_build_filename (base, "system.slice", units[j], NULL);

          if (g_mkdir_with_parents (path, 0755) < 0)
            return NULL;
        }
      g_setenv ("PAL_CGROUP_ROOT", base, TRUE);
      return g_steal_pointer (&base);
    }
  return NULL;
}

static void
run_isolated (gconstpointer data)
{
  KernelTestFunc body = (KernelTestFunc) data;
  const char *problem;

  if (g_test_subprocess ())
    {
      enter_namespace ();
      body ();
      return;
    }

  problem = isolation_problem ();
  if (problem != NULL)
    {
      g_test_skip (problem);
      return;
    }
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  for (guint i = 0; cgroup_mounts[i] != NULL; i++)
    {
      g_autofree char *base = cgroup_base_for ((int) getpid (), cgroup_mounts[i]);

      if (g_file_test (base, G_FILE_TEST_IS_DIR))
        remove_tree (base);
    }
  /* The peer namespaces outlive the child: always remove them. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup (peer_name) : g_strconcat (peer_name, "b", NULL);
      g_autofree char *path = g_strdup_printf ("/run/netns/%s", name);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          const char *argv[] = { "ip", "netns", "del", name, NULL };

          g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, NULL, NULL);
        }
    }
  g_test_trap_assert_passed ();
}

void
kernel_test_init (void)
{
  /* Parent and child agree on the peer's name: the parent's pid. */
  peer_name = g_strdup_printf ("pal-test-%d", g_test_subprocess () ? (int) getppid () : (int) getpid ());
  g_setenv ("PATH", "/usr/sbin:/sbin:/usr/bin:/bin", TRUE);
}

void
kernel_test_add (const char     *path,
                 KernelTestFunc  body)
{
  g_test_add_data_func (path, (gconstpointer) body, run_isolated);
}

static void
run_isolated_as_root (gconstpointer data)
{
  if (!g_test_subprocess () && geteuid () != 0)
    {
      g_test_skip ("needs root: a second network namespace (ip netns) or a cgroup of its own");
      return;
    }
  run_isolated (data);
}

void
kernel_test_add_root (const char     *path,
                      KernelTestFunc  body)
{
  g_test_add_data_func (path, (gconstpointer) body, run_isolated_as_root);
}

/* nft and commands */

static gboolean
spawn (const char * const  *argv,
       const char          *input,
       char               **output,
       char               **error_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                                     | (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0),
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (output != NULL)
    *output = g_steal_pointer (&out);
  if (error_text != NULL)
    *error_text = g_steal_pointer (&err);
  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

static GPtrArray *
collect_args (const char *program,
              const char *first,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) program);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

char *
kernel_nft (const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list args;

  va_start (args, first);
  argv = collect_args ("nft", first, args);
  va_end (args);
  if (!spawn ((const char * const *) argv->pdata, NULL, &out, &err))
    g_error ("nft %s failed: %s", first, err);
  return out;
}

gboolean
kernel_nft_try (char       **output,
                char       **error_text,
                const char  *first,
                ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first);
  argv = collect_args ("nft", first, args);
  va_end (args);
  return spawn ((const char * const *) argv->pdata, NULL, output, error_text);
}

char *
kernel_stable_ruleset (void)
{
  g_autofree char *listing = kernel_nft ("-a", "list", "ruleset", NULL);
  g_autoptr(GRegex) expires = g_regex_new (" expires [0-9dhms]+", 0, 0, NULL);

  return g_regex_replace_literal (expires, listing, -1, 0, "", 0, NULL);
}

void
kernel_nft_script (const char *script)
{
  const char *argv[] = { "nft", "-f", "-", NULL };
  g_autofree char *err = NULL;

  if (!spawn (argv, script, NULL, &err))
    g_error ("nft -f failed: %s\n%s", err, script);
}

char *
kernel_run (const char *command_line)
{
  const char *argv[] = { "/bin/sh", "-c", command_line, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  if (!spawn (argv, NULL, &out, &err))
    g_error ("%s failed: %s", command_line, err);
  return out;
}

void
kernel_link_up (const char *name)
{
  struct ifreq request;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  memset (&request, 0, sizeof request);
  g_strlcpy (request.ifr_name, name, sizeof request.ifr_name);
  g_assert_cmpint (ioctl (fd, SIOCGIFFLAGS, &request), ==, 0);
  request.ifr_flags |= IFF_UP;
  g_assert_cmpint (ioctl (fd, SIOCSIFFLAGS, &request), ==, 0);
  close (fd);
}

char *
kernel_link_address (const char *name)
{
  struct ifreq request;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const guint8 *mac;

  g_assert_cmpint (fd, >=, 0);
  memset (&request, 0, sizeof request);
  g_strlcpy (request.ifr_name, name, sizeof request.ifr_name);
  g_assert_cmpint (ioctl (fd, SIOCGIFHWADDR, &request), ==, 0);
  close (fd);
  mac = (const guint8 *) request.ifr_hwaddr.sa_data;
  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* Documents */

PalDocument *
kernel_template (const char *id)
{
  g_autoptr(GError) error = NULL;
  PalDocument *document = pal_templates_load (id, &error);

  g_assert_no_error (error);
  return document;
}

PalDocument *
kernel_document (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  PalDocument *document = pal_fwdoc_load_data (json, -1, "test.fwdoc", &problems, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

PalRule *
kernel_rule (const char *id,
             const char *property,
             const char *relation,
             const char *value,
             const char *action,
             const char *parameter)
{
  PalProperty p;
  PalRelation r;
  PalAction a;
  PalRule *rule;

  g_assert_true (pal_property_from_string (property, &p));
  g_assert_true (pal_relation_from_string (relation, &r));
  g_assert_true (pal_action_from_string (action, &a));
  rule = pal_rule_new (p, a);
  if (id != NULL)
    g_assert_true (pal_rule_set_id (rule, id));
  pal_rule_set_name (rule, id != NULL ? id : "");
  pal_rule_set_relation (rule, r);
  pal_rule_set_value (rule, value);
  pal_rule_set_parameter (rule, parameter);
  return rule;
}

PalFirewall *
kernel_firewall (void)
{
  g_autoptr(GError) error = NULL;
  PalFirewall *firewall = pal_firewall_new (&error);

  g_assert_no_error (error);
  return firewall;
}

void
kernel_apply (PalFirewall *firewall,
              PalDocument *document)
{
  g_autoptr(GError) error = NULL;

  pal_firewall_apply (firewall, document, &error);
  g_assert_no_error (error);
}

/* Counters */

GHashTable *
kernel_counters (PalFirewall *firewall)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) counters = pal_firewall_get_counters (firewall, &error);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  const char *id;
  guint64 packets, bytes, msecs;

  g_assert_no_error (error);
  g_variant_ref_sink (counters);
  g_variant_iter_init (&iter, counters);
  while (g_variant_iter_next (&iter, "(&sttt)", &id, &packets, &bytes, &msecs))
    g_hash_table_insert (table, g_strdup (id), g_memdup2 (&packets, sizeof packets));
  return table;
}

guint64
kernel_packets (GHashTable *counters,
                const char *id)
{
  guint64 *packets = g_hash_table_lookup (counters, id);

  return packets != NULL ? *packets : G_MAXUINT64;
}

guint64
kernel_msecs (PalFirewall *firewall,
              const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) counters = pal_firewall_get_counters (firewall, &error);
  GVariantIter iter;
  const char *rule;
  guint64 packets, bytes, msecs;

  g_assert_no_error (error);
  g_variant_ref_sink (counters);
  g_variant_iter_init (&iter, counters);
  while (g_variant_iter_next (&iter, "(&sttt)", &rule, &packets, &bytes, &msecs))
    if (g_str_equal (rule, id))
      return msecs;
  g_error ("no counter for %s", id);
}

void
kernel_assert_moved (GHashTable         *before,
                     GHashTable         *after,
                     const char * const *moved)
{
  kernel_assert_moved_ignoring (before, after, moved, NULL);
}

void
kernel_assert_moved_ignoring (GHashTable         *before,
                              GHashTable         *after,
                              const char * const *moved,
                              const char * const *ignored)
{
  GHashTableIter iter;
  gpointer id, packets;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &id, &packets))
    {
      if (ignored != NULL && g_strv_contains (ignored, id))
        continue;
      guint64 old = kernel_packets (before, id);
      guint64 now = *(guint64 *) packets;
      gboolean expected = moved != NULL && g_strv_contains (moved, id);

      if (expected && now <= old)
        g_error ("the counter of %s did not move (%" G_GUINT64_FORMAT ")", (char *) id, now);
      if (!expected && now != old)
        g_error ("the counter of %s moved from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                 (char *) id, old, now);
    }
  for (guint i = 0; moved != NULL && moved[i] != NULL; i++)
    if (!g_hash_table_contains (after, moved[i]))
      g_error ("no counter for %s", moved[i]);
}

/* Packets */

static int
parse_address (const char              *text,
               guint16                  port,
               struct sockaddr_storage *address,
               socklen_t               *length)
{
  memset (address, 0, sizeof *address);
  if (strchr (text, ':') != NULL)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) address;

      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET6, text, &in6->sin6_addr), ==, 1);
      *length = sizeof *in6;
      return AF_INET6;
    }
  else
    {
      struct sockaddr_in *in = (struct sockaddr_in *) address;

      in->sin_family = AF_INET;
      in->sin_port = htons (port);
      g_assert_cmpint (inet_pton (AF_INET, text, &in->sin_addr), ==, 1);
      *length = sizeof *in;
      return AF_INET;
    }
}

static int
bound_socket (const char *address,
              guint16     port,
              int         type)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int family = parse_address (address, port, &storage, &length);
  int fd = socket (family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;

  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &storage, length), ==, 0);
  return fd;
}

static gboolean
wait_for (int    fd,
          short  events,
          guint  timeout_ms)
{
  struct pollfd poll_fd = { fd, events, 0 };

  return poll (&poll_fd, 1, (int) timeout_ms) > 0;
}

KernelVerdict
kernel_tcp_connect (const char *address,
                    guint16     port,
                    gboolean    listen_here,
                    guint       timeout_ms)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int family = parse_address (address, port, &storage, &length);
  int server = -1, client, error = 0;
  socklen_t error_length = sizeof error;
  KernelVerdict verdict;

  if (listen_here)
    {
      server = bound_socket (address, port, SOCK_STREAM);
      g_assert_cmpint (listen (server, 8), ==, 0);
    }
  client = socket (family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  g_assert_cmpint (client, >=, 0);
  if (connect (client, (struct sockaddr *) &storage, length) < 0 && errno != EINPROGRESS)
    error = errno;
  else if (!wait_for (client, POLLOUT, timeout_ms))
    error = ETIMEDOUT;
  else
    getsockopt (client, SOL_SOCKET, SO_ERROR, &error, &error_length);

  if (error == 0)
    verdict = KERNEL_ANSWERED;
  else if (error == ECONNREFUSED || error == EHOSTUNREACH || error == ENETUNREACH || error == EACCES)
    verdict = KERNEL_REFUSED;
  else
    verdict = KERNEL_TIMED_OUT;   /* ETIMEDOUT, or EPERM for a packet dropped on output */
  close (client);
  if (server >= 0)
    close (server);
  return verdict;
}

KernelVerdict
kernel_udp_exchange (const char *address,
                     guint16     port,
                     gboolean    serve_here,
                     gsize       payload,
                     guint       timeout_ms)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int family = parse_address (address, port, &storage, &length);
  int server = serve_here ? bound_socket (address, port, SOCK_DGRAM) : -1;
  int client = socket (family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  g_autofree char *data = g_malloc0 (MAX (payload, 1));
  char reply[65536];
  KernelVerdict verdict = KERNEL_TIMED_OUT;

  g_assert_cmpint (client, >=, 0);
  /* Every ICMP error reaches the socket, not only the "hard" ones. */
  if (family == AF_INET6)
    setsockopt (client, IPPROTO_IPV6, IPV6_RECVERR, &(int) { 1 }, sizeof (int));
  else
    setsockopt (client, IPPROTO_IP, IP_RECVERR, &(int) { 1 }, sizeof (int));
  g_assert_cmpint (connect (client, (struct sockaddr *) &storage, length), ==, 0);
  if (send (client, data, payload, 0) < 0)
    goto out;
  if (server >= 0)
    {
      /* The request arrives, or an ICMP error comes back to the client. */
      struct pollfd fds[2] = { { server, POLLIN, 0 }, { client, POLLIN, 0 } };
      struct sockaddr_storage from;
      socklen_t from_length = sizeof from;
      ssize_t got;

      if (poll (fds, 2, (int) timeout_ms) <= 0)
        goto out;
      if (fds[0].revents & POLLIN)
        {
          got = recvfrom (server, reply, sizeof reply, 0, (struct sockaddr *) &from, &from_length);
          if (got < 0 || sendto (server, reply, got, 0, (struct sockaddr *) &from, from_length) < 0)
            goto out;
        }
    }
  if (wait_for (client, POLLIN, timeout_ms))
    verdict = recv (client, reply, sizeof reply, 0) >= 0 ? KERNEL_ANSWERED : KERNEL_REFUSED;
out:
  close (client);
  if (server >= 0)
    close (server);
  return verdict;
}

KernelVerdict
kernel_ping (const char *address,
             guint       timeout_ms)
{
  struct sockaddr_storage storage;
  socklen_t length;
  int family = parse_address (address, 0, &storage, &length);
  int fd = socket (family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                   family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
  guint8 packet[64] = { 0 };
  guint8 reply[1024];
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  KernelVerdict verdict = KERNEL_TIMED_OUT;

  g_assert_cmpint (fd, >=, 0);
  packet[0] = family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
  if (sendto (fd, packet, sizeof packet, 0, (struct sockaddr *) &storage, length) < 0)
    {
      close (fd);
      return errno == EPERM ? KERNEL_TIMED_OUT : KERNEL_REFUSED;
    }
  while (g_get_monotonic_time () < deadline)
    {
      guint left = (guint) ((deadline - g_get_monotonic_time ()) / 1000) + 1;
      ssize_t got;

      if (!wait_for (fd, POLLIN, left))
        break;
      got = recv (fd, reply, sizeof reply, 0);
      if (got < 0)
        {
          verdict = errno == EAGAIN ? verdict : KERNEL_REFUSED;
          if (errno != EAGAIN)
            break;
          continue;
        }
      if (got > 0 && reply[0] == (family == AF_INET6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY))
        {
          verdict = KERNEL_ANSWERED;
          break;
        }
    }
  close (fd);
  return verdict;
}

/* Two hosts */

void
kernel_peer_setup (void)
{
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;

  command = g_strdup_printf ("ip netns add %s && "
                             "ip link add veth-pal0 type veth peer name veth-pal1 netns %s && "
                             "ip addr add 10.99.0.1/24 dev veth-pal0 && "
                             "ip -6 addr add fd99::1/64 dev veth-pal0 nodad && "
                             "ip link set veth-pal0 up && "
                             "ip netns exec %s sh -c 'ip link set lo up && "
                             "ip addr add 10.99.0.2/24 dev veth-pal1 && "
                             "ip -6 addr add fd99::2/64 dev veth-pal1 nodad && "
                             "ip link set veth-pal1 up && "
                             "echo 0 2147483647 > /proc/sys/net/ipv4/ping_group_range'",
                             peer_name, peer_name, peer_name);
  out = kernel_run (command);
}

void
kernel_router_setup (void)
{
  g_autofree char *peer2 = g_strconcat (peer_name, "b", NULL);
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;

  kernel_peer_setup ();
  /* IPv4 only: no neighbour discovery or listener reports crossing the
   * hooks while a test counts. */
  command = g_strdup_printf ("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "
                             "ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "
                             "ip link set veth-pal0 mtu 1280 && "
                             "ip netns exec %s sh -c 'ip link set veth-pal1 mtu 1280 && "
                             "ip route add 10.98.0.0/24 via 10.99.0.1' && "
                             "ip netns add %s && "
                             "ip link add veth-pal2 type veth peer name veth-pal3 netns %s && "
                             "ip addr add 10.98.0.1/24 dev veth-pal2 && ip link set veth-pal2 up && "
                             "ip netns exec %s sh -c 'ip link set lo up && "
                             "ip addr add 10.98.0.2/24 dev veth-pal3 && ip link set veth-pal3 up && "
                             "ip route add 10.99.0.0/24 via 10.98.0.1' && "
                             "ip netns exec %s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "
                             "echo 1 > /proc/sys/net/ipv4/ip_forward",
                             peer_name, peer_name, peer2, peer2, peer2, peer2);
  out = kernel_run (command);
}

char *
kernel_peer2_run (const char *command_line)
{
  g_autofree char *quoted = g_shell_quote (command_line);
  g_autofree char *command = g_strdup_printf ("ip netns exec %sb sh -c %s", peer_name, quoted);

  return kernel_run (command);
}

typedef struct
{
  const char *address;
  guint16     port;
  gsize       payload;
} Datagram;

static KernelVerdict
send_from_peer2 (gpointer data)
{
  Datagram *datagram = data;
  g_autofree char *path = g_strdup_printf ("/run/netns/%sb", peer_name);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct sockaddr_storage storage;
  socklen_t length;
  int family, sock;
  g_autofree char *bytes = g_malloc0 (datagram->payload);

  if (fd < 0 || setns (fd, CLONE_NEWNET) < 0)
    _exit (99);
  family = parse_address (datagram->address, datagram->port, &storage, &length);
  sock = socket (family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  /* Let the kernel fragment: no path MTU discovery (DF clear). */
  setsockopt (sock, IPPROTO_IP, IP_MTU_DISCOVER, &(int) { IP_PMTUDISC_DONT }, sizeof (int));
  if (sendto (sock, bytes, datagram->payload, 0, (struct sockaddr *) &storage, length) < 0)
    return KERNEL_REFUSED;
  return KERNEL_ANSWERED;
}

void
kernel_peer2_send_udp (const char *address,
                       guint16     port,
                       gsize       payload)
{
  Datagram datagram = { address, port, payload };

  g_assert_cmpint (kernel_in_child (send_from_peer2, &datagram), ==, KERNEL_ANSWERED);
  /* Let it cross. */
  g_usleep (100 * 1000);
}

KernelVerdict
kernel_in_child (KernelChildFunc  func,
                 gpointer         data)
{
  pid_t pid = fork ();
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit ((int) func (data));
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  return (KernelVerdict) WEXITSTATUS (status);
}

static void
join_peer (void)
{
  g_autofree char *path = g_strdup_printf ("/run/netns/%s", peer_name);
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0 || setns (fd, CLONE_NEWNET) < 0)
    _exit (99);
  close (fd);
}

typedef struct
{
  const char *address;
  guint16     port;
  guint       timeout_ms;
} PeerExchange;

static KernelVerdict
peer_tcp (gpointer data)
{
  PeerExchange *exchange = data;

  join_peer ();
  return kernel_tcp_connect (exchange->address, exchange->port, FALSE, exchange->timeout_ms);
}

static KernelVerdict
peer_udp (gpointer data)
{
  PeerExchange *exchange = data;

  join_peer ();
  return kernel_udp_exchange (exchange->address, exchange->port, FALSE, 32, exchange->timeout_ms);
}

static KernelVerdict
peer_ping (gpointer data)
{
  PeerExchange *exchange = data;

  join_peer ();
  return kernel_ping (exchange->address, exchange->timeout_ms);
}

KernelVerdict
kernel_peer_tcp_connect (const char *address,
                         guint16     port,
                         guint       timeout_ms)
{
  PeerExchange exchange = { address, port, timeout_ms };
  int server = bound_socket (address, port, SOCK_STREAM);
  KernelVerdict verdict;

  g_assert_cmpint (listen (server, 8), ==, 0);
  verdict = kernel_in_child (peer_tcp, &exchange);
  close (server);
  return verdict;
}

KernelVerdict
kernel_peer_udp_exchange (const char *address,
                          guint16     port,
                          guint       timeout_ms)
{
  PeerExchange exchange = { address, port, timeout_ms };
  int server = bound_socket (address, port, SOCK_DGRAM);
  pid_t pid = fork ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  int status;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit ((int) peer_udp (&exchange));
  /* Echo what arrives while the peer waits. */
  while (g_get_monotonic_time () < deadline)
    {
      struct sockaddr_storage from;
      socklen_t from_length = sizeof from;
      char data[2048];
      ssize_t got;

      if (!wait_for (server, POLLIN, 50))
        {
          if (waitpid (pid, &status, WNOHANG) == pid)
            goto done;
          continue;
        }
      got = recvfrom (server, data, sizeof data, 0, (struct sockaddr *) &from, &from_length);
      if (got >= 0)
        sendto (server, data, got, 0, (struct sockaddr *) &from, from_length);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
done:
  close (server);
  g_assert_true (WIFEXITED (status));
  return (KernelVerdict) WEXITSTATUS (status);
}

KernelVerdict
kernel_peer_ping (const char *address,
                  guint       timeout_ms)
{
  PeerExchange exchange = { address, 0, timeout_ms };

  return kernel_in_child (peer_ping, &exchange);
}

char *
kernel_peer_run (const char *command_line)
{
  g_autofree char *quoted = g_shell_quote (command_line);
  g_autofree char *command = g_strdup_printf ("ip netns exec %s sh -c %s", peer_name, quoted);

  return kernel_run (command);
}

char *
kernel_canonical_value (PalRule *rule)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalValue) value = pal_value_parse (pal_rule_get_property (rule), pal_rule_get_value (rule), &error);

  g_assert_no_error (error);
  return pal_value_print (value);
}
