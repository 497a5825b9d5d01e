/**
 * Facts about Pumble's API-key add-on that several rooms of the core need, each stated once: where the
 * API lives, what an ID looks like, how large a page is asked for.
 */

/** The API-key add-on's address (the credential's default Base URL). */
export const DEFAULT_BASE_URL = 'https://pumble-api-keys.addons.marketplace.cake.com';

/** A Pumble ID: 24 hexadecimal characters, e.g. `66a1f0c2e4b0a1b2c3d4e5f6`. No flags: its `source` is the node's field validation. */
export const ID_PATTERN = /^[0-9a-fA-F]{24}$/;

/** Page size for message, reply and scheduled-message lists: 100 was seen working live; the documented 200 never was. */
export const PAGE_SIZE = 100;

/** searchMessages accepts 1–20 results per request. */
export const SEARCH_PAGE_SIZE = 20;

/** searchMessages' `from` and `in` lists: Pumble's own client allows up to 50 entries, a third-party OpenAPI description 100; the lower holds for both. */
export const SEARCH_FILTER_MAX = 50;

/** The value Pumble's own client sends for a custom status that never expires. */
export const NEVER_EXPIRES = 4_093_062_627_467;
