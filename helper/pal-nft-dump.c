/* pal-nft-dump.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <endian.h>
#include <gio/gio.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <string.h>

#include "pal-helper-error.h"
#include "pal-nft-dump.h"

#define REQUEST_SIZE 4096

typedef struct
{
  PalNftSocket *socket;
  PalNftPlan   *plan;
  GHashTable   *anonymous;    /* name → struct nftnl_set (elements loaded on demand) */
  GHashTable   *resolved;     /* name → PalNftElements */
  GError       *error;        /* from the resolver, which cannot return one */
} Reader;

static void
malformed (GError     **error,
           const char  *what)
{
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
               "nf_tables sent a malformed %s", what);
}

/* Table */

static gboolean
parse_table (const struct nlmsghdr  *nlh,
             gpointer                user_data,
             GError                **error)
{
  struct nftnl_table *table = nftnl_table_alloc ();
  guint32 *flags = user_data;

  if (nftnl_table_nlmsg_parse (nlh, table) < 0)
    {
      nftnl_table_free (table);
      malformed (error, "table");
      return FALSE;
    }
  *flags = nftnl_table_get_u32 (table, NFTNL_TABLE_FLAGS);
  nftnl_table_free (table);
  return TRUE;
}

gboolean
pal_nft_dump_table_flags (PalNftSocket  *socket,
                          gboolean      *exists,
                          gboolean      *dormant,
                          GError       **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  g_autoptr(GError) local_error = NULL;
  struct nftnl_table *table = nftnl_table_alloc ();
  struct nlmsghdr *nlh;
  guint32 flags = 0;

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETTABLE, NFPROTO_INET, 0, 0);
  nftnl_table_set_str (table, NFTNL_TABLE_NAME, PAL_NFT_TABLE);
  nftnl_table_nlmsg_build_payload (nlh, table);
  nftnl_table_free (table);
  if (!pal_nft_socket_query (socket, nlh, parse_table, &flags, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          *exists = FALSE;
          *dormant = FALSE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *exists = TRUE;
  *dormant = (flags & NFT_TABLE_F_DORMANT) != 0;
  return TRUE;
}

/* Chains */

static gboolean
parse_chain (const struct nlmsghdr  *nlh,
             gpointer                user_data,
             GError                **error)
{
  Reader *reader = user_data;
  struct nftnl_chain *c = nftnl_chain_alloc ();
  const char *name, *table, *type;
  PalNftChain *chain;
  gint hook = -1;

  if (nftnl_chain_nlmsg_parse (nlh, c) < 0)
    {
      nftnl_chain_free (c);
      malformed (error, "chain");
      return FALSE;
    }
  name = nftnl_chain_get_str (c, NFTNL_CHAIN_NAME);
  table = nftnl_chain_get_str (c, NFTNL_CHAIN_TABLE);
  if (g_strcmp0 (table, PAL_NFT_TABLE) == 0 && name != NULL
      && pal_nft_plan_lookup_chain (reader->plan, name) == NULL)
    {
      gboolean foreign = FALSE;

      if (nftnl_chain_is_set (c, NFTNL_CHAIN_HOOKNUM))
        {
          guint32 number = nftnl_chain_get_u32 (c, NFTNL_CHAIN_HOOKNUM);

          hook = number == NF_INET_LOCAL_IN ? PAL_NFT_HOOK_INPUT
                 : number == NF_INET_FORWARD ? PAL_NFT_HOOK_FORWARD
                 : number == NF_INET_LOCAL_OUT ? PAL_NFT_HOOK_OUTPUT : -1;
          type = nftnl_chain_get_str (c, NFTNL_CHAIN_TYPE);
          foreign = hook < 0 || g_strcmp0 (type, "filter") != 0
                    || g_strcmp0 (name, pal_nft_hook_get_name (hook)) != 0
                    || nftnl_chain_get_u32 (c, NFTNL_CHAIN_POLICY) != NF_ACCEPT;
        }
      chain = pal_nft_plan_add_chain (reader->plan, name, hook);
      chain->foreign = foreign;
      if (nftnl_chain_is_set (c, NFTNL_CHAIN_PRIO))
        chain->priority = nftnl_chain_get_s32 (c, NFTNL_CHAIN_PRIO);
    }
  nftnl_chain_free (c);
  return TRUE;
}

/* Sets */

static gboolean
query_elements_named (PalNftSocket      *socket,
                      const char        *name,
                      PalNftMessageFunc  func,
                      gpointer           user_data,
                      GError           **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  struct nftnl_set *request = nftnl_set_alloc ();
  struct nlmsghdr *nlh;
  gboolean ok;

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETSETELEM, NFPROTO_INET, NLM_F_DUMP, 0);
  nftnl_set_set_str (request, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (request, NFTNL_SET_NAME, name);
  nftnl_set_elems_nlmsg_build_payload (nlh, request);
  nftnl_set_free (request);
  ok = pal_nft_socket_query (socket, nlh, func, user_data, error);
  return ok;
}

static gboolean
query_elements (PalNftSocket      *socket,
                struct nftnl_set  *set,
                PalNftMessageFunc  func,
                gpointer           user_data,
                GError           **error)
{
  return query_elements_named (socket, nftnl_set_get_str (set, NFTNL_SET_NAME), func, user_data, error);
}

static gboolean
parse_elements (const struct nlmsghdr  *nlh,
                gpointer                user_data,
                GError                **error)
{
  if (nftnl_set_elems_nlmsg_parse (nlh, user_data) < 0)
    {
      malformed (error, "set element list");
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_elements (PalNftSocket      *socket,
               struct nftnl_set  *set,
               GError           **error)
{
  return query_elements (socket, set, parse_elements, set, error);
}

/* Rule keys from the hits elements' comments. */
static void
read_keys (PalNftPlan       *plan,
           struct nftnl_set *set)
{
  struct nftnl_set_elems_iter *iter = nftnl_set_elems_iter_create (set);
  struct nftnl_set_elem *element;

  for (element = nftnl_set_elems_iter_cur (iter); element != NULL;
       element = nftnl_set_elems_iter_next (iter))
    {
      guint32 length = 0, udata_length = 0;
      const guint8 *key = nftnl_set_elem_get (element, NFTNL_SET_ELEM_KEY, &length);
      const void *udata = nftnl_set_elem_get (element, NFTNL_SET_ELEM_USERDATA, &udata_length);
      const struct nftnl_udata *attr;
      const char *id = NULL;

      if (key == NULL || length != 4 || udata == NULL)
        continue;
      nftnl_udata_for_each_data (udata, udata_length, attr)
        if (nftnl_udata_type (attr) == NFTNL_UDATA_SET_ELEM_COMMENT && nftnl_udata_len (attr) > 0
            && ((const char *) nftnl_udata_get (attr))[nftnl_udata_len (attr) - 1] == '\0')
          id = nftnl_udata_get (attr);
      if (id != NULL && g_uuid_string_is_valid (id))
        g_hash_table_insert (plan->keys, g_strdup (id),
                             GUINT_TO_POINTER ((guint32) pal_nft_get_be (key, 4)));
    }
  nftnl_set_elems_iter_destroy (iter);
}

/* Which of our sets a name is, and what it must look like. */
static gboolean
classify_set (const char    *name,
              PalNftSetKind *kind,
              PalNftField   *field)
{
  static const char *const constants[] = { "trusted4", "trusted6", PAL_NFT_SET_EXTERNAL,
                                           PAL_NFT_SET_UNFILTERED, PAL_NFT_SET_PORTED };
  static const PalNftField constant_fields[] = { PAL_NFT_FIELD_IP_SADDR, PAL_NFT_FIELD_IP6_SADDR,
                                                 PAL_NFT_FIELD_IIFNAME, PAL_NFT_FIELD_IIFNAME,
                                                 PAL_NFT_FIELD_L4PROTO };
  static const char *const lists[] = { "triggered", "authorized", "kept" };
  guint number;
  char tail;

  for (guint i = 0; i < G_N_ELEMENTS (constants); i++)
    if (g_str_equal (name, constants[i]))
      {
        *kind = PAL_NFT_SET_CONSTANT;
        *field = constant_fields[i];
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (g_str_has_prefix (name, lists[i]) && strlen (name) == strlen (lists[i]) + 1)
      {
        char family = name[strlen (lists[i])];

        if (family != '4' && family != '6')
          return FALSE;
        *kind = PAL_NFT_SET_DYNAMIC;
        *field = family == '4' ? PAL_NFT_FIELD_IP_SADDR : PAL_NFT_FIELD_IP6_SADDR;
        return TRUE;
      }
  if (pal_nft_list_set_parse (name, field))
    {
      *kind = PAL_NFT_SET_CONSTANT;
      return TRUE;
    }
  if (sscanf (name, "hits%u%c", &number, &tail) == 1)
    {
      *kind = PAL_NFT_SET_HITS;
      *field = PAL_NFT_FIELD_LENGTH;
      return TRUE;
    }
  return FALSE;
}

static gboolean
add_named_set (Reader            *reader,
               struct nftnl_set  *set,
               GError           **error)
{
  const char *name = nftnl_set_get_str (set, NFTNL_SET_NAME);
  guint32 flags = nftnl_set_get_u32 (set, NFTNL_SET_FLAGS);
  guint32 key_length = nftnl_set_get_u32 (set, NFTNL_SET_KEY_LEN);
  PalNftSetKind kind = PAL_NFT_SET_CONSTANT;
  PalNftField field = PAL_NFT_FIELD_LENGTH;
  PalNftSetDef *def;
  gboolean ours = classify_set (name, &kind, &field);

  if (ours)
    {
      guint32 expected = kind == PAL_NFT_SET_CONSTANT ? NFT_SET_INTERVAL
                         : kind == PAL_NFT_SET_DYNAMIC ? NFT_SET_TIMEOUT | NFT_SET_EVAL
                         : NFT_SET_EVAL | NFT_SET_TIMEOUT;

      ours = (flags & ~NFT_SET_EXPR) == expected
             && key_length == (kind == PAL_NFT_SET_HITS ? 4 : pal_nft_field_get_length (field));
    }
  def = pal_nft_plan_add_set (reader->plan, name, kind, field);
  def->foreign = !ours;
  if (!ours || kind == PAL_NFT_SET_DYNAMIC)
    return TRUE;

  if (!load_elements (reader->socket, set, error))
    return FALSE;
  if (kind == PAL_NFT_SET_HITS)
    read_keys (reader->plan, set);
  else
    def->elements = pal_nft_elements_from_nftnl (set, field);
  return TRUE;
}

static gboolean
parse_set (const struct nlmsghdr  *nlh,
           gpointer                user_data,
           GError                **error)
{
  Reader *reader = user_data;
  struct nftnl_set *set = nftnl_set_alloc ();
  const char *name;

  if (nftnl_set_nlmsg_parse (nlh, set) < 0)
    {
      nftnl_set_free (set);
      malformed (error, "set");
      return FALSE;
    }
  name = nftnl_set_get_str (set, NFTNL_SET_NAME);
  if (name == NULL || g_strcmp0 (nftnl_set_get_str (set, NFTNL_SET_TABLE), PAL_NFT_TABLE) != 0)
    {
      nftnl_set_free (set);
      return TRUE;
    }
  /* Named sets are read after the dump: a dump cannot nest another. */
  g_hash_table_insert (reader->anonymous, g_strdup (name), set);
  return TRUE;
}

static PalNftElements *
resolve_set (const char *name,
             gpointer    user_data)
{
  Reader *reader = user_data;
  PalNftElements *elements = g_hash_table_lookup (reader->resolved, name);
  struct nftnl_set *set;

  if (elements != NULL)
    return pal_nft_elements_ref (elements);
  set = g_hash_table_lookup (reader->anonymous, name);
  if (set == NULL || reader->error != NULL)
    return NULL;
  if (!load_elements (reader->socket, set, &reader->error))
    return NULL;
  elements = pal_nft_elements_from_nftnl (set, PAL_NFT_FIELD_LENGTH);
  g_hash_table_insert (reader->resolved, g_strdup (name), pal_nft_elements_ref (elements));
  return elements;
}

/* Rules */

static gboolean
collect_rule (const struct nlmsghdr  *nlh,
              gpointer                user_data,
              GError                **error)
{
  GPtrArray *raw = user_data;
  struct nftnl_rule *rule = nftnl_rule_alloc ();

  if (nftnl_rule_nlmsg_parse (nlh, rule) < 0)
    {
      nftnl_rule_free (rule);
      malformed (error, "rule");
      return FALSE;
    }
  g_ptr_array_add (raw, rule);
  return TRUE;
}

static gboolean
dump_chain_rules (PalNftSocket  *socket,
                  const char    *chain,
                  GPtrArray     *raw,
                  GError       **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  struct nftnl_rule *request = nftnl_rule_alloc ();
  struct nlmsghdr *nlh;

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETRULE, NFPROTO_INET, NLM_F_DUMP, 0);
  nftnl_rule_set_str (request, NFTNL_RULE_TABLE, PAL_NFT_TABLE);
  nftnl_rule_set_str (request, NFTNL_RULE_CHAIN, chain);
  nftnl_rule_nlmsg_build_payload (nlh, request);
  nftnl_rule_free (request);
  return pal_nft_socket_query (socket, nlh, collect_rule, raw, error);
}

static PalNftKernelRule *
read_rule (Reader            *reader,
           struct nftnl_rule *r,
           const char        *chain)
{
  GPtrArray *atoms = NULL, *stmts = NULL;
  guint32 length = 0;
  const void *udata = nftnl_rule_get_data (r, NFTNL_RULE_USERDATA, &length);
  PalNftKernelRule *rule;
  PalNftTag tag;
  gboolean parsed;

  pal_nft_tag_from_udata (udata, length, &tag);
  parsed = pal_nft_parse_rule (r, resolve_set, reader, &atoms, &stmts);
  if (!parsed || tag.role == PAL_NFT_ROLE_FOREIGN)
    {
      pal_nft_tag_clear (&tag);
      tag.role = PAL_NFT_ROLE_FOREIGN;
      rule = pal_nft_kernel_rule_new (&tag, NULL, NULL);
      if (parsed)
        {
          PalNftKernelRule probe = { .atoms = atoms, .stmts = stmts };

          rule->text = pal_nft_kernel_rule_to_text (&probe);
          g_ptr_array_unref (atoms);
          g_ptr_array_unref (stmts);
        }
      else
        rule->text = g_strdup_printf ("handle %" G_GUINT64_FORMAT " in chain %s",
                                      nftnl_rule_get_u64 (r, NFTNL_RULE_HANDLE), chain);
    }
  else
    rule = pal_nft_kernel_rule_new (&tag, atoms, stmts);
  rule->handle = nftnl_rule_get_u64 (r, NFTNL_RULE_HANDLE);
  return rule;
}

static void
reader_clear (Reader *reader)
{
  g_clear_pointer (&reader->anonymous, g_hash_table_unref);
  g_clear_pointer (&reader->resolved, g_hash_table_unref);
  g_clear_error (&reader->error);
}

static gboolean
read_sets (Reader  *reader,
           GError **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  struct nftnl_set *request = nftnl_set_alloc ();
  struct nlmsghdr *nlh;
  GHashTableIter iter;
  gpointer name, set;

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETSET, NFPROTO_INET, NLM_F_DUMP, 0);
  nftnl_set_set_str (request, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_nlmsg_build_payload (nlh, request);
  nftnl_set_free (request);
  if (!pal_nft_socket_query (reader->socket, nlh, parse_set, reader, error))
    return FALSE;

  g_hash_table_iter_init (&iter, reader->anonymous);
  while (g_hash_table_iter_next (&iter, &name, &set))
    if ((nftnl_set_get_u32 (set, NFTNL_SET_FLAGS) & NFT_SET_ANONYMOUS) == 0)
      {
        if (!add_named_set (reader, set, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
read_rules (Reader  *reader,
            GError **error)
{
  for (guint c = 0; c < reader->plan->chains->len; c++)
    {
      PalNftChain *chain = g_ptr_array_index (reader->plan->chains, c);
      g_autoptr(GPtrArray) raw = g_ptr_array_new_with_free_func ((GDestroyNotify) nftnl_rule_free);

      if (!dump_chain_rules (reader->socket, chain->name, raw, error))
        return FALSE;
      for (guint i = 0; i < raw->len; i++)
        {
          g_ptr_array_add (chain->rules, read_rule (reader, g_ptr_array_index (raw, i), chain->name));
          if (reader->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&reader->error));
              return FALSE;
            }
        }
    }
  return TRUE;
}

gboolean
pal_nft_dump_table (PalNftSocket  *socket,
                    PalNftPlan   **plan,
                    GError       **error)
{
  g_autoptr(PalNftPlan) result = NULL;
  char buffer[REQUEST_SIZE] = { 0 };
  struct nftnl_chain *request;
  struct nlmsghdr *nlh;
  gboolean exists, dormant, ok;
  Reader reader = { socket, NULL, NULL, NULL, NULL };

  if (!pal_nft_dump_table_flags (socket, &exists, &dormant, error))
    return FALSE;
  *plan = NULL;
  if (!exists)
    return TRUE;

  result = pal_nft_plan_new ();
  result->dormant = dormant;
  reader.plan = result;
  reader.anonymous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) nftnl_set_free);
  reader.resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) pal_nft_elements_unref);

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETCHAIN, NFPROTO_INET, NLM_F_DUMP, 0);
  request = nftnl_chain_alloc ();
  nftnl_chain_set_str (request, NFTNL_CHAIN_TABLE, PAL_NFT_TABLE);
  nftnl_chain_nlmsg_build_payload (nlh, request);
  nftnl_chain_free (request);
  ok = pal_nft_socket_query (socket, nlh, parse_chain, &reader, error)
       && read_sets (&reader, error)
       && read_rules (&reader, error);
  reader_clear (&reader);
  if (!ok)
    return FALSE;
  *plan = g_steal_pointer (&result);
  return TRUE;
}

/* Handles: only the handle and userdata of each rule, read in place and
 * given to the chain's rules in order as they come. */

typedef struct
{
  PalNftChain *chain;
  guint        next;         /* the rule the next message is about */
  gboolean     same;         /* every rule so far was the plan's */
} HandleReader;

static gboolean
collect_handle (const struct nlmsghdr  *nlh,
                gpointer                user_data,
                GError                **error)
{
  HandleReader *reader = user_data;
  const struct nlattr *attr;
  const void *udata = NULL;
  gsize length = 0;
  guint64 handle = 0;
  PalNftKernelRule *rule;

  mnl_attr_for_each (attr, nlh, sizeof (struct nfgenmsg))
    {
      if (mnl_attr_get_type (attr) == NFTA_RULE_HANDLE && mnl_attr_get_payload_len (attr) == 8)
        handle = be64toh (mnl_attr_get_u64 (attr));
      else if (mnl_attr_get_type (attr) == NFTA_RULE_USERDATA)
        {
          udata = mnl_attr_get_payload (attr);
          length = mnl_attr_get_payload_len (attr);
        }
    }
  if (reader->next >= reader->chain->rules->len)
    {
      reader->same = FALSE;
      return TRUE;
    }
  rule = g_ptr_array_index (reader->chain->rules, reader->next++);
  /* The userdata we sent, byte for byte: no tag parsed, nothing copied. */
  if (!pal_nft_kernel_rule_has_udata (rule, udata, length))
    reader->same = FALSE;
  else if (reader->same)
    rule->handle = handle;
  return TRUE;
}

gboolean
pal_nft_dump_handles (PalNftSocket  *socket,
                      PalNftPlan    *plan,
                      GPtrArray     *chains,
                      GError       **error)
{
  for (guint c = 0; c < chains->len; c++)
    {
      HandleReader reader = { pal_nft_plan_lookup_chain (plan, g_ptr_array_index (chains, c)), 0, TRUE };
      char buffer[REQUEST_SIZE] = { 0 };
      struct nftnl_rule *request;
      struct nlmsghdr *nlh;

      if (reader.chain == NULL)
        continue;
      nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETRULE, NFPROTO_INET, NLM_F_DUMP, 0);
      request = nftnl_rule_alloc ();
      nftnl_rule_set_str (request, NFTNL_RULE_TABLE, PAL_NFT_TABLE);
      nftnl_rule_set_str (request, NFTNL_RULE_CHAIN, reader.chain->name);
      nftnl_rule_nlmsg_build_payload (nlh, request);
      nftnl_rule_free (request);
      if (!pal_nft_socket_query (socket, nlh, collect_handle, &reader, error))
        return FALSE;
      if (!reader.same || reader.next != reader.chain->rules->len)
        return FALSE;
    }
  return TRUE;
}

/* Hits: a parser that reads the attributes in place. */

static void
read_expression (const struct nlattr *expression,
                 PalNftHit           *hit)
{
  const struct nlattr *attr, *data = NULL;
  const char *name = NULL;

  mnl_attr_for_each_nested (attr, expression)
    {
      if (mnl_attr_get_type (attr) == NFTA_EXPR_NAME)
        name = mnl_attr_get_str (attr);
      else if (mnl_attr_get_type (attr) == NFTA_EXPR_DATA)
        data = attr;
    }
  if (name == NULL || data == NULL)
    return;
  mnl_attr_for_each_nested (attr, data)
    {
      guint16 type = mnl_attr_get_type (attr);

      if (g_str_equal (name, "counter") && mnl_attr_get_payload_len (attr) == 8)
        {
          if (type == NFTA_COUNTER_PACKETS)
            hit->packets = be64toh (mnl_attr_get_u64 (attr));
          else if (type == NFTA_COUNTER_BYTES)
            hit->bytes = be64toh (mnl_attr_get_u64 (attr));
        }
    }
}

static void
read_comment (const struct nlattr *attr,
              PalNftHit           *hit)
{
  const guint8 *data = mnl_attr_get_payload (attr);
  guint16 length = mnl_attr_get_payload_len (attr);

  /* One TLV: type, length, NUL-terminated text. */
  if (length >= 3 && data[0] == NFTNL_UDATA_SET_ELEM_COMMENT && data[1] + 2 <= length
      && data[1] > 0 && data[1] <= sizeof hit->id && data[2 + data[1] - 1] == '\0')
    memcpy (hit->id, data + 2, data[1]);
}

static void
read_element (const struct nlattr *element,
              GArray              *hits)
{
  const struct nlattr *attr, *inner;
  PalNftHit hit = { 0, };
  gboolean has_key = FALSE;
  guint64 timeout = 0, expiration = 0;

  mnl_attr_for_each_nested (attr, element)
    switch (mnl_attr_get_type (attr))
      {
      case NFTA_SET_ELEM_KEY:
        mnl_attr_for_each_nested (inner, attr)
          if (mnl_attr_get_type (inner) == NFTA_DATA_VALUE && mnl_attr_get_payload_len (inner) == 4)
            {
              hit.key = ntohl (mnl_attr_get_u32 (inner));
              has_key = TRUE;
            }
        break;
      case NFTA_SET_ELEM_USERDATA:
        read_comment (attr, &hit);
        break;
      case NFTA_SET_ELEM_TIMEOUT:
        if (mnl_attr_get_payload_len (attr) == 8)
          timeout = be64toh (mnl_attr_get_u64 (attr));
        break;
      case NFTA_SET_ELEM_EXPIRATION:
        if (mnl_attr_get_payload_len (attr) == 8)
          expiration = be64toh (mnl_attr_get_u64 (attr));
        break;
      case NFTA_SET_ELEM_EXPR:
        read_expression (attr, &hit);
        break;
      case NFTA_SET_ELEM_EXPRESSIONS:
        mnl_attr_for_each_nested (inner, attr)
          read_expression (inner, &hit);
        break;
      default:
        break;
      }
  /* Every match renews the element's timeout: what has run of it since is
   * the time since the last match. No packet, no match. */
  hit.matched = hit.packets > 0 && timeout >= expiration && timeout > 0;
  hit.msecs = hit.matched ? timeout - expiration : 0;
  if (has_key)
    g_array_append_val (hits, hit);
}

static gboolean
parse_hits (const struct nlmsghdr  *nlh,
            gpointer                user_data,
            GError                **error)
{
  GArray *hits = user_data;
  const struct nlattr *attr, *element;

  mnl_attr_for_each (attr, nlh, sizeof (struct nfgenmsg))
    if (mnl_attr_get_type (attr) == NFTA_SET_ELEM_LIST_ELEMENTS)
      mnl_attr_for_each_nested (element, attr)
        read_element (element, hits);
  return TRUE;
}

/* The compiler numbers the hits sets from 0 without a gap
 * (pal_nft_hits_set_name), so they are asked for by name until one is
 * missing: no dump of the set list, which holds every anonymous set of
 * the table (thousands in a large document) and cost as much as the
 * elements themselves. */
GArray *
pal_nft_dump_hits (PalNftSocket  *socket,
                   GError       **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (PalNftHit));

  for (guint32 number = 0;; number++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *name = pal_nft_hits_set_name (number * PAL_NFT_HITS_PER_SET);

      if (query_elements_named (socket, name, parse_hits, hits, &local_error))
        continue;
      /* No such set (or no table yet): the last one was the last. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&hits);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
}
