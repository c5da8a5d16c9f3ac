/* pal-value-flags.c — the syntaxes made of a few fixed words: direction,
 * TCP flags and options, IP options, fragments, connection states and the
 * helper's lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

typedef struct
{
  const char *name;
  guint32     value;
} Word;

typedef enum
{
  WORDS_BITS,        /* a list; value->flags is the union of the words' bits */
  WORDS_SIGNED_BITS, /* the same, and "-word" puts the bit in clear_flags */
  WORDS_ONE,         /* one word; value->flags is its value */
} WordsMode;

typedef struct
{
  const Word *words;
  gsize       n_words;
  WordsMode   mode;
  const char *noun;    /* "a direction", for "… is not a direction" */
} Words;

/* Printed in the order of these tables; where two words share a value the
 * first is printed and the second is an alias. */
static const Word directions[] = {
  { "in", PAL_DIRECTION_IN },
  { "out", PAL_DIRECTION_OUT },
  { "forward", PAL_DIRECTION_FORWARD },
};

static const Word tcp_flags[] = {
  { "fin", PAL_TCP_FIN },
  { "syn", PAL_TCP_SYN },
  { "rst", PAL_TCP_RST },
  { "psh", PAL_TCP_PSH },
  { "ack", PAL_TCP_ACK },
  { "urg", PAL_TCP_URG },
  { "ece", PAL_TCP_ECE },
  { "cwr", PAL_TCP_CWR },
};

/* Bits are the option kinds of RFC 9293 and its successors. */
static const Word tcp_options[] = {
  { "mss", 1 << 2 },
  { "window", 1 << 3 },
  { "sack-permitted", 1 << 4 },
  { "sack-perm", 1 << 4 },
  { "sack", 1 << 5 },
  { "timestamp", 1 << 8 },
};

static const Word ip_options[] = {
  { "lsrr", 1 << PAL_IP_OPTION_LSRR },
  { "ssrr", 1 << PAL_IP_OPTION_SSRR },
  { "rr", 1 << PAL_IP_OPTION_RR },
  { "ra", 1 << PAL_IP_OPTION_RA },
};

static const Word fragments[] = {
  { "any", PAL_FRAGMENT_ANY },
  { "first", PAL_FRAGMENT_FIRST },
  { "not-first", PAL_FRAGMENT_NOT_FIRST },
  { "tiny", PAL_FRAGMENT_TINY },
};

static const Word states[] = {
  { "new", PAL_STATE_NEW },
  { "established", PAL_STATE_ESTABLISHED },
  { "related", PAL_STATE_RELATED },
  { "invalid", PAL_STATE_INVALID },
  { "untracked", PAL_STATE_UNTRACKED },
};

static const Word lists[] = {
  { "triggered", PAL_LIST_TRIGGERED },
  { "trusted", PAL_LIST_TRUSTED },
  { "authorized", PAL_LIST_AUTHORIZED },
  { "kept", PAL_LIST_KEPT },
};

#define WORDS(table, mode, noun) { table, G_N_ELEMENTS (table), mode, noun }

static const Words direction_words = WORDS (directions, WORDS_BITS, N_("a direction"));
static const Words tcp_flag_words = WORDS (tcp_flags, WORDS_SIGNED_BITS, N_("a TCP flag"));
static const Words tcp_option_words = WORDS (tcp_options, WORDS_BITS, N_("a TCP option"));
static const Words ip_option_words = WORDS (ip_options, WORDS_BITS, N_("an IP option"));
static const Words fragment_words = WORDS (fragments, WORDS_ONE, N_("a kind of fragment"));
static const Words state_words = WORDS (states, WORDS_BITS, N_("a connection state"));
static const Words list_words = WORDS (lists, WORDS_ONE, N_("one of the firewall's lists"));

/* "in, out or forward", from the table, aliases left out. */
static char *
choices (const Words *words)
{
  GString *out = g_string_new (NULL);
  guint32 seen = 0;
  guint n = 0;

  for (gsize i = 0; i < words->n_words; i++)
    {
      if (words->mode != WORDS_ONE && (seen & words->words[i].value) != 0)
        continue;
      seen |= words->words[i].value;
      n++;
    }
  seen = 0;
  for (gsize i = 0, k = 0; i < words->n_words; i++)
    {
      if (words->mode != WORDS_ONE && (seen & words->words[i].value) != 0)
        continue;
      seen |= words->words[i].value;
      if (k > 0)
        g_string_append (out, k == n - 1 ? _(" or ") : ", ");
      g_string_append (out, words->words[i].name);
      k++;
    }
  return g_string_free (out, FALSE);
}

static const Word *
find_word (const Words *words,
           const char  *name)
{
  for (gsize i = 0; i < words->n_words; i++)
    if (g_ascii_strcasecmp (words->words[i].name, name) == 0)
      return &words->words[i];
  return NULL;
}

static gboolean
parse_word_item (PalValue    *value,
                 const char  *item,
                 gpointer     user_data,
                 GError     **error)
{
  const Words *words = user_data;
  gboolean clear = words->mode == WORDS_SIGNED_BITS && item[0] == '-';
  const char *name = clear ? item + 1 : item;
  const Word *word = find_word (words, name);

  if (word == NULL)
    {
      g_autofree char *list = choices (words);

      pal_value_set_invalid (error, _("\"%s\" is not %s; write %s."),
                             item, _(words->noun), list);
      return FALSE;
    }

  if (words->mode == WORDS_ONE)
    {
      value->flags = word->value;
      return TRUE;
    }
  if (((value->flags | value->clear_flags) & word->value) != 0)
    {
      if (((clear ? value->flags : value->clear_flags) & word->value) != 0)
        pal_value_set_invalid (error, _("\"%s\" cannot be both set and clear."), name);
      else
        pal_value_set_invalid (error, _("\"%s\" is listed twice."), name);
      return FALSE;
    }
  if (clear)
    value->clear_flags |= word->value;
  else
    value->flags |= word->value;
  return TRUE;
}

static gboolean
parse_words (PalValue     *value,
             const char   *text,
             const Words  *words,
             GError      **error)
{
  if (words->mode == WORDS_ONE)
    return pal_value_parse_single (value, text, PAL_VALUE_MAX_ITEM_LENGTH,
                                   parse_word_item, (gpointer) words, error);
  return pal_value_parse_list (value, text, parse_word_item, (gpointer) words, error);
}

static void
print_words (const PalValue *value,
             const Words    *words,
             GString        *out)
{
  guint32 printed = 0;

  for (gsize i = 0; i < words->n_words; i++)
    {
      const Word *word = &words->words[i];
      gboolean set;
      gboolean clear;

      if (words->mode == WORDS_ONE)
        {
          if (value->flags == word->value)
            {
              g_string_append (out, word->name);
              return;
            }
          continue;
        }

      set = (value->flags & word->value) != 0;
      clear = (value->clear_flags & word->value) != 0;
      if ((!set && !clear) || (printed & word->value) != 0)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "%s%s", clear ? "-" : "", word->name);
      printed |= word->value;
    }
}

#define WORDS_SYNTAX(name, words) \
  gboolean \
  pal_value_parse_##name (PalValue *value, const char *text, GError **error) \
  { \
    return parse_words (value, text, &words, error); \
  } \
  void \
  pal_value_print_##name (const PalValue *value, GString *out) \
  { \
    print_words (value, &words, out); \
  }

WORDS_SYNTAX (direction, direction_words)
WORDS_SYNTAX (tcp_flags, tcp_flag_words)
WORDS_SYNTAX (tcp_option, tcp_option_words)
WORDS_SYNTAX (ip_option, ip_option_words)
WORDS_SYNTAX (fragment, fragment_words)
WORDS_SYNTAX (connection_state, state_words)
WORDS_SYNTAX (listed_in, list_words)
