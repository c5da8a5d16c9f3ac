/* kernel-test-util.h — what the kernel tests share: a fresh network
 * namespace per test, nft as the independent reader, packets over
 * loopback and over a veth pair, counters by rule id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/socket.h>

#include "pal-document.h"
#include "pal-firewall.h"

G_BEGIN_DECLS

/* Registers path to run body in a child process of its own, in a new
 * network namespace with lo up (as root, or in a user namespace when that
 * works; otherwise the test is skipped with the reason). */
typedef void (*KernelTestFunc) (void);
void         kernel_test_add (const char     *path,
                              KernelTestFunc  body);
/* The same for a test that needs root in the initial user namespace
 * (named network namespaces with ip netns, cgroups): skipped otherwise. */
void         kernel_test_add_root (const char     *path,
                                   KernelTestFunc  body);
/* Call first in main(), after g_test_init(). */
void         kernel_test_init (void);

/* nft with argv (NULL-terminated after the first); asserts success and
 * returns stdout. */
char        *kernel_nft (const char *first,
                         ...) G_GNUC_NULL_TERMINATED;
/* The same, returning FALSE on failure (stderr in *error_text). */
gboolean     kernel_nft_try (char       **output,
                             char       **error_text,
                             const char  *first,
                             ...) G_GNUC_NULL_TERMINATED;
/* nft -a list ruleset, without what time changes by itself (the expiry
 * of set elements). */
char        *kernel_stable_ruleset (void);
/* An nft script fed on stdin (nft -f -). */
void         kernel_nft_script (const char *script);

/* A rule's value as the value printer writes it (asserts it parses). */
char        *kernel_canonical_value (PalRule *rule);

/* A document from a shipped template, or from fwdoc JSON text. */
PalDocument *kernel_template (const char *id);
PalDocument *kernel_document (const char *json);
/* A rule to append (children with pal_rule_append_child). */
PalRule     *kernel_rule (const char *id,
                          const char *property,
                          const char *relation,
                          const char *value,
                          const char *action,
                          const char *parameter);

PalFirewall *kernel_firewall (void);
void         kernel_apply (PalFirewall *firewall,
                           PalDocument *document);

/* Counters by id: packets (G_MAXUINT64 when the id is absent). */
GHashTable  *kernel_counters (PalFirewall *firewall);
guint64      kernel_packets (GHashTable *counters,
                             const char *id);
guint64      kernel_msecs (PalFirewall *firewall,
                           const char  *id);
/* Asserts that exactly the ids in moved (NULL-terminated) counted more
 * packets in after than in before, and every other id the same. */
void         kernel_assert_moved (GHashTable         *before,
                                  GHashTable         *after,
                                  const char * const *moved);
/* The same, not looking at the ids in ignored (counters that background
 * traffic such as IPv6 neighbour discovery moves too). */
void         kernel_assert_moved_ignoring (GHashTable         *before,
                                           GHashTable         *after,
                                           const char * const *moved,
                                           const char * const *ignored);

typedef enum
{
  KERNEL_ANSWERED,
  KERNEL_REFUSED,     /* TCP reset or ICMP unreachable */
  KERNEL_TIMED_OUT,
} KernelVerdict;

/* One exchange each, to the given address (textual) and port, with a
 * listener/echo in this namespace (or, for the *_to variants, wherever the
 * address is served). Waits at most timeout_ms. */
KernelVerdict kernel_tcp_connect (const char *address,
                                  guint16     port,
                                  gboolean    listen_here,
                                  guint       timeout_ms);
KernelVerdict kernel_udp_exchange (const char *address,
                                   guint16     port,
                                   gboolean    serve_here,
                                   gsize       payload,
                                   guint       timeout_ms);
KernelVerdict kernel_ping (const char *address,
                           guint       timeout_ms);

/* A cgroup of the test's own below the cgroup2 mount, with a cgroup for
 * each unit (under system.slice), made the place where service rules
 * look units up (PAL_CGROUP_ROOT). Returns its path, or NULL when it
 * cannot be made. The parent test process removes it afterwards. */
char        *kernel_cgroups_make (const char * const *units);

/* Brings an interface up (ioctl). */
void         kernel_link_up (const char *name);
/* An interface's MAC address in this namespace, as aa:bb:cc:dd:ee:ff. */
char        *kernel_link_address (const char *name);
/* Runs a command line, asserting success; returns stdout. */
char        *kernel_run (const char *command_line);

/* Two hosts: this namespace and a peer namespace (ip netns), joined by a
 * veth pair: here veth-pal0 with 10.99.0.1/24 and fd99::1/64, there
 * veth-pal1 with 10.99.0.2/24 and fd99::2/64. The peer's name is fixed
 * per test process, and the parent test process deletes it afterwards
 * even when the test fails. */
const char  *kernel_peer_name (void);
void         kernel_peer_setup (void);
/* A command in the peer namespace; returns stdout. */
char        *kernel_peer_run (const char *command_line);

/* A router: this namespace forwards between the peer (10.99.0.2, as
 * above) and a second peer namespace behind veth-pal2 (10.98.0.1/24 here,
 * 10.98.0.2/24 there); each peer routes the other's network through us.
 * The veth to the first peer has an MTU of 1280, so larger datagrams
 * from the second peer cross us as fragments. IPv6 is off in all three
 * (no background traffic). */
void         kernel_router_setup (void);
/* A command in the second peer namespace; returns stdout. */
char        *kernel_peer2_run (const char *command_line);
/* A UDP datagram of payload bytes from the second peer to address:port
 * (no answer awaited). */
void         kernel_peer2_send_udp (const char *address,
                                    guint16     port,
                                    gsize       payload);

/* Exchanges started from the peer namespace (a forked child that joins
 * it), towards a listener or echo server here. */
KernelVerdict kernel_peer_tcp_connect (const char *address,
                                       guint16     port,
                                       guint       timeout_ms);
KernelVerdict kernel_peer_udp_exchange (const char *address,
                                        guint16     port,
                                        guint       timeout_ms);
KernelVerdict kernel_peer_ping (const char *address,
                                guint       timeout_ms);
/* Runs func (returning a KernelVerdict) in a forked child, after prepare
 * (may be NULL) ran in that child; returns func's verdict. */
typedef KernelVerdict (*KernelChildFunc) (gpointer data);
KernelVerdict kernel_in_child (KernelChildFunc  prepare_and_run,
                               gpointer         data);

G_END_DECLS
