import { clientAddress, refuse, type NovaRequest, type Refusal } from './http';
import { isAddressAllowed } from './ipAllowList';
import { readVariables, type ReceivedVariables } from './requestVariables';
import { matchingSecret, presentedSecret, type SecretName, type SecretSettings } from './secret';
import type { TriggerSettings } from './settings';

export interface Admitted extends Omit<ReceivedVariables, 'kind'> {
	kind: 'admitted';
	authenticatedWith: SecretName;
}

function unauthorized(secrets: SecretSettings): Refusal {
	const challenge =
		secrets.format === 'bearer' && secrets.headerName === 'authorization'
			? { 'WWW-Authenticate': 'Bearer realm="Nova Post-Call Trigger"' }
			: undefined;
	// One message for a missing and a wrong secret: the caller learns nothing about which.
	return refuse(401, 'unauthorized', 'The request does not carry the secret', challenge);
}

/**
 * Decides whether a request may start the workflow, in an order that tells an unknown caller
 * as little as possible: first its address, then its secret, and only then its body.
 */
export function admit(
	request: NovaRequest,
	settings: TriggerSettings,
	secrets: SecretSettings,
): Admitted | Refusal {
	if (settings.allowList && !isAddressAllowed(clientAddress(request), settings.allowList)) {
		return refuse(403, 'forbidden', 'This address may not call this webhook');
	}

	const authenticatedWith = matchingSecret(presentedSecret(request.headers, secrets), secrets);
	if (!authenticatedWith) return unauthorized(secrets);

	const received = readVariables(request, settings.maxBodyBytes);
	if (received.kind === 'refusal') return received;
	return { ...received, kind: 'admitted', authenticatedWith };
}
