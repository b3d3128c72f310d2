export { dispatch, InvalidUrlError, parseHttpUrl } from './dispatcher';
export {
	CREDENTIAL_HEADERS,
	DEFAULT_DEADLINE_MS,
	DEFAULT_MAX_REDIRECTS,
	DEFAULT_MAX_RESPONSE_BYTES,
} from './limits';
export * from './types';
