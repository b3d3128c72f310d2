import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { dispatch, type DispatchOptions, type DispatchRequest } from '../../shared/dispatch';

/**
 * A minimal node that sends one request through `dispatch` the way our nodes do: with the
 * credential attached by n8n's own `httpRequestWithAuthentication`, and the execution's signal.
 */
export function dispatchProbeNode(
	credentialType: string,
	request: DispatchRequest,
	options: DispatchOptions = {},
): INodeType {
	return {
		description: {
			displayName: 'Dispatch Probe',
			name: 'dispatchProbe',
			group: ['transform'],
			version: 1,
			description: 'Sends one request through the dispatcher',
			defaults: { name: 'Dispatch Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const outcome = await dispatch(
				request,
				{
					send: async (sendOptions) =>
						await this.helpers.httpRequestWithAuthentication.call(
							this,
							credentialType,
							sendOptions,
						),
					sendWithoutCredentials: async (sendOptions) =>
						await this.helpers.httpRequest(sendOptions),
				},
				{ ...options, cancelSignal: this.getExecutionCancelSignal() },
			);
			return [[{ json: { ...outcome } as IDataObject, pairedItem: { item: 0 } }]];
		},
	};
}
