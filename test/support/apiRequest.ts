import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { NovaApiRequest } from '../../nodes/NovaApiRequest/NovaApiRequest.node';
import { runNode, type TestCredentials } from './n8nHarness';

export interface ApiRequestRun {
	parameters: INodeParameters;
	/** Call data, one item each. */
	items?: Array<Readonly<Record<string, unknown>>>;
	credentials?: TestCredentials;
	onError?: INode['onError'];
	cancelSignal?: AbortSignal;
}

export interface ApiRequestOutputs {
	sent: INodeExecutionData[];
	skipped: INodeExecutionData[];
}

/** Runs the Nova API Request node in a real n8n ExecuteContext, one item per call. */
export async function runApiRequest(run: ApiRequestRun): Promise<ApiRequestOutputs> {
	const [sent, skipped] = await runNode({
		nodeType: new NovaApiRequest(),
		parameters: run.parameters,
		items: (run.items ?? [{}]).map((json) => ({ json: { ...json } as IDataObject })),
		credentials: run.credentials,
		onError: run.onError,
		cancelSignal: run.cancelSignal,
	});
	return { sent, skipped };
}

/** The node's error for a run that fails, so a test can inspect it. */
export async function apiRequestError(run: ApiRequestRun): Promise<Error & IDataObject> {
	try {
		await runApiRequest(run);
	} catch (error) {
		return error as Error & IDataObject;
	}
	throw new Error('Expected the node to fail, but it succeeded');
}
