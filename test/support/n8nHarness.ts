import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	createRunExecutionData,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IConnections,
	type NodeConnectionType,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { NovaRequestAuthApi } from '../../credentials/NovaRequestAuthApi.credentials';

// n8n-core reads its instance settings from the user folder when first loaded; keep them out of $HOME.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-test-home-'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecuteContext } = require('n8n-core') as typeof import('n8n-core');

/**
 * Building an ExecuteContext starts n8n-core's SSH client manager, whose 60 s cleanup timer would
 * keep the test process alive after the last test. Nothing here opens SSH clients, so let it go.
 */
function releaseSshCleanupTimer(): void {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { Container } = require('@n8n/di') as typeof import('@n8n/di');
	const { SSHClientsManager } =
		require('n8n-core/dist/execution-engine/ssh-clients-manager') as typeof import('n8n-core/dist/execution-engine/ssh-clients-manager');
	/* eslint-enable @typescript-eslint/no-require-imports */
	const manager = Container.get(SSHClientsManager) as unknown as { cleanupTimer?: NodeJS.Timeout };
	manager.cleanupTimer?.unref();
}

/** Credentials by type, as n8n would hand them to the node after decrypting them. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

/** This package's credential types, whose own `authenticate` runs as it does in n8n. */
const PACKAGE_CREDENTIAL_TYPES: ICredentialType[] = [new NovaRequestAuthApi()];

/**
 * Adds a credential to a request as n8n's CredentialsHelper does: a credential type's own
 * `authenticate` function for this package's types, and for n8n's generic types a mirror of their
 * `authenticate` definitions in n8n-nodes-base. This replaces n8n's credential store only.
 */
async function authenticate(
	type: string,
	data: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const packageType = PACKAGE_CREDENTIAL_TYPES.find((credential) => credential.name === type);
	if (typeof packageType?.authenticate === 'function') {
		return await packageType.authenticate(data, options);
	}
	options.headers ??= {};
	if (type === 'httpHeaderAuth') options.headers[String(data.name)] = data.value;
	if (type === 'httpBearerAuth') options.headers.Authorization = `Bearer ${String(data.token)}`;
	if (type === 'httpBasicAuth') {
		options.auth = { username: String(data.user), password: String(data.password) };
	}
	if (type === 'httpQueryAuth') options.qs = { ...options.qs, [String(data.name)]: data.value };
	return options;
}

function credentialsHelper(credentials: TestCredentials) {
	return {
		getParentTypes: () => [],
		getDecrypted: async (_data: unknown, _details: unknown, type: string) => credentials[type],
		authenticate: async (
			data: ICredentialDataDecryptedObject,
			type: string,
			options: IHttpRequestOptions,
		) => await authenticate(type, data, options),
		preAuthentication: async () => undefined,
		getCredentialsProperties: () => [],
	};
}

/** A node connected to the node under test through a sub-node input, such as a chat model. */
export interface SubNode {
	name: string;
	connectionType: NodeConnectionType;
	nodeType: INodeType;
}

function nodeTypesOf(nodeType: INodeType, subNodes: SubNode[]): INodeTypes {
	const byType = (type: string) =>
		subNodes.find((subNode) => `test.${subNode.name}` === type)?.nodeType ?? nodeType;
	return {
		getByName: byType,
		getByNameAndVersion: byType,
		getKnownTypes: () => ({}),
	};
}

/** The sub-nodes as workflow nodes, each connected to `target` through its connection type. */
function subNodeGraph(subNodes: SubNode[], target: string) {
	const nodes: INode[] = subNodes.map((subNode) => ({
		id: `sub-node-${subNode.name}`,
		name: subNode.name,
		type: `test.${subNode.name}`,
		typeVersion: 1,
		position: [0, 200],
		parameters: {},
	}));
	const connections: IConnections = Object.fromEntries(
		subNodes.map(({ name, connectionType: type }) => [
			name,
			{ [type]: [[{ node: target, type, index: 0 }]] },
		]),
	);
	return { nodes, connections };
}

export interface RunNodeOptions {
	nodeType: INodeType;
	parameters?: INodeParameters;
	items?: INodeExecutionData[];
	credentials?: TestCredentials;
	/** The execution's cancel signal, as n8n passes it to every node. */
	cancelSignal?: AbortSignal;
	onError?: INode['onError'];
	/** Nodes that n8n asks for data when the node calls getInputConnectionData. */
	subNodes?: SubNode[];
}

/** Builds the ExecuteContext n8n itself would build for one node, with its parameters' defaults. */
export function executeContext(options: RunNodeOptions) {
	const { nodeType, credentials = {}, items = [{ json: {} }] } = options;
	const node: INode = {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: 'test.nodeUnderTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		onError: options.onError,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: type, name: `${type} test` }]),
		),
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			options.parameters ?? {},
			true,
			false,
			node,
			nodeType.description,
		) ?? {};

	const subNodes = options.subNodes ?? [];
	const graph = subNodeGraph(subNodes, node.name);
	const workflow = new Workflow({
		id: 'workflow-under-test',
		nodes: [node, ...graph.nodes],
		connections: graph.connections,
		active: false,
		nodeTypes: nodeTypesOf(nodeType, subNodes),
	});
	const additionalData = {
		credentialsHelper: credentialsHelper(credentials),
		executionId: 'execution-under-test',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const inputData = { main: [items] };

	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		items,
		inputData,
		{ node, data: inputData, source: null },
		[],
		options.cancelSignal,
	);
	releaseSshCleanupTimer();
	return context;
}

/** Runs a node's `execute` in a real n8n ExecuteContext and returns its outputs. */
export async function runNode(options: RunNodeOptions): Promise<INodeExecutionData[][]> {
	const context = executeContext(options);
	if (!options.nodeType.execute) throw new Error('The node type has no execute method');
	const output = await options.nodeType.execute.call(context);
	return (output ?? []) as INodeExecutionData[][];
}
