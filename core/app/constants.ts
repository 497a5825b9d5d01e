/**
 * Facts about Pumble's App platform (a different product from the API-key add-on), each stated once, with
 * the file each one comes from.
 */

/**
 * The App API's address: `PUMBLE_API_URL` in CAKE-com/pumble-node-sdk pumble-sdk/src/constants/index.ts.
 */
export const APP_API_BASE_URL = 'https://api-ga.pumble.com';

/**
 * The two request headers Pumble signs with: CAKE-com/pumble-node-sdk
 * pumble-sdk/src/core/adapters/http/middlewares.ts (`verifySignature`), and the same names in
 * apet97/pumble-python-sdk src/pumble_keys/pumble_app/webhooks.py.
 */
export const TIMESTAMP_HEADER = 'x-pumble-request-timestamp';
export const SIGNATURE_HEADER = 'x-pumble-request-signature';

/**
 * How far a request's timestamp may be from now. The Node SDK checks no window at all (middlewares.ts); the
 * Python reading accepts ±300 s (webhooks.py `DEFAULT_TIMESTAMP_TOLERANCE_SECONDS`). We take the Python one.
 */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * A timestamp below this is seconds, at or above it milliseconds. The unit is undocumented: the Node SDK only
 * signs the header as received, the Python reading (webhooks.py `_parse_timestamp_ms`) uses this same cut
 * (1e12 ms is September 2001; 1e12 s is far in the future), so both units are accepted.
 */
export const MILLISECONDS_FROM = 1_000_000_000_000;

/** Requests larger than this are refused before the signature is computed (webhooks.py `DEFAULT_MAX_BODY_BYTES`). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How long a delivered event is remembered, so that a redelivery starts nothing. Twice the timestamp window:
 * a copy older than the window is refused as stale anyway.
 */
export const REDELIVERY_MEMORY_MS = 2 * TIMESTAMP_TOLERANCE_MS;

/** Most deliveries remembered per receiver (1,000 events a minute for the whole memory time, with room). */
export const REDELIVERY_MEMORY_ENTRIES = 20_000;

/**
 * Slash commands, shortcuts and block interactions must be acknowledged within 3 seconds (CAKE-com/pumble-node-sdk
 * docs/triggers-reference.md, `ack`). Events need no acknowledgement, but get the same immediate answer.
 */
export const ACK_DEADLINE_MS = 3_000;
