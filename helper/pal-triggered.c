/* pal-triggered.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>

#include "pal-firewall.h"
#include "pal-helper-error.h"
#include "pal-nft-batch.h"
#include "pal-nft-plan.h"
#include "pal-nft-socket.h"
#include "pal-triggered.h"
#include "pal-value.h"

#define REQUEST_SIZE 4096

struct _PalTriggered
{
  GObject       parent_instance;

  GMutex        lock;
  PalNftSocket *socket;
  PalFirewall  *firewall;   /* or NULL */
};

G_DEFINE_FINAL_TYPE (PalTriggered, pal_triggered, G_TYPE_OBJECT)

static const char *const set_names[2] = { "triggered4", "triggered6" };
static const gsize key_lengths[2] = { 4, 16 };

void
pal_triggered_entry_free (PalTriggeredEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->address);
  g_free (entry->reason);
  g_free (entry);
}

static void
pal_triggered_finalize (GObject *object)
{
  PalTriggered *self = PAL_TRIGGERED (object);

  g_clear_pointer (&self->socket, pal_nft_socket_free);
  g_clear_object (&self->firewall);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (pal_triggered_parent_class)->finalize (object);
}

static void
pal_triggered_class_init (PalTriggeredClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pal_triggered_finalize;
}

static void
pal_triggered_init (PalTriggered *self)
{
  g_mutex_init (&self->lock);
}

PalTriggered *
pal_triggered_new (GError **error)
{
  g_autoptr(PalTriggered) self = g_object_new (PAL_TYPE_TRIGGERED, NULL);

  self->socket = pal_nft_socket_new (error);
  if (self->socket == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
pal_triggered_set_firewall (PalTriggered *self,
                            PalFirewall  *firewall)
{
  g_return_if_fail (PAL_IS_TRIGGERED (self));
  g_return_if_fail (firewall == NULL || PAL_IS_FIREWALL (firewall));

  g_mutex_lock (&self->lock);
  g_set_object (&self->firewall, firewall);
  g_mutex_unlock (&self->lock);
}

char *
pal_triggered_address_to_string (const guint8 *key,
                                 gsize         length)
{
  char text[INET6_ADDRSTRLEN] = "";

  g_return_val_if_fail (key != NULL && (length == 4 || length == 16), NULL);
  inet_ntop (length == 4 ? AF_INET : AF_INET6, key, text, sizeof text);
  return g_strdup (text);
}

/* ------------------------------------------------------------ reading */

/* ListTriggeredValues' parts (pal_triggered_list_values). */
typedef struct
{
  GByteArray *addresses[2];   /* 4 and 16 bytes each */
  GArray     *numbers;        /* guint64: seconds left, when, reason index */
  GPtrArray  *reasons;        /* char *, each once */
  GHashTable *reason_index;   /* reason (in reasons) → its index + 1 */
} Values;

typedef struct
{
  guint       family;        /* 0: v4, 1: v6 */
  GPtrArray  *entries;       /* PalTriggeredEntry, or NULL */
  GByteArray *present;       /* the family's keys, packed; or NULL */
  Values     *values;        /* or NULL */
  gint64      now;
  GByteArray *keys;          /* every key of this pass over the set */
} Reading;

/* What an element says besides its key; reason points into it. */
typedef struct
{
  const guint8 *key;
  guint32       length;
  guint64       seconds_left;
  guint64       timeout;
  const char   *reason;
  gint64        when;
} Element;

static void
read_udata (const void *udata,
            guint32     length,
            Element    *fields)
{
  const struct nftnl_udata *attr;

  nftnl_udata_for_each_data (udata, length, attr)
    {
      const char *data = nftnl_udata_get (attr);
      guint8 size = nftnl_udata_len (attr);

      if (nftnl_udata_type (attr) == NFTNL_UDATA_SET_ELEM_COMMENT && size > 0 && data[size - 1] == '\0'
          && g_utf8_validate (data, size - 1, NULL))
        fields->reason = data;
      else if (nftnl_udata_type (attr) == PAL_TRIGGERED_UDATA_WHEN && size == sizeof (gint64))
        memcpy (&fields->when, data, sizeof (gint64));
    }
}

static gboolean
read_element (struct nftnl_set_elem *element,
              gint64                 now,
              Element               *fields)
{
  guint32 udata_length = 0;
  const void *udata = nftnl_set_elem_get (element, NFTNL_SET_ELEM_USERDATA, &udata_length);
  guint64 timeout = nftnl_set_elem_is_set (element, NFTNL_SET_ELEM_TIMEOUT)
                    ? nftnl_set_elem_get_u64 (element, NFTNL_SET_ELEM_TIMEOUT) : 0;
  guint64 expiration = nftnl_set_elem_is_set (element, NFTNL_SET_ELEM_EXPIRATION)
                       ? nftnl_set_elem_get_u64 (element, NFTNL_SET_ELEM_EXPIRATION) : 0;

  *fields = (Element) { NULL, 0, 0, 0, "", 0 };
  fields->key = nftnl_set_elem_get (element, NFTNL_SET_ELEM_KEY, &fields->length);
  if (fields->key == NULL || (fields->length != 4 && fields->length != 16))
    return FALSE;
  fields->seconds_left = timeout == 0 ? G_MAXUINT64 : (expiration + 999) / 1000;
  fields->timeout = timeout == 0 ? G_MAXUINT64 : timeout / 1000;
  if (udata != NULL)
    read_udata (udata, udata_length, fields);
  /* A rule's element: it was added when its full timeout began. */
  if (fields->when == 0 && timeout != 0)
    fields->when = now - (gint64) ((timeout - MIN (timeout, expiration)) / 1000);
  return TRUE;
}

static PalTriggeredEntry *
entry_from_element (const Element *fields)
{
  PalTriggeredEntry *entry = g_new0 (PalTriggeredEntry, 1);

  entry->address = pal_triggered_address_to_string (fields->key, fields->length);
  entry->seconds_left = fields->seconds_left;
  entry->timeout = fields->timeout;
  entry->reason = g_strdup (fields->reason);
  entry->when = fields->when;
  return entry;
}

static void
values_add (Values        *values,
            guint          family,
            const Element *fields)
{
  gpointer index = g_hash_table_lookup (values->reason_index, fields->reason);
  guint64 numbers[3];

  if (index == NULL)
    {
      g_ptr_array_add (values->reasons, g_strdup (fields->reason));
      index = GUINT_TO_POINTER (values->reasons->len);
      g_hash_table_insert (values->reason_index, g_ptr_array_index (values->reasons, values->reasons->len - 1),
                           index);
    }
  numbers[0] = fields->seconds_left;
  numbers[1] = (guint64) MAX (fields->when, 0);
  numbers[2] = GPOINTER_TO_UINT (index) - 1;
  g_byte_array_append (values->addresses[family], fields->key, fields->length);
  g_array_append_vals (values->numbers, numbers, 3);
}

static gboolean
parse_element_message (const struct nlmsghdr  *nlh,
                       gpointer                user_data,
                       GError                **error)
{
  Reading *reading = user_data;
  struct nftnl_set *set = nftnl_set_alloc ();
  struct nftnl_set_elems_iter *iter;
  struct nftnl_set_elem *element;

  if (nftnl_set_elems_nlmsg_parse (nlh, set) < 0)
    {
      nftnl_set_free (set);
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                           "nf_tables sent a set element list Palisade cannot read");
      return FALSE;
    }
  iter = nftnl_set_elems_iter_create (set);
  /* _next returns the current element, then moves on. */
  while ((element = nftnl_set_elems_iter_next (iter)) != NULL)
    {
      guint32 length = 0;
      const void *key = nftnl_set_elem_get (element, NFTNL_SET_ELEM_KEY, &length);
      Element fields;

      if (reading->keys != NULL && key != NULL && length == key_lengths[reading->family])
        g_byte_array_append (reading->keys, key, length);
      if (reading->present != NULL && key != NULL && length == key_lengths[reading->family])
        g_byte_array_append (reading->present, key, length);
      if ((reading->entries == NULL && reading->values == NULL) || !read_element (element, reading->now, &fields))
        continue;
      if (reading->entries != NULL)
        g_ptr_array_add (reading->entries, entry_from_element (&fields));
      if (reading->values != NULL && fields.length == key_lengths[reading->family])
        values_add (reading->values, reading->family, &fields);
    }
  nftnl_set_elems_iter_destroy (iter);
  nftnl_set_free (set);
  return TRUE;
}

static gboolean
query_set (PalTriggered  *self,
           guint          family,
           Reading       *reading,
           GError       **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  struct nftnl_set *request = nftnl_set_alloc ();
  struct nlmsghdr *nlh;

  nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETSETELEM, NFPROTO_INET, NLM_F_DUMP, 0);
  nftnl_set_set_str (request, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (request, NFTNL_SET_NAME, set_names[family]);
  nftnl_set_elems_nlmsg_build_payload (nlh, request);
  nftnl_set_free (request);
  return pal_nft_socket_query (self->socket, nlh, parse_element_message, reading, error);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      length)
{
  return memcmp (a, b, GPOINTER_TO_UINT (length));
}

/* A set holds each key once, so a key listed twice means the dump crossed
 * a resize of the set's hash table (the kernel resizes it in the
 * background after a large add): the dump resumes each message by
 * position, and the positions moved, listing some keys twice and others
 * not at all. */
static gboolean
has_duplicate_keys (GByteArray *keys,
                    guint       length)
{
  guint n = keys->len / length;

  g_qsort_with_data (keys->data, n, length, compare_keys, GUINT_TO_POINTER (length));
  for (guint i = 1; i < n; i++)
    if (memcmp (keys->data + (i - 1) * length, keys->data + i * length, length) == 0)
      return TRUE;
  return FALSE;
}

/* Reads one set's elements; FALSE with G_IO_ERROR_NOT_FOUND when the set
 * (or our table) does not exist. A dump that listed a key twice is
 * dropped and read again. */
static gboolean
read_set (PalTriggered  *self,
          guint          family,
          Reading       *reading,
          GError       **error)
{
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr(GByteArray) keys = g_byte_array_new ();
      guint n_entries = reading->entries != NULL ? reading->entries->len : 0;
      guint n_present = reading->present != NULL ? reading->present->len : 0;
      guint n_addresses = reading->values != NULL ? reading->values->addresses[family]->len : 0;
      guint n_numbers = reading->values != NULL ? reading->values->numbers->len : 0;
      gboolean ok;

      reading->family = family;
      reading->keys = keys;
      ok = query_set (self, family, reading, error);
      reading->keys = NULL;
      if (!ok)
        return FALSE;
      if (!has_duplicate_keys (keys, key_lengths[family]))
        return TRUE;
      g_debug ("The dump of %s listed a key twice (the set was resized); reading it again", set_names[family]);
      if (reading->entries != NULL)
        g_ptr_array_set_size (reading->entries, n_entries);
      if (reading->present != NULL)
        g_byte_array_set_size (reading->present, n_present);
      if (reading->values != NULL)
        {
          g_byte_array_set_size (reading->values->addresses[family], n_addresses);
          g_array_set_size (reading->values->numbers, n_numbers);
        }
    }
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
               "The kernel listed addresses of %s twice in five readings while the set was being resized; "
               "try again", set_names[family]);
  return FALSE;
}

static void
set_no_table_error (GError **error)
{
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                       "There is no triggered table yet: apply a document first");
}

/* ------------------------------------------------------------ key sets */

/* Sets of keys of one family that point into packed storage outliving
 * them: no copy and no allocation per key. IPv4 keys are 4-byte aligned
 * in their arrays, so g_int_hash reads them in place. */
static guint
key6_hash (gconstpointer key)
{
  guint32 words[4];

  memcpy (words, key, sizeof words);
  return ((words[0] * 31u + words[1]) * 31u + words[2]) * 31u + words[3];
}

static gboolean
key6_equal (gconstpointer a,
            gconstpointer b)
{
  return memcmp (a, b, 16) == 0;
}

static GHashTable *
key_set_new (guint family)
{
  return family == 0 ? g_hash_table_new (g_int_hash, g_int_equal) : g_hash_table_new (key6_hash, key6_equal);
}

/* The keys in both sets now, as read. */
typedef struct
{
  GByteArray *keys[2];
  GHashTable *sets[2];   /* pointers into keys */
} Present;

static void
present_clear (Present *present)
{
  for (guint family = 0; family < 2; family++)
    {
      g_clear_pointer (&present->sets[family], g_hash_table_unref);
      g_clear_pointer (&present->keys[family], g_byte_array_unref);
    }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Present, present_clear)

/* Reads both sets into reading; no table is no entries. */
static gboolean
read_sets (PalTriggered  *self,
           Reading       *reading,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  for (guint family = 0; family < 2; family++)
    if (!read_set (self, family, reading, &local_error))
      {
        /* No table: nothing is banned. */
        if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
          return TRUE;
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

static GPtrArray *
list_locked (PalTriggered  *self,
             GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_triggered_entry_free);
  Reading reading = { 0, entries, NULL, NULL, g_get_real_time () / G_USEC_PER_SEC };

  if (!read_sets (self, &reading, error))
    return NULL;
  return g_steal_pointer (&entries);
}

GPtrArray *
pal_triggered_list (PalTriggered  *self,
                    GError       **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), NULL);

  g_mutex_lock (&self->lock);
  entries = list_locked (self, error);
  g_mutex_unlock (&self->lock);
  return entries;
}

GVariant *
pal_triggered_list_values (PalTriggered  *self,
                           GError       **error)
{
  g_autoptr(GHashTable) reason_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GByteArray) v4 = g_byte_array_new ();
  g_autoptr(GByteArray) v6 = g_byte_array_new ();
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  Values values = { { v4, v6 }, numbers, reasons, reason_index };
  Reading reading = { 0, NULL, NULL, &values, g_get_real_time () / G_USEC_PER_SEC };
  gboolean ok;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), NULL);

  g_mutex_lock (&self->lock);
  ok = read_sets (self, &reading, error);
  g_mutex_unlock (&self->lock);
  if (!ok)
    return NULL;
  return g_variant_new ("(@ay@ay@at@as)",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, v4->data, v4->len, 1),
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, v6->data, v6->len, 1),
                        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, numbers->data, numbers->len,
                                                   sizeof (guint64)),
                        g_variant_new_strv ((const char * const *) reasons->pdata, reasons->len));
}

static gboolean
ignore_reply (const struct nlmsghdr  *nlh,
              gpointer                user_data,
              GError                **error)
{
  return TRUE;
}

/* Both sets are there: asked for by name, not by reading their elements
 * (a dump of 100,000 costs seconds). FALSE with the reason otherwise. */
static gboolean
check_sets_locked (PalTriggered  *self,
                   GError       **error)
{
  for (guint family = 0; family < 2; family++)
    {
      char buffer[REQUEST_SIZE] = { 0 };
      g_autoptr(GError) local_error = NULL;
      struct nftnl_set *request = nftnl_set_alloc ();
      struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETSET, NFPROTO_INET, 0, 0);

      nftnl_set_set_str (request, NFTNL_SET_TABLE, PAL_NFT_TABLE);
      nftnl_set_set_str (request, NFTNL_SET_NAME, set_names[family]);
      nftnl_set_nlmsg_build_payload (nlh, request);
      nftnl_set_free (request);
      if (pal_nft_socket_query (self->socket, nlh, ignore_reply, NULL, &local_error))
        continue;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        set_no_table_error (error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
pal_triggered_sets_exist (PalTriggered *self)
{
  gboolean exist;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), FALSE);

  g_mutex_lock (&self->lock);
  exist = check_sets_locked (self, NULL);
  g_mutex_unlock (&self->lock);
  return exist;
}

/* ------------------------------------------------------------ parsing */

/* Keys, packed: v4 in keys[0] (4 bytes each), v6 in keys[1] (16 each). */
typedef struct
{
  GByteArray *keys[2];
  guint       count;
} Keys;

static void
keys_init (Keys *keys)
{
  keys->keys[0] = g_byte_array_new ();
  keys->keys[1] = g_byte_array_new ();
  keys->count = 0;
}

/* Safe on zeroed keys: a g_auto(Keys) may be left before keys_init(). */
static void
keys_clear (Keys *keys)
{
  g_clear_pointer (&keys->keys[0], g_byte_array_unref);
  g_clear_pointer (&keys->keys[1], g_byte_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Keys, keys_clear)

/* Addresses in first..last (last 8 bytes counted, first 8 bytes equal). */
static guint64
range_size (const PalAddressRange *range)
{
  gsize length = range->family == AF_INET ? 4 : 16;
  gsize low = length == 4 ? 0 : 8;
  guint64 first = 0, last = 0;

  if (length == 16 && memcmp (range->first, range->last, 8) != 0)
    return G_MAXUINT64;
  for (gsize i = low; i < length; i++)
    {
      first = (first << 8) | range->first[i];
      last = (last << 8) | range->last[i];
    }
  return last < first ? 0 : (last - first == G_MAXUINT64 ? G_MAXUINT64 : last - first + 1);
}

static void
add_range (Keys                  *keys,
           const PalAddressRange *range,
           guint64                size)
{
  gsize length = range->family == AF_INET ? 4 : 16;
  guint family = length == 4 ? 0 : 1;
  guint8 key[16];

  memcpy (key, range->first, length);
  for (guint64 n = 0; n < size; n++)
    {
      g_byte_array_append (keys->keys[family], key, length);
      for (gsize i = length; i-- > 0;)
        if (++key[i] != 0)
          break;
    }
  keys->count += size;
}

/* What a message calls the text: "Address 3 (“…”)" or "“…”". */
static char *
name_text (const char *text,
           guint       position)
{
  if (position == G_MAXUINT)
    return g_strdup_printf ("“%.64s”", text);
  return g_strdup_printf ("Address %u (“%.64s”)", position + 1, text);
}

/* One plain address, as pal_value_parse() reads it (the family by the
 * colon, then inet_pton), without its lists, ranges, networks, spaces and
 * messages: most texts of a large call are that, and pal_value_parse()
 * costs a PalValue, a copy and a list scan each. FALSE: let it decide. */
static gboolean
parse_plain_address (Keys       *keys,
                     const char *text)
{
  gboolean v6 = FALSE;
  guint8 key[16];
  gsize n = 0;

  for (; text[n] != '\0'; n++)
    {
      if (n >= INET6_ADDRSTRLEN || !(g_ascii_isxdigit (text[n]) || text[n] == '.' || text[n] == ':'))
        return FALSE;
      v6 = v6 || text[n] == ':';
    }
  if (inet_pton (v6 ? AF_INET6 : AF_INET, text, key) != 1)
    return FALSE;
  if (keys->count >= PAL_TRIGGERED_MAX_EXPANDED)
    return FALSE;   /* pal_value_parse() and the message */
  g_byte_array_append (keys->keys[v6], key, v6 ? 16 : 4);
  keys->count++;
  return TRUE;
}

/* position: for messages; G_MAXUINT when the text stands alone. */
static gboolean
parse_text (Keys        *keys,
            const char  *text,
            guint        position,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PalValue) value = NULL;

  if (parse_plain_address (keys, text))
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "Address %u is not valid UTF-8 text", position + 1);
      return FALSE;
    }
  value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, text, &local_error);
  if (value == NULL || value->addresses == NULL || value->addresses->len == 0)
    {
      g_autofree char *name = name_text (text, position);

      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "%s is not an address, range or network: %s", name,
                   local_error != NULL ? local_error->message : "it is empty");
      return FALSE;
    }
  for (guint i = 0; i < value->addresses->len; i++)
    {
      const PalAddressRange *range = &g_array_index (value->addresses, PalAddressRange, i);
      guint64 size = range_size (range);

      if (size > PAL_TRIGGERED_MAX_EXPANDED - keys->count)
        {
          g_autofree char *name = name_text (text, position);

          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                       "%s holds too many addresses: one call bans at most %u "
                       "(a range or network is banned address by address)",
                       name, PAL_TRIGGERED_MAX_EXPANDED);
          return FALSE;
        }
      add_range (keys, range, size);
    }
  return TRUE;
}

static gboolean
parse_texts (Keys               *keys,
             const char * const *texts,
             GError            **error)
{
  guint n = texts != NULL ? g_strv_length ((char **) texts) : 0;

  if (n > PAL_TRIGGERED_MAX_ARGUMENTS)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "%u addresses in one call are too many (at most %u)", n, PAL_TRIGGERED_MAX_ARGUMENTS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!parse_text (keys, texts[i], i, error))
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------ writing */

static struct nftnl_set *
named_set (guint family)
{
  struct nftnl_set *set = nftnl_set_alloc ();

  nftnl_set_set_str (set, NFTNL_SET_TABLE, PAL_NFT_TABLE);
  nftnl_set_set_str (set, NFTNL_SET_NAME, set_names[family]);
  nftnl_set_set_u32 (set, NFTNL_SET_FAMILY, NFPROTO_INET);
  nftnl_set_set_u32 (set, NFTNL_SET_KEY_LEN, key_lengths[family]);
  return set;
}

/* Elements written straight into the batch's netlink messages, as
 * libnftnl would write them (its element objects cost an allocation, a
 * copy and a free each: half of a large call's user time). */
typedef struct
{
  PalNftBatch     *batch;
  guint16          type;      /* NFT_MSG_NEWSETELEM or _DELSETELEM */
  guint            family;
  struct nlmsghdr *nlh;       /* the open message, or NULL */
  struct nlattr   *list;
  char            *what;
} ElementWriter;

/* An element's attributes take less (key, timeout, userdata of at most
 * NFT_USERDATA_MAXLEN, their headers); the list's nest length is 16 bits. */
#define ELEMENT_ROOM  512
#define MESSAGE_LIMIT (48 * 1024)
G_STATIC_ASSERT (MESSAGE_LIMIT + ELEMENT_ROOM <= PAL_NFT_BATCH_MAX_MESSAGE && MESSAGE_LIMIT < G_MAXUINT16);

static void
writer_init (ElementWriter *writer,
             PalNftBatch   *batch,
             guint16        type,
             guint          family)
{
  *writer = (ElementWriter) { batch, type, family, NULL, NULL, NULL };
  writer->what = g_strdup_printf ("set %s", set_names[family]);
}

static void
writer_finish (ElementWriter *writer)
{
  if (writer->nlh != NULL)
    {
      mnl_attr_nest_end (writer->nlh, writer->list);
      pal_nft_batch_end_message (writer->batch, writer->nlh);
      writer->nlh = NULL;
    }
  g_clear_pointer (&writer->what, g_free);
}

/* udata: the element's userdata, or NULL. */
static void
writer_add (ElementWriter                *writer,
            const guint8                 *key,
            guint64                       duration,
            const struct nftnl_udata_buf *udata)
{
  struct nlattr *element, *key_nest;

  if (writer->nlh != NULL && writer->nlh->nlmsg_len > MESSAGE_LIMIT)
    {
      mnl_attr_nest_end (writer->nlh, writer->list);
      pal_nft_batch_end_message (writer->batch, writer->nlh);
      writer->nlh = NULL;
    }
  if (writer->nlh == NULL)
    {
      writer->nlh = pal_nft_batch_begin_message (writer->batch, writer->type, NFPROTO_INET,
                                                 writer->type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
                                                 writer->what);
      mnl_attr_put_strz (writer->nlh, NFTA_SET_ELEM_LIST_SET, set_names[writer->family]);
      mnl_attr_put_strz (writer->nlh, NFTA_SET_ELEM_LIST_TABLE, PAL_NFT_TABLE);
      writer->list = mnl_attr_nest_start (writer->nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
    }
  element = mnl_attr_nest_start (writer->nlh, NFTA_LIST_ELEM);
  if (duration != G_MAXUINT64)
    mnl_attr_put_u64 (writer->nlh, NFTA_SET_ELEM_TIMEOUT, GUINT64_TO_BE (MIN (duration, G_MAXUINT64 / 1000) * 1000));
  key_nest = mnl_attr_nest_start (writer->nlh, NFTA_SET_ELEM_KEY);
  mnl_attr_put (writer->nlh, NFTA_DATA_VALUE, key_lengths[writer->family], key);
  mnl_attr_nest_end (writer->nlh, key_nest);
  if (udata != NULL)
    mnl_attr_put (writer->nlh, NFTA_SET_ELEM_USERDATA, nftnl_udata_buf_len (udata), nftnl_udata_buf_data (udata));
  mnl_attr_nest_end (writer->nlh, element);
}

/* The reason as the kernel keeps it: at most PAL_TRIGGERED_MAX_REASON
 * bytes, cut at a character boundary. */
static char *
shorten_reason (const char *reason)
{
  const char *end = reason != NULL ? reason : "";

  while (*end != '\0' && (gsize) (g_utf8_next_char (end) - reason) <= PAL_TRIGGERED_MAX_REASON)
    end = g_utf8_next_char (end);
  return g_strndup (reason != NULL ? reason : "", end - (reason != NULL ? reason : ""));
}

/* The element's userdata: the reason as nft's comment, and the time. */
static struct nftnl_udata_buf *
make_udata (const char *reason,
            gint64      when)
{
  struct nftnl_udata_buf *udata = nftnl_udata_buf_alloc (NFT_USERDATA_MAXLEN);

  if (*reason != '\0')
    nftnl_udata_put_strz (udata, NFTNL_UDATA_SET_ELEM_COMMENT, reason);
  nftnl_udata_put (udata, PAL_TRIGGERED_UDATA_WHEN, sizeof when, &when);
  return udata;
}

static gboolean
send_batch (PalTriggered  *self,
      PalNftBatch   *batch,
      GError       **error)
{
  if (pal_nft_batch_is_empty (batch))
    return TRUE;
  if (self->firewall != NULL)
    return pal_firewall_send_set_elements (self->firewall, self->socket, batch, error);
  return pal_nft_socket_send_batch (self->socket, batch, error);
}

/* Addresses added with one duration and reason. */
typedef struct
{
  Keys     keys;
  guint64  duration;
  char    *reason;   /* shortened: as the kernel keeps it */
  gint64   when;
} Group;

static Group *
group_new (guint64     duration,
           const char *reason,
           gint64      when)
{
  Group *group = g_new0 (Group, 1);

  keys_init (&group->keys);
  group->duration = duration;
  group->reason = shorten_reason (reason);
  group->when = when != 0 ? when : g_get_real_time () / G_USEC_PER_SEC;
  return group;
}

static void
group_free (Group *group)
{
  keys_clear (&group->keys);
  g_free (group->reason);
  g_free (group);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Group, group_free)

/* What the sets will say of an address this call adds. */
static PalTriggeredEntry *
group_entry (const Group  *group,
             const guint8 *key,
             gsize         length)
{
  Element fields = { key, (guint32) length, group->duration, group->duration, group->reason, group->when };

  return entry_from_element (&fields);
}

/* Whether key is in the family's set, asked for by itself. FALSE with
 * error when it cannot be told (not for an absent key). */
static gboolean
ask_key (PalTriggered  *self,
         guint          family,
         const guint8  *key,
         gboolean      *present,
         GError       **error)
{
  char buffer[REQUEST_SIZE] = { 0 };
  struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr (buffer, NFT_MSG_GETSETELEM, NFPROTO_INET, 0, 0);
  struct nlattr *list, *element, *key_nest;
  g_autoptr(GError) local_error = NULL;

  mnl_attr_put_strz (nlh, NFTA_SET_ELEM_LIST_TABLE, PAL_NFT_TABLE);
  mnl_attr_put_strz (nlh, NFTA_SET_ELEM_LIST_SET, set_names[family]);
  list = mnl_attr_nest_start (nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
  element = mnl_attr_nest_start (nlh, NFTA_LIST_ELEM);
  key_nest = mnl_attr_nest_start (nlh, NFTA_SET_ELEM_KEY);
  mnl_attr_put (nlh, NFTA_DATA_VALUE, key_lengths[family], key);
  mnl_attr_nest_end (nlh, key_nest);
  mnl_attr_nest_end (nlh, element);
  mnl_attr_nest_end (nlh, list);
  *present = pal_nft_socket_query (self->socket, nlh, ignore_reply, NULL, &local_error);
  if (*present || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Up to this many keys are looked up one by one; more read the sets
 * whole (a dump is one request, but walks the whole set again for every
 * 32 KiB of reply: 100,000 entries take half a second, for one ban). */
#define ASK_KEYS_MAX 64

/* present->keys[family] gets those of keys (n of them) that are there. */
static gboolean
ask_keys (PalTriggered  *self,
          Keys * const  *keys,
          guint          n,
          Present       *present,
          GError       **error)
{
  if (!check_sets_locked (self, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    for (guint family = 0; family < 2; family++)
      {
        gsize length = key_lengths[family];
        GByteArray *array = keys[i]->keys[family];

        for (guint offset = 0; offset < array->len; offset += length)
          {
            gboolean there = FALSE;

            if (!ask_key (self, family, array->data + offset, &there, error))
              return FALSE;
            if (there)
              g_byte_array_append (present->keys[family], array->data + offset, length);
          }
      }
  return TRUE;
}

/* The keys of both sets, or only those of keys (n of them) when they are
 * few. FALSE without a table. */
static gboolean
read_present (PalTriggered  *self,
              Keys * const  *keys,
              guint          n,
              Present       *present,
              GError       **error)
{
  Reading reading = { 0, NULL, NULL, NULL, g_get_real_time () / G_USEC_PER_SEC };
  g_autoptr(GError) local_error = NULL;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    count += keys[i]->count;
  for (guint family = 0; family < 2; family++)
    present->keys[family] = g_byte_array_new ();
  if (count <= ASK_KEYS_MAX)
    {
      if (!ask_keys (self, keys, n, present, error))
        return FALSE;
    }
  else
    for (guint family = 0; family < 2; family++)
      {
        reading.present = present->keys[family];
        if (!read_set (self, family, &reading, &local_error))
          {
            if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
              set_no_table_error (error);
            else
              g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
      }
  for (guint family = 0; family < 2; family++)
    {
      GByteArray *array = present->keys[family];

      present->sets[family] = key_set_new (family);
      for (guint offset = 0; offset < array->len; offset += key_lengths[family])
        g_hash_table_add (present->sets[family], array->data + offset);
    }
  return TRUE;
}

/* What one family's part of a call does. */
typedef struct
{
  GPtrArray *stale;   /* keys there already: deleted first */
  GArray    *fresh;   /* FreshKey */
} FamilyPlan;

typedef struct
{
  const guint8 *key;
  const Group  *group;
} FreshKey;

/* seen: the keys of this family named so far (the first wins). */
static void
group_plan (Group            *group,
            guint             family,
            GHashTable       *present,
            GHashTable       *seen,
            FamilyPlan       *plan)
{
  gsize length = key_lengths[family];
  GByteArray *keys = group->keys.keys[family];

  for (guint offset = 0; offset < keys->len; offset += length)
    {
      guint8 *key = keys->data + offset;
      FreshKey fresh = { key, group };

      if (!g_hash_table_add (seen, key))
        continue;   /* named twice: the first wins */
      if (g_hash_table_contains (present, key))
        g_ptr_array_add (plan->stale, key);
      g_array_append_val (plan->fresh, fresh);
    }
}

static void
write_plan (PalNftBatch *batch,
            guint        family,
            FamilyPlan  *plan,
            GPtrArray   *entries)
{
  ElementWriter writer;
  const Group *group = NULL;
  struct nftnl_udata_buf *udata = NULL;

  writer_init (&writer, batch, NFT_MSG_DELSETELEM, family);
  for (guint i = 0; i < plan->stale->len; i++)
    writer_add (&writer, g_ptr_array_index (plan->stale, i), G_MAXUINT64, NULL);
  writer_finish (&writer);
  writer_init (&writer, batch, NFT_MSG_NEWSETELEM, family);
  for (guint i = 0; i < plan->fresh->len; i++)
    {
      const FreshKey *fresh = &g_array_index (plan->fresh, FreshKey, i);

      if (fresh->group != group)
        {
          group = fresh->group;
          g_clear_pointer (&udata, nftnl_udata_buf_free);
          udata = make_udata (group->reason, group->when);
        }
      writer_add (&writer, fresh->key, group->duration, udata);
      if (entries != NULL)
        g_ptr_array_add (entries, group_entry (group, fresh->key, key_lengths[family]));
    }
  writer_finish (&writer);
  g_clear_pointer (&udata, nftnl_udata_buf_free);
}

/* All groups in one batch. An existing element is deleted and added again
 * in the same batch: the kernel would keep its old timeout otherwise. */
static gint64
add_locked (PalTriggered  *self,
            GPtrArray     *groups,
            GPtrArray     *entries,
            GError       **error)
{
  g_auto(Present) present = { { NULL, NULL }, { NULL, NULL } };
  g_autoptr(PalNftBatch) batch = pal_nft_batch_new (0);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  gint64 added = 0;

  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (keys, &((Group *) g_ptr_array_index (groups, i))->keys);
  if (!read_present (self, (Keys * const *) keys->pdata, keys->len, &present, error))
    return -1;
  for (guint family = 0; family < 2; family++)
    {
      g_autoptr(GHashTable) seen = key_set_new (family);
      g_autoptr(GPtrArray) stale = g_ptr_array_new ();
      g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (FreshKey));
      FamilyPlan plan = { stale, fresh };

      for (guint i = 0; i < groups->len; i++)
        group_plan (g_ptr_array_index (groups, i), family, present.sets[family], seen, &plan);
      added += fresh->len;
      write_plan (batch, family, &plan, entries);
    }
  if (!send_batch (self, batch, error))
    return -1;
  return added;
}

static gboolean
check_duration_and_reason (guint64      duration,
                           const char  *reason,
                           GError     **error)
{
  if (duration == 0)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "A ban of 0 seconds would end at once: give a duration, or forever");
      return FALSE;
    }
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "The reason is not valid UTF-8 text");
      return FALSE;
    }
  return TRUE;
}

gint64
pal_triggered_add_full (PalTriggered        *self,
                        const char * const  *texts,
                        guint64              duration,
                        const char          *reason,
                        gint64               when,
                        GPtrArray          **entries,
                        GError             **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_autoptr(GPtrArray) added_entries = NULL;
  Group *group;
  gint64 added;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), -1);
  g_return_val_if_fail (entries == NULL || *entries == NULL, -1);

  if (!check_duration_and_reason (duration, reason, error))
    return -1;
  group = group_new (duration, reason, when);
  g_ptr_array_add (groups, group);
  if (!parse_texts (&group->keys, texts, error))
    return -1;
  if (entries != NULL)
    added_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_triggered_entry_free);
  g_mutex_lock (&self->lock);
  added = add_locked (self, groups, added_entries, error);
  g_mutex_unlock (&self->lock);
  if (added >= 0 && entries != NULL)
    *entries = g_steal_pointer (&added_entries);
  return added;
}

gint64
pal_triggered_add (PalTriggered        *self,
                   const char * const  *texts,
                   guint64              duration,
                   const char          *reason,
                   gint64               when,
                   GError             **error)
{
  return pal_triggered_add_full (self, texts, duration, reason, when, NULL, error);
}

static gint64
remove_locked (PalTriggered  *self,
               Keys          *keys,
               GError       **error)
{
  g_auto(Present) present = { { NULL, NULL }, { NULL, NULL } };
  g_autoptr(PalNftBatch) batch = pal_nft_batch_new (0);
  gint64 removed = 0;

  if (!read_present (self, &keys, 1, &present, error))
    return -1;
  for (guint family = 0; family < 2; family++)
    {
      gsize length = key_lengths[family];
      ElementWriter writer;

      writer_init (&writer, batch, NFT_MSG_DELSETELEM, family);
      for (guint offset = 0; offset < keys->keys[family]->len; offset += length)
        {
          const guint8 *key = keys->keys[family]->data + offset;

          /* Only once each, and only what is there (else ENOENT). */
          if (g_hash_table_remove (present.sets[family], key))
            {
              writer_add (&writer, key, G_MAXUINT64, NULL);
              removed++;
            }
        }
      writer_finish (&writer);
    }
  if (!send_batch (self, batch, error))
    return -1;
  return removed;
}

gint64
pal_triggered_remove (PalTriggered        *self,
                      const char * const  *texts,
                      GError             **error)
{
  g_auto(Keys) keys = { { NULL, NULL }, 0 };
  gint64 removed;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), -1);

  keys_init (&keys);
  if (!parse_texts (&keys, texts, error))
    return -1;
  g_mutex_lock (&self->lock);
  removed = remove_locked (self, &keys, error);
  g_mutex_unlock (&self->lock);
  return removed;
}

static gboolean
flush_locked (PalTriggered  *self,
              GError       **error)
{
  g_autoptr(PalNftBatch) batch = pal_nft_batch_new (0);

  if (!check_sets_locked (self, error))
    return FALSE;
  for (guint family = 0; family < 2; family++)
    {
      struct nftnl_set *set = named_set (family);
      g_autofree char *what = g_strdup_printf ("set %s", set_names[family]);
      /* No elements: the kernel deletes them all (nft flush set). */
      struct nlmsghdr *nlh = pal_nft_batch_begin_message (batch, NFT_MSG_DELSETELEM, NFPROTO_INET, 0, what);

      nftnl_set_elems_nlmsg_build_payload (nlh, set);
      pal_nft_batch_end_message (batch, nlh);
      nftnl_set_free (set);
    }
  return send_batch (self, batch, error);
}

gboolean
pal_triggered_flush (PalTriggered  *self,
                     GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), FALSE);

  g_mutex_lock (&self->lock);
  ok = flush_locked (self, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* ------------------------------------------------------------ import, export */

static gboolean
parse_import_duration (const char  *text,
                       guint64     *seconds,
                       GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0' || g_ascii_strcasecmp (stripped, "unlimited") == 0)
    {
      *seconds = G_MAXUINT64;
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (stripped, 10, 1, G_MAXUINT32, seconds, NULL))
    return TRUE;
  if (!pal_duration_parse (stripped, seconds, error))
    return FALSE;
  if (*seconds == 0)
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "a ban of 0 seconds would end at once");
      return FALSE;
    }
  return TRUE;
}

/* One line into groups or trusted; FALSE with the reason (no location). */
static gboolean
import_line (char        **fields,
             GPtrArray    *groups,
             GPtrArray    *trusted,
             GError      **error)
{
  guint n = g_strv_length (fields);
  const char *type = n > 1 && *g_strstrip (fields[1]) != '\0' ? fields[1] : "triggered";
  const char *reason = n > 2 ? fields[2] : "";
  guint64 duration = G_MAXUINT64;
  g_autoptr(Group) group = NULL;
  g_autoptr(GError) local_error = NULL;

  if (n > 4)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "%u fields, not at most 4 (address, type, triggered by, duration)", n);
      return FALSE;
    }
  g_strstrip (fields[0]);
  if (g_ascii_strcasecmp (type, "trusted") == 0 && trusted != NULL)
    {
      g_auto(Keys) keys = { { NULL, NULL }, 0 };

      keys_init (&keys);
      if (!parse_text (&keys, fields[0], G_MAXUINT, error))
        return FALSE;
      g_ptr_array_add (trusted, g_strdup (fields[0]));
      return TRUE;
    }
  if (g_ascii_strcasecmp (type, "triggered") != 0)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "type “%.32s” is not one Palisade imports (triggered%s)", type,
                   trusted != NULL ? ", trusted" : "");
      return FALSE;
    }
  if (n > 3 && !parse_import_duration (fields[3], &duration, &local_error))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS, "%s", local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (reason, -1, NULL))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "the triggered-by text is not valid UTF-8");
      return FALSE;
    }
  group = group_new (duration, reason, 0);
  if (!parse_text (&group->keys, fields[0], G_MAXUINT, error))
    return FALSE;
  g_ptr_array_add (groups, g_steal_pointer (&group));
  return TRUE;
}

/* At most this many located errors in one message. */
#define MAX_IMPORT_ERRORS 20

static gboolean
parse_import (const char  *text,
              GPtrArray   *groups,
              GPtrArray   *trusted,
              GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_problems = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GError) local_error = NULL;
      char *line = g_strchomp (lines[i]);   /* also \r */

      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit (line, "\t", 5);
      if (import_line (fields, groups, trusted, &local_error))
        continue;
      if (n_problems++ < MAX_IMPORT_ERRORS)
        g_string_append_printf (problems, "%sline %u: %s", problems->len > 0 ? "\n" : "", i + 1,
                                local_error->message);
    }
  if (n_problems == 0)
    return TRUE;
  if (n_problems > MAX_IMPORT_ERRORS)
    g_string_append_printf (problems, "\n… and %u more lines with errors", n_problems - MAX_IMPORT_ERRORS);
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
               "Nothing was imported:\n%s", problems->str);
  return FALSE;
}

gint64
pal_triggered_import (PalTriggered  *self,
                      const char    *text,
                      GPtrArray     *trusted,
                      GError       **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  gint64 added = 0;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), -1);
  g_return_val_if_fail (text != NULL, -1);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "The imported text is not valid UTF-8");
      return -1;
    }
  if (!parse_import (text, groups, trusted, error))
    return -1;
  if (groups->len == 0)
    return 0;
  g_mutex_lock (&self->lock);
  added = add_locked (self, groups, NULL, error);
  g_mutex_unlock (&self->lock);
  return added;
}

/* Tabs and line ends cannot be inside a field. */
static void
append_field (GString    *out,
              const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

char *
pal_triggered_export (PalTriggered        *self,
                      const char * const  *trusted,
                      GError             **error)
{
  g_autoptr(GPtrArray) entries = pal_triggered_list (self, error);
  g_autoptr(GString) out = NULL;

  if (entries == NULL)
    return NULL;
  out = g_string_new ("# address-or-range\ttype\ttriggered-by\tduration\n");
  for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++)
    {
      append_field (out, trusted[i]);
      g_string_append (out, "\ttrusted\t\t\n");
    }
  for (guint i = 0; i < entries->len; i++)
    {
      PalTriggeredEntry *entry = g_ptr_array_index (entries, i);

      g_string_append_printf (out, "%s\ttriggered\t", entry->address);
      append_field (out, entry->reason);
      if (entry->seconds_left == G_MAXUINT64)
        g_string_append (out, "\tforever\n");
      else
        g_string_append_printf (out, "\t%" G_GUINT64_FORMAT "\n", MAX (entry->seconds_left, 1));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------ persistence */

/* address \t expires (unix time, 0 = never) \t when \t reason */
gboolean
pal_triggered_save (PalTriggered  *self,
                    const char    *directory,
                    GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = g_string_new ("# palisade-helper triggered addresses: address, expires, when, reason\n");
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), FALSE);
  g_return_val_if_fail (directory != NULL, FALSE);

  entries = pal_triggered_list (self, error);
  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      PalTriggeredEntry *entry = g_ptr_array_index (entries, i);
      gint64 expires = entry->seconds_left == G_MAXUINT64 ? 0 : now + (gint64) entry->seconds_left;

      g_string_append_printf (out, "%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t",
                              entry->address, expires, entry->when);
      append_field (out, entry->reason);
      g_string_append_c (out, '\n');
    }
  if (g_mkdir_with_parents (directory, 0700) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Making %s: %s", directory,
                   g_strerror (saved));
      return FALSE;
    }
  path = g_build_filename (directory, PAL_TRIGGERED_STATE_FILE, NULL);
  /* g_file_set_contents writes a temporary file and renames it: atomic. */
  return g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static Group *
restore_line (char   *line,
              gint64  now)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 4);
  g_autoptr(Group) group = NULL;
  gint64 expires, when;

  if (g_strv_length (fields) != 4)
    return NULL;
  expires = g_ascii_strtoll (fields[1], NULL, 10);
  when = g_ascii_strtoll (fields[2], NULL, 10);
  if (expires != 0 && expires <= now)
    return NULL;   /* expired while we were away */
  group = group_new (expires == 0 ? G_MAXUINT64 : (guint64) (expires - now), fields[3], when);
  if (!parse_text (&group->keys, fields[0], G_MAXUINT, NULL))
    return NULL;
  return g_steal_pointer (&group);
}

gint64
pal_triggered_restore (PalTriggered  *self,
                       const char    *directory,
                       GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_auto(GStrv) lines = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 added;

  g_return_val_if_fail (PAL_IS_TRIGGERED (self), -1);
  g_return_val_if_fail (directory != NULL, -1);

  path = g_build_filename (directory, PAL_TRIGGERED_STATE_FILE, NULL);
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      Group *group;

      if (*lines[i] == '\0' || *lines[i] == '#' || !g_utf8_validate (lines[i], -1, NULL))
        continue;
      group = restore_line (lines[i], now);
      if (group != NULL)
        g_ptr_array_add (groups, group);
    }
  if (groups->len == 0)
    return 0;
  g_mutex_lock (&self->lock);
  added = add_locked (self, groups, NULL, error);
  g_mutex_unlock (&self->lock);
  return added;
}
