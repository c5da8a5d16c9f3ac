/* pal-nft-expr-private.h — the field table the pal-nft-expr*.c files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-nft-expr.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_NFT_LOAD_META,
  PAL_NFT_LOAD_PAYLOAD,
  PAL_NFT_LOAD_CT,
  PAL_NFT_LOAD_EXTHDR,
  PAL_NFT_LOAD_SOCKET,
} PalNftLoad;

typedef struct
{
  const char *name;
  PalNftLoad  load;
  guint32     key;         /* meta/ct/socket key, payload base, exthdr op */
  guint32     offset;      /* payload and exthdr */
  guint8      length;      /* bytes loaded */
  guint8      swap;        /* host-order element size to convert to network order, or 0 */
  gboolean    presence;    /* exthdr: loads 1 if the header/option exists */
  guint8      exthdr_type; /* exthdr: header type when fixed (IPv6 fragment) */
  guint32     datatype;    /* nft datatype of set keys */
  gboolean    host;        /* values in host byte order: only ever compared for equality or masked */
} PalNftFieldInfo;

const PalNftFieldInfo *pal_nft_field_info (PalNftField field);

G_END_DECLS
