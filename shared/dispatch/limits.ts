import { NOVA_TIMEOUT_MS } from '../callVariables';

/** Nova's own post-call deadline; requests here are held to the same budget by default. */
export const DEFAULT_DEADLINE_MS = NOVA_TIMEOUT_MS;

/** 10 MiB: far above any JSON answer an API sends back, far below what would strain n8n. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Enough for http→https plus a moved endpoint; a loop ends long before the deadline. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** Headers that carry a caller's identity and must not follow a redirect to another origin. */
export const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
