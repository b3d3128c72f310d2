import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * A credential test for credentials that have no endpoint of their own to try: it reports the
 * first problem `problemOf` finds in the fields, or `okMessage` when there is none.
 */
export function offlineCredentialTest(
	problemOf: (data: ICredentialDataDecryptedObject) => string | undefined,
	okMessage: string,
): ICredentialTestFunction {
	return async (credential): Promise<INodeCredentialTestResult> => {
		const problem = problemOf(credential.data ?? {});
		return problem ? { status: 'Error', message: problem } : { status: 'OK', message: okMessage };
	};
}
