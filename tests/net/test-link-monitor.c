/* test-link-monitor.c — PalLinkMonitor against the kernel: lo, veth,
 * bridge, tun (and dummy where the kernel has it) with their kinds, MACs
 * and addresses; additions, removals and address and state changes
 * arrive as events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <linux/if_arp.h>

#include "net-test-util.h"
#include "pal-link-monitor.h"

#define TIMEOUT_MS 5000

static gboolean
ipv6_enabled (void)
{
  return g_file_test ("/proc/sys/net/ipv6", G_FILE_TEST_IS_DIR);
}

static PalLinkMonitor *
new_monitor (void)
{
  g_autoptr(GError) error = NULL;
  PalLinkMonitor *monitor = pal_link_monitor_new (&error);

  g_assert_no_error (error);
  g_assert_nonnull (monitor);
  return monitor;
}

typedef struct
{
  PalLinkMonitor *monitor;
  const char     *name;
  const char     *address;   /* NULL: the interface only */
  gboolean        present;
} LinkWanted;

static gboolean
link_is (gpointer data)
{
  LinkWanted *wanted = data;
  PalLink *link = pal_link_monitor_lookup (wanted->monitor, wanted->name);

  if (link == NULL)
    return !wanted->present;
  if (wanted->address == NULL)
    return wanted->present;
  return g_strv_contains (pal_link_get_addresses (link), wanted->address) == wanted->present;
}

/* Waits, through the main loop only, until the monitor sees it. */
static void
wait_link (PalLinkMonitor *monitor,
           const char     *name,
           const char     *address,
           gboolean        present)
{
  LinkWanted wanted = { monitor, name, address, present };

  if (!net_wait_for (link_is, &wanted, TIMEOUT_MS))
    g_error ("the monitor did not see %s %s%s%s", name, present ? "appear" : "go",
             address != NULL ? " with " : "", address != NULL ? address : "");
}

/* The snapshot's tuple for name, or NULL. */
static GVariant *
snapshot_entry (GVariant   *snapshot,
                const char *name)
{
  gsize n = g_variant_n_children (snapshot);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (snapshot, i);
      const char *entry_name;

      g_variant_get_child (entry, 0, "&s", &entry_name);
      if (g_str_equal (entry_name, name))
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static void
assert_entry (GVariant   *snapshot,
              const char *name,
              const char *kind,
              const char *mac,
              const char *address)
{
  g_autoptr(GVariant) entry = snapshot_entry (snapshot, name);
  g_autofree const char **addresses = NULL;
  const char *entry_kind, *entry_state, *entry_mac;
  guint32 index;

  g_assert_nonnull (entry);
  g_variant_get (entry, "(&su&s&s&s^a&s)", NULL, &index, &entry_kind, &entry_state,
                 &entry_mac, &addresses);
  g_assert_cmpuint (index, >, 0);
  g_assert_cmpstr (entry_kind, ==, kind);
  if (mac != NULL)
    g_assert_cmpstr (entry_mac, ==, mac);
  if (address != NULL)
    g_assert_true (g_strv_contains (addresses, address));
}

static void
test_lists (void)
{
  g_autoptr(PalLinkMonitor) monitor = new_monitor ();
  g_autoptr(GVariant) snapshot = NULL;
  PalLink *lo;

  lo = pal_link_monitor_lookup (monitor, "lo");
  g_assert_nonnull (lo);
  g_assert_cmpuint (pal_link_get_index (lo), ==, 1);
  g_assert_cmpstr (pal_link_get_kind (lo), ==, "loopback");
  g_assert_cmpuint (pal_link_get_hardware_type (lo), ==, ARPHRD_LOOPBACK);
  g_assert_cmpstr (pal_link_get_mac (lo), ==, "00:00:00:00:00:00");
  g_assert_true (g_strv_contains (pal_link_get_addresses (lo), "127.0.0.1/8"));
  if (ipv6_enabled ())
    g_assert_true (g_strv_contains (pal_link_get_addresses (lo), "::1/128"));
  g_assert_cmpstr (pal_link_get_addresses (lo)[0], ==, "127.0.0.1/8");   /* IPv4 first */

  g_free (net_run ("ip", "link", "add", "v0", "address", "02:00:00:00:00:01", "type", "veth",
                   "peer", "name", "v1", "address", "02:00:00:00:00:02", NULL));
  g_free (net_run ("ip", "address", "add", "192.0.2.1/24", "dev", "v0", NULL));
  if (ipv6_enabled ())
    g_free (net_run ("ip", "address", "add", "2001:db8::1/64", "dev", "v0", "nodad", NULL));
  g_free (net_run ("ip", "link", "add", "br7", "address", "02:00:00:00:00:07", "type", "bridge", NULL));
  if (net_can_make_tun ())
    g_free (net_run ("ip", "tuntap", "add", "mode", "tun", "name", "tun5", NULL));
  else
    net_test_note ("/dev/net/tun is not ours: a tun device (no Ethernet framing) is not listed");
  wait_link (monitor, "br7", NULL, TRUE);
  if (net_can_make_tun ())
    wait_link (monitor, "tun5", NULL, TRUE);
  wait_link (monitor, "v0", "192.0.2.1/24", TRUE);
  if (ipv6_enabled ())
    wait_link (monitor, "v0", "2001:db8::1/64", TRUE);

  snapshot = g_variant_ref_sink (pal_link_monitor_get_snapshot (monitor));
  g_assert_true (g_variant_is_of_type (snapshot, G_VARIANT_TYPE (PAL_LINK_MONITOR_SNAPSHOT_TYPE_STRING)));
  assert_entry (snapshot, "lo", "loopback", "00:00:00:00:00:00", "127.0.0.1/8");
  assert_entry (snapshot, "v0", "veth", "02:00:00:00:00:01", "192.0.2.1/24");
  if (ipv6_enabled ())
    assert_entry (snapshot, "v0", "veth", NULL, "2001:db8::1/64");
  assert_entry (snapshot, "v1", "veth", "02:00:00:00:00:02", NULL);
  assert_entry (snapshot, "br7", "bridge", "02:00:00:00:00:07", NULL);
  if (net_can_make_tun ())
    {
      assert_entry (snapshot, "tun5", "tun", "", NULL);
      g_assert_cmpuint (pal_link_get_hardware_type (pal_link_monitor_lookup (monitor, "tun5")), ==,
                        ARPHRD_NONE);
    }
}

/* Its own test: not every kernel has the dummy driver. */
static void
test_dummy (void)
{
  g_autoptr(PalLinkMonitor) monitor = new_monitor ();
  g_autoptr(GVariant) snapshot = NULL;

  g_free (net_run ("ip", "link", "add", "d0", "address", "02:00:00:00:00:0d", "type", "dummy", NULL));
  g_free (net_run ("ip", "address", "add", "203.0.113.9/32", "dev", "d0", NULL));
  wait_link (monitor, "d0", "203.0.113.9/32", TRUE);
  snapshot = g_variant_ref_sink (pal_link_monitor_get_snapshot (monitor));
  assert_entry (snapshot, "d0", "dummy", "02:00:00:00:00:0d", "203.0.113.9/32");
}

typedef struct
{
  guint changed;
  guint position, removed, added;
} Events;

static void
changed_cb (PalLinkMonitor *monitor,
            Events         *events)
{
  events->changed++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Events     *events)
{
  events->position = position;
  events->removed = removed;
  events->added = added;
}

static guint
position_of (PalLinkMonitor *monitor,
             const char     *name)
{
  GListModel *links = pal_link_monitor_get_links (monitor);

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(PalLink) link = g_list_model_get_item (links, i);

      if (g_str_equal (pal_link_get_name (link), name))
        return i;
    }
  g_assert_not_reached ();
}

static void
test_events (void)
{
  g_autoptr(PalLinkMonitor) monitor = new_monitor ();
  GListModel *links = pal_link_monitor_get_links (monitor);
  Events events = { 0, };
  guint n_before = g_list_model_get_n_items (links);
  guint changed_before;
  PalLink *link;

  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &events);
  g_signal_connect (links, "items-changed", G_CALLBACK (items_changed_cb), &events);

  g_free (net_run ("ip", "link", "add", "e0", "type", "veth", "peer", "name", "e1", NULL));
  wait_link (monitor, "e1", NULL, TRUE);
  wait_link (monitor, "e0", NULL, TRUE);
  g_assert_cmpuint (events.changed, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, n_before + 2);

  /* One changed interface: one item replaced, the others kept. */
  net_spin (100);
  changed_before = events.changed;
  g_free (net_run ("ip", "address", "add", "198.51.100.7/25", "dev", "e0", NULL));
  wait_link (monitor, "e0", "198.51.100.7/25", TRUE);
  g_assert_cmpuint (events.changed, ==, changed_before + 1);
  g_assert_cmpuint (events.position, ==, position_of (monitor, "e0"));
  g_assert_cmpuint (events.removed, ==, 1);
  g_assert_cmpuint (events.added, ==, 1);

  g_free (net_run ("ip", "address", "del", "198.51.100.7/25", "dev", "e0", NULL));
  wait_link (monitor, "e0", "198.51.100.7/25", FALSE);

  /* State: up with the peer up, lower-layer-down without it. */
  g_free (net_run ("ip", "link", "set", "e0", "up", NULL));
  g_free (net_run ("ip", "link", "set", "e1", "up", NULL));
  link = NULL;
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000; g_get_monotonic_time () < end;)
    {
      link = pal_link_monitor_lookup (monitor, "e0");
      if (g_str_equal (pal_link_get_state (link), "up"))
        break;
      net_spin (10);
    }
  g_assert_cmpstr (pal_link_get_state (link), ==, "up");
  g_free (net_run ("ip", "link", "set", "e1", "down", NULL));
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000; g_get_monotonic_time () < end;)
    {
      link = pal_link_monitor_lookup (monitor, "e0");
      if (!g_str_equal (pal_link_get_state (link), "up"))
        break;
      net_spin (10);
    }
  g_assert_cmpstr (pal_link_get_state (link), ==, "lower-layer-down");

  /* Renamed and removed. */
  g_free (net_run ("ip", "link", "set", "e1", "name", "e1renamed", NULL));
  wait_link (monitor, "e1renamed", NULL, TRUE);
  wait_link (monitor, "e1", NULL, FALSE);
  g_free (net_run ("ip", "link", "del", "e0", NULL));
  wait_link (monitor, "e0", NULL, FALSE);
  wait_link (monitor, "e1renamed", NULL, FALSE);   /* a veth pair goes together */
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, n_before);
}

/* The source belongs to the thread-default context of the creator. */
static void
test_context (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(PalLinkMonitor) monitor = NULL;
  Events events = { 0, };

  g_main_context_push_thread_default (context);
  monitor = new_monitor ();
  g_main_context_pop_thread_default (context);
  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), &events);

  g_free (net_run ("ip", "link", "add", "c0", "type", "veth", "peer", "name", "c1", NULL));
  net_spin (200);   /* the default context: nothing happens */
  g_assert_cmpuint (events.changed, ==, 0);
  g_assert_null (pal_link_monitor_lookup (monitor, "c0"));
  for (gint64 end = g_get_monotonic_time () + TIMEOUT_MS * 1000;
       events.changed == 0 && g_get_monotonic_time () < end;)
    g_main_context_iteration (context, FALSE);
  g_assert_cmpuint (events.changed, >=, 1);
  g_assert_nonnull (pal_link_monitor_lookup (monitor, "c0"));
  g_object_unref (g_steal_pointer (&monitor));   /* its source goes with it */
  g_free (net_run ("ip", "link", "del", "c0", NULL));
  while (g_main_context_iteration (context, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  net_test_init ();

  net_test_add ("/net/link-monitor/lists", test_lists);
  net_test_add_with_kind ("/net/link-monitor/dummy", test_dummy, "dummy");
  net_test_add ("/net/link-monitor/events", test_events);
  net_test_add ("/net/link-monitor/context", test_context);

  return g_test_run ();
}
