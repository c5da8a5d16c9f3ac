/* test-bridge.c — PalBridge against the kernel: two namespaces reach each
 * other only through the bridge made in a third; applying is idempotent
 * and minimal; undo removes it; what cannot be bridged is refused before
 * anything changes. ip(8) is the independent reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "net-test-util.h"
#include "pal-bridge.h"
#include "pal-helper-error.h"

/* ip -j -d link show name, or NULL when there is no such interface. */
static JsonObject *
link_json (const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  JsonArray *array;

  if (!net_run_try (&output, NULL, "ip", "-j", "-d", "link", "show", "dev", name, NULL))
    return NULL;
  json_parser_load_from_data (parser, output, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return json_object_ref (json_array_get_object_element (array, 0));
}

static gboolean
link_exists (const char *name)
{
  g_autoptr(JsonObject) link = link_json (name);

  return link != NULL;
}

/* The name of the link's master, "" for none. */
static char *
link_master (const char *name)
{
  g_autoptr(JsonObject) link = link_json (name);

  g_assert_nonnull (link);
  return g_strdup (json_object_get_string_member_with_default (link, "master", ""));
}

static gint64
link_index (const char *name)
{
  g_autoptr(JsonObject) link = link_json (name);

  g_assert_nonnull (link);
  return json_object_get_int_member (link, "ifindex");
}

static gboolean
link_is_bridge_up (const char *name)
{
  g_autoptr(JsonObject) link = link_json (name);
  JsonObject *info;
  JsonArray *flags;
  gboolean up = FALSE;

  g_assert_nonnull (link);
  info = json_object_get_object_member (link, "linkinfo");
  g_assert_cmpstr (json_object_get_string_member (info, "info_kind"), ==, "bridge");
  flags = json_object_get_array_member (link, "flags");
  for (guint i = 0; i < json_array_get_length (flags); i++)
    up |= g_str_equal (json_array_get_string_element (flags, i), "UP");
  return up;
}

static void
assert_master (const char *name,
               const char *master)
{
  g_autofree char *actual = link_master (name);

  g_assert_cmpstr (actual, ==, master);
}

static void
apply (PalBridge          *bridge,
       const char * const *ports)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;

  g_assert_true (pal_bridge_apply (bridge, ports, &missing, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
}

/* A host in namespace ns behind a veth pair: here, and eth0 there. */
static void
add_host (const char *ns,
          const char *here,
          const char *address)
{
  g_free (net_run ("ip", "netns", "add", ns, NULL));
  g_free (net_run ("ip", "link", "add", here, "type", "veth", "peer", "name", "eth0", "netns", ns, NULL));
  g_free (net_run ("ip", "-n", ns, "address", "add", address, "dev", "eth0", NULL));
  g_free (net_run ("ip", "-n", ns, "link", "set", "eth0", "up", NULL));
  g_free (net_run ("ip", "-n", ns, "link", "set", "lo", "up", NULL));
}

static gboolean
ping (const char *ns,
      const char *address,
      const char *deadline)
{
  return net_run_try (NULL, NULL, "ip", "netns", "exec", ns, "ping", "-n", "-q", "-c", "1",
                      "-w", deadline, address, NULL);
}

static void
test_traffic (void)
{
  g_autoptr(PalBridge) bridge = pal_bridge_new (NULL);
  const char * const both[] = { "veth-a", "veth-b", NULL };
  const char * const one[] = { "veth-a", NULL };
  gint64 index;

  g_assert_cmpstr (pal_bridge_get_name (bridge), ==, "palbr0");
  add_host ("host-a", "veth-a", "10.9.0.1/24");
  add_host ("host-b", "veth-b", "10.9.0.2/24");
  g_assert_false (ping ("host-a", "10.9.0.2", "1"));   /* no path yet */

  apply (bridge, both);
  g_assert_true (link_is_bridge_up ("palbr0"));
  assert_master ("veth-a", "palbr0");
  assert_master ("veth-b", "palbr0");
  g_assert_true (ping ("host-a", "10.9.0.2", "10"));
  g_assert_true (ping ("host-b", "10.9.0.1", "10"));

  /* Again: nothing changes, not even the bridge's index. */
  index = link_index ("palbr0");
  apply (bridge, both);
  g_assert_cmpint (link_index ("palbr0"), ==, index);
  assert_master ("veth-a", "palbr0");

  /* One less: only that one is released. */
  apply (bridge, one);
  g_assert_cmpint (link_index ("palbr0"), ==, index);
  assert_master ("veth-a", "palbr0");
  assert_master ("veth-b", "");
  g_assert_false (ping ("host-a", "10.9.0.2", "1"));

  apply (bridge, both);
  g_assert_true (ping ("host-a", "10.9.0.2", "10"));

  /* Undo. */
  g_assert_true (pal_bridge_remove (bridge, NULL));
  g_assert_false (link_exists ("palbr0"));
  assert_master ("veth-a", "");
  assert_master ("veth-b", "");
  g_assert_false (ping ("host-a", "10.9.0.2", "1"));
  g_assert_true (pal_bridge_remove (bridge, NULL));   /* nothing to undo */

  g_free (net_run ("ip", "netns", "del", "host-a", NULL));
  g_free (net_run ("ip", "netns", "del", "host-b", NULL));
}

static void
assert_refused (PalBridge          *bridge,
                const char * const *ports,
                const char         *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;

  g_assert_false (pal_bridge_check (bridge, ports, &check_error));
  g_assert_error (check_error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
  g_assert_false (pal_bridge_apply (bridge, ports, NULL, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
  g_assert_cmpstr (error->message, ==, check_error->message);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not say “%s”", error->message, words);
  g_assert_false (link_exists (pal_bridge_get_name (bridge)));
}

static void
test_refused (void)
{
  g_autoptr(PalBridge) bridge = pal_bridge_new ("palbr9");
  const char * const loopback[] = { "e0", "lo", NULL };
  const char * const tun[] = { "e0", "tun3", NULL };
  const char * const nested[] = { "e0", "br3", NULL };
  const char * const taken[] = { "e0", "f0", NULL };
  const char * const itself[] = { "e0", "palbr9", NULL };

  g_free (net_run ("ip", "link", "add", "e0", "type", "veth", "peer", "name", "e1", NULL));
  g_free (net_run ("ip", "link", "add", "f0", "type", "veth", "peer", "name", "f1", NULL));
  if (net_can_make_tun ())
    g_free (net_run ("ip", "tuntap", "add", "mode", "tun", "name", "tun3", NULL));
  else
    net_test_note ("/dev/net/tun is not ours: refusing a tun device is not tested");
  g_free (net_run ("ip", "link", "add", "br3", "type", "bridge", NULL));
  g_free (net_run ("ip", "link", "set", "f0", "master", "br3", NULL));

  assert_refused (bridge, loopback, "lo is the loopback interface");
  if (net_can_make_tun ())
    assert_refused (bridge, tun, "tun3 is not an Ethernet interface (it is tun)");
  assert_refused (bridge, nested, "br3 is a bridge itself");
  assert_refused (bridge, taken, "f0 is already a port of br3");
  /* Refused before anything changed: e0 was never enslaved. */
  assert_master ("e0", "");
  assert_master ("f0", "br3");

  /* Once the bridge exists it still cannot be its own port. A check
   * that passes changes nothing either. */
  {
    const char * const e0[] = { "e0", NULL };

    g_assert_true (pal_bridge_check (bridge, e0, NULL));
    g_assert_false (link_exists ("palbr9"));
    apply (bridge, e0);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (pal_bridge_apply (bridge, itself, NULL, &error));
    g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
    g_assert_nonnull (strstr (error->message, "palbr9 is Palisade's bridge itself"));
    assert_master ("e0", "palbr9");
  }
  g_assert_true (pal_bridge_remove (bridge, NULL));
  g_assert_false (link_exists ("palbr9"));
  assert_master ("f0", "br3");   /* never touched */
}

/* A named interface that is not here now is skipped and reported. */
static void
test_missing (void)
{
  g_autoptr(PalBridge) bridge = pal_bridge_new (NULL);
  const char * const ports[] = { "usb-eth", "e0", "e0", NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;

  g_free (net_run ("ip", "link", "add", "e0", "type", "veth", "peer", "name", "e1", NULL));
  g_assert_true (pal_bridge_apply (bridge, ports, &missing, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (missing, ((const char * const[]) { "usb-eth", NULL }));
  assert_master ("e0", "palbr0");
  assert_master ("e1", "");
  g_assert_true (pal_bridge_remove (bridge, NULL));
}

/* Our name taken by something that is not a bridge: left alone. */
static void
test_name_taken (void)
{
  g_autoptr(PalBridge) bridge = pal_bridge_new (NULL);
  const char * const ports[] = { "e0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) link = NULL;

  g_free (net_run ("ip", "link", "add", "e0", "type", "veth", "peer", "name", "e1", NULL));
  g_free (net_run ("ip", "link", "add", "palbr0", "type", "veth", "peer", "name", "x1", NULL));
  g_assert_false (pal_bridge_apply (bridge, ports, NULL, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "palbr0 exists and is not a bridge"));
  g_clear_error (&error);
  g_assert_false (pal_bridge_remove (bridge, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED);
  link = link_json ("palbr0");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (link, "linkinfo"),
                                                  "info_kind"), ==, "veth");
  assert_master ("e0", "");
}

static void
test_document (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  const char *names[] = { "eth1", "eth0", "wlan0" };
  g_auto(GStrv) ports = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PalInterfaceConfig) config = pal_interface_config_new (names[i]);

      pal_interface_config_set_bridge (config, i < 2);
      pal_document_set_interface (document, config);
    }
  ports = pal_bridge_ports_from_document (document);
  g_assert_cmpstrv (ports, ((const char * const[]) { "eth0", "eth1", NULL }));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  net_test_init ();

  net_test_add ("/net/bridge/traffic", test_traffic);
  net_test_add ("/net/bridge/refused", test_refused);
  net_test_add ("/net/bridge/missing", test_missing);
  net_test_add ("/net/bridge/name-taken", test_name_taken);
  g_test_add_func ("/net/bridge/document", test_document);

  return g_test_run ();
}
